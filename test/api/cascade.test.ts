// Issue #27, item 5, over real HTTP on a fresh database: deleting a record that live records
// refer to answers CONFLICT with the kinds and counts, and changes nothing; with `cascade` the
// dependents go in the same transaction (soft-deleted, or the link taken off them), each with an
// audit entry pointing at the one it went for; restoring the record brings back exactly what its
// cascade took, and nothing deleted apart. Reads stay consistent in between. Every kind.
import type { PoolClient } from 'pg';
import { actorId, citationId, claimId, shipmentId } from '../../seed/ids';
import { eventually } from '../support/eventually';
import { meetingInput, foodShipmentInput } from '../support/inputs';
import { danglingReferences } from '../support/integrity';
import { type GqlResponse, ok, useServer } from '../support/server';

const server = useServer({ seedOnStart: true });

const edit = async (doc: string, variables?: Record<string, unknown>): Promise<any> => Object.values(ok(await server.gql(doc, variables)) as object)[0];
const del = (kind: string, id: string, cascade?: boolean) =>
  cascade === undefined
    ? server.gql(`mutation ($id: ID!) { delete${kind}(id: $id) { id } }`, { id })
    : server.gql(`mutation ($id: ID!, $cascade: Boolean) { delete${kind}(id: $id, cascade: $cascade) { id } }`, { id, cascade });
const restore = (kind: string, id: string) => server.gql(`mutation ($id: ID!) { restore${kind}(id: $id) { id } }`, { id });
const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await server.db.pool.query(text, params)).rows as T[];

const TABLES = ['actors', 'sources', 'affiliations', 'events', 'shipments', 'citations', 'claims'];

/** Every record's id and whether it is deleted, every participation and every shipment–event link. */
async function state(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES)
    out[t] = (await sql(`SELECT id || CASE WHEN deleted_at IS NULL THEN ' live' ELSE ' deleted' END AS r FROM ${t} ORDER BY 1`)).map((r) => r.r);
  out.participants = (await sql(`SELECT event_id || ' ' || actor_id || ' ' || role AS r FROM event_participants ORDER BY 1`)).map((r) => r.r);
  out.links = (await sql(`SELECT shipment_id || ' ' || event_id AS r FROM shipment_events ORDER BY 1`)).map((r) => r.r);
  return out;
}

const auditCount = async (): Promise<number> => (await sql('SELECT count(*)::int AS n FROM audit_log'))[0].n;

/** The audit entries written since `sinceId`, oldest first. */
const auditSince = (sinceId: number) =>
  sql<{ id: string; operation: string; entity: string; entity_id: string; cascade_of: string | null; before: any; after: any }>(
    'SELECT id::text, operation, entity, entity_id::text, cascade_of::text, before, after FROM audit_log WHERE id > $1 ORDER BY id',
    [sinceId],
  );
const lastAuditId = async (): Promise<number> => (await sql('SELECT coalesce(max(id), 0)::int AS n FROM audit_log'))[0].n;

/** Each entry's chain of cascade_of leads to `root` (all entries are in `entries`). */
function descendsFrom(entries: { id: string; cascade_of: string | null }[], root: string): boolean {
  const byId = new Map(entries.map((e) => [e.id, e]));
  return entries.every((e) => {
    let at: { id: string; cascade_of: string | null } | undefined = e;
    while (at && at.id !== root) at = at.cascade_of ? byId.get(at.cascade_of) : undefined;
    return at?.id === root;
  });
}

