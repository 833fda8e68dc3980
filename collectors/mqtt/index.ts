/**
 * The `mqtt` collector's registry entry: wifi access points over MQTT (README.md beside this file).
 */
import type { CollectorDefinition } from '../registry.js';
import { mqttConfigSchema } from './config.js';
import { MqttCollector } from './collector.js';

export const mqttCollector: CollectorDefinition<typeof mqttConfigSchema> = {
  description: 'Public wifi access points over MQTT: telemetry (wifi_ap) and online/offline status (device_status)',
  configSchema: mqttConfigSchema,
  create: (config, ctx) => new MqttCollector({ config, ctx }),
};

export { MqttCollector, type MqttCollectorState } from './collector.js';
export { mqttConfigSchema, defaultClientId, type MqttConfig } from './config.js';
