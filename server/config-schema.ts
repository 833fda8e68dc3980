/**
 * The configuration schema (zod 4). Every object is strict: an unknown key is an error, so a typo
 * in a config file cannot be silently ignored. Every key has a default or is optional, so an empty
 * file (or no file) is a valid configuration that runs the demo.
 *
 * `.prefault({})` rather than `.default({})` on sections: zod 4 returns a `.default()` value as is,
 * while a prefault is parsed, so the section's own key defaults are filled in.
 */
import { z } from 'zod';
import { registry as collectorRegistry, type CollectorDefinition } from '../collectors/registry.js';
import { alertsSchema } from './alerts/config.js';
import { notifiersSchema } from './notifiers/config.js';
import { maintenanceSchema } from './maintenance/config.js';
import { reportsSchema } from './scheduled-reports/config.js';
import { publicSchema } from './public/config.js';
import { clusterSchema, roleProblems, roleSchema } from './config-cluster.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const positiveInt = z.number().int().positive();
const port = z.number().int().min(0).max(65535);

/** InfluxDB duration literal for retention policies: `90d`, `52w`, `1h30m`, or `INF`. */
const influxDuration = z
  .string()
  .regex(/^(INF|(\d+(ns|u|µ|ms|s|m|h|d|w))+)$/, 'must be an InfluxDB duration such as 90d, 52w or INF');

function urlWithProtocols(protocols: readonly string[]): z.ZodType<string> {
  return z.url({ message: 'Invalid URL' }).refine(
    (value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol.replace(/:$/, '')),
    { message: `URL scheme must be one of ${protocols.join(', ')}` },
  );
}

