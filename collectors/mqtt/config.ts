/**
 * The `collectors.mqtt` config section. Every key has a default so that an empty section (or
 * none) gives a working collector on the embedded broker with DESIGN.md's topics and payloads.
 */
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { unreadableFileReason } from './tls.js';
import { DEFAULT_HEARTBEAT_S } from '../heartbeat.js';
import { MAX_HEARTBEAT_S } from '../../core/status-points.js';

/** A payload key or a dotted path into nested objects (`radio.util`). */
const payloadPath = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_\-$]+(\.[A-Za-z0-9_\-$]+)*$/, 'a key or dotted path of letters, digits, _ - $')
  .refine((p) => !p.split('.').some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype'), {
    message: 'must not use __proto__, constructor or prototype',
  });

const topicTemplate = z
  .string()
  .min(1)
  .refine((t) => t.split('/').filter((l) => l === '{device}').length === 1, {
    message: 'must contain {device} exactly once, as a whole topic level',
  })
  .refine((t) => !/[+#]/.test(t), { message: 'must not contain MQTT wildcards (+ or #)' });

/** A PEM file that must exist and be readable when the config is checked (before any connection). */
const pemFile = z.string().min(1).superRefine((file, ctx) => {
  const reason = unreadableFileReason(file);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

/** mqtt.js picks TLS from the URL's protocol alone: TLS files with a plain URL would be ignored. */
const TLS_PROTOCOLS = new Set(['mqtts:', 'ssl:', 'tls:', 'wss:']);
function usesTls(url: string): boolean {
  try {
    return TLS_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

export const fieldMappingSchema = z
  .object({
    ts: payloadPath.default('ts'),
    clients: payloadPath.default('clients'),
    rssi_dbm: payloadPath.default('rssi_dbm'),
    channel_util: payloadPath.default('channel_util'),
    tx_bytes: payloadPath.default('tx_bytes'),
    rx_bytes: payloadPath.default('rx_bytes'),
    uptime_s: payloadPath.default('uptime_s'),
  })
  .strict();

export const statusPayloadsSchema = z
  .object({
    online: z.array(z.string().min(1)).min(1).default(['online']),
    offline: z.array(z.string().min(1)).min(1).default(['offline']),
  })
  .strict();

export const mqttConfigSchema = z
  .object({
    /** broker URL (mqtt://, mqtts://, ws://, wss://); absent: the service's broker (top-level mqtt.url, else its embedded one) */
    url: z.string().url().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    /** TLS files (PEM paths), for mqtts:// */
    tls: z
      .object({
        caFile: pemFile.optional(),
        certFile: pemFile.optional(),
        keyFile: pemFile.optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** stable across restarts so the broker keeps the session; derived from hostname + dataDir when absent */
    clientId: z.string().min(1).max(128).optional(),
    /** MQTT 5 (default) or 3.1.1; the embedded broker speaks 3.1.1 and is always used with 4 */
    protocolVersion: z.union([z.literal(4), z.literal(5)]).default(5),
    /** MQTT 5 session expiry: how long the broker keeps the session (and queues QoS 1) while we are away */
    sessionExpiryS: z.number().int().min(0).max(4294967295).default(7 * 24 * 3600),
    keepaliveS: z.number().int().min(1).max(65535).default(30),
    /** reconnect backoff: starts at reconnectMinMs, doubles up to reconnectMaxMs */
    reconnectMinMs: z.number().int().min(50).default(500),
    reconnectMaxMs: z.number().int().min(100).default(30_000),
    /**
     * what the APs speak (presets.ts): `netatlas` (the JSON telemetry and status topics below) or
     * `collectd` (OpenWrt collectd's MQTT plugin with the iwinfo plugin; topicPrefix, the topic
     * templates, fields and statusPayloads are not used, collectdPrefix is)
     */
    preset: z.enum(['netatlas', 'collectd']).default('netatlas'),
    /** the collectd MQTT plugin's `Prefix` (its default: collectd) */
    collectdPrefix: z.string().min(1).refine((p) => !/[+#]/.test(p) && !p.endsWith('/') && !p.startsWith('/'), {
      message: 'no wildcards, no leading or trailing /',
    }).default('collectd'),
    topicPrefix: z.string().min(1).refine((p) => !/[+#]/.test(p) && !p.endsWith('/'), {
      message: 'no wildcards and no trailing /',
    }).default('netatlas/wifi'),
    /** topic templates; `{prefix}` is topicPrefix, `{device}` the AP's MQTT id */
    telemetryTopic: topicTemplate.default('{prefix}/{device}/telemetry'),
    statusTopic: topicTemplate.default('{prefix}/{device}/status'),
    fields: fieldMappingSchema.default(fieldMappingSchema.parse({})),
    statusPayloads: statusPayloadsSchema.default(statusPayloadsSchema.parse({})),
    /** with a group, subscriptions are `$share/<group>/...`: collectors of one group split the load */
    sharedGroup: z.string().min(1).regex(/^[^/+#]+$/, 'no / + or #').optional(),
    maxPayloadBytes: z.number().int().min(16).max(16 * 1024 * 1024).default(16 * 1024),
    /** a telemetry `ts` further than this in the future is rejected */
    maxFutureSkewS: z.number().min(0).default(300),
    /**
     * a telemetry `ts` further than this in the past is rejected (`too_old`): a clock gone wrong,
     * or a replay, must not write history. Default 8 days: the broker queues for us up to
     * sessionExpiryS (7 days), plus a day for APs that buffer before they publish.
     */
    maxPastSkewS: z.number().positive().default(8 * 24 * 3600),
    /** default expected telemetry interval of an AP (the inventory's intervalS wins) */
    expectedIntervalS: z.number().positive().default(60),
    /**
     * seconds between two collector_status heartbeats while connected (whole seconds: the store
     * keeps heartbeat_s as an integer); default DEFAULT_HEARTBEAT_S, or half of expectedIntervalS
     * when that is less (see the refinement below)
     */
    heartbeatS: z.number().int().positive().max(MAX_HEARTBEAT_S).optional(),
    /** on stop, how long to wait for the sink to take what was received before disconnecting */
    stopFlushTimeoutMs: z.number().int().min(0).default(5000),
    /** points written per sink call at most */
    maxBatchPoints: z.number().int().min(1).max(100_000).default(5000),
    /** sink writes in flight at once */
    maxInFlightWrites: z.number().int().min(1).max(1000).default(16),
    /**
     * MQTT 5 receive maximum: QoS 1 messages the broker may send before our PUBACKs. PUBACKs wait for
     * the sink, so this window divided by the sink's latency bounds the ingest rate.
     */
    receiveMaximum: z.number().int().min(1).max(65535).default(20_000),
  })
  .strict()
  .refine((c) => c.reconnectMaxMs >= c.reconnectMinMs, {
    message: 'reconnectMaxMs must be >= reconnectMinMs',
    path: ['reconnectMaxMs'],
  })
  .refine((c) => c.tls === undefined || c.url === undefined || usesTls(c.url), {
    message: 'TLS files are used only with an mqtts://, ssl://, tls:// or wss:// url',
    path: ['tls'],
  })
  .refine((c) => (c.tls?.certFile === undefined) === (c.tls?.keyFile === undefined), {
    message: 'certFile and keyFile go together (client certificate and its key)',
    path: ['tls'],
  })
  // A heartbeat keeps the collector alive for 2 periods (server/status/collector-liveness.ts): at
  // most half an interval per period bounds to one interval the unknown span that follows a
  // collector killed without a word (SIGKILL), instead of a down state running on.
  .superRefine((c, ctx) => {
    const half = c.expectedIntervalS / 2;
    if (c.heartbeatS !== undefined && c.heartbeatS > half) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatS'], message: `${c.heartbeatS} s is more than half of expectedIntervalS (${c.expectedIntervalS} s): at most ${Math.floor(half)}` });
    } else if (c.heartbeatS === undefined && half < 1) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatS'], message: `heartbeats are whole seconds, at most half of expectedIntervalS (${c.expectedIntervalS} s): expectedIntervalS must be at least 2` });
    }
  })
  .transform((c) => ({ ...c, heartbeatS: c.heartbeatS ?? defaultHeartbeatS(c.expectedIntervalS) }));

/** DEFAULT_HEARTBEAT_S, or half of the expected interval (whole seconds) when that is less. */
export function defaultHeartbeatS(expectedIntervalS: number): number {
  return Math.max(1, Math.min(DEFAULT_HEARTBEAT_S, Math.floor(expectedIntervalS / 2)));
}

export type MqttConfig = z.infer<typeof mqttConfigSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/**
 * A client id that stays the same across restarts of one installation (so the broker resumes its
 * session) but differs between two installations on one machine (different data dirs).
 */
export function defaultClientId(dataDir: string, hostname: string = os.hostname()): string {
  const digest = createHash('sha256').update(`${hostname}\0${path.resolve(dataDir)}`).digest('hex').slice(0, 12);
  const host = hostname.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'host';
  return `netatlas-${host}-${digest}`;
}
