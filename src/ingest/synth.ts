// Synthetic data in the import format, for benchmarks and load tests. Deterministic for a seed
// (its own PRNG, no Math.random). Realistic in the ways that matter for the queries: actor
// activity is skewed (a handful of actors take part in most events), spans come in every
// precision, shipments run over several months, in several units, some with unknown
// quantities; records refer to actors mostly by external id, sometimes by name or alias.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface SynthOptions {
  events: number;
  shipments: number;
  actors: number;
  seed: number;
  /** Default: events / 100 + 10. */
  sources?: number;
  /** Default: actors / 10. */
  affiliations?: number;
  dataset?: string;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['var', 'kor', 'ost', 'lin', 'dra', 'mel', 'tan', 'bre', 'sol', 'vik', 'nor', 'zan', 'pel', 'gor', 'ami', 'rus', 'tel', 'qua'];
const ACCENTED = ['é', 'ö', 'ñ', 'ç', 'å'];
const ORG_WORDS = ['Brigade', 'Ministry of Defence', 'Arms Export Agency', 'Logistics Command', 'Industries', 'Shipping Company', 'Front', 'Militia'];
const EVENT_TYPES = ['MEETING', 'VISIT', 'STATEMENT', 'ACCUSATION', 'SANCTION', 'TRANSFER_REPORT', 'OBSERVATION', 'BATTLEFIELD_FINDING', 'AGREEMENT', 'OTHER'];
const CONFIDENCE = ['CONFIRMED', 'REPORTED', 'REPORTED', 'ALLEGED', 'ASSESSED'];
const CATEGORIES = ['ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION', 'MISSILES', 'SMALL_ARMS', 'VEHICLES', 'MILITARY_EQUIPMENT', 'FOOD', 'FUEL', 'OTHER'];
const UNITS: Record<string, string[]> = {
  ARTILLERY_AMMUNITION: ['shells', 'rounds', 'containers'],
  MLRS_AMMUNITION: ['rockets', 'containers'],
  MISSILES: ['missiles', 'launchers'],
  SMALL_ARMS: ['rifles', 'rounds'],
  VEHICLES: ['vehicles', 'tanks'],
  MILITARY_EQUIPMENT: ['containers', 'tonnes'],
  FOOD: ['tonnes'],
  FUEL: ['tonnes', 'barrels'],
  OTHER: ['units'],
};
const STATUSES = ['PLANNED', 'REPORTED', 'REPORTED', 'CONFIRMED', 'DENIED'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) => (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1]);

