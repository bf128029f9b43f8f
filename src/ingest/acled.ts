// ACLED (Armed Conflict Location & Event Data) CSV exports → import records. Columns: event_id_cnty,
// event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1,
// assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso,
// region, country, admin1, admin2, admin3, location, latitude, longitude, geo_precision, source,
// source_scale, notes, fatalities, tags, timestamp (ACLED's codebook).
//
// Each row is one event (dataset "acled", externalId event_id_cnty): actor1 its INITIATOR,
// actor2 its TARGET, the associated actors ASSOCIATED; its country the ISO code of `iso` (ISO
// 3166 numeric); its fatalities ACLED's estimate (its FAQ: fatalities "are estimates only", the
// most conservative figure the sources give); one source per ACLED source name, each with a
// citation of the notes; the columns the event does not otherwise say in its datasetFields. time_precision (ACLED's
// codebook, "Time"): 1, the source gives the day; 2, a week (event_date its middle); 3, a month
// (event_date its mid-point, or its first or last day): the day; the week around the date; its
// month — the last two approximate (EDTF ~).
//
// Actors: ACLED names one actor per name and period — "Military Forces of Afghanistan
// (2004-2021)" and "(2021-)" are different forces. A government ("Government of Russia
// (2000-)") is the state itself: the participant is the state, found by its name or ISO code,
// and the ACLED name becomes one of its aliases. Military and police forces ("Military Forces of
// Russia (2000-)") are a MILITARY_UNIT of their own, PART_OF their state over their period
// (affiliation span "2000/.." for an open period). Others take their kind from the inter code
// (numeric in older exports, words in newer ones): state forces MILITARY_UNIT; rebels, militias,
// external or other forces ORGANIZATION; rioters, protesters and civilians ORGANIZATION too, for
// want of a kind for a crowd (documented).
import { isValidDate, type DateSpanInput } from '../domain/dateSpan';
import { alpha3FromName, alpha3FromNumeric } from '../domain/countries';
import { Cells, headerIndex, type CsvLayout, type RawItem } from './layout';

export const ACLED_DATASET = 'acled';

