/**
 * Group uptime (DESIGN.md "Definitions"): pure arithmetic over per-device results. A device's own
 * up, down and unknown time is decided in server/status/ (timeline.ts) and only summed here.
 */
/** One device's times over a window, as server/status/ decided them (timeline.ts). */
export interface UptimeResult {
  up_ms: number;
  down_ms: number;
  /** everything neither up, down nor maintenance: no evidence, stale, collector down, unreadable */
  unknown_ms: number;
  maintenance_ms: number;
  /** length of the counted window [from, min(to, now)) */
  counted_ms: number;
  /** up / (up + down), null when nothing is known (never NaN) */
  uptime: number | null;
}

export interface GroupMember {
  result: UptimeResult;
  /** households passed (fibre nodes); used with weight 'households' */
  householdsPassed?: number;
}

export interface GroupUptime {
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
  uptime: number | null;
  /** devices that counted (with weight 'households': those with households passed > 0) */
  devices: number;
}

/**
 * Group uptime = Σ up / Σ (up + down): each device counts by the time it was known.
 * With weight 'households' each device's times are multiplied by its households passed, so
 * the figure reads "share of household-time with service"; devices without households passed
 * (wifi APs, nodes lacking the figure) do not count then. The ms totals stay unweighted.
 */
export function groupUptime(members: readonly GroupMember[], weight: 'time' | 'households' = 'time'): GroupUptime {
  const counted = weight === 'households' ? members.filter((m) => (m.householdsPassed ?? 0) > 0) : members;
  let up = 0, down = 0, unknown = 0, maint = 0, wUp = 0, wKnown = 0;
  for (const m of counted) {
    const w = weight === 'households' ? m.householdsPassed! : 1;
    up += m.result.up_ms; down += m.result.down_ms; unknown += m.result.unknown_ms; maint += m.result.maintenance_ms;
    wUp += w * m.result.up_ms;
    wKnown += w * (m.result.up_ms + m.result.down_ms);
  }
  return { up_ms: up, down_ms: down, unknown_ms: unknown, maintenance_ms: maint, uptime: wKnown > 0 ? wUp / wKnown : null, devices: counted.length };
}

/** groupUptime's uptime with weight 'time', from up and down times alone (what coverage reads). */
export function groupUptimeRatio(members: readonly { up_ms: number; down_ms: number }[]): number | null {
  let up = 0, known = 0;
  // summed as groupUptime sums them, so the figure is the same to the last bit
  for (const m of members) { up += m.up_ms; known += m.up_ms + m.down_ms; }
  return known > 0 ? up / known : null;
}
