// The seed article (seed/article.ts) loaded by seed/load.ts into a freshly migrated
// database: concrete facts of the article come back out, every reported event and
// shipment is cited, and loading it again changes nothing.
import { seedDatabase, type SeedReport } from '../seed/load';
import { actors, affiliations, claims, events, shipments, sources } from '../seed/article';
import { actorId, affiliationId, sourceId } from '../seed/ids';
import { articleSeed, type Seed } from '../seed/load';
import { ActorKind, AffiliationRole, Confidence, EvidenceType, Reliability } from '../src/generated/prisma/enums';
import { useTestDatabase } from './support/database';

const handle = useTestDatabase(1);
let firstRun: SeedReport;

beforeAll(async () => {
  firstRun = await seedDatabase(handle.prisma);
});

const prisma = () => handle.prisma;

/** DATE columns as text, so no time zone can shift a day. */
async function dateSpan(table: 'events' | 'shipments', id: string): Promise<{ start: string; end: string; precision: string }> {
  const [start, end, precision] = table === 'events' ? ['span_start', 'span_end', 'span_precision'] : ['delivery_start', 'delivery_end', 'delivery_precision'];
  const rows = await prisma().$queryRawUnsafe<{ start: string; end: string; precision: string }[]>(
    `SELECT "${start}"::text AS start, "${end}"::text AS "end", "${precision}"::text AS precision FROM "${table}" WHERE id = $1::uuid`,
    id,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** The one actor an alias resolves to, compared case-insensitively; fails unless there is exactly one. */
async function actorByAlias(alias: string): Promise<string> {
  const viaPrisma = await prisma().actorAlias.findMany({
    where: { alias: { equals: alias, mode: 'insensitive' } },
    select: { actorId: true },
  });
  // The same lookup as SQL, on the unique lower(alias) index.
  const viaSql = await prisma().$queryRaw<{ actor_id: string }[]>`SELECT actor_id FROM actor_aliases WHERE lower(alias) = lower(${alias})`;
  expect(viaPrisma).toHaveLength(1);
  expect(viaSql).toEqual([{ actor_id: viaPrisma[0].actorId }]);
  return viaPrisma[0].actorId;
}

async function actorNamed(name: string): Promise<string> {
  const found = await prisma().actor.findMany({ where: { name }, select: { id: true } });
  expect(found).toHaveLength(1);
  return found[0].id;
}

/**
 * Everything in the database that a second seed run could change: per table the
 * row count, the latest updated_at (where there is one) and a digest of every row.
 */
async function snapshot(): Promise<Record<string, { rows: number; maxUpdatedAt: string | null; digest: string }>> {
  const tables = await prisma().$queryRaw<{ name: string; has_updated_at: boolean }[]>`
    SELECT c.relname::text AS name,
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped) AS has_updated_at
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition -- partitioned tables whole
     ORDER BY 1`;
  const out: Record<string, { rows: number; maxUpdatedAt: string | null; digest: string }> = {};
  for (const { name, has_updated_at } of tables) {
    const [row] = await prisma().$queryRawUnsafe<{ rows: number; max_updated_at: string | null; digest: string }[]>(
      `SELECT count(*)::int AS rows,
              ${has_updated_at ? 'max(t.updated_at)::text' : 'NULL::text'} AS max_updated_at,
              md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
         FROM "${name}" t`,
    );
    out[name] = { rows: row.rows, maxUpdatedAt: row.max_updated_at, digest: row.digest };
  }
  return out;
}

it('loads every record of the article', async () => {
  const expected = {
    actors: Object.keys(actors).length,
    events: Object.keys(events).length,
    shipments: Object.keys(shipments).length,
    sources: Object.keys(sources).length,
    affiliations: Object.keys(affiliations).length,
    claims: Object.keys(claims).length,
  };
  expect(firstRun.counts).toEqual({ ...expected, citations: expect.any(Number) });
  expect(firstRun).toMatchObject({ inserted: firstRun.records, updated: 0, unchanged: 0, removed: 0, kept: [] });
  expect({
    actors: await prisma().actor.count(),
    events: await prisma().event.count(),
    shipments: await prisma().shipment.count(),
    sources: await prisma().source.count(),
    affiliations: await prisma().affiliation.count(),
    claims: await prisma().claim.count(),
  }).toEqual(expected);
  expect(await prisma().citation.count()).toBe(firstRun.counts.citations);
});

it('resolves the DPRK by its aliases, case-insensitively, to one actor', async () => {
  const dprk = await actorByAlias('North Korea');
  for (const alias of ['north korea', 'NORTH KOREA', 'DPRK', 'dprk', 'Dprk', "Democratic People's Republic of Korea"]) {
    expect(await actorByAlias(alias)).toBe(dprk);
  }
  expect(await prisma().actor.findUniqueOrThrow({ where: { id: dprk }, select: { name: true, kind: true, countryCode: true } })).toEqual({
    name: 'North Korea',
    kind: 'STATE',
    countryCode: 'PRK',
  });
  // The actor's own name is one of its aliases.
  const aliases = await prisma().actorAlias.findMany({ where: { actorId: dprk }, select: { alias: true } });
  expect(aliases.map((a) => a.alias).sort()).toEqual(['DPRK', "Democratic People's Republic of Korea", 'North Korea']);
  // And no other actor is a North Korea.
  expect(await prisma().actor.count({ where: { countryCode: 'PRK', kind: 'STATE' } })).toBe(1);
});

it('records the 1,000 containers shipped from the DPRK to Russia between 2023-09-07 and 2023-10-01', async () => {
  const dprk = await actorByAlias('DPRK');
  const russia = await actorByAlias('Russia');
  const found = await prisma().shipment.findMany({
    where: { supplierId: dprk, unit: 'containers' },
    include: { events: { include: { event: { select: { title: true, type: true } } } }, citations: true },
  });
  expect(found).toHaveLength(1);
  const [s] = found;
  expect(s).toMatchObject({
    recipientId: russia,
    category: 'MILITARY_EQUIPMENT',
    quantity: 1000,
    unit: 'containers',
    deliveryPrecision: 'RANGE',
    status: 'REPORTED',
  });
  expect(await dateSpan('shipments', s.id)).toEqual({ start: '2023-09-07', end: '2023-10-01', precision: 'RANGE' });
  // Reported by the White House on October 13.
  expect(s.events.map((e) => e.event.type)).toEqual(['TRANSFER_REPORT']);
  expect(s.events[0].event.title).toMatch(/White House.*1,000 containers/);
  expect(await dateSpan('events', s.events[0].eventId)).toEqual({ start: '2023-10-13', end: '2023-10-13', precision: 'DAY' });
  expect(s.citations.map((c) => c.excerpt).join(' ')).toContain('between September 7 and October 1');
});

it('records the 13 September meeting of Kim Jong Un and Vladimir Putin at the Vostochny Cosmodrome', async () => {
  const found = await prisma().event.findMany({
    where: { type: 'MEETING', locationName: 'Vostochny Cosmodrome' },
    include: { participants: { include: { actor: { select: { name: true } } } } },
  });
  expect(found).toHaveLength(1);
  const [meeting] = found;
  expect(meeting).toMatchObject({ spanPrecision: 'DAY', locationCountryCode: 'RUS' });
  expect(await dateSpan('events', meeting.id)).toEqual({ start: '2023-09-13', end: '2023-09-13', precision: 'DAY' });
  const participants = meeting.participants.map((p) => p.actor.name);
  expect(participants).toEqual(expect.arrayContaining(['Kim Jong Un', 'Vladimir Putin']));
  expect(meeting.participants.filter((p) => ['Kim Jong Un', 'Vladimir Putin'].includes(p.actor.name)).map((p) => p.role)).toEqual([
    'PARTICIPANT',
    'PARTICIPANT',
  ]);
  expect(meeting.participants.map((p) => p.actorId)).toEqual(expect.arrayContaining([await actorNamed('Kim Jong Un'), await actorNamed('Vladimir Putin')]));
});

it('cites every event, shipment and affiliation at least once, from the article', async () => {
  const uncited = await prisma().$queryRaw<{ kind: string; id: string }[]>`
    SELECT 'event' AS kind, e.id::text FROM events e WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.event_id = e.id)
    UNION ALL
    SELECT 'shipment', s.id::text FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.shipment_id = s.id)
    UNION ALL
    SELECT 'affiliation', a.id::text FROM affiliations a WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.affiliation_id = a.id)`;
  expect(uncited).toEqual([]);
  // Guard against a vacuous pass.
  expect(await prisma().event.count()).toBeGreaterThan(0);
  expect(await prisma().shipment.count()).toBeGreaterThan(0);

  const article = await prisma().source.findFirstOrThrow({ where: { title: 'DPRK will continue to supply arms to Russia despite famine in country' } });
  expect(await prisma().citation.count({ where: { sourceId: { not: article.id } } })).toBe(0);
  expect(await prisma().citation.count({ where: { excerpt: '' } })).toBe(0);
});

it('changes nothing when run again', async () => {
  const before = await snapshot();
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['actors', 'actor_aliases', 'events', 'shipments', 'citations']));
  // Let the clock move on, so that any row the second run rewrote would show a later updated_at.
  await new Promise((resolve) => setTimeout(resolve, 20));

  expect(await seedDatabase(prisma())).toEqual({ ...firstRun, inserted: 0, unchanged: firstRun.records });
  expect(await snapshot()).toEqual(before);
});

