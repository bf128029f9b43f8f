// UCDP Georeferenced Event Dataset (GED) CSV → import records. Columns (GED codebook): id,
// relid, year, active_year, code_status, type_of_violence, conflict_dset_id, conflict_new_id,
// conflict_name, dyad_dset_id, dyad_new_id, dyad_name, side_a_dset_id, side_a_new_id, side_a,
// side_b_dset_id, side_b_new_id, side_b, number_of_sources, source_article, source_office,
// source_date, source_headline, source_original, where_prec, where_coordinates,
// where_description, adm_1, adm_2, latitude, longitude, geom_wkt, priogrid_gid, country,
// country_id, region, event_clarity, date_prec, date_start, date_end, deaths_a, deaths_b,
// deaths_civilians, deaths_unknown, best, high, low, gwnoa, gwnob.
//
// Each row is one event (dataset "ucdp", externalId id). Its date is date_start..date_end at
// the precision they show (one day; a whole month or year; else the range: UCDP's date_prec
// says the event took place within it); its fatalities UCDP's estimates, best with low and high;
// side_a and side_b its participants (UCDP does not say who started it: both PARTICIPANT, which
// is which stays in datasetFields), "Government of X" being the state X (the UCDP name an alias);
// each source article a source (publisher, date, headline from source_office, source_date,
// source_headline; else the article's text) with a citation of its headline. Coordinates are
// kept only when they are the place's own (where_prec 1–5): for 6 (only the country is known)
// and 7 (international waters or airspace) they would say more than the source. Everything
// else is in the event's datasetFields.
import { alpha3FromName } from '../domain/countries';
import { isValidDate } from '../domain/dateSpan';
import { Cells, headerIndex, type CsvLayout, type RawItem } from './layout';

export const UCDP_DATASET = 'ucdp';

export function isUcdpHeader(header: readonly string[]): boolean {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  return ['id', 'date_start', 'date_end', 'side_a', 'side_b', 'best'].every((c) => h.has(c));
}

const VIOLENCE: Record<string, string> = { '1': 'State-based violence', '2': 'Non-state violence', '3': 'One-sided violence' };

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** date_start..date_end at the precision they show: a day, a whole month or year, else the range. */
function span(start: string, end: string): unknown {
  if (start === end) return start;
  const [ys, ms, ds] = start.split('-').map(Number);
  const [ye, me, de] = end.split('-').map(Number);
  if (ds === 1 && ys === ye && ms === me && de === lastDay(ye, me)) return start.slice(0, 7);
  if (ds === 1 && ms === 1 && ys === ye && me === 12 && de === 31) return start.slice(0, 4);
  return { start, end, precision: 'RANGE', text: `between ${start} and ${end} (UCDP)` };
}

/** "Government of Russia (Soviet Union)" → the state "Russia" (a former name in brackets left out). */
function sideRef(name: string): Record<string, unknown> {
  const m = /^Government of (.+)$/.exec(name);
  if (!m) return { name, actorKind: 'ORGANIZATION' };
  const state = m[1].replace(/\s*\(.*\)$/, '');
  const code = alpha3FromName(m[1]);
  return { name: state, actorKind: 'STATE', ...(code ? { countryCode: code } : {}), aliases: [name] };
}

const MAPPED = new Set([
  'id',
  'date_start',
  'date_end',
  'latitude',
  'longitude',
  'best',
  'low',
  'high',
  'source_article',
  'source_office',
  'source_date',
  'source_headline',
]);

