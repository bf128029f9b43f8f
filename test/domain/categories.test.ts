// Categories at two levels and SIPRI's weapon descriptions: table-driven, no I/O.
import { CATEGORY_GROUP, categoriesOf, SHIPMENT_CATEGORIES, SHIPMENT_CATEGORY_GROUPS, SIPRI_DESCRIPTIONS, sipriCategory } from '../../src/domain/categories';
import { alpha3FromName, alpha3FromNumeric } from '../../src/domain/countries';
import { ShipmentCategory } from '../../src/generated/prisma/enums';

describe('category groups', () => {
  it('every category of the schema has a group, every group a category', () => {
    expect(SHIPMENT_CATEGORIES.sort()).toEqual(Object.values(ShipmentCategory).sort());
    expect([...new Set(Object.values(CATEGORY_GROUP))].sort()).toEqual([...SHIPMENT_CATEGORY_GROUPS].sort());
  });

  it.each([
    ['AMMUNITION', ['ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION']],
    ['MISSILES', ['MISSILES', 'LOITERING_MUNITIONS']],
    ['ARTILLERY', ['ARTILLERY', 'MULTIPLE_ROCKET_LAUNCHERS']],
    ['AIRCRAFT', ['AIRCRAFT', 'UNMANNED_AIRCRAFT']],
    // Vehicles whose armour the source does not state are not claimed as SIPRI's armoured vehicles.
    ['MILITARY_EQUIPMENT', ['VEHICLES', 'MILITARY_EQUIPMENT']],
    ['ARMOURED_VEHICLES', ['ARMOURED_VEHICLES']],
    ['SMALL_ARMS', ['SMALL_ARMS']],
  ])('%s holds %j', (group, categories) => {
    expect(categoriesOf([group]).sort()).toEqual([...categories].sort());
  });
});

describe("SIPRI's weapon descriptions", () => {
  it.each(SIPRI_DESCRIPTIONS.flatMap((row) => row.examples.map((e) => [e, row.category])))('%s → %s', (description, category) => {
    expect(sipriCategory(description)).toBe(category);
  });

  it.each([
    ['Loitering munition', 'LOITERING_MUNITIONS'],
    ['self-propelled MRL', 'MULTIPLE_ROCKET_LAUNCHERS'],
    ['anti-tank missile', 'MISSILES'],
    ['tanker', 'SHIPS'],
    ['tanker/transport aircraft', 'AIRCRAFT'],
    ['  SAM system ', 'AIR_DEFENCE_SYSTEMS'],
    ['EW system', null],
    ['', null],
  ])('%j → %s', (description, category) => {
    expect(sipriCategory(description)).toBe(category);
  });
});

describe('country codes', () => {
  it.each([
    ['804', 'UKR'],
    ['4', 'AFG'],
    ['004', 'AFG'],
    [643, 'RUS'],
    ['0', null],
    ['999', null],
    ['8O4', null],
    ['', null],
  ])('ISO numeric %j → %s', (code, alpha3) => {
    expect(alpha3FromNumeric(code)).toBe(alpha3);
  });

  it.each([
    ['Russia', 'RUS'],
    ['Russia (Soviet Union)', 'RUS'],
    ['Türkiye', 'TUR'],
    ['Turkey', 'TUR'],
    ["Côte d'Ivoire", 'CIV'],
    ['Syria', 'SYR'],
    ['DR Congo (Zaire)', 'COD'],
    ['North Korea', 'PRK'],
    ['Soviet Union', null],
    ['Yugoslavia', null],
    ['Atlantis', null],
  ])('name %j → %s', (name, alpha3) => {
    expect(alpha3FromName(name)).toBe(alpha3);
  });
});
