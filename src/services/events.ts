// Events with their participants and the shipments they report.
import { NotFoundError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { limitedText, locationFields, parseFatalitiesInput, parseInput, parseSpan, type FatalitiesInput } from '../domain/validation';
import { z } from 'zod';
import type { Db } from '../db/client';
import { eventSpanFields, fatalityFields } from '../domain/spans';
import type { Confidence, Event, EventType, ParticipantRole, Prisma } from '../generated/prisma/client';
import type { DateSpanInput } from '../domain/dateSpan';
import { audited, NO_KEY, type Author } from './audit';
import { deleteOne } from './cascade';
import { lockVersion } from './concurrency';
import { refsOf, requireExisting } from './references';

type Tx = Prisma.TransactionClient;

export interface EventInput extends FatalitiesInput {
  type?: EventType | null;
  title?: string | null;
  description?: string | null;
  date?: DateSpanInput | null;
  location?: { name?: string | null; countryCode?: string | null; latitude?: number | null; longitude?: number | null } | null;
  participants?: { actorId: string; role: ParticipantRole }[] | null;
  confidence?: Confidence | null;
  expectedUpdatedAt?: Date | null;
}

const eventFields = z.object({
  title: limitedText('title').min(1, 'must not be empty').nullish(),
  description: limitedText('description').nullish(),
  location: locationFields,
});

/** Validates an input and returns the columns it sets (absent fields stay undefined). */
function eventData(input: EventInput) {
  const f = parseInput(eventFields, input, 'input');
  const span = input.date ? eventSpanFields(parseSpan(input.date, 'input.date')) : {};
  const loc =
    input.location === undefined
      ? {}
      : {
          locationName: f.location?.name ?? null,
          locationCountryCode: f.location?.countryCode ?? null,
          latitude: f.location?.latitude ?? null,
          longitude: f.location?.longitude ?? null,
        };
  // The fatality fields are one value: any of them replaces the whole figure (as a shipment's quantity).
  const fatalities = parseFatalitiesInput(input, 'input');
  return {
    type: input.type ?? undefined,
    title: f.title ?? undefined,
    description: input.description === undefined ? undefined : f.description || null,
    confidence: input.confidence ?? undefined,
    ...span,
    ...loc,
    ...(fatalities === undefined ? {} : fatalityFields(fatalities)),
  };
}

async function setParticipants(tx: Tx, eventId: string, participants: EventInput['participants']): Promise<void> {
  await requireExisting(tx, 'actor', refsOf(participants, 'input.participants', 'actorId'));
  await tx.eventParticipant.deleteMany({ where: { eventId } });
  if (participants?.length) {
    await tx.eventParticipant.createMany({
      data: participants.map((p) => ({ eventId, actorId: p.actorId.toLowerCase(), role: p.role })),
      skipDuplicates: true,
    });
  }
}

/** An event as the audit log records it: its row and its participants. */
export async function eventState(tx: Tx, event: Event) {
  const participants = await tx.eventParticipant.findMany({
    where: { eventId: event.id },
    select: { actorId: true, role: true },
    orderBy: [{ actorId: 'asc' }, { role: 'asc' }],
  });
  return { ...event, participants };
}

export async function createEvent(db: Db, input: EventInput, by: Author = NO_KEY): Promise<Event> {
  const data = eventData(input);
  return db.transaction(async (tx) => {
    await requireExisting(tx, 'actor', refsOf(input.participants, 'input.participants', 'actorId'));
    const event = await tx.event.create({ data: data as Prisma.EventUncheckedCreateInput });
    await setParticipants(tx, event.id, input.participants);
    await audited(tx, by, { operation: 'createEvent', entity: 'EVENT', id: event.id, before: null, after: await eventState(tx, event) });
    return event;
  });
}

export async function findEvent(tx: Tx, id: string): Promise<Event> {
  const event = await tx.event.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!event) throw new NotFoundError('Event', id);
  return event;
}

export async function updateEvent(db: Db, id: string, input: EventInput, by: Author = NO_KEY): Promise<Event> {
  eventData(input); // bad input fails before a transaction is opened
  return db.transaction((tx) => applyEventUpdate(tx, id, input, by, 'updateEvent'));
}

/** An audited update inside the caller's transaction (updateEvent's, or acceptClaim's). */
export async function applyEventUpdate(tx: Tx, id: string, input: EventInput, by: Author, operation: string): Promise<Event> {
  const data = eventData(input);
  await lockVersion(tx, 'Event', id, input.expectedUpdatedAt);
  const before = await eventState(tx, await findEvent(tx, id));
  if (input.participants) await setParticipants(tx, before.id, input.participants);
  const after = await tx.event.update({ where: { id: before.id }, data });
  await audited(tx, by, { operation, entity: 'EVENT', id: after.id, before, after: await eventState(tx, after) });
  return after;
}

/** Soft delete; refused (ReferencedError) while live records refer to the event, unless `cascade` (./cascade.ts). */
export function deleteEvent(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Event> {
  return deleteOne(db, by, 'Event', id, { operation: 'deleteEvent', cascade: opts.cascade });
}
