// The seed article ("DPRK will continue to supply arms to Russia despite famine
// in country", signed "- News"; the text is shared/seed-article.txt) as structured data:
// the actors it names, how they are affiliated, the events and shipments it reports, the
// claims and hedges in it, and for every event, shipment and affiliation at least one
// verbatim excerpt of the article.
//
// One rule for every record: nothing more precise or more certain than the article's words.
// Dates are EDTF spans resting on a verbatim quote; undated statements get honest bounds
// ("on or before the article's publication"), unknown ends stay unknown; descriptions add no
// facts; a likelihood only where the words carry estimative language (HEDGES). What still
// had to be assumed is listed in ASSUMPTIONS and repeated in each affected record's text;
// test/seed.test.ts holds every record to the article's text.
//
// Records are keyed by stable slugs ('dprk', 'kim-jong-un', 'kim-putin-vostochny-meeting');
// seed/ids.ts turns a slug into the row's deterministic UUID, so a slug must never be renamed
// once seeded, and a record's citations keep their positions (new ones are appended).
// References between records use the slug types below, so a misspelt reference is a compile error.
import { parseEdtf } from '../src/domain/dateSpan';
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

/**
 * A date span as EDTF resting on the article's words. `start`/`end`/`precision` are what the
 * EDTF gives (src/domain/dateSpan.ts: an open or unknown end is bounded by the known one).
 */
export interface SeedDateSpan {
  /** Canonical EDTF: `2023-09-13`, `2023-07`, `2023-09-07/2023-10-01`, `/2023-10-31`, `2023-09-11/`. */
  edtf: string;
  /** The article's verbatim words the span rests on. */
  quote: string;
  /** The wording plus every assumption used to turn it into the EDTF. */
  text: string;
  start: string;
  end: string;
  precision: DatePrecision;
}

/** Admiralty scale, information credibility: 1 confirmed .. 6 cannot be judged. */
export type Credibility = 1 | 2 | 3 | 4 | 5 | 6;

