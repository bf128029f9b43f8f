// What a shipment carries, at two levels: the category (ShipmentCategory, what the record
// says) and its group, derived from it — SIPRI's weapon categories, the ammunition kinds the
// project records, small arms, military equipment of no stated kind, food, fuel and other
// goods. Reports group and filter by either level. And SIPRI's weapon descriptions (the
// register's "Weapon description" column) mapped to categories, the one place this mapping
// lives: the SIPRI importer uses it and docs/data-model.md prints it.
//
// SIPRI's categories and their definitions: "Coverage", https://www.sipri.org/databases/armstransfers/background/coverage.

export const SHIPMENT_CATEGORY_GROUPS = [
  'AIRCRAFT',
  'AIR_DEFENCE_SYSTEMS',
  'ANTI_SUBMARINE_WARFARE',
  'ARMOURED_VEHICLES',
  'ARTILLERY',
  'ENGINES',
  'MISSILES',
  'NAVAL_WEAPONS',
  'SATELLITES',
  'SENSORS',
  'SHIPS',
  'OTHER_MAJOR_ARMS',
  'AMMUNITION',
  'SMALL_ARMS',
  'MILITARY_EQUIPMENT',
  'FOOD',
  'FUEL',
  'OTHER',
] as const;
export type ShipmentCategoryGroup = (typeof SHIPMENT_CATEGORY_GROUPS)[number];

/**
 * Each category's group. SIPRI's categories are their own groups, with finer types inside
 * (unmanned aircraft, multiple rocket launchers, loitering munitions). VEHICLES does not say
 * whether they are armoured, so it stays with unspecified military equipment rather than
 * claiming SIPRI's armoured vehicles; ARMOURED_VEHICLES is for vehicles the source says are.
 */
export const CATEGORY_GROUP = {
  ARTILLERY_AMMUNITION: 'AMMUNITION',
  MLRS_AMMUNITION: 'AMMUNITION',
  MISSILES: 'MISSILES',
  SMALL_ARMS: 'SMALL_ARMS',
  VEHICLES: 'MILITARY_EQUIPMENT',
  MILITARY_EQUIPMENT: 'MILITARY_EQUIPMENT',
  AIRCRAFT: 'AIRCRAFT',
  UNMANNED_AIRCRAFT: 'AIRCRAFT',
  AIR_DEFENCE_SYSTEMS: 'AIR_DEFENCE_SYSTEMS',
  ANTI_SUBMARINE_WARFARE: 'ANTI_SUBMARINE_WARFARE',
  ARMOURED_VEHICLES: 'ARMOURED_VEHICLES',
  ARTILLERY: 'ARTILLERY',
  MULTIPLE_ROCKET_LAUNCHERS: 'ARTILLERY',
  ENGINES: 'ENGINES',
  LOITERING_MUNITIONS: 'MISSILES',
  NAVAL_WEAPONS: 'NAVAL_WEAPONS',
  SATELLITES: 'SATELLITES',
  SENSORS: 'SENSORS',
  SHIPS: 'SHIPS',
  OTHER_MAJOR_ARMS: 'OTHER_MAJOR_ARMS',
  FOOD: 'FOOD',
  FUEL: 'FUEL',
  OTHER: 'OTHER',
} as const satisfies Record<string, ShipmentCategoryGroup>;
export type ShipmentCategory = keyof typeof CATEGORY_GROUP;
export const SHIPMENT_CATEGORIES = Object.keys(CATEGORY_GROUP) as ShipmentCategory[];

/** The group of a category. */
export function categoryGroup(category: ShipmentCategory): ShipmentCategoryGroup {
  return CATEGORY_GROUP[category];
}

/** The categories of some groups (a filter by group is a filter by these categories). */
export function categoriesOf(groups: readonly string[]): ShipmentCategory[] {
  return SHIPMENT_CATEGORIES.filter((c) => groups.includes(CATEGORY_GROUP[c]));
}

/**
 * SIPRI's weapon descriptions → categories, tried in order (the first that matches wins), on
 * the description in lower case. Each row: the category, the pattern, and descriptions as
 * SIPRI's registers write them (documented and tested). The order settles overlaps: a naval
 * SAM system is a naval weapon before it is an air defence system, an anti-aircraft gun is air
 * defence before it is a gun, an anti-tank missile is a missile before "tank" is armour.
 */
