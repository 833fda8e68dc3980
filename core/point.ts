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

/**
 * One frozen tags object per owner (a device) and slot (what the tags are for: a measurement, a
 * source): every point of the owner's series carries the same object, and the InfluxDB store
 * encodes a frozen tags object's series once (server/store/line-protocol.ts). `tags` is what the
 * owner's tags are now; the held object is returned while it equals them, so an owner changed in
 * place gets new tags. Weak: an owner replaced by an inventory reload is forgotten with it.
 */
const heldTags = new WeakMap<object, Map<string, Point['tags']>>();
export function sharedTags(owner: object, slot: string, tags: Record<string, string>): Point['tags'] {
  let slots = heldTags.get(owner);
  if (!slots) { slots = new Map(); heldTags.set(owner, slots); }
  const held = slots.get(slot);
  if (held && sameTags(held, tags)) return held;
  const fresh = Object.freeze(tags);
  slots.set(slot, fresh);
  return fresh;
}

function sameTags(a: Point['tags'], b: Point['tags']): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
