// The items as a list beside the canvas: the same feed, in its order, for the keyboard and
// screen readers (a listbox: ↑/↓, Page Up/Down, Home/End move, Enter or Space opens the
// details) and for anyone who wants the words. Virtual: only the rows near the scrolled
// position are in the DOM, so thousands of items cost a few dozen elements. Each row
// carries the item's drawn shape in data attributes (data-shape, data-first, data-last).
import type { Item } from './layout';

const OVERSCAN = 40;

export interface ListCallbacks {
  onOpen(item: Item): void;
  onActive(item: Item): void;
}

export class ItemList {
  private items: Item[] = [];
  private active = -1;
  private rowH = 28;
  private readonly inner: HTMLElement;
  private pending = 0;

  constructor(
    private readonly box: HTMLElement,
    private readonly cb: ListCallbacks,
  ) {
    this.inner = document.createElement('div');
    this.inner.className = 'tl-list-inner';
    box.replaceChildren(this.inner);
    box.addEventListener('scroll', () => this.schedule(), { passive: true });
    box.addEventListener('keydown', (ev) => this.key(ev));
    box.addEventListener('click', (ev) => {
      const row = (ev.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (!row) return;
      const i = Number(row.dataset.index);
      this.setActive(i, false);
      this.cb.onOpen(this.items[i]);
    });
    new ResizeObserver(() => this.schedule()).observe(box);
  }

  /** Shows these items (the list keeps its scroll position and active item when they only grew). */
  setItems(items: Item[]): void {
    const activeId = this.items[this.active]?.id;
    this.items = items;
    this.active = activeId ? items.findIndex((it) => it.id === activeId) : -1;
    this.box.setAttribute('aria-setsize', String(items.length));
    this.schedule();
  }

  /** Makes the item the list's active one (scrolled into view), without telling the callbacks. */
  show(item: Item | null): void {
    const i = item ? this.items.indexOf(item) : -1;
    if (i >= 0) this.setActive(i, false, true);
  }

  private setActive(i: number, notify = true, scroll = true): void {
    if (!this.items.length) return;
    this.active = Math.max(0, Math.min(this.items.length - 1, i));
    if (scroll) {
      const top = this.active * this.rowH;
      if (top < this.box.scrollTop) this.box.scrollTop = top;
      else if (top + this.rowH > this.box.scrollTop + this.box.clientHeight) this.box.scrollTop = top + this.rowH - this.box.clientHeight;
    }
    this.render();
    if (notify) this.cb.onActive(this.items[this.active]);
  }

  private key(ev: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.box.clientHeight / this.rowH) - 1);
    const at = this.active < 0 ? -1 : this.active;
    switch (ev.key) {
      case 'ArrowDown':
        this.setActive(at + 1);
        break;
      case 'ArrowUp':
        this.setActive(at < 0 ? 0 : at - 1);
        break;
      case 'PageDown':
        this.setActive(at + page);
        break;
      case 'PageUp':
        this.setActive(at - page);
        break;
      case 'Home':
        this.setActive(0);
        break;
      case 'End':
        this.setActive(this.items.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (at < 0) this.setActive(0);
        else this.cb.onOpen(this.items[at]);
        break;
      default:
        return;
    }
    ev.preventDefault();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  private render(): void {
    const unit = parseFloat(getComputedStyle(this.box).fontSize) || 14;
    this.rowH = Math.round(unit * 2);
    this.inner.style.height = `${this.items.length * this.rowH}px`;
    const first = Math.max(0, Math.floor(this.box.scrollTop / this.rowH) - OVERSCAN);
    const last = Math.min(this.items.length, Math.ceil((this.box.scrollTop + this.box.clientHeight) / this.rowH) + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i += 1) rows.push(this.row(this.items[i], i));
    this.inner.replaceChildren(...rows);
    const active = this.items[this.active];
    if (active) this.box.setAttribute('aria-activedescendant', optionId(this.active));
    else this.box.removeAttribute('aria-activedescendant');
  }

  private row(item: Item, i: number): HTMLElement {
    const row = document.createElement('div');
    row.id = optionId(i);
    row.setAttribute('role', 'option');
    row.setAttribute('aria-selected', String(i === this.active));
    row.setAttribute('aria-posinset', String(i + 1));
    row.setAttribute('aria-setsize', String(this.items.length));
    row.className = `tl-row tl-kind-${item.kind.toLowerCase()}`;
    row.style.top = `${i * this.rowH}px`;
    row.style.height = `${this.rowH}px`;
    const d = row.dataset;
    d.index = String(i);
    d.id = item.id;
    d.kind = item.kind;
    d.type = item.type;
    d.confidence = item.confidence;
    d.sources = item.sourceCount === null ? '' : String(item.sourceCount);
    if (item.shape) {
      d.shape = item.shape.kind;
      d.first = item.shape.first;
      d.last = item.shape.last;
      d.startEdge = item.shape.startEdge;
      d.endEdge = item.shape.endEdge;
      d.marker = item.shape.marker;
      d.precision = item.span!.precision;
    } else d.shape = 'undated';
    const cell = (text: string, cls: string) => {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      return span;
    };
    const sources = item.sourceCount === null ? '—' : `${item.sourceCount} ${item.sourceCount === 1 ? 'source' : 'sources'}`;
    row.append(
      cell(item.shape ? item.shape.label : 'undated', 'tl-when'),
      cell(`${item.kind.toLowerCase()} · ${item.type.toLowerCase().replace(/_/g, ' ')}`, 'tl-what'),
      cell(item.title, 'tl-title'),
      cell(item.confidence.toLowerCase(), 'tl-conf'),
      cell(sources, 'tl-src'),
    );
    return row;
  }
}

const optionId = (i: number) => `tl-opt-${i}`;
