// Timeline resolvers: the `timeline` and `timelineMonths` queries and the types of the feed.
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import { timelineConnection, timelineMonths } from '../../services/timeline';

export const timelineQuery: Pick<QueryResolvers, 'timeline' | 'timelineMonths'> = {
  timeline: (_, { first, after, last, before, ...filter }, { db }) => timelineConnection(db, filter, { first, after, last, before }),
  timelineMonths: (_, filter, { db }) => timelineMonths(db, filter),
};

export const timelineTypes: Resolvers = {
  TimelineItem: {
    // The nodes are the Prisma rows: a shipment has a supplier, an affiliation a target.
    __resolveType: (node) => ('supplierId' in node ? 'Shipment' : 'targetId' in node ? 'Affiliation' : 'Event'),
  },
  TimelineConnection: { totalCount: (c) => c.totalCount() },
};
