// A newer seed over a database that analysts have worked on since the article was loaded
// (issue #27): the newer seed changes a span (across years), descriptions and a likelihood,
// adds records and removes some. What nobody touched follows the seed (audited, through the
// tables' triggers); what was edited, deleted or purged stays as it is and is listed; a removed
// record goes only when untouched and unreferenced. The loader takes its seed as an argument.
import { createPartitionsAhead } from '../../src/db/partitions';
import { ActorKind, Confidence, EventType, EvidenceType, Likelihood, ParticipantRole } from '../../src/generated/prisma/enums';
import { NO_KEY } from '../../src/services/audit';
import { deleteAffiliation } from '../../src/services/affiliations';
import { deleteEvent } from '../../src/services/events';
import { purgeAffiliation } from '../../src/services/purge';
import { updateShipment } from '../../src/services/shipments';
import { createCitation, deleteCitation } from '../../src/services/sources';
import { acceptClaim, createClaim } from '../../src/services/claims';
import { actorId, affiliationId, citationId, claimId, eventId, shipmentId, sourceId } from '../../seed/ids';
import { span } from '../../seed/article';
import { articleSeed, seedDatabase, type Seed, type SeedReport } from '../../seed/load';
import { danglingReferences, SEEDED_TABLES, snapshotTables } from '../support/integrity';
import { useTestDatabase } from '../support/database';

let articleReport: SeedReport;
const handle = useTestDatabase(1);

beforeAll(async () => {
  await createPartitionsAhead({ query: async (text, params) => (await handle.pool.query(text, params)).rows }, 2021, 2024);
  articleReport = await seedDatabase(handle.prisma);
}, 120_000);

const prisma = () => handle.prisma;
const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await handle.pool.query(text, params)).rows as T[];

const a = articleSeed;
const ARTILLERY = 'dprk-russia-artillery-ammunition';
const MLRS = 'dprk-russia-mlrs-ammunition';
const RUMOURS = 'rumours-artillery-transfer-start';
const SANCTIONS = 'us-sanctions-russian-citizens';

/** The article as a later version might have it. */
const newer: Seed = {
  ...a,
  actors: {
    ...a.actors,
    kcna: {
      name: 'Korean Central News Agency',
      kind: ActorKind.ORGANIZATION,
      countryCode: 'PRK',
      aliases: ['KCNA'],
      description: 'The DPRK state news agency.',
    },
  },
  affiliations: Object.fromEntries(Object.entries(a.affiliations).filter(([slug]) => slug !== 'armed-forces-of-ukraine-part-of-ukraine')),
  events: {
    ...Object.fromEntries(Object.entries(a.events).filter(([slug]) => slug !== RUMOURS)),
    [SANCTIONS]: { ...a.events[SANCTIONS], description: 'Sanctions of the US Treasury.' },
    'kcna-denies-transfers': {
      type: EventType.STATEMENT,
      title: 'KCNA denies arms transfers to Russia',
      description: null,
      span: span('2023-09-20', 'On September 20', 'On September 20'),
      location: null,
      confidence: Confidence.REPORTED,
      participants: [
        { actor: 'kcna', role: ParticipantRole.SPEAKER },
        { actor: 'dprk', role: ParticipantRole.SUBJECT },
      ],
      citations: [{ source: 'seed-article', excerpt: 'KCNA denied it.', credibility: 3, evidenceType: EvidenceType.OFFICIAL_STATEMENT }],
    },
  },
  shipments: {
    ...a.shipments,
    [ARTILLERY]: {
      ...a.shipments[ARTILLERY],
      delivery: span('2021-06-01/2023-10-31', 'From mid-2021', 'From mid-2021 (a later reading of the article)'),
      events: a.shipments[ARTILLERY].events.filter((e) => e !== RUMOURS),
      citations: [
        ...a.shipments[ARTILLERY].citations,
        { source: 'seed-article', excerpt: 'KCNA denied it.', credibility: 3, evidenceType: EvidenceType.OFFICIAL_STATEMENT },
      ],
    },
    [MLRS]: { ...a.shipments[MLRS], description: 'MLRS ammunition, as the newer seed words it.' },
  },
  claims: {
    // The rumours' claim goes with its event.
    ...Object.fromEntries(Object.entries(a.claims).filter(([, c]) => !('event' in c.subject && c.subject.event === RUMOURS))),
    'kraiev-weapons-for-food': { ...a.claims['kraiev-weapons-for-food'], likelihood: Likelihood.VERY_LIKELY },
    // accepted, on a field where an analyst has accepted a claim of their own: the database refuses it
    'kraiev-food-planned': {
      claimant: 'oleksandr-kraiev',
      statedOn: null,
      subject: { shipment: 'russia-dprk-food' },
      field: 'status',
      value: 'PLANNED',
      likelihood: Likelihood.LIKELY,
      confidence: Confidence.REPORTED,
      accepted: true,
      citation: 0,
    },
    'kcna-denies': {
      claimant: 'kcna',
      statedOn: '2023-09-20',
      subject: { shipment: ARTILLERY },
      field: null,
      value: 'There are no arms transfers to Russia',
      likelihood: Likelihood.ALMOST_NO_CHANCE,
      confidence: Confidence.REPORTED,
      accepted: false,
      citation: 2,
    },
  },
};

