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
