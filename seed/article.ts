// The seed article ("DPRK will continue to supply arms to Russia despite famine
// in country", signed "- News") as structured data: the actors it names, how they
// are affiliated, the events and shipments it reports, and for every event,
// shipment and affiliation at least one verbatim excerpt of the article.
//
// Records are keyed by stable slugs ('dprk', 'kim-jong-un', 'kim-putin-vostochny-meeting');
// seed/ids.ts turns a slug into the row's deterministic UUID, so a slug must never
// be renamed once seeded. References between records use the slug types below,
// so a misspelt reference is a compile error.
//
// Dates are 'YYYY-MM-DD' strings (calendar dates, stored in DATE columns). The article
// itself carries no year and no date of publication; every assumption made to turn
// its wording into date spans is listed in DATE_ASSUMPTIONS and repeated in the
// affected record's span text.
import {
  ActorKind,
  AffiliationRole,
  Confidence,
  DatePrecision,
  EventType,
  EvidenceType,
  Likelihood,
  ParticipantRole,
  Reliability,
  ShipmentCategory,
  ShipmentStatus,
} from '../src/generated/prisma/enums';

// ---------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------

/** A closed span of calendar days, inclusive at both ends, with how precise it is and the wording behind it. */
export interface SeedDateSpan {
  start: string;
  end: string;
  precision: DatePrecision;
  /** The article's wording plus any assumption used to turn it into start/end. */
  text: string;
}

/** Admiralty scale, information credibility: 1 confirmed .. 6 cannot be judged. */
export type Credibility = 1 | 2 | 3 | 4 | 5 | 6;

export interface SeedSource {
  publisher: string;
  title: string;
  url: string | null;
  publishedAt: string | null;
  reliability: Reliability;
}

export interface SeedCitation {
  source: SourceSlug;
  /** Verbatim text of the source. */
  excerpt: string;
  credibility: Credibility;
  /** What the excerpt reports: an official statement, an expert's assessment, imagery… */
  evidenceType: EvidenceType;
}

export interface SeedActor {
  name: string;
  kind: ActorKind;
  /** ISO 3166-1 alpha-3. */
  countryCode: string | null;
  /** Other names; the loader adds `name` itself and drops case-insensitive duplicates. */
  aliases: readonly string[];
  description: string | null;
}

export interface SeedAffiliation {
  actor: ActorSlug;
  target: ActorSlug;
  role: AffiliationRole;
  title: string | null;
  /** null: the article says nothing about when the affiliation held. */
  span: SeedDateSpan | null;
  confidence: Confidence;
  citations: readonly SeedCitation[];
}

