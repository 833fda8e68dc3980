/**
 * The collectors' sections as the service runs them, resolved from the validated config: part of
 * the config module (DESIGN.md: configuration is normalised here only), so the collection side,
 * the status owner's intervals and the CLI tools all read the same resolved values.
 *
 * A collector absent from the config runs on its schema's defaults; the SNMP collector on the
 * demo's settings when the simulator is on; the MQTT collector inherits the top-level `mqtt.*`
 * keys (broker, credentials, TLS, prefix) unless its own section sets them.
 */
import type { DefaultIntervals } from './status/index.js';
import { registry as collectorRegistry } from '../collectors/registry.js';
import { snmpConfigSchema, type SnmpConfig } from '../collectors/snmp/config.js';
import { snmpIntervalOf } from '../collectors/snmp/schedule.js';
import type { Config } from './config-schema.js';

/**
 * `collectors.snmp` for the demo when the config has none: a 15 s cycle so rates (two polls) show
 * within a minute, short timeouts (loopback), and the uplink deciding the status so a flapping
 * link shows as an outage.
 */
export const DEMO_SNMP_CONFIG = { intervalS: 15, timeoutMs: 1000, retries: 1, concurrency: 16, statusInterfaces: ['uplink*'] } as const;

/** The SNMP collector's section: the configured one, else the demo's with the simulator, else its defaults. */
export function snmpSection(config: Pick<Config, 'collectors' | 'simulator'>): SnmpConfig {
  // each configured section was validated by its collector's schema (config-schema.ts collectorsSchema)
  return (config.collectors['snmp'] as SnmpConfig | undefined) ?? snmpConfigSchema.parse(config.simulator.enabled ? DEMO_SNMP_CONFIG : {});
}

/**
 * Each registry collector's config section: the configured one, else its defaults; the MQTT
 * collector is pointed at the service's broker (`brokerUrl`: the embedded one when none is
 * configured, which speaks MQTT 3.1.1 only) and given the top-level mqtt.* keys it lacks.
 */
export function collectorSections(config: Config, brokerUrl: string, embedded: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(collectorRegistry)) {
    out[name] = name === 'snmp' ? snmpSection(config) : config.collectors[name] ?? def.configSchema.parse({});
  }
  const mqtt = { ...(out['mqtt'] as Record<string, unknown>) };
  if (mqtt['url'] === undefined) {
    mqtt['url'] = brokerUrl;
    // aedes speaks MQTT 3.1.1 only
    if (embedded) mqtt['protocolVersion'] = 4;
  }
  if (mqtt['username'] === undefined && config.mqtt.username !== undefined) mqtt['username'] = config.mqtt.username;
  if (mqtt['password'] === undefined && config.mqtt.password !== undefined) mqtt['password'] = config.mqtt.password;
  // the documented top-level prefix gives the default topics `<prefix>/wifi/<device>/...`, unless
  // collectors.mqtt is configured with its own topicPrefix
  if (config.collectors['mqtt'] === undefined) mqtt['topicPrefix'] = `${config.mqtt.topicPrefix}/wifi`;
  if (mqtt['clientId'] === undefined && config.mqtt.clientId !== undefined) mqtt['clientId'] = config.mqtt.clientId;
  if (mqtt['sharedGroup'] === undefined && config.mqtt.sharedGroup !== undefined) mqtt['sharedGroup'] = config.mqtt.sharedGroup;
  if (mqtt['tls'] === undefined && (config.mqtt.ca ?? config.mqtt.cert ?? config.mqtt.key) !== undefined) {
    mqtt['tls'] = { caFile: config.mqtt.ca, certFile: config.mqtt.cert, keyFile: config.mqtt.key, rejectUnauthorized: true };
  }
  out['mqtt'] = mqtt;
  return out;
}

/**
 * The intervals the collectors really use, for server/status to resolve each device's effective
 * interval: the SNMP collector's `intervalS` and its groups' `intervalS` (through the collector's
 * own group matching, so the analytics and the poll schedule agree), and the APs' telemetry
 * interval (mqtt `expectedIntervalS`).
 */
export function intervalsFromConfig(config: Pick<Config, 'collectors' | 'simulator'>): DefaultIntervals {
  const snmp = snmpSection(config);
  const mqtt = config.collectors['mqtt'] as { expectedIntervalS?: number } | undefined;
  const out: DefaultIntervals = { fibreS: snmp.intervalS, wifiS: mqtt?.expectedIntervalS ?? 60 };
  if (snmp.groups.some((g) => g.intervalS !== undefined)) out.snmpGroupS = snmpIntervalOf(snmp);
  return out;
}
