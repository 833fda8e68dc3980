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

/**
 * Tags as both stores keep them: InfluxDB drops tags whose value is empty (line protocol cannot
 * carry `tag=`), so the embedded store drops them too; a query for tag '' matches a missing tag.
 */
export function storedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) {
    const v = tags[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/** Canonical series key: the sorted, non-empty tag set. Equal tag sets give equal keys. */
export function seriesKey(tags: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(storedTags(tags)));
}