/** Per table: rows and a digest of every row. */
const snapshot = () => snapshotTables(handle.pool, [...SEEDED_TABLES, 'seed_records']);

let analystCitation: string;
let report: SeedReport;

describe('a newer seed over a database worked on since', () => {
  beforeAll(async () => {
    // what analysts did meanwhile, through the services
    await updateShipment(handle, shipmentId(MLRS), { description: 'MLRS ammunition, in our own words.' });
    await deleteEvent(handle, eventId(SANCTIONS), NO_KEY, { cascade: true });
    const kirby = affiliationId('john-kirby-spokesperson-of-white-house');
    await deleteAffiliation(handle, kirby, NO_KEY, { cascade: true });
    await purgeAffiliation(handle, kirby);
    const own = await createClaim(handle, {
      claimantId: actorId('oleksandr-kraiev'),
      shipmentId: shipmentId('russia-dprk-food'),
      field: 'status',
      value: 'PLANNED',
      likelihood: 'LIKELY',
    });
    await acceptClaim(handle, own.id, undefined);
    analystCitation = (
      await createCitation(handle, { sourceId: sourceId('seed-article'), excerpt: 'Our own reading of the rumours.', eventId: eventId(RUMOURS) })
    ).id;
    report = await seedDatabase(prisma(), newer);
  });

  it('updates what nobody touched, across partitions, audited as loadSeed', async () => {
    const [span] = await sql(`SELECT delivery_start::text AS s, delivery_end::text AS e, delivery_text AS t FROM shipments WHERE id = $1`, [
      shipmentId(ARTILLERY),
    ]);
    expect(span).toEqual({ s: '2021-06-01', e: '2023-10-31', t: 'From mid-2021 (a later reading of the article)' });
    expect((await sql(`SELECT delivery_start::text AS s FROM shipment_keys WHERE id = $1`, [shipmentId(ARTILLERY)]))[0].s).toBe('2021-06-01');
    expect((await sql(`SELECT tableoid::regclass::text AS p FROM shipments WHERE id = $1`, [shipmentId(ARTILLERY)]))[0].p).toBe('shipments_y2021');
    expect((await sql(`SELECT event_id::text FROM shipment_events WHERE shipment_id = $1`, [shipmentId(ARTILLERY)])).map((r) => r.event_id)).not.toContain(
      eventId(RUMOURS),
    );
    expect((await prisma().claim.findUniqueOrThrow({ where: { id: claimId('kraiev-weapons-for-food') } })).likelihood).toBe('VERY_LIKELY');
    const [entry] = await sql(`SELECT key_id, before, after FROM audit_log WHERE operation = 'loadSeed' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [
      shipmentId(ARTILLERY),
    ]);
    expect(entry.key_id).toBeNull();
    expect(entry.before.deliveryStart).toBe('2022-01-01T00:00:00.000Z');
    expect(entry.after.deliveryStart).toBe('2021-06-01T00:00:00.000Z');
    expect(entry.before.eventIds).toContain(eventId(RUMOURS));
    expect(report.updated).toBe(2);
  });

  it('inserts what the newer seed adds (the claims one by one once the database refused one of them)', async () => {
    expect(report.inserted).toBe(5); // the actor, the event and its citation, the shipment's third citation, the claim
    const kcna = await prisma().actor.findUniqueOrThrow({ where: { id: actorId('kcna') }, include: { aliases: true } });
    expect(kcna.aliases.map((x) => x.alias).sort()).toEqual(['KCNA', 'Korean Central News Agency']);
    const event = await prisma().event.findUniqueOrThrow({ where: { id: eventId('kcna-denies-transfers') }, include: { participants: true } });
    expect(event.participants).toHaveLength(2);
    expect(await prisma().claim.count({ where: { id: claimId('kcna-denies'), citationId: citationId('seed-article', 'shipment', ARTILLERY, 2) } })).toBe(1);
  });

  it('leaves what was edited, deleted or purged as it is, and lists it', async () => {
    expect((await prisma().shipment.findUniqueOrThrow({ where: { id: shipmentId(MLRS) } })).description).toBe('MLRS ammunition, in our own words.');
    expect((await prisma().event.findUniqueOrThrow({ where: { id: eventId(SANCTIONS) } })).deletedAt).not.toBeNull();
    expect(await prisma().affiliation.count({ where: { id: affiliationId('john-kirby-spokesperson-of-white-house') } })).toBe(0);
    expect(report.kept).toEqual([
      { kind: 'affiliation', slug: 'john-kirby-spokesperson-of-white-house', id: affiliationId('john-kirby-spokesperson-of-white-house'), reason: 'purged' },
      { kind: 'event', slug: SANCTIONS, id: eventId(SANCTIONS), reason: 'deleted' },
      { kind: 'shipment', slug: MLRS, id: shipmentId(MLRS), reason: 'edited' },
      expect.objectContaining({
        kind: 'citation',
        id: citationId('seed-article', 'affiliation', 'john-kirby-spokesperson-of-white-house', 0),
        reason: 'purged',
      }),
      expect.objectContaining({ kind: 'citation', id: citationId('seed-article', 'event', SANCTIONS, 0), reason: 'deleted' }),
      {
        kind: 'claim',
        slug: 'kraiev-food-planned',
        id: claimId('kraiev-food-planned'),
        reason: 'not loaded',
        detail: expect.stringMatching(/^the database refused it: .*claims_accepted_key/),
      },
      {
        kind: 'event',
        slug: RUMOURS,
        id: eventId(RUMOURS),
        reason: 'removed from the seed, kept',
        detail: expect.stringMatching(/is still referred to by 1 citation/),
      },
    ]);
  });

  it('soft-deletes what it removes when untouched and unreferenced, audited; keeps a removed record that is cited', async () => {
    expect(report.removed).toBe(4); // the soldiers' affiliation, its citation, the rumours' own citation and claim
    const gone = await sql(
      `SELECT id::text, deleted_at IS NOT NULL AS deleted FROM affiliations WHERE id = $1
      UNION ALL SELECT id::text, deleted_at IS NOT NULL FROM citations WHERE id = ANY($2::uuid[]) ORDER BY 1`,
      [
        affiliationId('armed-forces-of-ukraine-part-of-ukraine'),
        [
          citationId('seed-article', 'affiliation', 'armed-forces-of-ukraine-part-of-ukraine', 0),
          citationId('seed-article', 'event', RUMOURS, 0),
          analystCitation,
        ],
      ],
    );
    expect(Object.fromEntries(gone.map((g) => [g.id, g.deleted]))).toEqual({
      [affiliationId('armed-forces-of-ukraine-part-of-ukraine')]: true,
      [citationId('seed-article', 'affiliation', 'armed-forces-of-ukraine-part-of-ukraine', 0)]: true,
      [citationId('seed-article', 'event', RUMOURS, 0)]: true,
      [analystCitation]: false,
    });
    expect((await prisma().event.findUniqueOrThrow({ where: { id: eventId(RUMOURS) } })).deletedAt).toBeNull();
    const entries = await sql(`SELECT operation, entity FROM audit_log WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`, [
      affiliationId('armed-forces-of-ukraine-part-of-ukraine'),
    ]);
    expect(entries).toEqual([{ operation: 'loadSeed', entity: 'AFFILIATION' }]);
    expect(await danglingReferences(handle.pool)).toEqual([]);
  });

  it('keeps the report rollups in step with the rows it moved', async () => {
    const drift = await sql(`
      WITH direct AS (SELECT date_trunc('month', delivery_start)::date AS month, count(*)::int AS n FROM shipments WHERE deleted_at IS NULL GROUP BY 1),
           rolled AS (SELECT month, sum(starting)::int AS n FROM shipment_month_rollup GROUP BY 1 HAVING sum(starting) <> 0)
      SELECT * FROM direct FULL JOIN rolled USING (month) WHERE direct.n IS DISTINCT FROM rolled.n`);
    expect(drift).toEqual([]);
  });

  it('a second start with the same seed changes nothing', async () => {
    const before = await snapshot();
    const again = await seedDatabase(prisma(), newer);
    expect(await snapshot()).toEqual(before);
    expect(again).toMatchObject({ version: report.version, inserted: 0, updated: 0, removed: 0 });
    // the cited removed event is looked at again (it may go once nothing refers to it)
    expect(again.kept).toEqual(report.kept);
    expect(again.version).not.toBe(articleReport.version);
    expect(await sql('SELECT DISTINCT seed_version FROM seed_records WHERE removed_at IS NULL ORDER BY 1')).toEqual(
      [articleReport.version, report.version].sort().map((v) => ({ seed_version: v })),
    );
  });

  it('a removed record kept for what refers to it goes once that is gone', async () => {
    await deleteCitation(handle, analystCitation);
    const last = await seedDatabase(prisma(), newer);
    expect(last.removed).toBe(1);
    expect((await prisma().event.findUniqueOrThrow({ where: { id: eventId(RUMOURS) } })).deletedAt).not.toBeNull();
    expect(last.kept.map((k) => k.reason)).not.toContain('removed from the seed, kept');
    expect(await danglingReferences(handle.pool)).toEqual([]);
  });
});
