// The playground's ready example operations against the seed (also registered in the
// persisted-query manifest, so they run in safelist mode too).
import timeline from './dprk-russia-timeline.graphql';
import shipmentsByMonth from './shipments-by-month-2023.graphql';
import containers from './who-said-what-about-the-containers.graphql';

export interface Example {
  title: string;
  /** One line on what it shows. */
  summary: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** The seed's North Korea and Russia (seed ids are stable). */
export const NORTH_KOREA = 'cfbc03ae-9ba8-52f5-a06b-f52932e56ba4';
export const RUSSIA = 'dfad88f4-4fe1-55a7-bf1b-16bb86e7f8a4';

export const EXAMPLES: Example[] = [
  {
    title: 'DPRK–Russia timeline',
    summary: 'Events and shipments involving both, July–October 2023, each date as EDTF with its open or qualified ends, and a month-by-month count.',
    query: timeline,
    variables: { ids: [NORTH_KOREA, RUSSIA] },
  },
  {
    title: 'Shipments by month, 2023',
    summary: 'The shipment report by supplier, recipient and category; containers 960 in September, 40 in October.',
    query: shipmentsByMonth,
  },
  {
    title: 'Who said what about the containers',
    summary: 'The 1,000 containers: the quantity with its qualifier and bounds, every excerpt with its source, and the events reporting them.',
    query: containers,
  },
];
