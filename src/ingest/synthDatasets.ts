// Synthetic files in the real datasets' export layouts, for the import benchmark: ACLED's CSV
// export, SIPRI's trade register (title and preamble lines, the '?' columns, windows-1252 as the
// site writes it) and UCDP GED's CSV. Deterministic for a seed; distributions are rough
// imitations of the real files (a few hundred actors, most events with one or two sources, most
// dates to the day), enough to exercise every path of the readers at size.
import { stringify } from 'csv-stringify/sync';
import { prng } from './synth';

export type DatasetLayout = 'acled' | 'sipri' | 'ucdp';
export const DATASET_LAYOUTS: readonly DatasetLayout[] = ['acled', 'sipri', 'ucdp'];

export interface DatasetSynthOptions {
  rows: number;
  seed: number;
  /** ACLED: inter codes as numbers (exports before 2023) or words (newer ones). */
  interWords?: boolean;
}

/** Countries: ACLED's name, ISO 3166 numeric, UCDP's name. */
const COUNTRIES: [string, number, string][] = [
  ['Ukraine', 804, 'Ukraine'],
  ['Russia', 643, 'Russia (Soviet Union)'],
  ['Syria', 760, 'Syria'],
  ['Sudan', 729, 'Sudan'],
  ['Myanmar', 104, 'Myanmar (Burma)'],
  ['Democratic Republic of Congo', 180, 'DR Congo (Zaire)'],
  ['Yemen', 887, 'Yemen (North Yemen)'],
  ['Mali', 466, 'Mali'],
  ['Afghanistan', 4, 'Afghanistan'],
  ['Iraq', 368, 'Iraq'],
  ['Nigeria', 566, 'Nigeria'],
  ['Somalia', 706, 'Somalia'],
  ['Burkina Faso', 854, 'Burkina Faso'],
  ['Ethiopia', 231, 'Ethiopia'],
  ['Colombia', 170, 'Colombia'],
  ['Pakistan', 586, 'Pakistan'],
];
const REGIONS = ['Europe', 'Middle East', 'Eastern Africa', 'Western Africa', 'Southeast Asia', 'South Asia', 'Middle Africa', 'South America'];
const WORDS = ['Northern', 'Southern', 'Eastern', 'Western', 'United', 'Popular', 'Free', 'Patriotic', 'Revolutionary', 'Islamic', 'Democratic', 'National'];
const NOUNS = ['Liberation Front', 'Militia', 'Defence Forces', 'Resistance', 'Brigade', 'Movement', 'Army', 'Self-Defence Group'];
const PLACES = [
  'Kupiansk',
  'Bakhmut',
  'Kharkiv',
  'Avdiivka',
  'Khartoum',
  'El Fasher',
  'Gao',
  'Mopti',
  'Aleppo',
  'Idlib',
  'Mosul',
  'Kabul',
  'Sittwe',
  'Goma',
  'Marib',
  'Mogadishu',
  'Maiduguri',
  'Cúcuta',
  'Peshawar',
  'Mekelle',
  'Ouahigouya',
];
const PUBLISHERS = [
  'Ukrinform',
  'Kyiv Independent',
  'Reuters',
  'Agence France Presse',
  'BBC Monitoring',
  'Al Jazeera',
  'Xinhua',
  'Ukrainska Pravda',
  'Sudan Tribune',
  'Radio Dabanga',
  'Le Monde',
  'Deutsche Welle',
];
const PREC_YEARS = [1991, 1996, 2000, 2004, 2011, 2014, 2019, 2021];
const INTER_WORDS = ['', 'State forces', 'Rebel group', 'Political militia', 'Identity militia', 'Rioters', 'Protesters', 'Civilians', 'External/Other forces'];

const pad = (n: number) => String(n).padStart(2, '0');

function picker(seed: number) {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(a: readonly T[]) => a[int(a.length)];
  return { r, int, pick };
}

function day(int: (n: number) => number, from = 2018, years = 7): string {
  const y = from + int(years);
  const m = 1 + int(12);
  return `${y}-${pad(m)}-${pad(1 + int(28))}`;
}

// ------------------------------------------------------------------------ ACLED