/** An MQTT topic segment: no wildcards and no slashes, so it can be used inside topic filters. */
const topicSegment = nonEmpty.regex(/^[^/#+]+$/, 'must not contain /, # or +');
/** A topic prefix: one or more segments separated by '/', no wildcards, no leading/trailing slash. */
const topicPrefix = nonEmpty.regex(/^[^/#+]+(\/[^/#+]+)*$/, 'must be topic segments separated by / with no wildcards and no leading or trailing /');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Average household size used to estimate households as population / size where an area has no
 * household count. Default 2.14: Statbel, average private household size of the Brussels-Capital
 * Region on 1 January 2024 (https://statbel.fgov.be/en/themes/population/structure-population/households).
 * It is an estimate for the demo region; set the figure of your own region.
 */
export const DEFAULT_AVERAGE_HOUSEHOLD_SIZE = 2.14;

export const httpSchema = z.strictObject({
  port: port.default(8080),
  host: nonEmpty.default('127.0.0.1'),
  /** origins allowed to call the API from a browser; empty = same origin only; '*' = any */
  cors: z.array(nonEmpty.refine((v) => v === '*' || URL.canParse(v), 'must be an origin URL or *')).default([]),
  auth: z
    .strictObject({
      /** bearer token required for read endpoints; none = reads are open */
      readToken: nonEmpty.optional(),
      /** bearer token required for admin endpoints (reload, import) */
      adminToken: nonEmpty.optional(),
    })
    .prefault({}),
  /** bounds on what clients may ask of the API (server/api/request-limits.ts; README "Failure behaviour") */
  limits: z
    .strictObject({
      /** requests per client (remote address) per minute on the API routes; /api/health and /api/events are not counted */
      readsPerMinute: positiveInt.max(1_000_000).default(600),
      /** open /api/events streams in all; one more is answered 503 */
      eventStreams: positiveInt.max(100_000).default(500),
      /** open /api/events streams per client (remote address) */
      eventStreamsPerClient: positiveInt.max(100_000).default(20),
      /** heavy analytics (uptime, incidents, coverage, DESI) computed at once; more wait in line */
      heavyConcurrency: positiveInt.max(64).default(2),
      /** how long a heavy request may wait for its turn before it is answered 503 with Retry-After */
      heavyQueueMs: z.number().int().min(0).max(600_000).default(10_000),
      /** heavy requests waiting at most; one more is answered 503 at once */
      heavyQueueLength: z.number().int().min(0).max(10_000).default(20),
    })
    .prefault({})
    .superRefine((l, ctx) => {
      if (l.eventStreamsPerClient > l.eventStreams) {
        ctx.addIssue({ code: 'custom', path: ['eventStreamsPerClient'], message: `must be at most eventStreams (${l.eventStreams})` });
      }
    }),
});

export const influxSchema = z.strictObject({
  url: urlWithProtocols(['http', 'https']),
  database: nonEmpty.default('netatlas'),
  username: nonEmpty.optional(),
  password: z.string().optional(),
  /** retention of raw points (retention policy `raw`) */
  rawRetention: influxDuration.default('90d'),
  /** retention of hourly rollups (retention policy `long`) */
  longRetention: influxDuration.default('1825d'),
  timeoutMs: positiveInt.default(10_000),
});

/** The embedded store's retentions, as InfluxDB's (duration literals; `INF` keeps everything). */
export const sqliteSchema = z.strictObject({
  /** raw points older than this are deleted (a bounded slice at a time) */
  rawRetention: influxDuration.default('90d'),
  /** hourly rollups older than this are deleted */
  longRetention: influxDuration.default('1825d'),
});

export const storeSchema = z.strictObject({
  /** absent: the embedded SQLite store under dataDir */
  influx: influxSchema.optional(),
  /** the embedded store (used when `influx` is absent) */
  sqlite: sqliteSchema.prefault({}),
});

export const pipelineSchema = z
  .strictObject({
    batchSize: positiveInt.default(5000),
    flushIntervalMs: positiveInt.default(1000),
    maxQueuePoints: positiveInt.default(100_000),
    /** spool cap: above it writes wait (MQTT PUBACKs held, SNMP cycles skipped), nothing is dropped */
    maxSpoolBytes: positiveInt.default(1024 ** 3),
    /** /api/health is degraded while the data dir's file system has less free */
    minFreeBytes: positiveInt.default(512 * 1024 ** 2),
  })
  .superRefine((p, ctx) => {
    if (p.maxQueuePoints < p.batchSize) {
      ctx.addIssue({ code: 'custom', path: ['maxQueuePoints'], message: `must be at least batchSize (${p.batchSize})` });
    }
  });

/** How long files the service writes for operators are kept (pruned at start and daily). */
export const retentionSchema = z.strictObject({
  /** lines of <dataDir>/spool/rejected.jsonl (points the store refused) */
  rejectedDays: positiveInt.default(30),
  /** delivered and failed rows of the notifier delivery log (<dataDir>/notifications.sqlite); pending ones are kept */
  deliveryLogDays: positiveInt.default(90),
  /** files in <dataDir>/reports (by modification time) */
  reportsDays: positiveInt.default(400),
});

export const mqttSchema = z.strictObject({
  /** external broker; absent: an embedded broker (aedes) starts in-process */
  url: urlWithProtocols(['mqtt', 'mqtts', 'tcp', 'ssl', 'tls', 'ws', 'wss']).optional(),
  /** port of the embedded broker (loopback); a free port is taken when it is busy */
  embeddedPort: port.default(1883),
  topicPrefix: topicPrefix.default('netatlas'),
  username: nonEmpty.optional(),
  password: z.string().optional(),
  clientId: nonEmpty.optional(),
  /** paths of PEM files for TLS */
  ca: nonEmpty.optional(),
  cert: nonEmpty.optional(),
  key: nonEmpty.optional(),
  /** MQTT 5 shared-subscription group: collectors in one group share the load */
  sharedGroup: topicSegment.optional(),
});

export const inventorySchema = z.strictObject({
  /** devices file (YAML/JSON); absent: the built-in demo inventory */
  devicesFile: nonEmpty.optional(),
  /** areas GeoJSON file; absent: the built-in demo areas */
  areasFile: nonEmpty.optional(),
  /**
   * optional population grid (CSV of cell centres lon,lat,<populationField>, or GeoJSON cells):
   * spreads each area's households where people live for gaps, wifi population coverage and the
   * planner (server/analytics/population-grid.ts); absent: households spread evenly
   */
  populationGrid: z.strictObject({
    file: nonEmpty,
    /** side of a grid cell in metres (1000 for a 1 km census grid) */
    cellM: z.number().positive().max(100_000).default(1000),
    populationField: nonEmpty.default('population'),
  }).optional(),
});

export const householdsSchema = z.strictObject({
  averageSize: z.number().min(1).max(10).default(DEFAULT_AVERAGE_HOUSEHOLD_SIZE),
});

/** The map page (web/): base-map tiles and the initial view. */
export const mapSchema = z.strictObject({
  /** Leaflet tile URL template; '' turns the base map off (areas and devices still draw) */
  tileUrl: z
    .string()
    .refine((v) => v === '' || (URL.canParse(v.replace(/\{[^}]+\}/g, '0')) && v.includes('{z}')), 'must be an http(s) tile URL template with {z}, {x} and {y}, or empty')
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** HTML attribution shown for the tiles; defaults to OpenStreetMap's for the default URL */
  tileAttribution: z.string().optional(),
  center: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  zoom: z.number().int().min(1).max(19).optional(),
});

export const simulatorSchema = z.strictObject({
  /** default: true when the service starts without a config file (the demo), false otherwise */
  enabled: z.boolean().default(false),
  /** seed of the simulated network's randomness (layout of a resized demo, traffic, faults) */
  seed: z.number().int().min(0).default(7),
  /** size of the demo network; absent: the committed demo inventory (60 fibre nodes, 400 APs) */
  fibreNodes: z.number().int().min(0).max(5000).optional(),
  wifiAps: z.number().int().min(0).max(20_000).optional(),
  /** SNMP port of the first simulated fibre node; the demo moves the block when it is busy */
  snmpBasePort: port.default(16100),
  /** seconds between a simulated AP's telemetry messages */
  telemetryIntervalS: positiveInt.max(3600).default(10),
  /** play the scripted and random faults (AP power cut, node unreachable, flapping link, ...) */
  faults: z.boolean().default(true),
  /** random faults per hour, after the script (0: only the script) */
  randomFaultsPerHour: z.number().min(0).max(600).default(6),
});

/** `collectors.<name>` for every registry entry, each validated by that entry's own schema. */
export function collectorsSchema(entries: Readonly<Record<string, CollectorDefinition>>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, def] of Object.entries(entries)) shape[name] = def.configSchema.optional();
  return z.strictObject(shape).prefault({});
}

export function buildConfigSchema(entries: Readonly<Record<string, CollectorDefinition>> = collectorRegistry) {
  return z.strictObject({
    http: httpSchema.prefault({}),
    /** embedded store, spool and collector state */
    dataDir: nonEmpty.default('./data'),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
    store: storeSchema.prefault({}),
    pipeline: pipelineSchema.prefault({}),
    retention: retentionSchema.prefault({}),
    mqtt: mqttSchema.prefault({}),
    inventory: inventorySchema.prefault({}),
    households: householdsSchema.prefault({}),
    simulator: simulatorSchema.prefault({}),
    map: mapSchema.prefault({}),
    collectors: collectorsSchema(entries),
    /** alert rules, notifiers, maintenance windows and scheduled reports (README "Alerts, maintenance and scheduled reports") */
    alerts: alertsSchema.prefault({}),
    notifiers: notifiersSchema,
    maintenance: maintenanceSchema.prefault({}),
    reports: reportsSchema.prefault({}),
    /** the public status page and open data (README "Public status page and open data") */
    public: publicSchema.prefault({}),
    /** what this process runs: all (default), collector or api (README "One region, many machines") */
    role: roleSchema.default('all'),
    /** collector processes sharing the SNMP devices (server/config-cluster.ts) */
    cluster: clusterSchema.prefault({}),
  }).superRefine((c, ctx) => {
    for (const [path, message] of roleProblems(c)) ctx.addIssue({ code: 'custom', path, message });
  });
}

type BaseConfig = z.output<ReturnType<typeof buildConfigSchema>>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The validated configuration. `collectors` is typed loosely because its keys come from the
 * registry at run time; each collector's factory receives its own section already validated.
 */
export type Config = DeepReadonly<Omit<BaseConfig, 'collectors'> & { collectors: Record<string, unknown> }>;
export type HttpConfig = Config['http'];
export type InfluxConfig = NonNullable<Config['store']['influx']>;
export type PipelineConfig = Config['pipeline'];
export type MqttConfig = Config['mqtt'];
