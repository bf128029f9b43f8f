// ACLED (Armed Conflict Location & Event Data) CSV exports → import records.
// Columns used: event_id_cnty, event_date, time_precision, event_type, sub_event_type, actor1,
// assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, country, admin1, location, latitude,
// longitude, source, notes, fatalities. Each row gives one event (dataset "acled", externalId
// event_id_cnty) with its actors as participants (actor1 INITIATOR, actor2 TARGET, associated
// actors PARTICIPANT, referenced by name: unknown ones are created when the import allows it,
// with a kind from the inter1/inter2 code), one source per distinct ACLED source name and a
// citation of the notes. time_precision 1 is the day, 2 the week around it, 3 its month.
import type { DateSpanInput } from '../domain/dateSpan';

export const ACLED_DATASET = 'acled';

export function isAcledHeader(header: string[]): boolean {
  const h = new Set(header.map((c) => c.toLowerCase()));
  return ['event_date', 'event_type', 'actor1'].every((c) => h.has(c));
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "2023-09-13", "13 September 2023" or "13-Sep-2023" → "2023-09-13" (unchanged when unrecognised: validation reports it). */
export function acledDate(value: string): string {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const m = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m[2].toLowerCase()) && m[2].length >= 3);
    if (month >= 0) return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  }
  return v;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function span(date: string, precision: string | undefined): DateSpanInput | string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  if (precision?.trim() === '2') return { start: addDays(date, -3), end: addDays(date, 3), precision: 'RANGE', text: `the week around ${date} (ACLED time precision 2)` };
  if (precision?.trim() === '3') return { edtf: date.slice(0, 7), text: `${date.slice(0, 7)} (ACLED time precision 3)` };
  return date;
}

function eventType(type: string, sub: string): string {
  const t = type.toLowerCase();
  if (t.startsWith('strategic')) return /agreement/i.test(sub) ? 'AGREEMENT' : 'OBSERVATION';
  if (t.startsWith('battles') || t.startsWith('explosions')) return 'OBSERVATION';
  return 'OTHER';
}

/** ACLED inter codes: 1 state forces, 2 rebels, 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other. */
function actorKind(inter: string | undefined): string {
  return inter?.trim() === '1' || inter?.trim() === '8' ? 'MILITARY_UNIT' : 'ORGANIZATION';
}

/** Per-file state: sources already emitted. */
export interface AcledState {
  sources: Set<string>;
}

export function acledRecords(row: Record<string, string>, state: AcledState = { sources: new Set() }): Record<string, unknown>[] {
  const get = (k: string) => (row[k] ?? '').trim();
  const id = get('event_id_cnty');
  const out: Record<string, unknown>[] = [];
  const participants: { actor: unknown; role: string }[] = [];
  const add = (name: string, role: string, inter: string) => {
    if (name && !participants.some((p) => (p.actor as { name: string }).name.toLowerCase() === name.toLowerCase())) {
      participants.push({ actor: { name, actorKind: actorKind(inter) }, role });
    }
  };
  add(get('actor1'), 'INITIATOR', get('inter1'));
  add(get('actor2'), 'TARGET', get('inter2'));
  for (const [col, inter] of [['assoc_actor_1', 'inter1'], ['assoc_actor_2', 'inter2']]) {
    for (const name of get(col).split(';')) add(name.trim(), 'PARTICIPANT', get(inter));
  }
  const fatalities = get('fatalities');
  const notes = get('notes');
  const place = [get('location'), get('admin1'), get('country')].filter(Boolean).join(', ');
  out.push({
    kind: 'event',
    dataset: ACLED_DATASET,
    externalId: id,
    type: eventType(get('event_type'), get('sub_event_type')),
    title: [get('event_type'), get('sub_event_type')].filter(Boolean).join(': ') + (place ? ` (${place})` : ''),
    description: [notes, fatalities && fatalities !== '0' ? `Fatalities: ${fatalities}.` : ''].filter(Boolean).join(' ') || null,
    date: span(acledDate(get('event_date')), get('time_precision')),
    location: { name: place || null, latitude: get('latitude') || null, longitude: get('longitude') || null },
    confidence: 'REPORTED',
    participants,
  });
  for (const [i, name] of get('source').split(';').map((s) => s.trim()).filter(Boolean).entries()) {
    const sourceId = `source:${name}`;
    if (!state.sources.has(sourceId.toLowerCase())) {
      state.sources.add(sourceId.toLowerCase());
      out.push({ kind: 'source', dataset: ACLED_DATASET, externalId: sourceId, publisher: name, title: `${name} (as cited by ACLED)` });
    }
    out.push({
      kind: 'citation',
      dataset: ACLED_DATASET,
      externalId: `${id}:${i + 1}`,
      source: sourceId,
      event: id,
      excerpt: notes || `${get('event_type')} reported by ${name}`,
      credibility: 3,
    });
  }
  return out;
}