export const SIPRI_DESCRIPTIONS: readonly { category: ShipmentCategory; pattern: RegExp; examples: readonly string[] }[] = [
  // SIPRI's missiles: powered, guided, with a warhead — as loitering munitions are.
  { category: 'LOITERING_MUNITIONS', pattern: /\bloitering\b/, examples: ['loitering munition'] },
  {
    category: 'NAVAL_WEAPONS',
    pattern: /\b(naval|ship-?borne)\b.*\b(sam|gun|missile system)\b|\bciws\b/,
    examples: ['naval gun', 'naval SAM system', 'ship-borne SAM system', 'CIWS'],
  },
  { category: 'ANTI_SUBMARINE_WARFARE', pattern: /\basw\b.*\b(mrl|mortar|rocket launcher)\b/, examples: ['ASW MRL', 'ASW mortar', 'ASW rocket launcher'] },
  { category: 'OTHER_MAJOR_ARMS', pattern: /\bturret\b|\brefuel+ing system\b/, examples: ['vehicle turret', 'IFV turret', 'air refuelling system'] },
  { category: 'SATELLITES', pattern: /\bsatellite\b/, examples: ['reconnaissance satellite', 'communications satellite'] },
  {
    category: 'SENSORS',
    pattern: /\bradar\b|\bsonar\b|\b(sigint|esm|eo) system\b/,
    examples: ['air search radar', 'fire control radar', 'combat aircraft radar', 'ASW sonar', 'SIGINT system', 'EO system'],
  },
  { category: 'UNMANNED_AIRCRAFT', pattern: /\bu(c)?av\b|\bdrone\b|\bunmanned\b/, examples: ['UAV', 'armed UAV', 'UCAV', 'reconnaissance drone'] },
  {
    category: 'AIRCRAFT',
    pattern: /\baircraft\b|\bhelicopter\b|\bbusiness jet\b|\bairship\b/,
    examples: ['FGA aircraft', 'transport aircraft', 'AEW&C aircraft', 'combat helicopter', 'helicopter'],
  },
  {
    category: 'ENGINES',
    pattern: /\bturbo(fan|jet|shaft|prop)\b|\bengine\b|\bgas turbine\b/,
    examples: ['turbofan', 'turboshaft', 'diesel engine', 'gas turbine'],
  },
  {
    category: 'AIR_DEFENCE_SYSTEMS',
    pattern: /\bsam system\b|\bad system\b|\bair defen[cs]e system\b|\baa gun\b|\bspaag\b|\baav\b/,
    examples: ['SAM system', 'mobile SAM system', 'AA gun', 'self-propelled AA gun', 'SPAAG', 'AD system'],
  },
  { category: 'MULTIPLE_ROCKET_LAUNCHERS', pattern: /\bmrl\b|\bmultiple rocket launcher\b/, examples: ['MRL', 'self-propelled MRL', 'towed MRL'] },
  {
    category: 'ARTILLERY',
    pattern: /\bgun\b|\bhowitzer\b|\bmortar\b/,
    examples: ['self-propelled gun', 'towed gun', 'self-propelled howitzer', 'mortar', 'self-propelled mortar'],
  },
  {
    category: 'MISSILES',
    pattern: /\bmissile\b|\bsam\b|\bmanpads\b|\batgm\b|\b(bvr|sr)?aam\b|\bas(h)?m\b|\bssm\b|\b[sm]rbm\b|\birbm\b|\bguided (bomb|shell|rocket)\b|\btorpedo\b/,
    examples: [
      'SAM',
      'portable SAM',
      'anti-tank missile',
      'anti-ship missile',
      'BVRAAM',
      'SRAAM',
      'ASM',
      'SSM',
      'SRBM',
      'land-attack missile',
      'guided bomb',
      'guided shell',
      'torpedo',
      'ASW torpedo',
    ],
  },
  {
    category: 'ARMOURED_VEHICLES',
    pattern: /\btank\b|\bifv\b|\bapc\b|\bapv\b|\barmou?red\b|\b(afv|arv|aev|abl|mrap)\b|\bscout car\b|\btank destroyer\b/,
    examples: ['tank', 'light tank', 'IFV', 'APC', 'APV', 'armoured car', 'ARV', 'MRAP'],
  },
  {
    category: 'SHIPS',
    pattern:
      /\b(frigate|corvette|destroyer|cruiser|submarine|aircraft carrier|patrol (craft|ship|boat|vessel)|opv|fac(\(m\))?|fast attack craft|minehunter|minesweeper|mcm ship|landing (ship|craft)|lpd|support ship|replenishment ship|training ship|survey ship|tanker|hovercraft)\b/,
    examples: ['frigate', 'corvette', 'submarine', 'patrol craft', 'patrol ship', 'OPV', 'FAC', 'minehunter', 'landing ship', 'support ship'],
  },
];

/** The category of a SIPRI weapon description; null when no row of SIPRI_DESCRIPTIONS matches. */
export function sipriCategory(description: string): ShipmentCategory | null {
  const d = description.toLowerCase().trim();
  if (d === '') return null;
  return SIPRI_DESCRIPTIONS.find((r) => r.pattern.test(d))?.category ?? null;
}
