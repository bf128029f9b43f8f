// Country codes: the ISO 3166-1 alpha-3 codes the schema stores, from what datasets give —
// ISO 3166 numeric codes (ACLED's `iso`) and English country names (actors' names, UCDP's
// `country`). The codes and names are i18n-iso-countries' (kept up to date with ISO's changes),
// not a table of our own.
// The library's entry without its eighty languages' names (the Node entry loads them all): English only.
import countries from 'i18n-iso-countries/index';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);

/** ISO 3166 numeric ("643", "4", 804) → alpha-3 ("RUS", "AFG", "UKR"); null when not a country code. */
export function alpha3FromNumeric(code: string | number | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const s = String(code).trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  return countries.numericToAlpha3(s.padStart(3, '0')) ?? null;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Every English name and alias of every country, folded (case, accents, punctuation) → alpha-3. */
let byName: Map<string, string> | undefined;
function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const [alpha2, list] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    const alpha3 = countries.alpha2ToAlpha3(alpha2);
    if (alpha3) for (const name of list) byName.set(fold(name), alpha3);
  }
  return byName;
}

/**
 * The datasets' spellings of country names that i18n-iso-countries does not list (ACLED's,
 * SIPRI's and UCDP's "Syria", "Laos", "DR Congo" …): a supplement of names, never of codes.
 * Former states (the Soviet Union, Yugoslavia, East Germany) have no ISO 3166-1 code: null.
 */
const SPELLINGS: Record<string, string> = {
  syria: 'SYR',
  laos: 'LAO',
  moldova: 'MDA',
  brunei: 'BRN',
  micronesia: 'FSM',
  'viet nam': 'VNM',
  'dr congo': 'COD',
  'democratic republic of congo': 'COD',
  'republic of congo': 'COG',
  'east timor': 'TLS',
  'vatican city': 'VAT',
  'bosnia herzegovina': 'BIH',
  'kingdom of eswatini': 'SWZ',
  macedonia: 'MKD',
  burma: 'MMR',
};

/**
 * An English country name → alpha-3, or null when the library knows no such name: "Russia",
 * "Türkiye" and "Turkey", "Syrian Arab Republic"; a name with a former name in brackets, as
 * UCDP writes them ("Russia (Soviet Union)"), by the part before the bracket; the datasets'
 * own spellings above. Where a file gives a name beside its numeric code (ACLED), the reader
 * learns the name from it.
 */
export function alpha3FromName(name: string | null | undefined): string | null {
  if (!name) return null;
  const t = name.trim();
  const direct = countries.getAlpha3Code(t, 'en') ?? names().get(fold(t)) ?? SPELLINGS[fold(t)];
  if (direct) return direct;
  const bracket = /^(.+?)\s*\(.*\)$/.exec(t);
  return bracket ? alpha3FromName(bracket[1]) : null;
}

/** Whether `code` is an ISO 3166-1 alpha-3 code the library knows. */
export function isAlpha3(code: string): boolean {
  return countries.isValid(code) && code.length === 3;
}
