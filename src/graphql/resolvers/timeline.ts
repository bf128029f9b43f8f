// Timeline resolvers: the `timeline` and `timelineMonths` queries and the types of the feed.
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import { checkAsOf } from '../../services/history';
import { timelineConnection, timelineMonths } from '../../services/timeline';
import { timelineSelection } from '../selection';

export const timelineQuery: Pick<QueryResolvers, 'timeline' | 'timelineMonths'> = {
  // The nodes' columns follow the selection (selection.ts): a page reads what it returns, and
  // the actors it selects come with it, on their nodes.
  timeline: async (_, { first, after, last, before, asOf, ...filter }, { db }, info) =>
    timelineConnection(db, { ...filter, asOf: await checkAsOf(db, asOf) }, { first, after, last, before }, timelineSelection(info)),
  timelineMonths: async (_, { asOf, ...filter }, { db }) => timelineMonths(db, { ...filter, asOf: await checkAsOf(db, asOf) }),
};

export const timelineTypes: Resolvers = {
  TimelineItem: {
    // The nodes are the Prisma rows: a shipment has a supplier, an affiliation a target.
    __resolveType: (node) => ('supplierId' in node ? 'Shipment' : 'targetId' in node ? 'Affiliation' : 'Event'),
  },
  TimelineConnection: { totalCount: (c) => c.totalCount() },
};
