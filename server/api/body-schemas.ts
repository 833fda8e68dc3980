/**
 * The bodies of the device, map and health routes as zod schemas, for the same reason as
 * server/analytics/body-schemas.ts: the server's types are z.infer of these, the OpenAPI document
 * carries them (DeviceState also as a named component), and web/src/api-types.ts is generated from
 * it. Here in api/ because the routers build these bodies (from server/status and the inventory).
 * For documentation and types only: responses are not validated at run time.
 */
import { z } from 'zod';
import { GEO_POINT, featureCollection } from '../analytics/geo-body-schemas.js';
import { UP_HOLD_FACTOR } from '../status/index.js';
import { ALERT_RULES } from '../alerts/types.js';

/** A device's current state as /api/devices, /api/devices/:id and /api/map/devices give it (server/status
 *  currentStates); the id makes it the document's named component DeviceState, which those routes refer to. */
export const DEVICE_STATE = z.object({
  status: z.enum(['up', 'down', 'unknown']).describe(`down holds until the device says otherwise; up holds ${UP_HOLD_FACTOR} effective intervals after the last evidence; unknown otherwise`),
  statusReason: z.string().nullable().describe(`why the status is unknown: no-evidence (never seen), stale (up evidence older than ${UP_HOLD_FACTOR} intervals, or a down no longer restated), collector-down (the collector watching the device is not alive), unreadable: <reason> (the device answers but we cannot read it, e.g. a wrong SNMPv3 key); null when up or down`)
    .meta({ examples: ['no-evidence', 'stale', 'collector-down', 'unreadable: auth: Wrong Digest'] }),
  lastSeen: z.string().nullable().meta({ format: 'date-time', description: 'time of the latest sample; null when never seen' }),
  rtt_ms: z.number().nullable().describe('round-trip time of the latest sample (SNMP), ms'),
}).meta({ id: 'DeviceState' });
export type DeviceStateJson = z.infer<typeof DEVICE_STATE>;

/** a device's inventory data as the API serves it (routes-devices publicDevice): never its SNMP access or MQTT id */
export const PUBLIC_DEVICE = z.object({
  id: z.string(),
  tech: z.enum(['fibre', 'wifi']),
  site: z.string(),
  area: z.string().describe('area id; \'\' when outside every area'),
  location: z.object({ lat: z.number(), lon: z.number() }),
  householdsPassed: z.number().optional().describe('fibre: households passed behind the node'),
  accessTech: z.enum(['ftth', 'fttb', 'docsis31', 'other']).optional().describe('fibre: access technology (DESI VHCN/FTTP)'),
  radiusM: z.number().optional().describe('wifi: the radius of the AP\'s coverage disc'),
  intervalS: z.number().optional().describe('expected telemetry/poll interval, s'),
  subscriptions: z.object({ total: z.number(), atLeast100Mbps: z.number().optional(), atLeast1Gbps: z.number().optional() }).optional().describe('take-up figures for DESI 2a1-2a3'),
});
export type PublicDeviceJson = z.infer<typeof PUBLIC_DEVICE>;

/** one device of /api/devices: inventory data and current state */
export const DEVICE_ITEM = PUBLIC_DEVICE.and(DEVICE_STATE);

/** a device's uptime over the last 24 h (server/analytics/uptime.ts UptimeResult) */
export const UPTIME_DETAIL = z.object({
  up_ms: z.number(),
  down_ms: z.number(),
  unknown_ms: z.number().describe('neither up, down nor maintenance: no evidence, stale, collector down, unreadable'),
  maintenance_ms: z.number(),
  counted_ms: z.number().describe('length of the counted window [from, min(to, now))'),
  uptime: z.number().nullable().describe('up / (up + down); null when nothing is known'),
});

/** /api/devices/:id */
export const DEVICE_DETAIL = PUBLIC_DEVICE.and(z.object({
  areaName: z.string().nullable().describe('the area\'s name; null when outside every area'),
})).and(DEVICE_STATE).and(z.object({
  uptime_24h: z.number().nullable().describe('uptime over the last 24 h (0..1); null when never up or down in them'),
  uptime_24h_detail: UPTIME_DETAIL.nullable().describe('the times behind uptime_24h; null when the store has none'),
}));
export type DeviceDetailJson = z.infer<typeof DEVICE_DETAIL>;

/** /api/devices/:id/series: one bucket per step, in time order */
export const SERIES_POINT = z.object({
  time: z.string().meta({ format: 'date-time', description: 'bucket start' }),
  value: z.number().nullable().describe('the aggregate of the bucket (unit in X-Netatlas-Unit); null when it has no sample'),
});
export type SeriesPointJson = z.infer<typeof SERIES_POINT>;

/** the properties of a device of /api/map/devices */
export const MAP_DEVICE_PROPERTIES = z.object({
  id: z.string(),
  tech: z.enum(['fibre', 'wifi']),
  site: z.string(),
  area: z.string().describe('area id'),
}).and(DEVICE_STATE).and(z.object({
  uptime_24h: z.number().nullable().describe('uptime over the last 24 h (0..1); null when never up or down in them'),
  radiusM: z.number().optional().describe('wifi: the radius of the AP\'s coverage disc'),
  householdsPassed: z.number().optional().describe('fibre: households passed behind the node'),
}));
export type MapDeviceProperties = z.infer<typeof MAP_DEVICE_PROPERTIES>;