export function* synthRecords(o: SynthOptions): Generator<Record<string, unknown>> {
  const r = prng(o.seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(a: readonly T[]) => a[int(a.length)];
  const dataset = o.dataset ?? 'synth';
  const sources = o.sources ?? Math.floor(o.events / 100) + 10;
  const affiliations = o.affiliations ?? Math.floor(o.actors / 10);
  const actors = Math.max(2, o.actors);
  const names: string[] = [];

  // Skewed activity: 60% of picks from the 20 busiest actors, the rest power-law over all.
  const hot = Math.min(20, actors);
  const actorIndex = () => (r() < 0.6 ? int(hot) : Math.floor(actors * Math.pow(r(), 3)));
  const actorRef = (i: number) => (r() < 0.1 ? names[i] : { externalId: `a${i}` });

  const word = () => {
    let w = '';
    for (let k = 0, n = 2 + int(2); k < n; k += 1) w += pick(SYLLABLES);
    if (r() < 0.1) w = w.slice(0, 2) + pick(ACCENTED) + w.slice(3);
    return w[0].toUpperCase() + w.slice(1);
  };

  // Another dataset's actors are named apart (names and aliases are unique across datasets), so
  // that its file imports beside the default one (npm run bench:import -- --into).
  const tag = dataset === 'synth' ? '' : ` (${dataset})`;
  for (let i = 0; i < actors; i += 1) {
    const kind = i < hot ? 'STATE' : pick(['STATE', 'ORGANIZATION', 'PERSON', 'MILITARY_UNIT', 'COMPANY']);
    // The index keeps names (and so aliases) unique, which the database requires.
    const base = word();
    const name = (kind === 'STATE' || kind === 'PERSON' ? `${base} ${i.toString(36)}` : `${base} ${pick(ORG_WORDS)} ${i.toString(36)}`) + tag;
    names.push(name);
    const cc = String.fromCharCode(65 + int(26), 65 + int(26), 65 + int(26));
    yield {
      kind: 'actor',
      dataset,
      externalId: `a${i}`,
      name,
      actorKind: kind,
      ...(kind === 'STATE' || r() < 0.5 ? { countryCode: cc } : {}),
      ...(r() < 0.3 ? { aliases: [`${base.slice(0, 3).toUpperCase()}-${i.toString(36)}${tag}`] } : {}),
      ...(r() < 0.2 ? { description: `Synthetic ${kind.toLowerCase()} number ${i}` } : {}),
    };
  }
  for (let i = 0; i < sources; i += 1) {
    yield {
      kind: 'source',
      dataset,
      externalId: `s${i}`,
      publisher: `${word()} News`,
      title: `Report ${i}`,
      ...(r() < 0.7 ? { url: `https://news.example/${i}` } : {}),
      ...(r() < 0.8 ? { publishedAt: `20${pad(15 + int(10))}-${pad(1 + int(12))}-${pad(1 + int(28))}` } : {}),
      reliability: pick(['A', 'B', 'C', 'D', 'E', 'F']),
    };
  }

  /** A span of any precision between 2015 and 2024, as EDTF or as an object. */
  const span = (): unknown => {
    const y = 2015 + int(10);
    const m = 1 + int(12);
    const d = 1 + int(daysIn(y, m));
    const p = r();
    if (p < 0.4) return `${y}-${pad(m)}-${pad(d)}`;
    if (p < 0.6) return `${y}-${pad(m)}`;
    if (p < 0.7) return { start: `${y}-${pad(m - ((m - 1) % 3))}-01`, precision: 'QUARTER', text: `Q${Math.floor((m - 1) / 3) + 1} ${y}` };
    if (p < 0.75) return `${y}`;
    if (p < 0.8) return `${y}-${pad(m)}-${pad(d)}~`;
    const m2 = Math.min(12, m + int(3));
    const d2 = m2 === m ? d + int(daysIn(y, m) - d + 1) : 1 + int(daysIn(y, m2));
    return { start: `${y}-${pad(m)}-${pad(d)}`, end: `${y}-${pad(m2)}-${pad(d2)}`, precision: 'RANGE', text: 'between the two dates' };
  };

  for (let i = 0; i < affiliations; i += 1) {
    const a = hot + int(actors - hot || 1);
    const t = int(hot);
    if (a === t || a >= actors) continue;
    yield {
      kind: 'affiliation',
      dataset,
      externalId: `f${i}`,
      actor: { externalId: `a${a}` },
      target: { externalId: `a${t}` },
      role: pick(['OFFICIAL_OF', 'MEMBER_OF', 'PART_OF', 'CITIZEN_OF', 'HEAD_OF']),
      ...(r() < 0.6 ? { span: span() } : {}),
      confidence: pick(CONFIDENCE),
    };
  }

  let citation = 0;
  for (let i = 0; i < o.events; i += 1) {
    const n = 1 + int(3);
    const seen = new Set<number>();
    const participants: unknown[] = [];
    for (let k = 0; k < n; k += 1) {
      const a = actorIndex();
      if (seen.has(a)) continue;
      seen.add(a);
      participants.push({ actor: actorRef(a), role: k === 0 ? 'INITIATOR' : pick(['TARGET', 'PARTICIPANT', 'SUBJECT', 'SPEAKER']) });
    }
    const type = pick(EVENT_TYPES);
    yield {
      kind: 'event',
      dataset,
      externalId: `e${i}`,
      type,
      title: `${type.toLowerCase().replace('_', ' ')} ${i} involving ${names[[...seen][0]]}`,
      ...(r() < 0.3 ? { description: `Synthetic event ${i}: ${pick(SYLLABLES)} ${pick(SYLLABLES)} operations.` } : {}),
      date: span(),
      ...(r() < 0.4
        ? { location: { name: `${word()} City`, latitude: Math.round((r() * 140 - 70) * 1e4) / 1e4, longitude: Math.round((r() * 340 - 170) * 1e4) / 1e4 } }
        : {}),
      confidence: pick(CONFIDENCE),
      participants,
    };
    if (r() < 0.3) {
      yield {
        kind: 'citation',
        dataset,
        externalId: `c${citation++}`,
        source: `s${int(sources)}`,
        event: `e${i}`,
        excerpt: `Excerpt about event ${i}.`,
        credibility: 1 + int(6),
      };
    }
  }
  for (let i = 0; i < o.shipments; i += 1) {
    const s = actorIndex();
    let t = actorIndex();
    if (t === s) t = (s + 1) % actors;
    const category = pick(CATEGORIES);
    const y = 2015 + int(9);
    const m = 1 + int(12);
    // Multi-month deliveries: 1 to 18 months.
    const months = 1 + int(18);
    const endMonth = m + months - 1;
    const ey = y + Math.floor((endMonth - 1) / 12);
    const em = ((endMonth - 1) % 12) + 1;
    const delivery =
      months === 1 && r() < 0.5
        ? `${y}-${pad(m)}`
        : { start: `${y}-${pad(m)}-01`, end: `${ey}-${pad(em)}-${daysIn(ey, em)}`, precision: 'RANGE', text: `over ${months} months` };
    const known = r() < 0.8;
    yield {
      kind: 'shipment',
      dataset,
      externalId: `h${i}`,
      supplier: actorRef(s),
      recipient: actorRef(t),
      category,
      ...(known ? { quantity: 1 + int(r() < 0.9 ? 1000 : 100000), unit: pick(UNITS[category]) } : {}),
      delivery,
      status: pick(STATUSES),
      confidence: pick(CONFIDENCE),
      ...(o.events > 0 && r() < 0.2 ? { events: [`e${int(o.events)}`] } : {}),
    };
    if (r() < 0.5) {
      yield {
        kind: 'citation',
        dataset,
        externalId: `c${citation++}`,
        source: `s${int(sources)}`,
        shipment: `h${i}`,
        excerpt: `Excerpt about shipment ${i}.`,
        credibility: 1 + int(6),
      };
    }
  }
}

/**
 * Writes the records as NDJSON to `out`, in 64 KiB chunks (not a write per line),
 * and resolves with how many were written once `out` has finished.
 */
export async function writeSynthNdjson(o: SynthOptions, out: Writable): Promise<number> {
  let n = 0;
  await pipeline(
    Readable.from(
      (function* () {
        let buf = '';
        for (const record of synthRecords(o)) {
          n += 1;
          buf += `${JSON.stringify(record)}\n`;
          if (buf.length > 1 << 16) {
            yield buf;
            buf = '';
          }
        }
        if (buf) yield buf;
      })(),
    ),
    out,
  );
  return n;
}
