/**
 * The JSON bodies of the API routes the web reads, as zod schemas: the server's types for them
 * are z.infer of these, and the OpenAPI document (server/api/openapi.ts) carries them as JSON
 * Schema, from which web/src/api-types.ts is generated, so server and web cannot drift apart.
 * For documentation and types only: responses are not validated at run time (hot paths).
 * Here in analytics, not in api/, because analytics and scheduled-reports build these bodies too.
 */
import { z } from 'zod';

/** one row of /api/uptime (and of the weekly SLA report's groups) */
export const UPTIME_ROW = z.object({
  key: z.string().describe('device id, site, area id or technology'),
  name: z.string(),
  devices: z.number().int(),
  up_ms: z.number(),
  down_ms: z.number(),
  unknown_ms: z.number(),
  maintenance_ms: z.number(),
  uptime: z.number().nullable().describe('Σ up / Σ (up + down); null when the group was never up or down'),
});
export type UptimeRow = z.infer<typeof UPTIME_ROW>;

export const DIGITAL_DECADE_CODE = z.object({
  code: z.string().describe('the hub\'s indicator code, e.g. dd_vhcnc'),
  series: z.string().describe('what the series is in the hub'),
});

/** one DESI indicator of a scope of /api/reports/desi */
export const DESI_INDICATOR = z.object({
  code: z.string(),
  name: z.string(),
  definition: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  available: z.boolean(),
  reason: z.string().optional(),
  period: z.string(),
  completeness: z.number().nullable().describe('share (0..1) of the devices concerned that had the data; null when no device is concerned'),
  householdsEstimated: z.boolean(),
  avgHouseholdSize: z.number().nullable().describe('the persons-per-household used when households were estimated, else null'),
  digitalDecadeCodes: z.array(DIGITAL_DECADE_CODE).describe('the Digital Decade data hub\'s codes for the same indicator; [] when it has none'),
  digitalDecadeDifference: z.string().describe('how this definition differs from the hub\'s (\'\' when no code)'),
});
export type DesiIndicator = z.infer<typeof DESI_INDICATOR>;

export const DESI_SCOPE = z.object({
  scope: z.enum(['region', 'area']),
  id: z.string(),
  name: z.string(),
  households: z.number(),
  indicators: z.array(DESI_INDICATOR),
});
export type DesiScope = z.infer<typeof DESI_SCOPE>;

/** /api/reports/desi?format=json */
export const DESI_REPORT = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  codeSystems: z.object({ desi2022: z.string(), digitalDecade: z.string() }).describe('the two code systems every indicator carries'),
  scopes: z.array(DESI_SCOPE),
});
export type DesiReport = z.infer<typeof DESI_REPORT>;

/** one incident of /api/incidents?format=json (server/status Incident with ISO times) */
export const INCIDENT_JSON = z.object({
  device: z.string(),
  start: z.string().describe('ISO 8601'),
  end: z.string().nullable().describe('ISO 8601; null while ongoing'),
  duration_ms: z.number(),
  ongoing: z.boolean(),
  startsBeforeWindow: z.boolean().describe('the run was already under way at from, so the real start may be earlier'),
  endsAfterWindow: z.boolean().describe('not ongoing but cut by the window\'s to: the real end may be later'),
  impact: z.object({
    area: z.string(),
    tech: z.enum(['fibre', 'wifi']),
    households: z.number().describe('fibre: households passed behind the node; wifi: 0'),
    clients: z.number().describe('wifi: the AP\'s recent client count; fibre: 0'),
    impact_hours: z.number().describe('households × hours (fibre) or clients × hours (wifi)'),
  }),
});
export type IncidentJson = z.infer<typeof INCIDENT_JSON>;

/** /api/devices/:id/timeline */
export const DEVICE_TIMELINE = z.object({
  device: z.string(),
  from: z.string(),
  to: z.string(),
  spans: z.array(z.object({
    state: z.enum(['up', 'down', 'unknown', 'maintenance']),
    start: z.string(),
    end: z.string(),
    reason: z.string().optional().describe('why an unknown span is unknown: unreadable: <reason>, collector-down, no-evidence, stale'),
  })),
});
export type DeviceTimelineJson = z.infer<typeof DEVICE_TIMELINE>;
