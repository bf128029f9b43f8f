// The seed holds no more than its article (seed/article.txt): every span rests on a verbatim
// quote and is no more precise than it, every excerpt and every quotation in a description is
// the article's own text, every hedge in the article is a claim with the band its words carry
// (or none), and a likelihood appears only where a hedge gives one. Pure: no database.
import fs from 'node:fs';
import path from 'node:path';
import {
  actors,
  affiliations,
  claims,
  events,
  HEDGE_MARKERS,
  HEDGES,
  PUBLICATION_WINDOW,
  shipments,
  sources,
  type SeedCitation,
  type SeedDateSpan,
} from '../../seed/article';
import { parseEdtf, spanEdtf } from '../../src/domain/dateSpan';

const ARTICLE = fs.readFileSync(path.resolve(__dirname, '../../seed/article.txt'), 'utf8');
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December)';
const HAS_DAY = new RegExp(`${MONTH},? \\d{1,2}\\b|\\b\\d{1,2} ${MONTH}`);
const HAS_MONTH = new RegExp(MONTH);
const MONTH_NAMES = MONTH.slice(1, -1).split('|');

/** Every span of the seed, named by where it is. */
function spans(): [string, SeedDateSpan][] {
  const out: [string, SeedDateSpan][] = [];
  for (const [slug, s] of Object.entries(sources)) if (s.published) out.push([`source ${slug}`, s.published]);
  for (const [slug, a] of Object.entries(affiliations)) if (a.span) out.push([`affiliation ${slug}`, a.span as SeedDateSpan]);
  for (const [slug, e] of Object.entries(events)) out.push([`event ${slug}`, e.span]);
  for (const [slug, s] of Object.entries(shipments)) out.push([`shipment ${slug}`, s.delivery]);
  return out;
}

function citations(): [string, SeedCitation][] {
  const out: [string, SeedCitation][] = [];
  for (const [kind, records] of [
    ['affiliation', affiliations],
    ['event', events],
    ['shipment', shipments],
  ] as const) {
    for (const [slug, r] of Object.entries(records as Record<string, { citations: readonly SeedCitation[] }>)) {
      r.citations.forEach((c, i) => out.push([`${kind} ${slug} citation ${i}`, c]));
    }
  }
  return out;
}

/** Start offsets of every occurrence of `needle` in `text`, case-insensitively. */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  const hay = text.toLowerCase();
  for (let i = hay.indexOf(needle.toLowerCase()); i >= 0; i = hay.indexOf(needle.toLowerCase(), i + 1)) out.push(i);
  return out;
}

describe('spans', () => {
  it.each(spans())('%s rests on a verbatim quote that its text repeats', (_where, span) => {
    expect(span.quote.length).toBeGreaterThan(0);
    expect(ARTICLE).toContain(span.quote);
    expect(span.text).toContain(span.quote);
  });

  it.each(spans())('%s is no more precise than its quote', (_where, span) => {
    // A day only where the quote names one; a month only where it names a month.
    if (span.precision === 'DAY') expect(span.quote).toMatch(HAS_DAY);
    if (span.precision === 'MONTH') expect(span.quote).toMatch(HAS_MONTH);
    // Every day in the EDTF is named by the quote, or by the text as a written assumption.
    for (const day of span.edtf.match(/\d{4}-\d{2}-\d{2}/g) ?? []) {
      const [, month, date] = day.split('-').map(Number);
      const named = `${MONTH_NAMES[month - 1]} ${date}`;
      expect([day, span.quote.includes(named) || span.text.includes(named) || span.text.includes(day)]).toEqual([day, true]);
    }
    // The stored bounds are the EDTF's own, and the EDTF is canonical.
    const parsed = parseEdtf(span.edtf);
    expect({ start: span.start, end: span.end, precision: span.precision }).toEqual({ start: parsed.start, end: parsed.end, precision: parsed.precision });
    expect(spanEdtf(parsed)).toBe(span.edtf);
  });

  it('undated statements are bounded by the publication window, not placed by their position in the text', () => {
    for (const slug of [
      'kirby-talks-actively-progressing',
      'musienko-russia-turns-to-dprk-and-iran',
      'kraiev-weapons-for-food',
      'hrytsenko-espreso-tv-statement',
    ] as const) {
      expect([slug, events[slug].span.edtf]).toEqual([slug, `/${PUBLICATION_WINDOW.end}`]);
    }
    expect(sources['seed-article'].published.edtf).toBe(`${PUBLICATION_WINDOW.start}/${PUBLICATION_WINDOW.end}`);
  });

  it('an unknown end stays unknown: the food deliveries have no invented end', () => {
    expect(shipments['russia-dprk-food'].delivery.edtf).toBe('2023-09-11/');
  });
});

describe('text', () => {
  it.each(citations())('%s is verbatim', (_where, c) => {
    expect(ARTICLE).toContain(c.excerpt);
  });

  it("every quotation in a description or an actor name is the article's own words", () => {
    const texts = [
      ...Object.values(actors).flatMap((a) => [a.name, a.description ?? '']),
      ...Object.values(events).map((e) => e.description ?? ''),
      ...Object.values(shipments).map((s) => s.description ?? ''),
    ];
    const quoted = texts.flatMap((t) => [...t.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
    expect(quoted.length).toBeGreaterThan(5);
    for (const q of quoted) expect(ARTICLE).toContain(q);
  });

  it('no description claims an origin, a route or coordinates the article does not give', () => {
    const all = JSON.stringify({ events, shipments, actors });
    expect(all).not.toMatch(/Soviet-origin|of Soviet origin|Tumen|Khasan|think tank|television channel/i);
    for (const s of Object.values(shipments)) expect(s.route).toBeNull();
    for (const e of Object.values(events)) expect([e.location?.latitude ?? null, e.location?.longitude ?? null]).toEqual([null, null]);
  });
});

describe('hedges and claims', () => {
  it("every hedge is the article's words and is recorded by its claim, with its band or none", () => {
    for (const h of HEDGES) {
      expect(ARTICLE).toContain(h.words);
      const claim = claims[h.claim];
      expect([h.claim, claim.likelihood]).toEqual([h.claim, h.band]);
      // The claim's excerpt holds the hedge's words.
      const subject: { citations: readonly SeedCitation[] } = 'event' in claim.subject ? events[claim.subject.event] : shipments[claim.subject.shipment];
      expect(subject.citations[claim.citation]?.excerpt).toContain(h.words);
    }
  });

  it('every hedge marker in the article falls inside a recorded hedge', () => {
    const covered = HEDGES.flatMap((h) => occurrences(ARTICLE, h.words).map((start) => [start, start + h.words.length] as const));
    const uncovered: string[] = [];
    for (const marker of HEDGE_MARKERS) {
      for (const at of occurrences(ARTICLE, marker)) {
        if (!covered.some(([from, to]) => at >= from && at + marker.length <= to))
          uncovered.push(`"${marker}" at ${ARTICLE.slice(Math.max(0, at - 30), at + 40)}`);
      }
    }
    expect(uncovered).toEqual([]);
    // Guard against a vacuous pass: the markers do occur.
    expect(HEDGE_MARKERS.filter((m) => occurrences(ARTICLE, m).length > 0).length).toBeGreaterThanOrEqual(8);
  });

  it("a likelihood only where a hedge's words carry one", () => {
    const banded = new Set(HEDGES.filter((h) => h.band !== null).map((h) => h.claim));
    for (const [slug, c] of Object.entries(claims)) {
      if (c.likelihood !== null) expect([slug, banded.has(slug as keyof typeof claims)]).toEqual([slug, true]);
    }
  });
});
