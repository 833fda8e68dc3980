/**
 * A measurement point as every part of netatlas sees it: collectors produce them, the write
 * pipeline batches and spools them, stores persist them. Times are epoch milliseconds (UTC).
 */
export type FieldValue = number | boolean | string;

export interface Point {
  measurement: string;
  tags: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, FieldValue>>;
  /** epoch milliseconds */
  time: number;
}
