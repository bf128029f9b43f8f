// Inputs of the create mutations for the small worlds that tests build over GraphQL.

/** The input of a meeting on 2023-09-13 titled `Meeting <tag>`. */
export const meetingInput = (tag: string, participants: { actorId: string; role: string }[]) => ({
  type: 'MEETING',
  title: `Meeting ${tag}`,
  confidence: 'REPORTED',
  date: { edtf: '2023-09-13' },
  participants,
});

/** The input of a food shipment delivered in 2023-09, reported and alleged, reported by `eventIds`. */
export const foodShipmentInput = (supplierId: string, recipientId: string, eventIds: string[]) => ({
  supplierId,
  recipientId,
  category: 'FOOD',
  deliverySpan: { edtf: '2023-09' },
  status: 'REPORTED',
  confidence: 'ALLEGED',
  eventIds,
});