const ACLED_HEADER = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
];
const ACLED_TYPES: [string, string, string][] = [
  ['Political violence', 'Battles', 'Armed clash'],
  ['Political violence', 'Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['Political violence', 'Explosions/Remote violence', 'Air/drone strike'],
  ['Political violence', 'Violence against civilians', 'Attack'],
  ['Demonstrations', 'Protests', 'Peaceful protest'],
  ['Demonstrations', 'Riots', 'Violent demonstration'],
  ['Strategic developments', 'Strategic developments', 'Agreement'],
  ['Strategic developments', 'Strategic developments', 'Looting/property destruction'],
];

/** Actors of one country, with their inter code: a few hundred over the countries, as in a real regional export. */
function acledActors(country: string, int: (n: number) => number, pick: <T>(a: readonly T[]) => T): [string, number][] {
  const since = pick(PREC_YEARS);
  const actors: [string, number][] = [
    [`Military Forces of ${country} (${since}-)`, 1],
    [`Police Forces of ${country} (${since}-)`, 1],
    [`Government of ${country} (${since}-)`, 1],
    [`Military Forces of ${country} (${pick(PREC_YEARS.filter((y) => y < since)) ?? 1991}-${since})`, 1],
    [`Civilians (${country})`, 7],
    [`Protesters (${country})`, 6],
    [`Rioters (${country})`, 5],
    [`Unidentified Armed Group (${country})`, 3],
  ];
  for (let i = 0, n = 8 + int(12); i < n; i += 1) actors.push([`${pick(WORDS)} ${pick(NOUNS)} (${country})`, 2 + int(3)]);
  return actors;
}

/** An ACLED CSV export of `rows` events (header included), as text. */
export function acledCsv(o: DatasetSynthOptions): string {
  const { r, int, pick } = picker(o.seed);
  const pools = COUNTRIES.map(([name]) => acledActors(name, int, pick));
  const sources = [...PUBLISHERS];
  for (let i = sources.length; i < 170; i += 1) sources.push(`${pick(WORDS)} ${pick(['News', 'Telegraph', 'Herald', 'Observer', 'Post', 'Radio', 'TV'])} ${i}`);
  const inter = (code: number) => (o.interWords ? INTER_WORDS[code] : String(code));
  const lines: string[][] = [ACLED_HEADER];
  for (let i = 0; i < o.rows; i += 1) {
    // Two countries in three events: the busiest conflicts dominate real exports.
    const c = r() < 0.66 ? int(3) : int(COUNTRIES.length);
    const [country, iso] = COUNTRIES[c];
    const pool = pools[c];
    const [disorder, type, sub] = pick(ACLED_TYPES);
    const a1 = pool[int(pool.length)];
    // Russia's forces abroad: an external force (inter 8) in Ukraine's events.
    const abroad = c === 0 && r() < 0.4;
    const actor1: [string, number] = abroad ? [pools[1][0][0], 8] : a1;
    const a2 = r() < 0.7 ? pool[int(pool.length)] : null;
    const actor2 = a2 && a2[0] !== actor1[0] ? a2 : null;
    const assoc = (n: number) =>
      r() < 0.15
        ? Array.from({ length: 1 + int(n) }, () => pool[int(pool.length)][0])
            .filter((x) => x !== actor1[0])
            .join('; ')
        : '';
    const date = day(int);
    const precision = r() < 0.85 ? 1 : r() < 0.66 ? 2 : 3;
    const place = pick(PLACES);
    const n = r() < 0.67 ? 1 : 2;
    const cited = new Set<string>();
    while (cited.size < n) cited.add(sources[int(sources.length)]);
    const fatalities = r() < 0.7 ? 0 : 1 + int(r() < 0.9 ? 20 : 300);
    lines.push([
      `${country.slice(0, 3).toUpperCase()}${100000 + i}`,
      date,
      date.slice(0, 4),
      String(precision),
      disorder,
      type,
      sub,
      actor1[0],
      assoc(2),
      inter(actor1[1]),
      actor2?.[0] ?? '',
      actor2 ? assoc(1) : '',
      actor2 ? inter(actor2[1]) : '',
      String(actor1[1] * 10 + (actor2?.[1] ?? 0)),
      r() < 0.1 ? 'Civilian targeting' : '',
      String(iso),
      pick(REGIONS),
      country,
      `${place} Oblast`,
      r() < 0.6 ? `${place}skyi` : '',
      '',
      place,
      (45 + r() * 10).toFixed(4),
      (30 + r() * 10).toFixed(4),
      String(1 + int(3)),
      [...cited].join('; '),
      pick(['National', 'International', 'Subnational', 'Other-National']),
      `On ${date}, ${actor1[0]} ${sub.toLowerCase()} near ${place}${actor2 ? ` against ${actor2[0]}` : ''}. ${fatalities ? `${fatalities} reported killed.` : 'No casualties reported.'} « ${pick(WORDS)} » – ${i}.`,
      String(fatalities),
      r() < 0.05 ? 'crowd size=no report' : '',
      String(1_690_000_000 + i),
    ]);
  }
  return stringify(lines);
}

// ------------------------------------------------------------------------ SIPRI

const SIPRI_STATES = [
  'Russia',
  'United States',
  'France',
  'Germany',
  'China',
  'North Korea',
  'Iran',
  'Türkiye',
  'Israel',
  'India',
  'Ukraine',
  'Poland',
  "Côte d'Ivoire",
  'Belarus',
  'Egypt',
  'Saudi Arabia',
  'Algeria',
  'Viet Nam',
  'Brazil',
  'South Korea',
  'Czechia',
  'United Kingdom',
  'Italy',
  'Spain',
];
const SIPRI_NON_STATE = ['African Union**', 'NATO**', 'Houthi rebels (Yemen)*', 'Hezbollah (Lebanon)*'];
/** Weapon designations with SIPRI's descriptions, as in the register. */
const SIPRI_WEAPONS: [string, string][] = [
  ['Su-35', 'FGA aircraft'],
  ['Mi-28N', 'combat helicopter'],
  ['Orlan-10', 'UAV'],
  ['Bayraktar TB2', 'armed UAV'],
  ['Shahed-136', 'loitering munition'],
  ['Lancet', 'loitering munition'],
  ['S-400', 'SAM system'],
  ['9M96', 'SAM'],
  ['Igla-S', 'portable SAM'],
  ['Kornet', 'anti-tank missile'],
  ['KN-23', 'SRBM'],
  ['Kh-101', 'land-attack missile'],
  ['T-90S', 'tank'],
  ['BMP-3', 'IFV'],
  ['BTR-82A', 'APC'],
  ['2S19 Msta-S', 'self-propelled gun'],
  ['M-1991', 'self-propelled MRL'],
  ['D-30 122mm', 'towed gun'],
  ['AL-31', 'turbofan'],
  ['Podsolnukh', 'air search radar'],
  ['MGK-400', 'ASW sonar'],
  ['Project-22160', 'patrol ship'],
  ['Kilo', 'submarine'],
  ['AK-176', 'naval gun'],
  ['Kanopus-V', 'reconnaissance satellite'],
  ['RBU-6000', 'ASW MRL'],
  ['Krasukha-4', 'EW system'],
  ['BMPT turret', 'vehicle turret'],
];

/** A SIPRI trade register as the site exports it: title lines, then the header, in windows-1252. */
export function sipriCsv(o: DatasetSynthOptions): Buffer {
  const { r, int, pick } = picker(o.seed);
  const preamble = [
    "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range 'Not specified' to 'Not specified' ",
    "A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of deliveries' refer only to deliveries in the selected year(s).",
    "An empty field for 'Number ordered' indicates that data is not yet available.",
    'SIPRI trend-indicator values (TIVs) are in millions.',
    "A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is between 0 and 0.5 million SIPRI TIV; and an empty field indicates that no deliveries have been identified.",
    'Figures may not add up to stated totals due to the conventions of rounding.',
    '',
    'Source: SIPRI Arms Transfers Database (c) SIPRI.',
    'Data generated: 28 Sep 2026 9:10:31 AM',
  ];
  const header = [
    'Recipient',
    'Supplier',
    'Year of order',
    ' ',
    'Number ordered',
    ' ',
    'Weapon designation',
    'Weapon description',
    'Number delivered',
    ' ',
    'Year(s) of delivery',
    'status',
    'Comments',
    'SIPRI TIV per unit',
    'SIPRI TIV for total order',
    'SIPRI TIV of delivered weapons',
  ];
  const rows: string[][] = [header];
  for (let i = 0; i < o.rows; i += 1) {
    const supplier = pick(SIPRI_STATES);
    let recipient = r() < 0.05 ? pick(SIPRI_NON_STATE) : pick(SIPRI_STATES);
    if (recipient === supplier) recipient = SIPRI_STATES[(SIPRI_STATES.indexOf(supplier) + 1) % SIPRI_STATES.length];
    const [designation, description] = pick(SIPRI_WEAPONS);
    const order = 1950 + int(75);
    const ordered = 1 + int(r() < 0.8 ? 50 : 2000);
    const deliveredAll = r() < 0.8;
    const delivered = deliveredAll ? ordered : r() < 0.5 ? int(ordered) : null;
    const first = order + int(3);
    const last = Math.min(2025, first + int(4));
    const years = delivered ? Array.from({ length: last - first + 1 }, (_, k) => first + k).join('; ') : '';
    const perUnit = Math.round(r() * 5000) / 100;
    const uncertain = () => (r() < 0.15 ? '?' : '');
    rows.push([
      recipient,
      supplier,
      String(order),
      uncertain(),
      r() < 0.05 ? '' : String(ordered),
      uncertain(),
      designation,
      description,
      delivered === null ? '' : String(delivered),
      delivered === null ? '' : uncertain(),
      years,
      pick(['New', 'New', 'New', 'Second hand', 'Second hand but modernized']),
      r() < 0.3 ? `Deal ${i}; "for use by the army"; ${pick(WORDS)}` : '',
      String(perUnit),
      String(Math.round(perUnit * ordered * 100) / 100),
      delivered === null ? '' : String(Math.round(perUnit * delivered)),
    ]);
  }
  return Buffer.from(`${preamble.join('\r\n')}\r\n${stringify(rows, { record_delimiter: 'windows' })}`, 'latin1');
}

// ------------------------------------------------------------------------ UCDP GED

export const UCDP_GED_HEADER = [
  'id',
  'relid',
  'year',
  'active_year',
  'code_status',
  'type_of_violence',
  'conflict_dset_id',
  'conflict_new_id',
  'conflict_name',
  'dyad_dset_id',
  'dyad_new_id',
  'dyad_name',
  'side_a_dset_id',
  'side_a_new_id',
  'side_a',
  'side_b_dset_id',
  'side_b_new_id',
  'side_b',
  'number_of_sources',
  'source_article',
  'source_office',
  'source_date',
  'source_headline',
  'source_original',
  'where_prec',
  'where_coordinates',
  'where_description',
  'adm_1',
  'adm_2',
  'latitude',
  'longitude',
  'geom_wkt',
  'priogrid_gid',
  'country',
  'country_id',
  'region',
  'event_clarity',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_a',
  'deaths_b',
  'deaths_civilians',
  'deaths_unknown',
  'best',
  'high',
  'low',
  'gwnoa',
  'gwnob',
];

/** A UCDP GED CSV of `rows` events (header included), as text. */
export function ucdpCsv(o: DatasetSynthOptions): string {
  const { r, int, pick } = picker(o.seed);
  const lines: string[][] = [UCDP_GED_HEADER];
  for (let i = 0; i < o.rows; i += 1) {
    const c = r() < 0.6 ? int(3) : int(COUNTRIES.length);
    const [, , country] = COUNTRIES[c];
    const type = 1 + int(3);
    const sideA = type === 2 ? `${pick(WORDS)} ${pick(NOUNS)}` : `Government of ${country}`;
    const sideB = type === 3 ? 'Civilians' : `${pick(WORDS)} ${pick(NOUNS)}`;
    const start = day(int, 1989, 36);
    const prec = r() < 0.7 ? 1 : 2 + int(4);
    const end = prec === 1 ? start : prec === 4 ? `${start.slice(0, 8)}28` : `${start.slice(0, 8)}${pad(Math.min(28, Number(start.slice(8)) + 1 + int(5)))}`;
    const low = int(20);
    const best = low + int(10);
    const high = best + int(30);
    const n = 1 + int(3);
    const offices = Array.from({ length: n }, () => pick(PUBLISHERS));
    const dates = offices.map(() => start);
    const headlines = offices.map((_, k) => `Clashes near ${pick(PLACES)} leave ${best} dead (${i}.${k})`);
    const place = pick(PLACES);
    const wherePrec = 1 + int(7);
    lines.push([
      String(100000 + i),
      `${country.slice(0, 3).toUpperCase()}-${start.slice(0, 4)}-1-${i}`,
      start.slice(0, 4),
      'true',
      'Clear',
      String(type),
      String(200 + c),
      String(200 + c),
      `${country}: Government`,
      String(500 + c),
      String(500 + c),
      `${sideA} - ${sideB}`,
      String(100 + c),
      String(100 + c),
      sideA,
      String(1000 + c),
      String(1000 + c),
      sideB,
      String(n),
      offices.map((x, k) => `${x},${dates[k]},"${headlines[k]}"`).join(';'),
      offices.join(';'),
      dates.join(';'),
      headlines.join(';'),
      '',
      String(wherePrec),
      `${place} town`,
      `near ${place}`,
      `${place} province`,
      '',
      (30 + r() * 20).toFixed(4),
      (30 + r() * 20).toFixed(4),
      'POINT (0 0)',
      String(150000 + int(1000)),
      country,
      String(365 + c),
      pick(REGIONS),
      String(1 + int(2)),
      String(prec),
      start,
      end,
      String(int(best + 1)),
      '0',
      '0',
      '0',
      String(best),
      String(high),
      String(low),
      String(365 + c),
      '',
    ]);
  }
  return stringify(lines);
}

/** One synthetic file in `layout`, as bytes ready to write. */
export function datasetFile(layout: DatasetLayout, o: DatasetSynthOptions): Buffer {
  if (layout === 'sipri') return sipriCsv(o);
  return Buffer.from(layout === 'acled' ? acledCsv(o) : ucdpCsv(o), 'utf8');
}