export interface SeedLocation {
  name: string;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface SeedParticipant {
  actor: ActorSlug;
  role: ParticipantRole;
}

export interface SeedEvent {
  type: EventType;
  title: string;
  description: string | null;
  span: SeedDateSpan;
  location: SeedLocation | null;
  confidence: Confidence;
  participants: readonly SeedParticipant[];
  citations: readonly SeedCitation[];
}

export interface SeedShipment {
  supplier: ActorSlug;
  recipient: ActorSlug;
  category: ShipmentCategory;
  description: string | null;
  quantity: number | null;
  unit: string | null;
  delivery: SeedDateSpan;
  status: ShipmentStatus;
  route: string | null;
  confidence: Confidence;
  /** The events that report this shipment. */
  events: readonly EventSlug[];
  citations: readonly SeedCitation[];
}

// ---------------------------------------------------------------------------
// Date assumptions (the article has no year and no publication date)
// ---------------------------------------------------------------------------

/** The window in which the article is assumed to have been published (see DATE_ASSUMPTIONS). */
export const PUBLICATION_WINDOW = { start: '2023-10-13', end: '2023-10-31' } as const;

export const DATE_ASSUMPTIONS: readonly string[] = [
  'Year: the article gives no years. All dated items are placed in 2023: the Shoigu visit (July), the Kim–Putin summit at Vostochny (13 September) and the White House container report (13 October) are the 2023 events, which also fits "almost two years of war" counted from February 2022.',
  'Publication: the article is undated. Its latest dated item is 13 October, so it appeared on or after 2023-10-13; Source.publishedAt is 2023-10-13 (the earliest possible date) and the publication window is assumed to be 2023-10-13..2023-10-31.',
  '"In July": Shoigu\'s visit and his meeting with the DPRK defence minister are dated 2023-07-01..2023-07-31 with MONTH precision; the meeting is assumed to fall within the same visit.',
  '"In early August": the White House accusation is dated 2023-08-01..2023-08-10 (RANGE), reading "early" as the first ten days.',
  '"On September 11" (Kim\'s train to Vladivostok) is recorded as the article states it, as a DAY.',
  'Rumours of the start of the artillery transfer surfaced "a day before" 7 October: dated 2023-10-06 (DAY).',
  'Satellite images of border traffic: 7 October is the day the images were reported, not necessarily the day they were taken; the event is dated 2023-10-07 (DAY).',
  '1,000 containers: the report is dated 2023-10-13 (DAY); the deliveries are dated 2023-09-07..2023-10-01 (RANGE), "between September 7 and October 1".',
  'Kirby\'s "actively progressing" statement is undated in the article and heads its background list: dated 2023-07-01..2023-10-31 (RANGE), from the earliest dated Russia–DPRK contact in the article (July 2023) to the end of the assumed publication window.',
  'Musienko\'s statement is undated; the background list is otherwise chronological and places it between "early August" and "August 31": dated 2023-08-01..2023-08-31 (RANGE).',
  'Kraiev\'s assessment is undated; the list places it between "September 11" and "September 13": dated 2023-09-11..2023-09-13 (RANGE).',
  'Hrytsenko\'s statement on Espreso TV is the news the article reports and speaks of Kim\'s visit to Russia (13 September) in the past tense: dated to the publication window, 2023-10-13..2023-10-31 (RANGE).',
  'The battlefield finding of DPRK-made ammunition is undated: 2022-02-24 (start of the full-scale invasion) .. 2023-10-31 (end of the publication window), RANGE.',
  'Artillery and MLRS ammunition supplies, "for almost two years of war": 2022-02-24 (start of the full-scale invasion; "almost two years" back from October 2023 reaches no earlier than the war itself) .. 2023-10-31 (ongoing at publication), RANGE.',
  'Planned food deliveries from Russia (Kraiev\'s assessment) have no date in the article: 2023-09-11 (start of the assessment window) .. 2023-12-31 (the rest of 2023), RANGE.',
  'Affiliations (Kim leads the DPRK, Shoigu is defence minister, …) carry no span: the article only says they held at the time of the events it reports.',
];

// Spans used more than once.
const JULY_2023: SeedDateSpan = {
  start: '2023-07-01',
  end: '2023-07-31',
  precision: DatePrecision.MONTH,
  text: 'In July (year 2023 inferred from context)',
};
const WAR_SO_FAR: SeedDateSpan = {
  start: '2022-02-24',
  end: PUBLICATION_WINDOW.end,
  precision: DatePrecision.RANGE,
  text: '"for almost two years of war" (undated: from the full-scale invasion of 2022-02-24 to the end of the assumed publication window, 2023-10-31)',
};

// ---------------------------------------------------------------------------
// Source
// ---------------------------------------------------------------------------

export const sources = {
  // Publisher: the article's only attribution is its last line, "- News". It quotes
  // Espreso TV but is not itself an Espreso TV text. Reliability C (fairly reliable):
  // a news report whose outlet cannot be identified from the text.
  'seed-article': {
    publisher: 'News',
    title: 'DPRK will continue to supply arms to Russia despite famine in country',
    url: null,
    publishedAt: PUBLICATION_WINDOW.start,
    reliability: Reliability.C,
  },
} as const satisfies Record<string, SeedSource>;

export type SourceSlug = keyof typeof sources;

const ARTICLE: SourceSlug = 'seed-article';

/**
 * A citation of the seed article. Its evidence type is the kind of evidence the excerpt
 * relays: the article is a news report (MEDIA_REPORT, the default), but where it quotes an
 * official statement, an expert's assessment, satellite imagery or a battlefield finding,
 * the excerpt says so.
 */
function cite(excerpt: string, credibility: Credibility, evidenceType: EvidenceType = EvidenceType.MEDIA_REPORT): SeedCitation {
  return { source: ARTICLE, excerpt, credibility, evidenceType };
}

// ---------------------------------------------------------------------------
// Actors
// ---------------------------------------------------------------------------

export const actors = {
  // States
  dprk: {
    name: 'North Korea',
    kind: ActorKind.STATE,
    countryCode: 'PRK',
    aliases: ["Democratic People's Republic of Korea", 'DPRK'],
    description: null,
  },
  russia: {
    name: 'Russia',
    kind: ActorKind.STATE,
    countryCode: 'RUS',
    aliases: ['Russian Federation', 'Moscow'],
    description: null,
  },
  usa: {
    name: 'United States',
    kind: ActorKind.STATE,
    countryCode: 'USA',
    aliases: ['US', 'USA', 'United States of America', 'Washington'],
    description: null,
  },
  ukraine: {
    name: 'Ukraine',
    kind: ActorKind.STATE,
    countryCode: 'UKR',
    aliases: [],
    description: null,
  },
  'south-korea': {
    name: 'South Korea',
    kind: ActorKind.STATE,
    countryCode: 'KOR',
    aliases: ['Republic of Korea', 'Seoul'],
    description: null,
  },
  iran: {
    name: 'Iran',
    kind: ActorKind.STATE,
    countryCode: 'IRN',
    aliases: [],
    description: null,
  },

  // Organisations and companies
  'white-house': {
    name: 'White House',
    kind: ActorKind.ORGANIZATION,
    countryCode: 'USA',
    aliases: ['The White House'],
    description: 'Office of the President of the United States.',
  },
  niss: {
    name: 'National Institute for Strategic Studies',
    kind: ActorKind.ORGANIZATION,
    countryCode: 'UKR',
    aliases: ['NISS'],
    description: 'Ukrainian think tank.',
  },
  'espreso-tv': {
    name: 'Espreso TV',
    kind: ActorKind.COMPANY,
    countryCode: 'UKR',
    aliases: [],
    description: 'Ukrainian television channel.',
  },
  'center-for-military-legal-studies': {
    name: 'Center for Military Legal Studies',
    kind: ActorKind.ORGANIZATION,
    countryCode: 'UKR',
    aliases: [],
    description: 'Ukrainian think tank.',
  },
  'ukrainian-prism': {
    name: 'Ukrainian Prism Foreign Policy Council',
    kind: ActorKind.ORGANIZATION,
    countryCode: 'UKR',
    aliases: ['Ukrainian Prism'],
    description: 'Ukrainian foreign-policy think tank.',
  },
  'armed-forces-of-ukraine': {
    name: 'Armed Forces of Ukraine',
    kind: ActorKind.MILITARY_UNIT,
    countryCode: 'UKR',
    aliases: ['Ukrainian soldiers'],
    description: 'The article speaks of "Ukrainian soldiers" without naming a unit.',
  },

  // People
  'kim-jong-un': {
    name: 'Kim Jong Un',
    kind: ActorKind.PERSON,
    countryCode: 'PRK',
    aliases: [],
    description: 'Leader of North Korea.',
  },
  'vladimir-putin': {
    name: 'Vladimir Putin',
    kind: ActorKind.PERSON,
    countryCode: 'RUS',
    aliases: [],
    description: 'President of Russia.',
  },
  'sergei-shoigu': {
    name: 'Sergei Shoigu',
    kind: ActorKind.PERSON,
    countryCode: 'RUS',
    aliases: [],
    description: 'Russian Defence Minister at the time of the article.',
  },
  'dprk-defence-minister': {
    name: 'DPRK Minister of National Defence',
    kind: ActorKind.PERSON,
    countryCode: 'PRK',
    aliases: [],
    description:
      'Unnamed in the article ("his North Korean counterpart" of Sergei Shoigu); recorded by office.',
  },
  'south-korean-foreign-minister': {
    name: 'South Korean Foreign Minister',
    kind: ActorKind.PERSON,
    countryCode: 'KOR',
    aliases: ["South Korea's top diplomat"],
    description: 'Unnamed in the article ("South Korea\'s top diplomat"); recorded by office.',
  },
  'sanctioned-russian-citizens': {
    name: 'Unnamed Russian citizens (2), US sanctions of 2023-08-31',
    kind: ActorKind.PERSON,
    countryCode: 'RUS',
    aliases: [],
    description:
      'Two people recorded as one actor: the article names neither, only that the United States sanctioned "two Russian citizens" on August 31 over weapons of mass destruction and ballistic missile development for the DPRK. Split into two actors once they are identified.',
  },
  'alina-hrytsenko': {
    name: 'Alina Hrytsenko',
    kind: ActorKind.PERSON,
    countryCode: 'UKR',
    aliases: [],
    description: 'Chief consultant at the National Institute for Strategic Studies.',
  },
  'john-kirby': {
    name: 'John Kirby',
    kind: ActorKind.PERSON,
    countryCode: 'USA',
    aliases: [],
    description: 'White House spokesman.',
  },
  'oleksandr-musienko': {
    name: 'Oleksandr Musienko',
    kind: ActorKind.PERSON,
    countryCode: 'UKR',
    aliases: [],
    description: 'Head of the Center for Military Legal Studies.',
  },
  'oleksandr-kraiev': {
    name: 'Oleksandr Kraiev',
    kind: ActorKind.PERSON,
    countryCode: 'UKR',
    aliases: [],
    description: 'Expert at the Ukrainian Prism Foreign Policy Council.',
  },
} as const satisfies Record<string, SeedActor>;

export type ActorSlug = keyof typeof actors;

// ---------------------------------------------------------------------------
// Affiliations
// ---------------------------------------------------------------------------

export const affiliations = {
  'kim-jong-un-leader-of-dprk': {
    actor: 'kim-jong-un',
    target: 'dprk',
    role: AffiliationRole.LEADER_OF,
    title: 'Leader',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('North Korean leader Kim Jong Un', 2)],
  },
  'vladimir-putin-leader-of-russia': {
    actor: 'vladimir-putin',
    target: 'russia',
    role: AffiliationRole.LEADER_OF,
    title: 'President',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('Russian President Vladimir Putin', 2)],
  },
  'sergei-shoigu-defence-minister-of-russia': {
    actor: 'sergei-shoigu',
    target: 'russia',
    role: AffiliationRole.DEFENCE_MINISTER_OF,
    title: 'Defense Minister',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('Russian Defense Minister Sergei Shoigu', 2)],
  },
  'dprk-defence-minister-defence-minister-of-dprk': {
    actor: 'dprk-defence-minister',
    target: 'dprk',
    role: AffiliationRole.DEFENCE_MINISTER_OF,
    title: 'Minister of National Defence',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [
      cite(
        'In July, Russian Defense Minister Sergei Shoigu visited the DPRK and met with his North Korean counterpart, among others.',
        2,
      ),
    ],
  },
  'south-korean-foreign-minister-foreign-minister-of-south-korea': {
    actor: 'south-korean-foreign-minister',
    target: 'south-korea',
    role: AffiliationRole.FOREIGN_MINISTER_OF,
    title: 'top diplomat',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite("South Korea's top diplomat", 2)],
  },
  'john-kirby-spokesperson-of-white-house': {
    actor: 'john-kirby',
    target: 'white-house',
    role: AffiliationRole.SPOKESPERSON_OF,
    title: 'spokesman',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('White House spokesman John Kirby', 2)],
  },
  // The article takes this for granted rather than stating it; the excerpt shows the
  // White House speaking for the United States.
  'white-house-part-of-usa': {
    actor: 'white-house',
    target: 'usa',
    role: AffiliationRole.PART_OF,
    title: null,
    span: null,
    confidence: Confidence.CONFIRMED,
    citations: [cite('In early August, the White House accused Russia of trying to buy munitions from the DPRK.', 2)],
  },
  'alina-hrytsenko-expert-at-niss': {
    actor: 'alina-hrytsenko',
    target: 'niss',
    role: AffiliationRole.EXPERT_AT,
    title: 'chief consultant',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('Alina Hrytsenko, chief consultant at the National Institute for Strategic Studies', 2)],
  },
  'oleksandr-musienko-head-of-center-for-military-legal-studies': {
    actor: 'oleksandr-musienko',
    target: 'center-for-military-legal-studies',
    role: AffiliationRole.HEAD_OF,
    title: 'head',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('Oleksandr Musienko, head of the Center for Military Legal Studies', 2)],
  },
  'oleksandr-kraiev-expert-at-ukrainian-prism': {
    actor: 'oleksandr-kraiev',
    target: 'ukrainian-prism',
    role: AffiliationRole.EXPERT_AT,
    title: 'expert',
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('Oleksandr Kraiev, an expert at the Ukrainian Prism Foreign Policy Council', 2)],
  },
  'sanctioned-russian-citizens-citizen-of-russia': {
    actor: 'sanctioned-russian-citizens',
    target: 'russia',
    role: AffiliationRole.CITIZEN_OF,
    title: null,
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('the United States imposed sanctions on two Russian citizens', 2)],
  },
  'armed-forces-of-ukraine-part-of-ukraine': {
    actor: 'armed-forces-of-ukraine',
    target: 'ukraine',
    role: AffiliationRole.PART_OF,
    title: null,
    span: null,
    confidence: Confidence.CONFIRMED,
    citations: [cite('Ukrainian soldiers found DPRK-made ammunition on the battlefield', 2)],
  },
} as const satisfies Record<string, SeedAffiliation>;

