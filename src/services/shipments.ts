// Shipments: who supplied whom with what, when, and which events report it.
import { z } from 'zod';
import type { DateSpanInput } from '../domain/dateSpan';
import { NotFoundError } from '../domain/errors';
import { checkId } from '../domain/ids';
import type { QuantityInput } from '../domain/quantity';
import { checkParties, checkQuantity, limitedText, parseInput, parseQuantityInput, parseSpan } from '../domain/validation';
import type { Db } from '../db/client';
import { deliverySpanFields, quantityFields, shipmentQuantity } from '../domain/spans';
import type { Confidence, Prisma, Shipment, ShipmentCategory, ShipmentStatus } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { deleteOne } from './cascade';
import { lockVersion } from './concurrency';
import { requireExisting } from './references';

type Tx = Prisma.TransactionClient;

export interface ShipmentInput extends QuantityInput {
  supplierId?: string | null;
  recipientId?: string | null;
  category?: ShipmentCategory | null;
  description?: string | null;
  unit?: string | null;
  deliverySpan?: DateSpanInput | null;
  status?: ShipmentStatus | null;
  confidence?: Confidence | null;
  route?: string | null;
  eventIds?: string[] | null;
  expectedUpdatedAt?: Date | null;
}

const textFields = z.object({
  description: limitedText('description').nullish(),
  unit: limitedText('unit').nullish(),
  route: limitedText('route').nullish(),
});

/** Columns set by an input; `current` is the stored row on update, so rules see the combined result. */
function shipmentData(input: ShipmentInput, current?: Shipment) {
  const t = parseInput(textFields, input, 'input');
  const supplierId = input.supplierId ? checkId(input.supplierId, 'input.supplierId') : current?.supplierId;
  const recipientId = input.recipientId ? checkId(input.recipientId, 'input.recipientId') : current?.recipientId;
  checkParties(supplierId!, recipientId!, 'input');
  // The quantity fields are one value: any of them replaces the whole quantity (quantity.ts).
  const given = parseQuantityInput(input, 'input');
  const quantity = given === undefined ? (current ? shipmentQuantity(current) : null) : given;
  const unit = input.unit === undefined ? current?.unit : t.unit || null;
  checkQuantity(quantity, unit, 'input');
  return {
    supplierId,
    recipientId,
    category: input.category ?? undefined,
    description: input.description === undefined ? undefined : t.description || null,
    ...(given === undefined ? {} : quantityFields(given)),
    unit: input.unit === undefined ? undefined : unit,
    status: input.status ?? undefined,
    confidence: input.confidence ?? undefined,
    route: input.route === undefined ? undefined : t.route || null,
    ...(input.deliverySpan ? deliverySpanFields(parseSpan(input.deliverySpan, 'input.deliverySpan')) : {}),
  };
}

async function checkRefs(tx: Tx, data: { supplierId?: string; recipientId?: string }, eventIds?: string[] | null) {
  await requireExisting(tx, 'actor', {
    ...(data.supplierId ? { 'input.supplierId': data.supplierId } : {}),
    ...(data.recipientId ? { 'input.recipientId': data.recipientId } : {}),
  });
  await requireExisting(tx, 'event', Object.fromEntries((eventIds ?? []).map((id, i) => [`input.eventIds[${i}]`, id])));
}

async function setEvents(tx: Tx, shipmentId: string, eventIds: string[]): Promise<void> {
  await tx.shipmentEvent.deleteMany({ where: { shipmentId } });
  await tx.shipmentEvent.createMany({
    data: eventIds.map((eventId) => ({ shipmentId, eventId: eventId.toLowerCase() })),
    skipDuplicates: true,
  });
}

/** A shipment as the audit log records it: its row and the events reporting it. */
export async function shipmentState(tx: Tx, shipment: Shipment) {
  const links = await tx.shipmentEvent.findMany({ where: { shipmentId: shipment.id }, select: { eventId: true }, orderBy: { eventId: 'asc' } });
  return { ...shipment, eventIds: links.map((l) => l.eventId) };
}

export async function createShipment(db: Db, input: ShipmentInput, by: Author = NO_KEY): Promise<Shipment> {
  const data = shipmentData(input);
  return db.transaction(async (tx) => {
    await checkRefs(tx, data, input.eventIds);
    const shipment = await tx.shipment.create({ data: data as Prisma.ShipmentUncheckedCreateInput });
    if (input.eventIds?.length) await setEvents(tx, shipment.id, input.eventIds);
    await audited(tx, by, { operation: 'createShipment', entity: 'SHIPMENT', id: shipment.id, before: null, after: await shipmentState(tx, shipment) });
    return shipment;
  });
}

async function findShipment(tx: Tx, id: string): Promise<Shipment> {
  const shipment = await tx.shipment.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!shipment) throw new NotFoundError('Shipment', id);
  return shipment;
}

export async function updateShipment(db: Db, id: string, input: ShipmentInput, by: Author = NO_KEY): Promise<Shipment> {
  return db.transaction((tx) => applyShipmentUpdate(tx, id, input, by, 'updateShipment'));
}

/** An audited update inside the caller's transaction (updateShipment's, or acceptClaim's). */
export async function applyShipmentUpdate(tx: Tx, id: string, input: ShipmentInput, by: Author, operation: string): Promise<Shipment> {
  await lockVersion(tx, 'Shipment', id, input.expectedUpdatedAt);
  const current = await findShipment(tx, id);
  const before = await shipmentState(tx, current);
  const data = shipmentData(input, current);
  await checkRefs(tx, { supplierId: input.supplierId ?? undefined, recipientId: input.recipientId ?? undefined }, input.eventIds);
  if (input.eventIds) await setEvents(tx, current.id, input.eventIds);
  const after = await tx.shipment.update({ where: { id: current.id }, data });
  await audited(tx, by, { operation, entity: 'SHIPMENT', id: after.id, before, after: await shipmentState(tx, after) });
  return after;
}

/** Soft delete; refused (ReferencedError) while live citations or claims refer to it, unless `cascade` (./cascade.ts). */
export function deleteShipment(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Shipment> {
  return deleteOne(db, by, 'Shipment', id, { operation: 'deleteShipment', cascade: opts.cascade });
}