export const UCDP_LAYOUT: CsvLayout = {
  name: 'ucdp',
  expected: 'a UCDP GED header (id, date_start, date_end, side_a, side_b, best, low, high, …)',
  isHeader: isUcdpHeader,
  rowKind: 'event',
  reader(header) {
    const index = headerIndex(header);
    const sources = new Set<string>();
    const extra = header.map((h, i) => [h.trim(), i] as const).filter(([h]) => h !== '' && !MAPPED.has(h.toLowerCase()));
    return (cells, line) => {
      const c = new Cells(header, index, cells);
      const col = (name: string) => c.position([name]);
      const id = c.get('id');
      if (!id) c.fail(col('id'), 'is empty: every GED event has an id');
      const dates = (['date_start', 'date_end'] as const).map((k) => {
        const t = c.get(k).slice(0, 10); // some releases write a time after the date
        return isValidDate(t) ? t : c.fail(col(k), `"${c.get(k)}" is not a date (YYYY-MM-DD)`);
      });
      if (dates[0] && dates[1] && dates[1] < dates[0]) c.fail(col('date_end'), `${dates[1]} is before date_start ${dates[0]}`);
      const deaths = (['low', 'best', 'high'] as const).map((k) => {
        const t = c.get(k);
        if (t === '') return null;
        return /^\d+$/.test(t) ? Number(t) : c.fail(col(k), `"${t}" is not a number of deaths`);
      });
      const [low, best, high] = deaths;
      if (low !== null && best !== null && low > best) c.fail(col('low'), `${low} is above best (${best})`);
      if (high !== null && best !== null && high < best) c.fail(col('high'), `${high} is below best (${best})`);
      const latitude = c.coordinate('latitude', 90);
      const longitude = c.coordinate('longitude', 180);
      const wherePrec = c.get('where_prec');
      if (!['', '1', '2', '3', '4', '5', '6', '7'].includes(wherePrec)) c.fail(col('where_prec'), `"${wherePrec}" is not a UCDP location precision (1–7)`);
      if (c.issues.length > 0) return [{ line, kind: 'event', issues: c.issues }];

      const out: RawItem[] = [];
      const emit = (raw: Record<string, unknown>) => out.push({ line, raw });
      const country = c.get('country');
      const place = [c.get('where_coordinates'), c.get('adm_1'), country].filter(Boolean).join(', ');
      const ownPlace = wherePrec !== '6' && wherePrec !== '7';
      const participants = [c.get('side_a'), c.get('side_b')].filter(Boolean).map((name) => ({ actor: sideRef(name), role: 'PARTICIPANT' }));
      if (participants.length === 2 && (participants[0].actor.name as string).toLowerCase() === (participants[1].actor.name as string).toLowerCase())
        participants.pop();
      emit({
        kind: 'event',
        dataset: UCDP_DATASET,
        externalId: id,
        type: 'OBSERVATION',
        title: `${VIOLENCE[c.get('type_of_violence')] ?? 'Organised violence'}: ${c.get('dyad_name') || participants.map((p) => p.actor.name).join(' – ')}${place ? ` (${place})` : ''}`,
        description:
          [c.get('conflict_name') && `Conflict: ${c.get('conflict_name')}.`, c.get('where_description') && `Where: ${c.get('where_description')}.`]
            .filter(Boolean)
            .join(' ') || null,
        date: span(dates[0]!, dates[1]!),
        location: {
          name: place || null,
          countryCode: alpha3FromName(country),
          latitude: ownPlace ? latitude : null,
          longitude: ownPlace ? longitude : null,
        },
        confidence: 'REPORTED',
        participants,
        ...(best !== null || low !== null || high !== null
          ? { fatalities: best, fatalitiesLow: low, fatalitiesHigh: high, fatalitiesQualifier: 'ESTIMATE' }
          : {}),
        datasetFields: Object.fromEntries(extra.map(([h, i]) => [h, c.at(i)]).filter(([, v]) => v !== '')),
      });
      // Articles: the parallel lists of publishers, dates and headlines when they agree, else each article's text.
      const list = (k: string) =>
        c
          .get(k)
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean);
      const [offices, days, headlines, articles] = [list('source_office'), list('source_date'), list('source_headline'), list('source_article')];
      const parallel = offices.length > 0 && offices.length === days.length && offices.length === headlines.length;
      const entries = parallel
        ? offices.map((office, i) => ({ publisher: office, day: days[i].slice(0, 10), headline: headlines[i] }))
        : articles.map((text) => ({ publisher: text.split(',')[0].trim() || 'unknown', day: '', headline: text }));
      entries.forEach((a, i) => {
        const sourceId = `article:${a.publisher}|${a.day}|${a.headline}`;
        if (!sources.has(sourceId)) {
          sources.add(sourceId);
          emit({
            kind: 'source',
            dataset: UCDP_DATASET,
            externalId: sourceId,
            publisher: a.publisher,
            title: a.headline || `${a.publisher}, ${a.day}`,
            ...(isValidDate(a.day) ? { published: a.day } : {}),
          });
        }
        emit({
          kind: 'citation',
          dataset: UCDP_DATASET,
          externalId: `${id}:${i + 1}`,
          source: sourceId,
          event: id,
          excerpt: a.headline || a.publisher,
          credibility: 3,
        });
      });
      return out;
    };
  },
};
