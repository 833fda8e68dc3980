/**
 * `alerts` section of the config: the rules and their timing. Every duration is in ms and has a
 * default, so `alerts: {}` gives device-down alerts with a 2 min debounce and area grouping,
 * collector-down and device-unreadable alerts.
 */
import { z } from 'zod';

const ms = z.number().int().nonnegative();
const positiveMs = z.number().int().positive();
const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const deviceDownRuleSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** a device must be down this long (the incidents of one episode added up) before it alerts */
  thresholdMs: ms.default(120_000),
  /** an episode ends (and its alert resolves) this long after its last incident ended, unless the device goes down again first (hysteresis) */
  clearMs: ms.default(60_000),
  /** this many up/down changes within one episode label the alert "flapping" */
  flapTransitions: z.number().int().min(2).default(6),
});

export const groupingSchema = z.strictObject({
  /** a device that crosses its threshold waits this long for its area's other devices */
  groupWaitMs: ms.default(30_000),
  /** an area alert needs at least this many devices down … */
  minDevices: z.number().int().min(1).default(3),
  /** … and at least this share (0..1] of the area's devices with known status (up or down, as server/status says) */
  ratio: z.number().gt(0).max(1).default(0.8),
});

/** A collector (snmp, mqtt) that stopped heartbeating: its devices are unknown, not down. */
export const collectorDownRuleSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** the collector must be down this long before it alerts */
  thresholdMs: ms.default(60_000),
  /** it must be alive this long again before the alert resolves */
  clearMs: ms.default(0),
});

/** A device that answers but cannot be read (wrong credentials, a MIB view hiding the tables). */
export const deviceUnreadableRuleSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** the device must be unreadable this long before it alerts */
  thresholdMs: ms.default(300_000),
  /** it must be not unreadable this long before the alert resolves */
  clearMs: ms.default(0),
});

export const areaUptimeRuleSchema = z.strictObject({
  /** area id; absent = every area */
  area: nonEmpty.optional(),
  /** uptime target, 0..1 (0.99 = 99 %) */
  target: z.number().gt(0).max(1),
  /** the trailing window the uptime is computed over */
  windowMs: positiveMs.default(3_600_000),
  forMs: ms.default(0),
  clearMs: ms.default(300_000),
});

export const thresholdRuleSchema = z
  .strictObject({
    name: nonEmpty,
    /** e.g. `wifi_ap` (field `clients`) or `optical` (field `rx_dbm`) */
    measurement: nonEmpty,
    field: nonEmpty,
    below: z.number().optional(),
    above: z.number().optional(),
    /** how far back the latest value is looked for */
    lookbackMs: positiveMs.default(600_000),
    forMs: ms.default(120_000),
    clearMs: ms.default(60_000),
  })
  .refine((r) => r.below !== undefined || r.above !== undefined, { message: 'needs below or above', path: ['below'] });

export const healthRuleSchema = z.strictObject({
  enabled: z.boolean().default(true),
  forMs: ms.default(60_000),
  clearMs: ms.default(30_000),
});

export const alertsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  evaluationIntervalMs: positiveMs.default(15_000),
  deviceDown: deviceDownRuleSchema.prefault({}),
  grouping: groupingSchema.prefault({}),
  collectorDown: collectorDownRuleSchema.prefault({}),
  deviceUnreadable: deviceUnreadableRuleSchema.prefault({}),
  areaUptime: z.array(areaUptimeRuleSchema).default([]),
  thresholds: z.array(thresholdRuleSchema).default([]),
  health: healthRuleSchema.prefault({}),
  /** resolved alerts kept for GET /api/alerts */
  keepResolved: z.number().int().min(0).default(500),
});

/** Read-only all the way down: the service's config is frozen (server/config.ts). */
export type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type AlertsConfig = DeepReadonly<z.output<typeof alertsSchema>>;
export type DeviceDownRule = z.output<typeof deviceDownRuleSchema>;
export type GroupingRule = z.output<typeof groupingSchema>;
export type CollectorDownRule = z.output<typeof collectorDownRuleSchema>;
export type DeviceUnreadableRule = z.output<typeof deviceUnreadableRuleSchema>;
export type ThresholdRule = z.output<typeof thresholdRuleSchema>;
export type AreaUptimeRule = z.output<typeof areaUptimeRuleSchema>;