/** /api/map/devices */
export const MAP_DEVICES = featureCollection(GEO_POINT, MAP_DEVICE_PROPERTIES);
export type MapDevicesGeoJson = z.infer<typeof MAP_DEVICES>;

/** the status and technology words, in the order of the codes of /api/map/devices/columns */
export const MAP_STATUSES = DEVICE_STATE.shape.status.options;
export const MAP_TECHS = PUBLIC_DEVICE.shape.tech.options;

/**
 * /api/map/devices/columns: what the map draws of every device, as parallel arrays (device i is
 * id[i], lon[i], lat[i], …) in the order of /api/map/devices, with the same statuses. A fifth of
 * its bytes at 100 000 devices, and an array of numbers parses far faster than an object per
 * device; the rest of a device (site, area, statusReason, lastSeen, …) is in /api/devices/:id.
 */
export const MAP_DEVICE_COLUMNS = z.object({
  count: z.number().int().describe('the number of devices: the length of every column'),
  statuses: z.array(z.enum(MAP_STATUSES)).describe('the words of the status codes: status[i] is an index into it'),
  techs: z.array(z.enum(MAP_TECHS)).describe('the words of the technology codes: tech[i] is an index into it'),
  id: z.array(z.string()),
  lon: z.array(z.number()).describe('longitude, as the device\'s GeoJSON point gives it'),
  lat: z.array(z.number()),
  tech: z.array(z.number().int()).describe('index into techs'),
  householdsPassed: z.array(z.number().nullable()).describe('fibre: households passed behind the node; null when the inventory gives none'),
  radiusM: z.array(z.number().nullable()).describe('wifi: the radius of the AP\'s coverage disc; null when the inventory gives none'),
  status: z.array(z.number().int()).describe('index into statuses: the current status as in /api/map/devices'),
});
export type MapDeviceColumnsJson = z.infer<typeof MAP_DEVICE_COLUMNS>;

/** One component's state in /api/health; a component may add figures of its own (the collectors' list, a broker's clients). */
export const COMPONENT_HEALTH = z.looseObject({ ok: z.boolean(), detail: z.string() });

/**
 * /api/health (the document's component Health: the 200 and the 503 answer are alike). Without
 * read access only `status`; with it, version, uptime and one object per component. The other keys are components; their value type also admits string and number
 * only so that status, version and uptime_s fit the generated index signature (a TypeScript
 * object type's named keys must match its index signature).
 */
export const HEALTH = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string().optional().describe('with read access'),
  uptime_s: z.number().optional().describe('seconds since start; with read access'),
  store: COMPONENT_HEALTH.extend({ kind: z.string().describe('influxdb | sqlite | unknown') }).optional().describe('the metric store; with read access'),
}).catchall(z.union([COMPONENT_HEALTH, z.string(), z.number()]).describe('a component: broker, pipeline, collectors, simulator, cluster, …')).meta({ id: 'Health' });
export type HealthReport = z.infer<typeof HEALTH>;

/** an alert of /api/alerts (server/alerts/types.ts Alert with its times as ISO 8601) */
export const ALERT_JSON = z.object({
  id: z.string().describe('stable: rule, subject and start'),
  rule: z.enum(ALERT_RULES),
  subject: z.string().describe('device id, area id, collector name, <rule name>:<device> or component name'),
  severity: z.enum(['critical', 'warning']),
  summary: z.string(),
  startedAt: z.string().meta({ format: 'date-time', description: 'when the condition began' }),
  firedAt: z.string().meta({ format: 'date-time', description: 'when the alert was raised (after debounce)' }),
  resolvedAt: z.string().nullable().meta({ format: 'date-time', description: 'null while open' }),
  endedAt: z.string().optional().meta({ format: 'date-time', description: 'device_down, collector_down, device_unreadable: when the condition itself ended' }),
  endedAs: z.enum(['up', 'unknown: stale', 'unknown: collector-down', 'unknown: maintenance', 'unknown: unreadable', 'readable', 'alive', 'removed']).optional().describe('what the subject went into when the condition ended'),
  area: z.string().optional(),
  devices: z.array(z.string()).optional().describe('area_down: the devices down in the area'),
  flapping: z.boolean().optional().describe('device_down: the link changed state repeatedly within the episode'),
  reason: z.string().optional().describe('device_unreadable: why the device cannot be read'),
  value: z.number().optional().describe('area_down: devices down; collector_down: devices it watches; threshold, area_uptime: the reading'),
});
export type AlertJson = z.infer<typeof ALERT_JSON>;

/** /api/alerts */
export const ALERTS = z.object({
  open: z.array(ALERT_JSON).describe('newest first'),
  recent: z.array(ALERT_JSON).describe('the most recently resolved'),
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
});
export type AlertsJson = z.infer<typeof ALERTS>;

/** /web-config.json (server/web-static.ts): the map page's settings from the deployment's configuration */
export const WEB_CONFIG = z.object({
  tileUrl: z.string().describe('Leaflet tile URL template; \'\' for no base map'),
  tileAttribution: z.string(),
  center: z.object({ lat: z.number(), lon: z.number() }).describe('initial view before the areas are fitted'),
  zoom: z.number(),
  alerts: z.boolean().describe('the alert routes are mounted: the page shows the open-alerts badge'),
});
export type WebConfigJson = z.infer<typeof WEB_CONFIG>;