it('leaves seeded rows that were edited or soft-deleted since as they are', async () => {
  const dprk = await actorByAlias('DPRK');
  const meeting = await prisma().event.findFirstOrThrow({ where: { type: 'MEETING', locationName: 'Vostochny Cosmodrome' } });
  await prisma().actor.update({ where: { id: dprk }, data: { description: 'Edited by an analyst.' } });
  await prisma().event.update({ where: { id: meeting.id }, data: { deletedAt: new Date() } });
  const before = await snapshot();

  const report = await seedDatabase(prisma());
  expect(await snapshot()).toEqual(before);
  expect(report.kept).toEqual([
    { kind: 'actor', slug: 'dprk', id: dprk, reason: 'edited' },
    { kind: 'event', slug: 'kim-putin-vostochny-meeting', id: meeting.id, reason: 'deleted' },
  ]);
  expect((await prisma().actor.findUniqueOrThrow({ where: { id: dprk } })).description).toBe('Edited by an analyst.');
  expect((await prisma().event.findUniqueOrThrow({ where: { id: meeting.id } })).deletedAt).not.toBeNull();
});

it('accepts a seed alias that an analyst has since re-entered for the same actor', async () => {
  // E.g. a later version of the article adds an alias that someone already typed in by
  // hand: it is held by the right actor, only under another row id and spelling.
  const russia = await actorByAlias('Russia');
  await prisma().actorAlias.deleteMany({ where: { alias: 'Moscow' } });
  await prisma().actorAlias.create({ data: { actorId: russia, alias: 'MOSCOW' } });

  await expect(seedDatabase(prisma())).resolves.toMatchObject({ counts: firstRun.counts });
  expect(await actorByAlias('moscow')).toBe(russia);
});