export type AffiliationSlug = keyof typeof affiliations;

// ---------------------------------------------------------------------------
// Events (in the order of their start date)
// ---------------------------------------------------------------------------

export const events = {
  'battlefield-finding-dprk-ammunition': {
    type: EventType.BATTLEFIELD_FINDING,
    title: 'Ukrainian soldiers find DPRK-made ammunition on the battlefield',
    description:
      'Second-hand: reported by Alina Hrytsenko ("According to her"). Cannon artillery and MLRS ammunition of Soviet origin that the DPRK had received from the USSR.',
    span: {
      start: '2022-02-24',
      end: PUBLICATION_WINDOW.end,
      precision: DatePrecision.RANGE,
      text: 'Undated in the article: between the start of the full-scale invasion (2022-02-24) and the end of the assumed publication window (2023-10-31)',
    },
    location: { name: 'Battlefield in Ukraine (not specified)', countryCode: 'UKR', latitude: null, longitude: null },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'armed-forces-of-ukraine', role: ParticipantRole.INITIATOR },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'alina-hrytsenko', role: ParticipantRole.SPEAKER },
    ],
    citations: [
      cite('According to her, Ukrainian soldiers found DPRK-made ammunition on the battlefield.', 3, EvidenceType.BATTLEFIELD_EVIDENCE),
      cite(
        'There was also ammunition for cannon artillery and MLRS - these are weapons that the DPRK received from the USSR.',
        3,
        EvidenceType.BATTLEFIELD_EVIDENCE,
      ),
    ],
  },
  'shoigu-visits-dprk': {
    type: EventType.VISIT,
    title: 'Russian Defence Minister Sergei Shoigu visits the DPRK',
    description: null,
    span: JULY_2023,
    location: { name: 'North Korea', countryCode: 'PRK', latitude: null, longitude: null },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'sergei-shoigu', role: ParticipantRole.INITIATOR },
      { actor: 'russia', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk', role: ParticipantRole.TARGET },
    ],
    citations: [cite('In July, Russian Defense Minister Sergei Shoigu visited the DPRK', 2)],
  },
  'shoigu-meets-dprk-defence-minister': {
    type: EventType.MEETING,
    title: 'Sergei Shoigu meets his North Korean counterpart',
    description: 'During the July visit; the article says Shoigu met his counterpart "among others".',
    span: { ...JULY_2023, text: 'In July (year 2023 inferred from context; during the same visit)' },
    location: { name: 'North Korea', countryCode: 'PRK', latitude: null, longitude: null },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'sergei-shoigu', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk-defence-minister', role: ParticipantRole.PARTICIPANT },
      { actor: 'russia', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk', role: ParticipantRole.PARTICIPANT },
    ],
    citations: [cite('met with his North Korean counterpart, among others', 2)],
  },
  'kirby-talks-actively-progressing': {
    type: EventType.STATEMENT,
    title: 'John Kirby: Russia–DPRK military cooperation talks "actively progressing"',
    description: null,
    span: {
      start: '2023-07-01',
      end: PUBLICATION_WINDOW.end,
      precision: DatePrecision.RANGE,
      text: 'Undated in the article: from the earliest dated Russia–DPRK contact it reports (July 2023) to the end of the assumed publication window (2023-10-31)',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'john-kirby', role: ParticipantRole.SPEAKER },
      { actor: 'white-house', role: ParticipantRole.INITIATOR },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'White House spokesman John Kirby said that talks between Russia and the DPRK on military cooperation were "actively progressing."',
        2,
        EvidenceType.OFFICIAL_STATEMENT,
      ),
    ],
  },
  'white-house-accuses-russia-munitions': {
    type: EventType.ACCUSATION,
    title: 'White House accuses Russia of trying to buy munitions from the DPRK',
    description: null,
    span: {
      start: '2023-08-01',
      end: '2023-08-10',
      precision: DatePrecision.RANGE,
      text: 'In early August (year 2023 inferred from context; "early" read as the 1st to the 10th)',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'white-house', role: ParticipantRole.INITIATOR },
      { actor: 'russia', role: ParticipantRole.TARGET },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
    ],
    citations: [cite('In early August, the White House accused Russia of trying to buy munitions from the DPRK.', 2, EvidenceType.OFFICIAL_STATEMENT)],
  },
  'musienko-russia-turns-to-dprk-and-iran': {
    type: EventType.STATEMENT,
    title: 'Oleksandr Musienko: Moscow turns to the DPRK and Iran; Ukraine must be prepared for DPRK arms supplies',
    description: null,
    span: {
      start: '2023-08-01',
      end: '2023-08-31',
      precision: DatePrecision.RANGE,
      text: 'Undated in the article; placed between the "early August" and "August 31" items of its chronological background list, so assumed August 2023',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'oleksandr-musienko', role: ParticipantRole.SPEAKER },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'iran', role: ParticipantRole.SUBJECT },
      { actor: 'ukraine', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'Oleksandr Musienko, head of the Center for Military Legal Studies, said that Russia has problems with the military and industrial complex, so Moscow is turning to the DPRK and Iran for help.',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
      cite('According to him, Ukraine must be prepared for North Korea to supply weapons to Russia.', 3, EvidenceType.EXPERT_ASSESSMENT),
    ],
  },
  'us-sanctions-russian-citizens': {
    type: EventType.SANCTION,
    title: 'United States sanctions two Russian citizens over WMD and ballistic missile development for the DPRK',
    description: null,
    span: {
      start: '2023-08-31',
      end: '2023-08-31',
      precision: DatePrecision.DAY,
      text: 'On August 31 (year 2023 inferred from context)',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'usa', role: ParticipantRole.INITIATOR },
      { actor: 'sanctioned-russian-citizens', role: ParticipantRole.TARGET },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'On August 31, the United States imposed sanctions on two Russian citizens over the development of weapons of mass destruction and ballistic missiles for the DPRK.',
        2,
        EvidenceType.OFFICIAL_STATEMENT,
      ),
    ],
  },
  'kim-train-to-vladivostok': {
    type: EventType.VISIT,
    title: 'Kim Jong Un travels by train to Vladivostok to meet Vladimir Putin',
    description: 'Date and destination as the article states them.',
    span: {
      start: '2023-09-11',
      end: '2023-09-11',
      precision: DatePrecision.DAY,
      text: 'On September 11 (year 2023 inferred from context)',
    },
    location: { name: 'Vladivostok', countryCode: 'RUS', latitude: 43.1155, longitude: 131.8855 },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'kim-jong-un', role: ParticipantRole.INITIATOR },
      { actor: 'dprk', role: ParticipantRole.PARTICIPANT },
      { actor: 'russia', role: ParticipantRole.TARGET },
      { actor: 'vladimir-putin', role: ParticipantRole.TARGET },
    ],
    citations: [
      cite(
        'On September 11, the North Korean leader had travelled by train to Vladivostok to meet with Russian leader Vladimir Putin.',
        2,
      ),
    ],
  },
  'kraiev-weapons-for-food': {
    type: EventType.STATEMENT,
    title: 'Oleksandr Kraiev: Russia prepares to receive DPRK weapons and ammunition in exchange for food',
    description: 'An expert assessment.',
    span: {
      start: '2023-09-11',
      end: '2023-09-13',
      precision: DatePrecision.RANGE,
      text: 'Undated in the article; placed between the "September 11" and "September 13" items of its chronological background list',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'oleksandr-kraiev', role: ParticipantRole.SPEAKER },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'Oleksandr Kraiev, an expert at the Ukrainian Prism Foreign Policy Council, believes that Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food.',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
    ],
  },
  'kim-putin-vostochny-meeting': {
    type: EventType.MEETING,
    title: 'Kim Jong Un and Vladimir Putin meet at the Vostochny Cosmodrome',
    description: null,
    span: {
      start: '2023-09-13',
      end: '2023-09-13',
      precision: DatePrecision.DAY,
      text: 'On September 13 (year 2023 inferred from context)',
    },
    // Coordinates are approximate (the cosmodrome's launch complex).
    location: { name: 'Vostochny Cosmodrome', countryCode: 'RUS', latitude: 51.884, longitude: 128.334 },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'kim-jong-un', role: ParticipantRole.PARTICIPANT },
      { actor: 'vladimir-putin', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk', role: ParticipantRole.PARTICIPANT },
      { actor: 'russia', role: ParticipantRole.PARTICIPANT },
    ],
    citations: [
      cite(
        'On September 13, North Korean leader Kim Jong Un and Russian leader Vladimir Putin had a meeting at the Vostochny Cosmodrome.',
        2,
      ),
    ],
  },
  'south-korea-hints-sanctions-on-russia': {
    type: EventType.STATEMENT,
    title: "South Korea's top diplomat hints Seoul may impose sanctions on Russia",
    description: 'Following the Kim–Putin meeting.',
    span: {
      start: '2023-09-15',
      end: '2023-09-15',
      precision: DatePrecision.DAY,
      text: 'September 15 (year 2023 inferred from context)',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'south-korean-foreign-minister', role: ParticipantRole.SPEAKER },
      { actor: 'south-korea', role: ParticipantRole.INITIATOR },
      { actor: 'russia', role: ParticipantRole.TARGET },
    ],
    citations: [
      cite(
        "September 15, South Korea's top diplomat hinted that Seoul may impose sanctions on Russia following the recent meeting between Russian President Vladimir Putin and DPRK leader Kim Jong Un.",
        2,
        EvidenceType.OFFICIAL_STATEMENT,
      ),
    ],
  },
  'rumours-artillery-transfer-start': {
    type: EventType.TRANSFER_REPORT,
    title: 'Rumours surface of the start of a transfer of North Korean artillery to Russia',
    description: 'Unattributed rumours; "artillery" may mean guns, ammunition or both.',
    span: {
      start: '2023-10-06',
      end: '2023-10-06',
      precision: DatePrecision.DAY,
      text: 'A day before October 7 (year 2023 inferred from context)',
    },
    location: null,
    confidence: Confidence.ALLEGED,
    participants: [
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite('This comes a day after rumors surfaced about the start of the transfer of North Korean artillery to Russia.', 4),
    ],
  },
  'satellite-border-traffic': {
    type: EventType.OBSERVATION,
    title: 'Satellite images show the highest traffic in recent years on the Russia–DPRK border',
    description:
      'The date is that of the report; when the images were taken is not stated. Coordinates are approximate: the Russia–DPRK land border is the short Tumen River section near Khasan and Tumangang.',
    span: {
      start: '2023-10-07',
      end: '2023-10-07',
      precision: DatePrecision.DAY,
      text: 'On October 7 it was reported (year 2023 inferred from context; date of the report, not of the imagery)',
    },
    location: { name: 'Russia–DPRK border', countryCode: null, latitude: 42.43, longitude: 130.64 },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'russia', role: ParticipantRole.SUBJECT },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'On October 7, it was reported that satellite images showed the highest traffic on the border between Russia and the DPRK in recent years.',
        3,
        EvidenceType.SATELLITE_IMAGERY,
      ),
    ],
  },
  'white-house-1000-containers-report': {
    type: EventType.TRANSFER_REPORT,
    title: 'White House reports North Korea supplied 1,000 containers of military equipment to Russia',
    description: null,
    span: {
      start: '2023-10-13',
      end: '2023-10-13',
      precision: DatePrecision.DAY,
      text: 'On October 13 (year 2023 inferred from context)',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'white-house', role: ParticipantRole.SPEAKER },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'On October 13, the White House reported that North Korea had supplied 1,000 containers of military equipment to Russia.',
        2,
        EvidenceType.OFFICIAL_STATEMENT,
      ),
    ],
  },
  'hrytsenko-espreso-tv-statement': {
    type: EventType.STATEMENT,
    title: 'Alina Hrytsenko on Espreso TV: the DPRK will keep supplying arms to Russia despite famine',
    description:
      'Also says Kim Jong Un asked for financial, humanitarian and food aid during his visit to Russia, and that the supplies will most likely not change the situation at the front.',
    span: {
      start: PUBLICATION_WINDOW.start,
      end: PUBLICATION_WINDOW.end,
      precision: DatePrecision.RANGE,
      text: 'Undated; the news the article reports, so dated to its assumed publication window (2023-10-13..2023-10-31). It refers to Kim\'s visit to Russia (September 2023) in the past tense',
    },
    location: null,
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'alina-hrytsenko', role: ParticipantRole.SPEAKER },
      { actor: 'espreso-tv', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
      { actor: 'kim-jong-un', role: ParticipantRole.SUBJECT },
    ],
    citations: [
      cite(
        'Alina Hrytsenko, chief consultant at the National Institute for Strategic Studies, says that North Korea has been supplying Russia with weapons for almost two years',
        2,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
      cite('She said this on Espreso TV.', 2, EvidenceType.EXPERT_ASSESSMENT),
      cite(
        'Most likely, North Korea will continue to supply Russia with certain types of weapons because it has been doing so for almost two years of war',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
    ],
  },
} as const satisfies Record<string, SeedEvent>;

