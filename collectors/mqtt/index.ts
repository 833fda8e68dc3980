/**
 * The `mqtt` collector's registry entry: wifi access points over MQTT (README.md beside this file).
 */
import type { CollectorDefinition } from '../registry.js';
import { mqttConfigSchema } from './config.js';

export const mqttCollector: CollectorDefinition<typeof mqttConfigSchema> = {
  description: 'Public wifi access points over MQTT: telemetry (wifi_ap) and online/offline status (device_status)',
  configSchema: mqttConfigSchema,
  // the collector (and mqtt.js) is loaded when one is made, not with the schema: checking a
  // config, and every module that reads the registry for its schemas, loads no protocol library
  create: async (config, ctx) => new (await import('./collector.js')).MqttCollector({ config, ctx }),
};

export type { MqttCollectorState } from './collector.js';
export { mqttConfigSchema, defaultClientId, type MqttConfig } from './config.js';
