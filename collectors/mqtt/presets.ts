/**
 * AP vendor presets (`collectors.mqtt.preset`): each gives the topics to subscribe to, how a topic
 * names its AP, and how a telemetry payload is read. The collector does the rest the same way for
 * every preset (inventory lookup, status from telemetry, batching, PUBACK after the sink).
 *
 * | preset | APs | topics | payload |
 * | --- | --- | --- | --- |
 * | `netatlas` | netatlas's own JSON (the simulator, custom firmware) | `{prefix}/{device}/telemetry`, `{prefix}/{device}/status` | JSON object, status text |
 * | `collectd` | OpenWrt collectd + iwinfo + MQTT plugins | `<collectdPrefix>/<host>/iwinfo-<ifname>/<type>` | `"<epoch>:<value>"` text |
 */
import type { MqttConfig } from './config.js';
import { parseTelemetry, type ParseResult } from './payload.js';
import { CollectdParser, collectdRouter } from './preset-collectd.js';
import { createTopicRouter, type TopicRouter } from './topics.js';

export interface Preset {
  router: TopicRouter;
  /** reads a telemetry message of a topic the router matched; `now` is the receive time */
  parseTelemetry(topic: string, payload: Buffer, now: number): ParseResult;
}

export function createPreset(config: MqttConfig): Preset {
  const skew = { maxPayloadBytes: config.maxPayloadBytes, maxFutureSkewMs: config.maxFutureSkewS * 1000, maxPastSkewMs: config.maxPastSkewS * 1000 };
  if (config.preset === 'collectd') {
    const parser = new CollectdParser();
    const freshMs = 2 * config.expectedIntervalS * 1000;
    return {
      router: collectdRouter(config.collectdPrefix, config.sharedGroup),
      parseTelemetry: (topic, payload, now) => parser.parse(topic, payload, { ...skew, freshMs, now }),
    };
  }
  return {
    router: createTopicRouter({ prefix: config.topicPrefix, telemetryTopic: config.telemetryTopic, statusTopic: config.statusTopic, sharedGroup: config.sharedGroup }),
    parseTelemetry: (_topic, payload, now) => parseTelemetry(payload, { mapping: config.fields, ...skew, now }),
  };
}