export type EventSlug = keyof typeof events;

// ---------------------------------------------------------------------------
// Shipments
// ---------------------------------------------------------------------------

export const shipments = {
  'dprk-russia-1000-containers': {
    supplier: 'dprk',
    recipient: 'russia',
    category: ShipmentCategory.MILITARY_EQUIPMENT,
    description: '1,000 containers of military equipment, as reported by the White House.',
    quantity: 1000,
    unit: 'containers',
    delivery: {
      start: '2023-09-07',
      end: '2023-10-01',
      precision: DatePrecision.RANGE,
      text: 'between September 7 and October 1 (year 2023 inferred from context)',
    },
    status: ShipmentStatus.REPORTED,
    route: null,
    confidence: Confidence.REPORTED,
    events: ['white-house-1000-containers-report'],
    citations: [
      cite(
        'On October 13, the White House reported that North Korea had supplied 1,000 containers of military equipment to Russia. The deliveries took place between September 7 and October 1.',
        2,
        EvidenceType.OFFICIAL_STATEMENT,
      ),
    ],
  },
  'dprk-russia-artillery-ammunition': {
    supplier: 'dprk',
    recipient: 'russia',
    category: ShipmentCategory.ARTILLERY_AMMUNITION,
    description:
      'Ongoing supplies of cannon artillery ammunition (Soviet-origin stocks), as assessed by Alina Hrytsenko; quantity unknown.',
    quantity: null,
    unit: null,
    delivery: WAR_SO_FAR,
    status: ShipmentStatus.REPORTED,
    // Only a hint: the article sets the border traffic next to rumours of an artillery transfer.
    route: 'Russia–DPRK border (suggested by satellite images of border traffic reported on 2023-10-07)',
    confidence: Confidence.ASSESSED,
    events: [
      'hrytsenko-espreso-tv-statement',
      'battlefield-finding-dprk-ammunition',
      'rumours-artillery-transfer-start',
      'satellite-border-traffic',
    ],
    citations: [
      cite(
        'There was also ammunition for cannon artillery and MLRS - these are weapons that the DPRK received from the USSR.',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
      cite(
        'Most likely, North Korea will continue to supply Russia with certain types of weapons because it has been doing so for almost two years of war',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
    ],
  },
  'dprk-russia-mlrs-ammunition': {
    supplier: 'dprk',
    recipient: 'russia',
    category: ShipmentCategory.MLRS_AMMUNITION,
    description:
      'Ongoing supplies of MLRS ammunition (Soviet-origin stocks), as assessed by Alina Hrytsenko; quantity unknown.',
    quantity: null,
    unit: null,
    delivery: WAR_SO_FAR,
    status: ShipmentStatus.REPORTED,
    route: null,
    confidence: Confidence.ASSESSED,
    events: ['hrytsenko-espreso-tv-statement', 'battlefield-finding-dprk-ammunition'],
    citations: [
      cite(
        'There was also ammunition for cannon artillery and MLRS - these are weapons that the DPRK received from the USSR.',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
    ],
  },
  'russia-dprk-food': {
    supplier: 'russia',
    recipient: 'dprk',
    category: ShipmentCategory.FOOD,
    description:
      'Food in exchange for DPRK weapons and ammunition, as assessed by Oleksandr Kraiev; Kim Jong Un reportedly asked for food aid during his visit to Russia. Quantity unknown.',
    quantity: null,
    unit: null,
    delivery: {
      start: '2023-09-11',
      end: '2023-12-31',
      precision: DatePrecision.RANGE,
      text: 'No delivery date in the article; planned as of the assessment (September 2023), window assumed to be the rest of 2023',
    },
    status: ShipmentStatus.PLANNED,
    route: null,
    confidence: Confidence.ASSESSED,
    events: ['kraiev-weapons-for-food'],
    citations: [
      cite(
        'believes that Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food.',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
      cite('During his visit to Russia, Kim Jong Un asked for financial, humanitarian and food aid.', 3, EvidenceType.EXPERT_ASSESSMENT),
    ],
  },
} as const satisfies Record<string, SeedShipment>;

export type ShipmentSlug = keyof typeof shipments;

// ---------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------

export interface SeedClaim {
  claimant: ActorSlug;
  /** null: the article does not date the statement (the event recording it holds its vague span). */
  statedOn: string | null;
  subject: { event: EventSlug } | { shipment: ShipmentSlug };
  /** null: the record as a whole (src/domain/claims.ts lists the fields). */
  field: string | null;
  value: string | null;
  likelihood: Likelihood;
  confidence: Confidence;
  accepted: boolean;
  /** Index into the subject's citations: the excerpt in which the claim is made. */
  citation: number;
}

/**
 * Who claims what in the article, with the likelihood of its wording on the ICD 203 scale
 * (src/domain/claims.ts): "most likely" is LIKELY (the claimant's best estimate, not
 * "very probably"), "believes" LIKELY, "must be prepared for" a serious possibility
 * (ROUGHLY_EVEN), a flat statement of fact ALMOST_CERTAIN. Only the White House's 1,000
 * containers is a claim about a field (the shipment's quantity, accepted: the record holds it).
 */
export const claims = {
  'hrytsenko-will-continue-to-supply': {
    claimant: 'alina-hrytsenko',
    statedOn: null,
    subject: { shipment: 'dprk-russia-artillery-ammunition' },
    field: null,
    value: 'North Korea will continue to supply Russia with certain types of weapons',
    likelihood: Likelihood.LIKELY,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 1,
  },
  'kirby-talks-actively-progressing': {
    claimant: 'john-kirby',
    statedOn: null,
    subject: { event: 'kirby-talks-actively-progressing' },
    field: null,
    value: 'talks between Russia and the DPRK on military cooperation are actively progressing',
    likelihood: Likelihood.ALMOST_CERTAIN,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 0,
  },
  'white-house-1000-containers': {
    claimant: 'white-house',
    statedOn: '2023-10-13',
    subject: { shipment: 'dprk-russia-1000-containers' },
    field: 'quantity',
    value: '1000',
    likelihood: Likelihood.ALMOST_CERTAIN,
    confidence: Confidence.REPORTED,
    accepted: true,
    citation: 0,
  },
  'kraiev-weapons-for-food': {
    claimant: 'oleksandr-kraiev',
    statedOn: null,
    subject: { shipment: 'russia-dprk-food' },
    field: null,
    value: 'Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food',
    likelihood: Likelihood.LIKELY,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 0,
  },
  'musienko-prepare-for-dprk-supplies': {
    claimant: 'oleksandr-musienko',
    statedOn: null,
    subject: { event: 'musienko-russia-turns-to-dprk-and-iran' },
    field: null,
    value: 'Ukraine must be prepared for North Korea to supply weapons to Russia',
    likelihood: Likelihood.ROUGHLY_EVEN,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 1,
  },
} as const satisfies Record<string, SeedClaim>;

export type ClaimSlug = keyof typeof claims;
