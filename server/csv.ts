/**
 * The one CSV cell writer for everything netatlas produces as CSV (the DESI report, the weekly
 * SLA report): RFC 4180 quoting, plus protection against formula injection. A spreadsheet runs a
 * cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some read past)
 * as a formula, so a device id or area name chosen by whoever edits the inventory could run one
 * on the machine of whoever opens the report. Such a text cell gets a leading `'`, which
 * spreadsheets show as text and do not display. Numbers are written as numbers: a negative
 * number is data, not a formula, and must stay a number.
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  // 6 decimals, trailing zeros dropped: 0.99971 stays 0.99971, 1/3 is 0.333333
  if (typeof v === 'number') return String(Number(v.toFixed(6)));
  let s = String(v);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (no line end). */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