export interface SeedSource {
  publisher: string;
  title: string;
  url: string | null;
  /** When the source was published, as a span (a publication window when only that is known). */
  published: SeedDateSpan | null;
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
  /** ISO 3166-1 alpha-3, only where the article's words tie the actor to a country. */
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
  /** The number the article states (EXACT: it gives no hedge on it); null: not stated. */
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

/** A span from EDTF, the quote it rests on and its text (the quote plus the assumptions). */
export function span(edtf: string, quote: string, text: string): SeedDateSpan {
  const parsed = parseEdtf(edtf, text);
  return { edtf, quote, text, start: parsed.start, end: parsed.end, precision: parsed.precision };
}

// ---------------------------------------------------------------------------
// Assumptions (the article has no year and no date of publication)
// ---------------------------------------------------------------------------

/** The window in which the article is assumed to have been published (see ASSUMPTIONS). */
export const PUBLICATION_WINDOW = { start: '2023-10-13', end: '2023-10-31' } as const;

/** Every assumption the seed still makes, each repeated in the text of the records it affects. */
export const ASSUMPTIONS: readonly string[] = [
  'Year: the article gives no years. Its dated items are placed in 2023: the Shoigu visit (July), the Kim–Putin meeting at Vostochny (13 September) and the White House container report (13 October) are the 2023 events, which also fits "almost two years of war" counted from 2022.',
  "Publication: the article is undated. Its latest dated item is 13 October, so it appeared on or after 2023-10-13; the end of its publication window, 2023-10-31, is assumed. The source's publication is that window (2023-10-13/2023-10-31), and undated statements are bounded by its end.",
  'Undated statements (Kirby, Musienko, Kraiev, Hrytsenko) and the battlefield finding are recorded as on or before the end of the publication window (EDTF /2023-10-31: start unknown): the article reports them, so they happened before it appeared; when, it does not say. By the bounding rule (docs/data-model.md) windows and reports place such a span at its known end.',
  '"In early August": the White House accusation is the whole month of August 2023 (MONTH); "early" is kept in the words only, since no day range can be read from it.',
  '"Almost two years": Hrytsenko\'s "has been supplying Russia with weapons for almost two years" is read as supplies since about 2022 (EDTF 2022~), continuing (open end).',
  'Food deliveries: the article gives no delivery date; Kim asked for food aid during his visit to Russia, which began with his train to Vladivostok on 11 September, so the span starts then at the earliest and its end is unknown (2023-09-11/).',
  'Rumours of the start of the artillery transfer surfaced "a day after"… read as a day before 7 October: 2023-10-06 (DAY).',
  'Satellite images of border traffic: 7 October is the day the images were reported, not necessarily the day they were taken.',
  'The two hedges of Alina Hrytsenko with "Most likely" are LIKELY on the ICD 203 scale (the claimant\'s best estimate); every other hedge carries no estimative term, so its claim has no likelihood (HEDGES).',
  'The publisher is the article\'s signature, "News"; the outlet cannot be identified, so its reliability cannot be judged (F).',
  'Affiliations carry no span: the article only says they held at the time of the events it reports. Shoigu\'s "North Korean counterpart" is read as the DPRK\'s defence minister; "South Korea\'s top diplomat" is recorded as an official of South Korea, without a title the article does not give.',
];

// Spans used more than once.
const JULY_2023 = span('2023-07', 'In July', 'In July (year 2023 inferred from context)');
const UNDATED_BEFORE_PUBLICATION = (quote: string): SeedDateSpan =>
  span(
    `/${PUBLICATION_WINDOW.end}`,
    quote,
    `Undated in the article ("${quote}"): on or before the end of the assumed publication window (${PUBLICATION_WINDOW.end}); start unknown`,
  );
const SUPPLYING_ALMOST_TWO_YEARS = span(
  '2022~/..',
  'has been supplying Russia with weapons for almost two years',
  '"has been supplying Russia with weapons for almost two years" (as of her undated statement, itself on or before 2023-10-31): since about 2022, continuing',
);

// ---------------------------------------------------------------------------
// Source
// ---------------------------------------------------------------------------

export const sources = {
  // Publisher: the article's only attribution is its last line, "- News". It quotes
  // Espreso TV but is not itself an Espreso TV text. Reliability F (cannot be judged):
  // the outlet cannot be identified from the text.
  'seed-article': {
    publisher: 'News',
    title: 'DPRK will continue to supply arms to Russia despite famine in country',
    url: null,
    published: span(
      `${PUBLICATION_WINDOW.start}/${PUBLICATION_WINDOW.end}`,
      'On October 13, the White House reported',
      'Undated; its latest dated item is "On October 13, the White House reported" (year 2023 inferred from context), so it appeared on or after 2023-10-13; the end of the window (2023-10-31) is assumed',
    ),
    reliability: Reliability.F,
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

  // Organisations
  'white-house': {
    name: 'White House',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: ['The White House'],
    description: null,
  },
  niss: {
    name: 'National Institute for Strategic Studies',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: ['NISS'],
    description: null,
  },
  'espreso-tv': {
    name: 'Espreso TV',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: [],
    description: null,
  },
  'center-for-military-legal-studies': {
    name: 'Center for Military Legal Studies',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: [],
    description: null,
  },
  'ukrainian-prism': {
    name: 'Ukrainian Prism Foreign Policy Council',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: ['Ukrainian Prism'],
    description: null,
  },
  'armed-forces-of-ukraine': {
    name: 'Ukrainian soldiers',
    kind: ActorKind.MILITARY_UNIT,
    countryCode: 'UKR',
    aliases: [],
    description: 'The article speaks of "Ukrainian soldiers" without naming a unit.',
  },
  'news-outlet': {
    name: 'News',
    kind: ActorKind.ORGANIZATION,
    countryCode: null,
    aliases: [],
    description: 'The seed article\'s signature ("- News"): whoever published it, speaking for itself where it reports rumours and unattributed reports.',
  },

  // People
  'kim-jong-un': {
    name: 'Kim Jong Un',
    kind: ActorKind.PERSON,
    countryCode: 'PRK',
    aliases: [],
    description: 'North Korean leader, as the article calls him.',
  },
  'vladimir-putin': {
    name: 'Vladimir Putin',
    kind: ActorKind.PERSON,
    countryCode: 'RUS',
    aliases: [],
    description: 'Russian President and leader, as the article calls him.',
  },
  'sergei-shoigu': {
    name: 'Sergei Shoigu',
    kind: ActorKind.PERSON,
    countryCode: 'RUS',
    aliases: [],
    description: 'Russian Defense Minister, as the article calls him when it reports his July visit.',
  },
  'dprk-defence-minister': {
    name: "Sergei Shoigu's North Korean counterpart",
    kind: ActorKind.PERSON,
    countryCode: 'PRK',
    aliases: [],
    description: 'Unnamed in the article ("his North Korean counterpart"); recorded by that description.',
  },
  'south-korean-foreign-minister': {
    name: "South Korea's top diplomat",
    kind: ActorKind.PERSON,
    countryCode: 'KOR',
    aliases: [],
    description: 'Unnamed in the article; recorded by its words.',
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
    countryCode: null,
    aliases: [],
    description: 'Chief consultant at the National Institute for Strategic Studies.',
  },
  'john-kirby': {
    name: 'John Kirby',
    kind: ActorKind.PERSON,
    countryCode: null,
    aliases: [],
    description: 'White House spokesman.',
  },
  'oleksandr-musienko': {
    name: 'Oleksandr Musienko',
    kind: ActorKind.PERSON,
    countryCode: null,
    aliases: [],
    description: 'Head of the Center for Military Legal Studies.',
  },
  'oleksandr-kraiev': {
    name: 'Oleksandr Kraiev',
    kind: ActorKind.PERSON,
    countryCode: null,
    aliases: [],
    description: 'Expert at the Ukrainian Prism Foreign Policy Council.',
  },
} as const satisfies Record<string, SeedActor>;

export type ActorSlug = keyof typeof actors;

// ---------------------------------------------------------------------------
// Affiliations (what the article states; none of them dated)
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
  // "Counterpart" of a defence minister: read as the same office (ASSUMPTIONS); its title is not given.
  'dprk-defence-minister-defence-minister-of-dprk': {
    actor: 'dprk-defence-minister',
    target: 'dprk',
    role: AffiliationRole.DEFENCE_MINISTER_OF,
    title: null,
    span: null,
    confidence: Confidence.REPORTED,
    citations: [cite('In July, Russian Defense Minister Sergei Shoigu visited the DPRK and met with his North Korean counterpart, among others.', 2)],
  },
  'south-korean-foreign-minister-foreign-minister-of-south-korea': {
    actor: 'south-korean-foreign-minister',
    target: 'south-korea',
    role: AffiliationRole.OFFICIAL_OF,
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
    confidence: Confidence.REPORTED,
    citations: [cite('Ukrainian soldiers found DPRK-made ammunition on the battlefield', 2)],
  },
} as const satisfies Record<string, SeedAffiliation>;

export type AffiliationSlug = keyof typeof affiliations;

// ---------------------------------------------------------------------------
// Events (in the order of the article)
// ---------------------------------------------------------------------------

export const events = {
  'battlefield-finding-dprk-ammunition': {
    type: EventType.BATTLEFIELD_FINDING,
    title: 'Ukrainian soldiers find DPRK-made ammunition on the battlefield',
    description:
      'Second-hand: reported by Alina Hrytsenko ("According to her"). Among it, in her words, "ammunition for cannon artillery and MLRS - these are weapons that the DPRK received from the USSR".',
    span: UNDATED_BEFORE_PUBLICATION('Ukrainian soldiers found DPRK-made ammunition on the battlefield'),
    location: { name: 'the battlefield (not specified)', countryCode: null, latitude: null, longitude: null },
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
    title: 'Russian Defense Minister Sergei Shoigu visits the DPRK',
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
    span: span('2023-07', 'In July', 'In July (year 2023 inferred from context; during the same visit)'),
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
    span: UNDATED_BEFORE_PUBLICATION('said that talks between Russia and the DPRK on military cooperation were "actively progressing."'),
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
    span: span('2023-08', 'In early August', 'In early August (year 2023 inferred from context; "early" kept in these words only: the span is the month)'),
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
    span: UNDATED_BEFORE_PUBLICATION('said that Russia has problems with the military and industrial complex'),
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
    span: span('2023-08-31', 'On August 31', 'On August 31 (year 2023 inferred from context)'),
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
    span: span('2023-09-11', 'On September 11', 'On September 11 (year 2023 inferred from context)'),
    location: { name: 'Vladivostok', countryCode: 'RUS', latitude: null, longitude: null },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'kim-jong-un', role: ParticipantRole.INITIATOR },
      { actor: 'dprk', role: ParticipantRole.PARTICIPANT },
      { actor: 'russia', role: ParticipantRole.TARGET },
      { actor: 'vladimir-putin', role: ParticipantRole.TARGET },
    ],
    citations: [cite('On September 11, the North Korean leader had travelled by train to Vladivostok to meet with Russian leader Vladimir Putin.', 2)],
  },
  'kraiev-weapons-for-food': {
    type: EventType.STATEMENT,
    title: 'Oleksandr Kraiev: Russia prepares to receive DPRK weapons and ammunition in exchange for food',
    description: 'His belief ("believes"), as the article puts it.',
    span: UNDATED_BEFORE_PUBLICATION('believes that Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food'),
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
    span: span('2023-09-13', 'On September 13', 'On September 13 (year 2023 inferred from context)'),
    location: { name: 'Vostochny Cosmodrome', countryCode: 'RUS', latitude: null, longitude: null },
    confidence: Confidence.REPORTED,
    participants: [
      { actor: 'kim-jong-un', role: ParticipantRole.PARTICIPANT },
      { actor: 'vladimir-putin', role: ParticipantRole.PARTICIPANT },
      { actor: 'dprk', role: ParticipantRole.PARTICIPANT },
      { actor: 'russia', role: ParticipantRole.PARTICIPANT },
    ],
    citations: [cite('On September 13, North Korean leader Kim Jong Un and Russian leader Vladimir Putin had a meeting at the Vostochny Cosmodrome.', 2)],
  },
  'south-korea-hints-sanctions-on-russia': {
    type: EventType.STATEMENT,
    title: "South Korea's top diplomat hints Seoul may impose sanctions on Russia",
    description: 'Following the recent meeting between Putin and Kim, as the article says.',
    span: span('2023-09-15', 'September 15', 'September 15 (year 2023 inferred from context)'),
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
    span: span(
      '2023-10-06',
      'On October 7, it was reported that satellite images showed the highest traffic on the border between Russia and the DPRK in recent years. This comes a day after rumors surfaced',
      '"On October 7, it was reported that satellite images showed the highest traffic on the border between Russia and the DPRK in recent years. This comes a day after rumors surfaced": a day before October 7, i.e. 2023-10-06 (year 2023 inferred from context)',
    ),
    location: null,
    confidence: Confidence.ALLEGED,
    participants: [
      { actor: 'dprk', role: ParticipantRole.SUBJECT },
      { actor: 'russia', role: ParticipantRole.SUBJECT },
    ],
    citations: [cite('This comes a day after rumors surfaced about the start of the transfer of North Korean artillery to Russia.', 4)],
  },
  'satellite-border-traffic': {
    type: EventType.OBSERVATION,
    title: 'Satellite images show the highest traffic in recent years on the Russia–DPRK border',
    description: 'The date is that of the report; when the images were taken is not stated.',
    span: span(
      '2023-10-07',
      'On October 7, it was reported',
      'On October 7, it was reported (year 2023 inferred from context; the date of the report, not of the imagery)',
    ),
    location: { name: 'the border between Russia and the DPRK', countryCode: null, latitude: null, longitude: null },
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
    span: span('2023-10-13', 'On October 13', 'On October 13 (year 2023 inferred from context)'),
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
    span: UNDATED_BEFORE_PUBLICATION('says that North Korea has been supplying Russia with weapons for almost two years'),
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
      cite(
        'But the question is the quantity and quality of these weapons. Most likely, these supplies will not change the situation at the front',
        3,
        EvidenceType.EXPERT_ASSESSMENT,
      ),
      cite(
        'Currently, there is a serious famine in North Korea, but given the tightness of the country, it is difficult to investigate the extent of the famine.',
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
    delivery: span(
      '2023-09-07/2023-10-01',
      'The deliveries took place between September 7 and October 1',
      'The deliveries took place between September 7 and October 1 (year 2023 inferred from context)',
    ),
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
      'Ammunition for cannon artillery, among the DPRK-made ammunition found on the battlefield according to Alina Hrytsenko, who says the DPRK has been supplying Russia with weapons for almost two years; quantity unknown.',
    quantity: null,
    unit: null,
    delivery: SUPPLYING_ALMOST_TWO_YEARS,
    status: ShipmentStatus.REPORTED,
    route: null,
    confidence: Confidence.ASSESSED,
    events: ['hrytsenko-espreso-tv-statement', 'battlefield-finding-dprk-ammunition', 'rumours-artillery-transfer-start', 'satellite-border-traffic'],
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
      'Ammunition for MLRS, among the DPRK-made ammunition found on the battlefield according to Alina Hrytsenko, who says the DPRK has been supplying Russia with weapons for almost two years; quantity unknown.',
    quantity: null,
    unit: null,
    delivery: SUPPLYING_ALMOST_TWO_YEARS,
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
      'Food in exchange for DPRK weapons and ammunition, as Oleksandr Kraiev believes; Kim Jong Un asked for food aid during his visit to Russia, according to Alina Hrytsenko. Quantity unknown.',
    quantity: null,
    unit: null,
    delivery: span(
      '2023-09-11/',
      'During his visit to Russia, Kim Jong Un asked for financial, humanitarian and food aid',
      'No delivery date in the article. "During his visit to Russia, Kim Jong Un asked for financial, humanitarian and food aid": not before that visit, begun with his train to Vladivostok on September 11 (year 2023 inferred); end unknown',
    ),
    status: ShipmentStatus.PLANNED,
    route: null,
    confidence: Confidence.ASSESSED,
    events: ['kraiev-weapons-for-food'],
    citations: [
      cite('believes that Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food.', 3, EvidenceType.EXPERT_ASSESSMENT),
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
  /** The ICD 203 band the words state; null: they carry no estimative language (HEDGES). */
  likelihood: Likelihood | null;
  confidence: Confidence;
  accepted: boolean;
  /** Index into the subject's citations: the excerpt in which the claim is made. */
  citation: number;
}

/**
 * Who claims what in the article. A likelihood only where the words carry estimative language
 * (HEDGES): "most likely" is LIKELY (the claimant's best estimate); "believes", "must be
 * prepared for", "may", "rumors", "it was reported" and flat assertions carry none. Field
 * claims are accepted where the record holds their value.
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
    likelihood: null,
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
    likelihood: null,
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
    likelihood: null,
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
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 1,
  },
  'hrytsenko-supplies-will-not-change-front': {
    claimant: 'alina-hrytsenko',
    statedOn: null,
    subject: { event: 'hrytsenko-espreso-tv-statement' },
    field: null,
    value: 'these supplies will not change the situation at the front',
    likelihood: Likelihood.LIKELY,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 3,
  },
  'hrytsenko-quantity-and-quality-in-question': {
    claimant: 'alina-hrytsenko',
    statedOn: null,
    subject: { event: 'hrytsenko-espreso-tv-statement' },
    field: null,
    value: 'the quantity and quality of these weapons is the question',
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 3,
  },
  'hrytsenko-famine-extent-hard-to-investigate': {
    claimant: 'alina-hrytsenko',
    statedOn: null,
    subject: { event: 'hrytsenko-espreso-tv-statement' },
    field: null,
    value: 'there is a serious famine in North Korea; its extent is difficult to investigate',
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 4,
  },
  'hrytsenko-supplying-almost-two-years': {
    claimant: 'alina-hrytsenko',
    statedOn: null,
    subject: { shipment: 'dprk-russia-artillery-ammunition' },
    field: 'deliverySpan',
    value: SUPPLYING_ALMOST_TWO_YEARS.edtf,
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: true,
    citation: 1,
  },
  'south-korea-may-impose-sanctions': {
    claimant: 'south-korean-foreign-minister',
    statedOn: '2023-09-15',
    subject: { event: 'south-korea-hints-sanctions-on-russia' },
    field: null,
    value: 'Seoul may impose sanctions on Russia',
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 0,
  },
  'rumours-artillery-transfer-started': {
    claimant: 'news-outlet',
    statedOn: null,
    subject: { event: 'rumours-artillery-transfer-start' },
    field: null,
    value: 'the transfer of North Korean artillery to Russia has started (rumours)',
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 0,
  },
  'reported-satellite-border-traffic': {
    claimant: 'news-outlet',
    statedOn: '2023-10-07',
    subject: { event: 'satellite-border-traffic' },
    field: null,
    value: 'satellite images showed the highest traffic on the border between Russia and the DPRK in recent years (reported, unattributed)',
    likelihood: null,
    confidence: Confidence.REPORTED,
    accepted: false,
    citation: 0,
  },
} as const satisfies Record<string, SeedClaim>;

export type ClaimSlug = keyof typeof claims;

// ---------------------------------------------------------------------------
// Hedges
// ---------------------------------------------------------------------------

export interface SeedHedge {
  /** The article's exact words. */
  words: string;
  /** Its ICD 203 band; null: "no estimative language". */
  band: Likelihood | null;
  /** Why that band (or none). */
  reading: string;
  /** The claim that records it. */
  claim: ClaimSlug;
}

/**
 * Every hedge in the article — words that make a statement less than a plain fact: an
 * estimate, a belief, a possibility, a caveat, a rumour, an unattributed report, an
 * approximation — with its ICD 203 band or "no estimative language", and the claim that
 * records it. test/seed.test.ts checks that every hedge marker in the article is covered.
 */
export const HEDGES: readonly SeedHedge[] = [
  {
    words: 'Most likely, North Korea will continue to supply Russia with certain types of weapons',
    band: Likelihood.LIKELY,
    reading: 'ICD 203 "likely" (55–80 %): "most likely" as the speaker\'s best estimate, not "very likely"',
    claim: 'hrytsenko-will-continue-to-supply',
  },
  {
    words: 'Most likely, these supplies will not change the situation at the front',
    band: Likelihood.LIKELY,
    reading: 'ICD 203 "likely" (55–80 %), as above',
    claim: 'hrytsenko-supplies-will-not-change-front',
  },
  {
    words: 'But the question is the quantity and quality of these weapons',
    band: null,
    reading: 'no estimative language: a caveat on what is unknown',
    claim: 'hrytsenko-quantity-and-quality-in-question',
  },
  {
    words: 'it is difficult to investigate the extent of the famine',
    band: null,
    reading: 'no estimative language: a caveat on the evidence',
    claim: 'hrytsenko-famine-extent-hard-to-investigate',
  },
  {
    words: 'for almost two years',
    band: null,
    reading: 'no estimative language: an approximate duration (recorded as EDTF 2022~/..)',
    claim: 'hrytsenko-supplying-almost-two-years',
  },
  {
    words: 'believes that Russia is preparing to receive weapons and ammunition from the DPRK in exchange for food',
    band: null,
    reading: 'no estimative language: "believes" gives an opinion, not a probability',
    claim: 'kraiev-weapons-for-food',
  },
  {
    words: 'Ukraine must be prepared for North Korea to supply weapons to Russia',
    band: null,
    reading: 'no estimative language: "must be prepared for" is advice; no probability is given',
    claim: 'musienko-prepare-for-dprk-supplies',
  },
  {
    words: 'hinted that Seoul may impose sanctions on Russia',
    band: null,
    reading: 'no estimative language: "hinted" and "may" (which ICD 203 advises against) say possible, not how likely',
    claim: 'south-korea-may-impose-sanctions',
  },
  {
    words: 'rumors surfaced about the start of the transfer of North Korean artillery to Russia',
    band: null,
    reading: 'no estimative language: unattributed rumours, relayed by the article',
    claim: 'rumours-artillery-transfer-started',
  },
  {
    words: 'it was reported that satellite images showed the highest traffic on the border between Russia and the DPRK in recent years',
    band: null,
    reading: 'no estimative language: an unattributed report, relayed by the article',
    claim: 'reported-satellite-border-traffic',
  },
];

/** Words that mark a hedge; each occurrence in the article must fall inside one of HEDGES' words. */
export const HEDGE_MARKERS: readonly string[] = [
  'most likely',
  'likely',
  'believes',
  ' may ',
  'might',
  'could',
  'possibly',
  'probably',
  'hinted',
  'rumor',
  'it was reported',
  'must be prepared',
  'difficult to',
  'the question is',
  'almost',
  'about',
  'approximately',
];
