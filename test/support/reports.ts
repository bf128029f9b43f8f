// What the shipment report's exports (CSV and XLSX) write, as the tests expect it.

/** The figures of a shipment report row: the columns every export of it ends with, after its period and groups. */
export const SHIPMENT_FIGURES = [
  'unit',
  'shipments',
  'quantity',
  'unknown_quantity',
  'quantity_low',
  'quantity_high',
  'unknown_quantity_low',
  'unknown_quantity_high',
  'estimated',
  'exact',
];