describe("North Korea, the seed article's main supplier (the issue's example)", () => {
  const NK = actorId('dprk');
  const RUSSIA = actorId('russia');
  const MLRS_CITATION = citationId('seed-article', 'shipment', 'dprk-russia-mlrs-ammunition', 0);
  let beforeCascade: Record<string, string[]>;

  it('deleteActor is refused with the kinds and counts of what names it, and changes nothing', async () => {
    const expected = {
      Shipment: (await sql(`SELECT count(*)::int AS n FROM shipments WHERE deleted_at IS NULL AND $1 IN (supplier_id, recipient_id)`, [NK]))[0].n,
      Event: (
        await sql(
          `SELECT count(DISTINCT p.event_id)::int AS n FROM event_participants p JOIN events e ON e.id = p.event_id WHERE e.deleted_at IS NULL AND p.actor_id = $1`,
          [NK],
        )
      )[0].n,
      Affiliation: (await sql(`SELECT count(*)::int AS n FROM affiliations WHERE deleted_at IS NULL AND $1 IN (actor_id, target_id)`, [NK]))[0].n,
    };
    expect(expected.Shipment).toBeGreaterThan(0);
    expect(expected.Event).toBeGreaterThan(0);
    const before = await state();
    const audits = await auditCount();

    const res = await del('Actor', NK);
    expect(res.status).toBe(200);
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    const dependents = error.extensions!.dependents as { kind: string; count: number }[];
    expect(Object.fromEntries(dependents.map((d) => [d.kind, d.count]))).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    expect(error.message).toContain(`${expected.Shipment} shipments`);
    expect(error.message).toContain(`${expected.Event} events`);
    expect(await state()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('with cascade its shipments (with their citations and claims) and affiliations go, it leaves its events; reads agree', async () => {
    // deleted apart, before: must stay deleted when North Korea comes back
    ok(await del('Citation', MLRS_CITATION));
    const before = (beforeCascade = await state());
    const since = await lastAuditId();

    ok(await del('Actor', NK, true));

    const entries = await auditSince(since);
    const root = entries.find((e) => e.entity === 'ACTOR' && e.entity_id === NK)!;
    expect(root).toMatchObject({ operation: 'deleteActor', cascade_of: null });
    expect(entries.every((e) => e.operation === 'deleteActor')).toBe(true);
    expect(descendsFrom(entries, root.id)).toBe(true);
    // one entry per record changed, and each change has its entry
    const after = await state();
    const changed = TABLES.flatMap((t) => after[t].filter((r) => !before[t].includes(r)).map((r) => r.split(' ')[0]));
    expect(
      entries
        .filter((e) => e.after?.deletedAt)
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual(changed.sort());
    const unlinked = entries.filter((e) => e.entity === 'EVENT');
    expect(unlinked.length).toBeGreaterThan(0);
    for (const e of unlinked) {
      expect(e.before.participants.some((p: any) => p.actorId === NK)).toBe(true);
      expect(e.after.participants.some((p: any) => p.actorId === NK)).toBe(false);
      expect(e.after.deletedAt).toBeNull();
    }
    expect(await danglingReferences(server.db.pool)).toEqual([]);
    // as the API shows it: a shipment's entry points at North Korea's
    const artillery = shipmentId('dprk-russia-artillery-ammunition');
    const log = ok(
      await server.gql(`{ auditLog(entityId: "${artillery}", first: 1) { edges { node { operation cascadeOf after } } } }`, undefined, {
        authorization: `Bearer ${server.editorKey}`,
      }),
    );
    expect(log.auditLog.edges[0].node).toMatchObject({ operation: 'deleteActor', cascadeOf: root.id, after: { deletedAt: expect.any(String) } });

    const read = ok(
      await server.gql(
        `query ($nk: ID!, $ru: ID!) {
      actor(id: $nk) { id }
      actors(search: "North Korea") { edges { node { id } } }
      supplied: shipments(filter: { supplierIds: [$nk] }) { totalCount }
      all: shipments(first: 500) { totalCount edges { node { supplier { id } recipient { id } } } }
      events(first: 500) { edges { node { participants { actor { id } } } } }
      timeline(actorIds: [$ru], first: 500) { totalCount edges { node { ... on Shipment { supplier { id } recipient { id } } ... on Event { participants { actor { id } } } } } }
    }`,
        { nk: NK, ru: RUSSIA },
      ),
    );
    expect(read.actor).toBeNull();
    expect(read.actors.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(NK);
    expect(read.supplied.totalCount).toBe(0);
    const named = JSON.stringify([read.all, read.events, read.timeline]);
    expect(named).not.toContain(NK);
    expect(read.timeline.totalCount).toBeGreaterThan(0);
    // a shipment it supplied cannot come back alone while it is deleted
    const alone = await restore('Shipment', shipmentId('dprk-russia-artillery-ammunition'));
    expect(alone.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(alone.errors?.[0].message).toContain(`its supplier ${NK} is deleted; restore that first`);
  });

  it('restoreActor brings back exactly what its cascade took; the citation deleted apart stays deleted', async () => {
    const since = await lastAuditId();
    ok(await restore('Actor', NK));
    const entries = await auditSince(since);
    const root = entries.find((e) => e.entity === 'ACTOR')!;
    expect(descendsFrom(entries, root.id)).toBe(true);
    expect(entries.every((e) => e.operation === 'restoreActor')).toBe(true);
    expect(await state()).toEqual(beforeCascade);
    expect(beforeCascade.citations).toContain(`${MLRS_CITATION} deleted`);
    // a claim comes back not accepted (accepting it again is a decision of its own): the record keeps its value
    const [containers] = await sql(`SELECT accepted FROM claims WHERE id = $1`, [claimId('white-house-1000-containers')]);
    expect(containers.accepted).toBe(false);
    const read = ok(await server.gql(`{ shipments(filter: { supplierIds: ["${NK}"] }) { totalCount } actor(id: "${NK}") { name } }`));
    expect(read).toEqual({ shipments: { totalCount: 3 }, actor: { name: 'North Korea' } });
    expect(await danglingReferences(server.db.pool)).toEqual([]);
  });
});

/**
 * A small world per kind: actors sup → rec (shipments s, s2), off (official) and cl (claimant);
 * source src and its repeat rep; event e (participants sup, off; reports s); affiliation f;
 * citations of e, s and f; claims of cl about e and s, some made in citations.
 */
async function world(tag: string) {
  const actor = async (name: string) =>
    (await edit('mutation ($i: CreateActorInput!) { createActor(input: $i) { id } }', { i: { name: `${name} ${tag}`, kind: 'STATE' } })).id as string;
  const sup = await actor('Supplier');
  const rec = await actor('Recipient');
  const off = await actor('Official');
  const cl = await actor('Claimant');
  const src = (await edit('mutation ($i: CreateSourceInput!) { createSource(input: $i) { id } }', { i: { publisher: `Wire ${tag}`, title: 'Report' } }))
    .id as string;
  const rep = (
    await edit('mutation ($i: CreateSourceInput!) { createSource(input: $i) { id } }', {
      i: { publisher: `Reprint ${tag}`, title: 'Report', derivedFromId: src },
    })
  ).id as string;
  const e = (
    await edit('mutation ($i: CreateEventInput!) { createEvent(input: $i) { id } }', {
      i: meetingInput(tag, [
        { actorId: sup, role: 'INITIATOR' },
        { actorId: off, role: 'PARTICIPANT' },
      ]),
    })
  ).id as string;
  const shipment = async (events: string[]) =>
    (await edit('mutation ($i: CreateShipmentInput!) { createShipment(input: $i) { id } }', { i: foodShipmentInput(sup, rec, events) })).id as string;
  const s = await shipment([e]);
  const s2 = await shipment([]);
  const f = (
    await edit('mutation ($i: CreateAffiliationInput!) { createAffiliation(input: $i) { id } }', { i: { actorId: off, role: 'OFFICIAL_OF', targetId: rec } })
  ).id as string;
  const cite = async (subject: Record<string, string>, source = src) =>
    (await edit('mutation ($i: CreateCitationInput!) { createCitation(input: $i) { id } }', { i: { sourceId: source, excerpt: `Excerpt ${tag}`, ...subject } }))
      .id as string;
  const ce = await cite({ eventId: e });
  const ce2 = await cite({ eventId: e });
  const cr = await cite({ eventId: e }, rep);
  const cs = await cite({ shipmentId: s });
  const cs2 = await cite({ shipmentId: s });
  const cf = await cite({ affiliationId: f });
  const cf2 = await cite({ affiliationId: f });
  const claim = async (subject: Record<string, string>) =>
    (await edit('mutation ($i: CreateClaimInput!) { createClaim(input: $i) { id } }', { i: { claimantId: cl, likelihood: 'LIKELY', ...subject } }))
      .id as string;
  const ke = await claim({ eventId: e, citationId: ce });
  const ke2 = await claim({ eventId: e });
  const ke3 = await claim({ eventId: e, citationId: ce });
  const ks = await claim({ shipmentId: s, citationId: cs });
  return { sup, rec, off, cl, src, rep, e, s, s2, f, ce, ce2, cr, cs, cs2, cf, cf2, ke, ke2, ke3, ks };
}

type World = Awaited<ReturnType<typeof world>>;

const KIND_OF: Record<keyof World, string> = {
  sup: 'Actor',
  rec: 'Actor',
  off: 'Actor',
  cl: 'Actor',
  src: 'Source',
  rep: 'Source',
  e: 'Event',
  s: 'Shipment',
  s2: 'Shipment',
  f: 'Affiliation',
  ce: 'Citation',
  ce2: 'Citation',
  cr: 'Citation',
  cs: 'Citation',
  cs2: 'Citation',
  cf: 'Citation',
  cf2: 'Citation',
  ke: 'Claim',
  ke2: 'Claim',
  ke3: 'Claim',
  ks: 'Claim',
};

interface Case {
  kind: string;
  root: (w: World) => string;
  /** A dependent deleted apart first (kind, id): it must stay deleted after the restore. */
  apart?: (w: World) => [string, string];
  /** Live dependents when the delete is asked for (after `apart`). */
  dependents: Record<string, number>;
  /** Records the cascade soft-deletes. */
  deletes: (w: World) => string[];
  /** Links the cascade takes off: "event actor" participations or "shipment event" links. */
  unlinks?: (w: World) => { participants?: string[]; links?: string[] };
}

const CASES: Case[] = [
  {
    kind: 'Actor',
    root: (w) => w.sup,
    apart: (w) => ['Shipment', w.s2],
    dependents: { Shipment: 1, Event: 1 },
    deletes: (w) => [w.s, w.cs, w.cs2, w.ks],
    unlinks: (w) => ({ participants: [`${w.e} ${w.sup} INITIATOR`] }),
  },
  {
    kind: 'Actor',
    root: (w) => w.cl,
    apart: (w) => ['Claim', w.ke2],
    dependents: { Claim: 3 },
    deletes: (w) => [w.ke, w.ke3, w.ks],
  },
  {
    kind: 'Actor',
    root: (w) => w.off,
    dependents: { Affiliation: 1, Event: 1 },
    deletes: (w) => [w.f, w.cf, w.cf2],
    unlinks: (w) => ({ participants: [`${w.e} ${w.off} PARTICIPANT`] }),
  },
  {
    kind: 'Event',
    root: (w) => w.e,
    apart: (w) => ['Citation', w.ce2],
    dependents: { Citation: 2, Claim: 3, Shipment: 1 },
    deletes: (w) => [w.ce, w.cr, w.ke, w.ke2, w.ke3],
    unlinks: (w) => ({ links: [`${w.s} ${w.e}`] }),
  },
  {
    kind: 'Shipment',
    root: (w) => w.s,
    apart: (w) => ['Citation', w.cs2],
    dependents: { Citation: 1, Claim: 1 },
    deletes: (w) => [w.cs, w.ks],
  },
  {
    kind: 'Source',
    root: (w) => w.src,
    apart: (w) => ['Citation', w.cf2],
    dependents: { Citation: 5, Source: 1 },
    deletes: (w) => [w.rep, w.ce, w.ce2, w.cr, w.cs, w.cs2, w.cf, w.ke, w.ke3, w.ks],
  },
  {
    kind: 'Affiliation',
    root: (w) => w.f,
    apart: (w) => ['Citation', w.cf2],
    dependents: { Citation: 1 },
    deletes: (w) => [w.cf],
  },
  {
    kind: 'Citation',
    root: (w) => w.ce,
    apart: (w) => ['Claim', w.ke3],
    dependents: { Claim: 1 },
    deletes: (w) => [w.ke],
  },
  { kind: 'Claim', root: (w) => w.ke, dependents: {}, deletes: () => [] },
];

describe.each(CASES.map((c, i) => [`${c.kind} #${i}`, c] as const))('delete%s', (_name, c) => {
  let w: World;
  let root: string;
  let before: Record<string, string[]>;
  let cascaded: Record<string, string[]>;

  beforeAll(async () => {
    w = await world(`${c.kind} ${CASES.indexOf(c)}`);
    root = c.root(w);
    if (c.apart) {
      const [kind, id] = c.apart(w);
      ok(await del(kind, id));
    }
    before = await state();
  }, 60_000);

  it('without cascade: CONFLICT naming the kinds and counts of what refers to it, and nothing written', async () => {
    if (!Object.keys(c.dependents).length) return void expect(c.deletes(w)).toEqual([]);
    const audits = await auditCount();
    const res = await del(c.kind, root);
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
    const dependents = res.errors![0].extensions!.dependents as { kind: string; count: number }[];
    expect(Object.fromEntries(dependents.map((d) => [d.kind, d.count]))).toEqual(c.dependents);
    expect(res.errors![0].message).toContain(`${c.kind} ${root} is still referred to by`);
    expect(await state()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('with cascade: the dependents go in the same transaction, each audited under the delete', async () => {
    const since = await lastAuditId();
    ok(await del(c.kind, root, true));
    cascaded = await state();
    const deletedNow = TABLES.flatMap((t) => cascaded[t].filter((r) => !before[t].includes(r)).map((r) => r.split(' ')[0]));
    expect(deletedNow.sort()).toEqual([root, ...c.deletes(w)].sort());
    const unlinks = c.unlinks?.(w) ?? {};
    expect(before.participants.filter((p) => !cascaded.participants.includes(p))).toEqual(unlinks.participants ?? []);
    expect(before.links.filter((l) => !cascaded.links.includes(l))).toEqual(unlinks.links ?? []);

    const entries = await auditSince(since);
    const rootEntry = entries.find((e) => e.entity_id === root)!;
    expect(rootEntry).toMatchObject({ operation: `delete${c.kind}`, cascade_of: null });
    expect(entries.every((e) => e.operation === `delete${c.kind}`)).toBe(true);
    expect(descendsFrom(entries, rootEntry.id)).toBe(true);
    expect(
      entries
        .filter((e) => e.after?.deletedAt)
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([root, ...c.deletes(w)].sort());
    expect(await danglingReferences(server.db.pool)).toEqual([]);
    // the GraphQL answers agree: nothing live shows a deleted record
    const read = ok(
      await server.gql(
        `query ($rec: ID!, $e: ID!, $s: ID!) {
      shipments(filter: { recipientIds: [$rec] }) { edges { node { id supplier { id } events { id } citations { id source { id } } claims { id claimant { id } } } } }
      timeline(actorIds: [$rec]) { edges { node { ... on Affiliation { id actor { id } citations { id } } } } }
      event(id: $e) { participants { actor { id } } citations { id source { id } } claims { id claimant { id } } shipments { id } }
      shipment(id: $s) { events { id } }
    }`,
        { rec: w.rec, e: w.e, s: w.s },
      ),
    );
    const shown = JSON.stringify(read);
    for (const id of [root, ...c.deletes(w)]) expect(shown).not.toContain(id);
  });

  it('restoring it brings back exactly what its cascade took; what was deleted apart stays deleted', async () => {
    const since = await lastAuditId();
    ok(await restore(c.kind, root));
    expect(await state()).toEqual(before);
    const entries = await auditSince(since);
    expect(entries.every((e) => e.operation === `restore${c.kind}`)).toBe(true);
    expect(descendsFrom(entries, entries[0].id)).toBe(true);
    expect(
      entries
        .filter((e) => !e.after?.deletedAt && e.before?.deletedAt)
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([root, ...c.deletes(w)].sort());
    expect(await danglingReferences(server.db.pool)).toEqual([]);
  });

  it('a dependent deleted again apart after the restore stays deleted at the next cascade round trip', async () => {
    const [first] = c.deletes(w);
    if (!first) return void expect(c.dependents).toEqual({});
    const field = (Object.keys(w) as (keyof World)[]).find((k) => w[k] === first)!;
    const kind = KIND_OF[field];
    ok(await del(kind, first, true));
    const afterApart = await state();
    ok(await del(c.kind, root, true));
    ok(await restore(c.kind, root));
    expect(await state()).toEqual(afterApart);
    expect(afterApart[`${kind.toLowerCase()}s`]).toContain(`${first} deleted`);
  });
});

describe('restores refused for what a record refers to', () => {
  it('an event whose participant is deleted, a claim whose citation is deleted, a source whose origin is deleted', async () => {
    const w = await world('refused');
    // deleted apart in an order the rules allow: the event first (with its citations, claims), then the official
    ok(await del('Event', w.e, true));
    ok(await del('Affiliation', w.f, true));
    ok(await del('Actor', w.off));
    const event = await restore('Event', w.e);
    expect(event.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    expect(event.errors?.[0].message).toBe(`its participant ${w.off} is deleted; restore that first`);
    ok(await restore('Actor', w.off));
    ok(await restore('Event', w.e));

    ok(await del('Claim', w.ks));
    ok(await del('Citation', w.cs));
    const claim = await restore('Claim', w.ks);
    expect(claim.errors?.[0].message).toBe(`its citation ${w.cs} is deleted; restore that first`);

    ok(await del('Source', w.src, true));
    ok(await restore('Source', w.src));
    // the repeat came back with it; alone it would not
    ok(await del('Source', w.src, true));
    const repeat = await restore('Source', w.rep);
    expect(repeat.errors?.[0].message).toBe(`its origin (derivedFrom) ${w.src} is deleted; restore that first`);
  });

  it('a restore whose cascade would bring back a record referring to one deleted apart is refused, and changes nothing', async () => {
    const w = await world('blocked');
    ok(await del('Actor', w.cl, true)); // its claims, among them ks about shipment s
    ok(await del('Shipment', w.s, true)); // s's live citations; ks was already deleted
    const before = await state();
    const res = await restore('Actor', w.cl);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(res.errors?.[0].message).toBe(`restoring actor ${w.cl} would bring back claim ${w.ks}, whose shipment ${w.s} is deleted; restore that first`);
    expect(await state()).toEqual(before);
    ok(await restore('Shipment', w.s));
    ok(await restore('Actor', w.cl));
    expect((await state()).claims).toContain(`${w.ks} live`);
  });
});

describe('a delete and a write referring to the same record, at the same time', () => {
  /** Resolves once some backend of this database waits for a lock (the request under test is blocked). */
  async function someoneWaits(): Promise<void> {
    const waiting = await eventually(
      async () => (await sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n,
      (n) => n > 0,
    );
    expect(waiting).toBeGreaterThan(0);
  }

  async function bareEvent(title: string): Promise<string> {
    return (
      await edit('mutation ($i: CreateEventInput!) { createEvent(input: $i) { id } }', {
        i: { type: 'STATEMENT', title, confidence: 'REPORTED', date: { edtf: '2023-10' } },
      })
    ).id;
  }

  /**
   * A new event and a live source; `begin` runs on a connection of the server's own pool inside a
   * transaction, then `request` is sent, and once it waits on a lock the transaction commits.
   * Returns the event and the request's answer.
   */
  async function race(
    title: string,
    begin: (tx: PoolClient, event: string, source: string) => Promise<void>,
    request: (event: string, source: string) => Promise<GqlResponse<any>>,
  ) {
    const event = await bareEvent(title);
    const source = (await sql(`SELECT id::text FROM sources WHERE deleted_at IS NULL LIMIT 1`))[0].id;
    const tx = await server.db.pool.connect();
    try {
      await tx.query('BEGIN');
      await begin(tx, event, source);
      const answer = request(event, source);
      await someoneWaits();
      await tx.query('COMMIT');
      return { event, res: await answer };
    } finally {
      tx.release();
    }
  }

  it('a citation written while its event is being deleted is refused once the delete commits, not left live', async () => {
    const { event, res } = await race(
      'Race: delete first',
      // a delete in progress, as deleteEvent makes it: the row locked FOR UPDATE, then marked
      async (deleter, event) => {
        await deleter.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [event]);
        await deleter.query('UPDATE events SET deleted_at = now() WHERE id = $1', [event]);
      },
      (event, source) =>
        server.gql('mutation ($i: CreateCitationInput!) { createCitation(input: $i) { id } }', { i: { sourceId: source, excerpt: 'racing', eventId: event } }),
    );
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.eventId' });
    expect(await sql(`SELECT id FROM citations WHERE event_id = $1`, [event])).toEqual([]);
  });

  it('an event deleted while a citation of it is being written waits for the write and answers CONFLICT', async () => {
    const { res } = await race(
      'Race: write first',
      // a write in progress, as createCitation makes it: the event locked FOR KEY SHARE, the citation inserted
      async (writer, event, source) => {
        await writer.query('SELECT 1 FROM events WHERE id = $1 AND deleted_at IS NULL FOR KEY SHARE', [event]);
        await writer.query(`INSERT INTO citations (source_id, excerpt, event_id) VALUES ($1, 'racing', $2)`, [source, event]);
      },
      (event) => del('Event', event),
    );
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', dependents: [{ kind: 'Citation', count: 1 }] });
    expect(await danglingReferences(server.db.pool)).toEqual([]);
  });
});

describe('restores after links were put back on deleted records', () => {
  it('an event whose participant came back while it was deleted still brings back its own cascade', async () => {
    const w = await world('relinked root');
    ok(await del('Actor', w.off, true)); // takes it off the event's participants (and its affiliation)
    ok(await del('Event', w.e, true)); // its citations and claims go
    ok(await restore('Actor', w.off)); // puts it back on the event, deleted as it is
    expect((await state()).participants).toContain(`${w.e} ${w.off} PARTICIPANT`);
    ok(await restore('Event', w.e));
    const now = await state();
    for (const id of [w.ce, w.ce2, w.cr]) expect(now.citations).toContain(`${id} live`);
    for (const id of [w.ke, w.ke2, w.ke3]) expect(now.claims).toContain(`${id} live`);
    expect(await danglingReferences(server.db.pool)).toEqual([]);
  });

  it('a shipment linked back to its event while deleted still comes back with its actor', async () => {
    const w = await world('relinked dependent');
    ok(await del('Event', w.e, true)); // takes the event off the shipment's events
    ok(await del('Actor', w.rec, true)); // the shipments it received go
    ok(await restore('Event', w.e)); // puts the link back on the shipment, deleted as it is
    expect((await state()).links).toContain(`${w.s} ${w.e}`);
    ok(await restore('Actor', w.rec));
    const now = await state();
    for (const id of [w.s, w.s2]) expect(now.shipments).toContain(`${id} live`);
    expect(now.affiliations).toContain(`${w.f} live`);
    expect(await danglingReferences(server.db.pool)).toEqual([]);
  });
});
