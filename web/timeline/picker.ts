// The actor picker: a combobox that searches actors by name or any alias, as
// `actors(search:)` does ("DPRK" finds North Korea), and the chosen actors as buttons that
// remove them. Keyboard: type, ↓/↑ through the suggestions, Enter picks, Escape closes;
// Tab moves on to the chosen actors' buttons (Enter or Space removes one).
import { runPersisted } from '../shared/persisted';

export interface Actor {
  id: string;
  name: string;
  kind: string;
  countryCode: string | null;
  aliases: string[];
  /** Chosen by id, not (yet) read from the API. */
  unresolved?: boolean;
}

export class ActorPicker {
  readonly chosen: Actor[] = [];
  private options: Actor[] = [];
  private activeOption = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly listbox: HTMLElement,
    private readonly chips: HTMLElement,
    private readonly onChange: () => void,
    private readonly onError: (message: string) => void,
  ) {
    input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.search(), 180);
    });
    input.addEventListener('keydown', (ev) => this.key(ev));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    listbox.addEventListener('mousedown', (ev) => ev.preventDefault());
    listbox.addEventListener('click', (ev) => {
      const li = (ev.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (li) this.pick(this.options[Number(li.dataset.index)]);
    });
  }

  /**
   * Sets the chosen actors by id (from the URL), looking each one up. An actor that cannot be
   * read now (no key yet, say) stays chosen under its id, and is looked up again before the
   * next load (`resolve`); the first error is thrown after the chips are drawn.
   */
  async setIds(ids: string[]): Promise<void> {
    const errors: string[] = [];
    const found = await Promise.all(
      ids.map(async (id): Promise<Actor> => {
        const r = await runPersisted<{ actor: Actor | null }>('TimelineActor', { id });
        if (r.errors?.length) errors.push(r.errors.map((e) => e.message).join('; '));
        else if (r.data?.actor) return r.data.actor;
        return { id, name: r.errors?.length ? id : `unknown actor ${id}`, kind: '', countryCode: null, aliases: [], unresolved: true };
      }),
    );
    this.chosen.splice(0, this.chosen.length, ...found);
    this.renderChips();
    if (errors.length) throw new Error(errors[0]);
  }

  /** Looks up again the chosen actors that could not be read before. */
  async resolve(): Promise<void> {
    if (this.chosen.some((a) => a.unresolved)) await this.setIds(this.ids);
  }

  get ids(): string[] {
    return this.chosen.map((a) => a.id);
  }

  private async search(): Promise<void> {
    const text = this.input.value.trim();
    const seq = ++this.seq;
    if (!text) return this.close();
    const r = await runPersisted<{ actors: { edges: { node: Actor }[] } }>('TimelineActorSearch', { search: text, first: 12 });
    if (seq !== this.seq) return;
    if (r.errors?.length || !r.data) {
      this.onError(r.errors?.map((e) => e.message).join('; ') ?? 'Actor search failed');
      return this.close();
    }
    this.options = r.data.actors.edges.map((e) => e.node).filter((a) => !this.chosen.some((c) => c.id === a.id));
    this.activeOption = this.options.length ? 0 : -1;
    this.renderOptions();
  }

  private key(ev: KeyboardEvent): void {
    const open = this.listbox.hidden === false && this.options.length > 0;
    switch (ev.key) {
      case 'ArrowDown':
        if (!open) {
          void this.search();
          break;
        }
        this.activeOption = (this.activeOption + 1) % this.options.length;
        this.renderOptions();
        break;
      case 'ArrowUp':
        if (!open) return;
        this.activeOption = (this.activeOption - 1 + this.options.length) % this.options.length;
        this.renderOptions();
        break;
      case 'Enter':
        // Enter in the search box picks (never submits the form half-typed).
        if (open && this.activeOption >= 0) this.pick(this.options[this.activeOption]);
        else if (this.input.value.trim()) void this.search();
        else return;
        break;
      case 'Escape':
        if (!open) return;
        this.close();
        break;
      default:
        return;
    }
    ev.preventDefault();
  }

  private pick(actor: Actor | undefined): void {
    if (!actor) return;
    if (!this.chosen.some((a) => a.id === actor.id)) this.chosen.push(actor);
    this.input.value = '';
    this.close();
    this.renderChips();
    this.onChange();
  }

  private close(): void {
    this.seq += 1;
    this.options = [];
    this.activeOption = -1;
    this.renderOptions();
  }

  private renderOptions(): void {
    this.listbox.replaceChildren(
      ...this.options.map((a, i) => {
        const li = document.createElement('li');
        li.id = `actor-option-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === this.activeOption));
        li.dataset.index = String(i);
        li.dataset.id = a.id;
        const name = document.createElement('strong');
        name.textContent = a.name;
        const other = a.aliases.filter((x) => x !== a.name);
        const more = document.createElement('span');
        more.textContent = ` ${a.kind.toLowerCase().replace(/_/g, ' ')}${a.countryCode ? `, ${a.countryCode}` : ''}${other.length ? ` — also ${other.slice(0, 4).join(', ')}` : ''}`;
        li.append(name, more);
        return li;
      }),
    );
    const open = this.options.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    if (open && this.activeOption >= 0) this.input.setAttribute('aria-activedescendant', `actor-option-${this.activeOption}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private renderChips(): void {
    this.chips.replaceChildren(
      ...this.chosen.map((a) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'chip';
        b.dataset.id = a.id;
        b.setAttribute('aria-label', `Remove ${a.name}`);
        b.textContent = `${a.name} ×`;
        b.addEventListener('click', () => {
          const i = this.chosen.findIndex((c) => c.id === a.id);
          if (i >= 0) this.chosen.splice(i, 1);
          this.renderChips();
          this.onChange();
          this.input.focus();
        });
        return b;
      }),
    );
  }
}