it('does not load a new seed actor whose name another actor holds, nor what refers to it; loads the rest and says why', async () => {
  // e.g. a later seed adds an actor that an analyst has already typed in by hand
  const byHand = await prisma().actor.create({ data: { name: 'Pyongyang Times', kind: 'ORGANIZATION' } });
  await prisma().actorAlias.create({ data: { actorId: byHand.id, alias: 'Pyongyang Times' } });
  const cite = { source: 'seed-article', excerpt: 'Pyongyang Times', credibility: 6, evidenceType: EvidenceType.OTHER } as const;
  const variant: Seed = {
    ...articleSeed,
    sources: {
      ...articleSeed.sources,
      'second-report': { publisher: 'Wire', title: 'A second report', url: null, published: null, reliability: Reliability.F },
    },
    actors: {
      ...articleSeed.actors,
      'pyongyang-times': { name: 'Pyongyang Times', kind: ActorKind.ORGANIZATION, countryCode: 'PRK', aliases: [], description: null },
    },
    affiliations: {
      ...articleSeed.affiliations,
      'pyongyang-times-part-of-dprk': {
        actor: 'pyongyang-times',
        target: 'dprk',
        role: AffiliationRole.PART_OF,
        title: null,
        span: null,
        confidence: Confidence.ALLEGED,
        citations: [cite],
      },
    },
  };
  const before = await prisma().auditEntry.count();

  const report = await seedDatabase(prisma(), variant);
  expect(report.inserted).toBe(1); // the source
  expect(report.kept).toEqual(
    expect.arrayContaining([
      {
        kind: 'actor',
        slug: 'pyongyang-times',
        id: actorId('pyongyang-times'),
        reason: 'not loaded',
        detail: expect.stringContaining(`alias "Pyongyang Times" belongs to actor "Pyongyang Times" (${byHand.id})`),
      },
      {
        kind: 'affiliation',
        slug: 'pyongyang-times-part-of-dprk',
        id: affiliationId('pyongyang-times-part-of-dprk'),
        reason: 'not loaded',
        detail: `its actor ${actorId('pyongyang-times')} is not live`,
      },
      expect.objectContaining({
        kind: 'citation',
        reason: 'not loaded',
        detail: `its affiliation ${affiliationId('pyongyang-times-part-of-dprk')} is not live`,
      }),
    ]),
  );
  expect(await prisma().actor.count({ where: { id: actorId('pyongyang-times') } })).toBe(0);
  expect(await prisma().source.count({ where: { id: sourceId('second-report') } })).toBe(1);
  expect(await prisma().auditEntry.count()).toBe(before + 1); // the source's, nothing of what was rolled back

  // once the name is free, the next start loads them
  await prisma().actorAlias.deleteMany({ where: { actorId: byHand.id } });
  const later = await seedDatabase(prisma(), variant);
  expect(later.inserted).toBe(3);
  expect(await prisma().affiliation.count({ where: { id: affiliationId('pyongyang-times-part-of-dprk'), deletedAt: null } })).toBe(1);
});
