/**
 * Rendezvous (highest random weight) hashing: each device belongs to the live member with the
 * highest score(member, device). When a member leaves, only its devices move (each to the member
 * with its next-highest score); when it comes back, exactly those devices move back. No table is
 * shared: every member computes the same owner from the same member list. Pure.
 *
 * The score is 32-bit FNV-1a over `member \n device`, then murmur3's fmix32 finaliser: FNV-1a alone
 * mixes the last bytes poorly, so devices named `node-001`, `node-002`, … would fall in runs on
 * one member; the finaliser spreads them.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, unsigned. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser (avalanche), unsigned. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The weight of `member` for `device`: higher wins. */
export function score(member: string, device: string): number {
  return fmix32(fnv1a32(`${member}\n${device}`));
}

/**
 * The member that owns `device`, undefined when there is none. Ties (one in 2^32) go to the
 * smaller member id, so every member still picks the same one.
 */
export function ownerOf(device: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const m of members) {
    const s = score(m, device);
    if (s > bestScore || (s === bestScore && best !== undefined && m < best)) {
      best = m;
      bestScore = s;
    }
  }
  return best;
}

/** How many of `devices` each member owns (members owning none are listed with 0). */
export function shareCounts(devices: readonly string[], members: readonly string[]): Map<string, number> {
  const out = new Map<string, number>(members.map((m) => [m, 0]));
  for (const d of devices) {
    const o = ownerOf(d, members);
    if (o !== undefined) out.set(o, (out.get(o) ?? 0) + 1);
  }
  return out;
}