export function isAcledHeader(header: readonly string[]): boolean {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  return ['event_date', 'event_type', 'actor1'].every((c) => h.has(c));
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "2023-09-13", "13 September 2023" or "13-Sep-2023" → "2023-09-13"; null when unrecognised. */
export function acledDate(value: string): string | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return isValidDate(v) ? v : null;
  const m = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m[2].toLowerCase()) && m[2].length >= 3);
    const date = `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
    if (month >= 0 && isValidDate(date)) return date;
  }
  return null;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function span(date: string, precision: string): DateSpanInput | string {
  if (precision === '2') return { edtf: `${addDays(date, -3)}~/${addDays(date, 3)}~`, text: `the week around ${date} (ACLED time precision 2)` };
  if (precision === '3') return { edtf: `${date.slice(0, 7)}~`, text: `${date.slice(0, 7)} (ACLED time precision 3)` };
  return date;
}

function eventType(type: string, sub: string): string {
  const t = type.toLowerCase();
  if (t.startsWith('strategic')) return /agreement/i.test(sub) ? 'AGREEMENT' : 'OBSERVATION';
  if (t.startsWith('battles') || t.startsWith('explosions')) return 'OBSERVATION';
  return 'OTHER';
}

/** ACLED's inter codes, numbered (older exports) or named (newer ones). */
const INTER: Record<string, number> = {
  'state forces': 1,
  'rebel group': 2,
  'rebel groups': 2,
  'political militia': 3,
  'political militias': 3,
  'identity militia': 4,
  'identity militias': 4,
  rioters: 5,
  protesters: 6,
  civilians: 7,
  'external/other forces': 8,
  'external/other force': 8,
};

/** An inter cell → its code (1–8); null when empty; undefined when not an inter code. */
export function interCode(cell: string): number | null | undefined {
  const t = cell.trim().toLowerCase();
  if (t === '') return null;
  if (/^[1-8]$/.test(t)) return Number(t);
  return INTER[t];
}

/** "Government of Russia (2000-)", "Military Forces of Afghanistan (2004-2021) Air Force": who, whose, and when. */
const STATE_ACTOR_PERIOD = /^(Government|Military Forces|Police Forces) of (.+?) \((\d{4})-(\d{4})?\)(?:\s+(.+))?$/;
/** The same without a period: "Government of Ukraine". */
const STATE_ACTOR = /^(Government|Military Forces|Police Forces) of ([^()]+)$/;

export interface ActorName {
  kind: 'STATE' | 'UNIT' | 'OTHER';
  /** The state's name (STATE, UNIT). */
  state?: string;
  /** The period's years (UNIT). */
  from?: number;
  to?: number;
}

export function acledActor(name: string): ActorName {
  const m = STATE_ACTOR_PERIOD.exec(name) ?? STATE_ACTOR.exec(name);
  if (!m) return { kind: 'OTHER' };
  const period = m.length > 3;
  // A government's part ("Government of Russia (2000-) Ministry of Defence") is not the state itself.
  if (m[1] === 'Government') return period && m[5] ? { kind: 'OTHER' } : { kind: 'STATE', state: m[2].trim() };
  return { kind: 'UNIT', state: m[2].trim(), from: period && m[3] ? Number(m[3]) : undefined, to: period && m[4] ? Number(m[4]) : undefined };
}

export const ACLED_LAYOUT: CsvLayout = {
  name: 'acled',
  expected: 'an ACLED export header (event_id_cnty, event_date, event_type, actor1, inter1, …)',
  isHeader: isAcledHeader,
  rowKind: 'event',
  reader(header) {
    const index = headerIndex(header);
    // Source names as first spelt in the file (the same name in other case is the same source).
    const sources = new Map<string, string>();
    const units = new Set<string>();
    // Country names the file gives beside their ISO code: "Syria" is 760 (SYR), which the
    // library knows only as "Syrian Arab Republic".
    const learnt = new Map<string, string>();
    const codeOf = (country: string) => learnt.get(country.toLowerCase()) ?? alpha3FromName(country);
    // Kept in datasetFields: the columns the event does not say. Not kept: those it says —
    // mapped to its fields, or derived from them (year and time_precision from the date's span,
    // interaction from inter1 and inter2, country and admin1 in the location's name, iso in its
    // country code); event_date only where the span does not give it back (precision 2 and 3).
    const SAID = new Set([
      'event_id_cnty',
      'event_date',
      'actor1',
      'actor2',
      'assoc_actor_1',
      'assoc_actor_2',
      'location',
      'latitude',
      'longitude',
      'source',
      'notes',
      'fatalities',
      'year',
      'time_precision',
      'interaction',
      'country',
      'admin1',
      'iso',
    ]);
    const extra = header.map((h, i) => [h.trim(), i] as const).filter(([h]) => h !== '' && !SAID.has(h.toLowerCase()));
    // A file names a few hundred actors in tens of thousands of rows: each name is read once.
    const actorNames = new Map<string, ActorName>();
    const actorOf = (name: string) => {
      let who = actorNames.get(name);
      if (!who) actorNames.set(name, (who = acledActor(name)));
      return who;
    };

    return (cells, line) => {
      const c = new Cells(header, index, cells);
      const col = (name: string) => c.position([name]);
      const id = c.get('event_id_cnty');
      if (!id) c.fail(col('event_id_cnty'), 'is empty: every ACLED event has an id');
      const date = acledDate(c.get('event_date'));
      if (!date) c.fail(col('event_date'), `"${c.get('event_date')}" is not a date (2023-09-13, 13 September 2023 or 13-Sep-2023)`);
      const precision = c.get('time_precision');
      if (!['', '1', '2', '3'].includes(precision)) c.fail(col('time_precision'), `"${precision}" is not an ACLED time precision (1, 2 or 3)`);
      const inter = (k: '1' | '2') => {
        const v = interCode(c.get(`inter${k}`));
        if (v === undefined)
          c.fail(
            col(`inter${k}`),
            `"${c.get(`inter${k}`)}" is not an ACLED inter code (1–8, or State forces, Rebel group, Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces)`,
          );
        return v ?? null;
      };
      const inter1 = inter('1');
      const inter2 = inter('2');
      const iso = c.get('iso');
      const isoCode = iso === '' || iso === '0' ? null : alpha3FromNumeric(iso);
      if (iso !== '' && iso !== '0' && !isoCode) c.fail(col('iso'), `"${iso}" is not an ISO 3166 numeric country code`);
      const fatalitiesText = c.get('fatalities');
      if (fatalitiesText !== '' && !/^\d+$/.test(fatalitiesText)) c.fail(col('fatalities'), `"${fatalitiesText}" is not a number of fatalities`);
      const latitude = c.coordinate('latitude', 90);
      const longitude = c.coordinate('longitude', 180);
      if (c.issues.length > 0) return [{ line, kind: 'event', issues: c.issues }];

      const country = c.get('country');
      if (country && isoCode) learnt.set(country.toLowerCase(), isoCode);
      const out: RawItem[] = [];
      const emit = (raw: Record<string, unknown>) => out.push({ line, raw });
      /** The state a government or force belongs to, as a reference: by name, ISO code and, for a government, its ACLED name. */
      const stateRef = (state: string, alias?: string) => {
        const code = state.toLowerCase() === country.toLowerCase() ? (isoCode ?? codeOf(state)) : codeOf(state);
        return { name: state, actorKind: 'STATE', ...(code ? { countryCode: code } : {}), ...(alias ? { aliases: [alias] } : {}) };
      };
      const participants: { actor: unknown; role: string }[] = [];
      const seen = new Set<string>();
      const add = (name: string, role: string, code: number | null) => {
        const who = actorOf(name);
        // Once per event: two names of one state (two periods of its government) are one participant.
        const key = who.kind === 'STATE' ? `state:${who.state!.toLowerCase()}` : name.toLowerCase();
        if (!name || seen.has(key)) return;
        seen.add(key);
        if (who.kind === 'STATE') return participants.push({ actor: stateRef(who.state!, name), role });
        if (who.kind === 'UNIT') {
          if (!units.has(name)) {
            units.add(name);
            const code = codeOf(who.state!) ?? (who.state!.toLowerCase() === country.toLowerCase() ? isoCode : null);
            emit({ kind: 'actor', dataset: ACLED_DATASET, externalId: name, name, actorKind: 'MILITARY_UNIT', ...(code ? { countryCode: code } : {}) });
            emit({
              kind: 'affiliation',
              dataset: ACLED_DATASET,
              externalId: `${name}|PART_OF`,
              actor: { externalId: name },
              target: stateRef(who.state!),
              role: 'PART_OF',
              ...(who.from ? { span: { edtf: `${who.from}/${who.to ?? '..'}`, text: `ACLED's period of "${name}"` } } : {}),
              confidence: 'REPORTED',
            });
          }
          return participants.push({ actor: { externalId: name }, role });
        }
        participants.push({ actor: { name, actorKind: code === 1 ? 'MILITARY_UNIT' : 'ORGANIZATION' }, role });
      };
      add(c.get('actor1'), 'INITIATOR', inter1);
      add(c.get('actor2'), 'TARGET', inter2);
      for (const column of ['assoc_actor_1', 'assoc_actor_2']) {
        // The inter code is the main actor's: an associated actor's kind comes from its name alone.
        for (const name of c.get(column).split(';')) add(name.trim(), 'ASSOCIATED', null);
      }
      const notes = c.get('notes');
      const place = [c.get('location'), c.get('admin1'), country].filter(Boolean).join(', ');
      const datasetFields: Record<string, string> = {};
      for (const [h, i] of extra) {
        const v = c.at(i);
        if (v !== '') datasetFields[h] = v;
      }
      if (precision === '2' || precision === '3') datasetFields.event_date = c.get('event_date');
      if (iso !== '' && !isoCode) datasetFields.iso = iso;
      emit({
        kind: 'event',
        dataset: ACLED_DATASET,
        externalId: id,
        type: eventType(c.get('event_type'), c.get('sub_event_type')),
        title: [c.get('event_type'), c.get('sub_event_type')].filter(Boolean).join(': ') + (place ? ` (${place})` : ''),
        description: notes || null,
        date: span(date!, precision),
        location: { name: place || null, countryCode: isoCode ?? (country ? codeOf(country) : null), latitude, longitude },
        confidence: 'REPORTED',
        participants,
        ...(fatalitiesText !== '' ? { fatalities: Number(fatalitiesText), fatalitiesQualifier: 'ESTIMATE' } : {}),
        datasetFields,
      });
      for (const [i, name] of c
        .get('source')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
        .entries()) {
        let sourceId = sources.get(name.toLowerCase());
        if (sourceId === undefined) {
          sourceId = `source:${name}`;
          sources.set(name.toLowerCase(), sourceId);
          emit({ kind: 'source', dataset: ACLED_DATASET, externalId: sourceId, publisher: name, title: `${name} (as cited by ACLED)` });
        }
        emit({
          kind: 'citation',
          dataset: ACLED_DATASET,
          externalId: `${id}:${i + 1}`,
          source: sourceId,
          event: id,
          excerpt: notes || `${c.get('event_type')} reported by ${name}`,
          credibility: 3,
        });
      }
      return out;
    };
  },
};
