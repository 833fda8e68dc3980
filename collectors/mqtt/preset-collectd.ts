/**
 * The `collectd` preset: OpenWrt APs running collectd with its iwinfo plugin (per wireless
 * interface: associated stations, signal, noise, bit rate) and its MQTT plugin publishing them.
 *
 * What collectd sends (collectd src/mqtt.c and src/utils/common/common.c, format_name and
 * format_values):
 * - topic `<Prefix>/<host>/iwinfo-<ifname>/<type>`, Prefix `collectd` by default;
 * - payload `"<time>:<value>"`: the time in epoch seconds with 3 decimals (`%.3f`), the gauge with
 *   `%.15g` (`nan` when unknown), and the C string's terminating NUL byte included (collectd
 *   publishes strlen + 1 bytes).
 * The host is the AP's collectd Hostname, matched to the inventory's `mqttId`. Only the
 * interface-level counts are read: the iwinfo plugin has no per-client values, and client MAC
 * addresses are never read nor stored.
 *
 * An AP with two radios (wlan0, wlan1) reports `stations` once per interface; `clients` is the sum
 * of the latest count of each interface heard within the last 2 expected intervals, so that a
 * radio switched off stops counting once its figure is older than that.
 */
import type { RejectReason, Telemetry } from './payload.js';
import { sharedSubscription, type TopicMatch, type TopicRouter } from './topics.js';

/** iwinfo's types and the wifi_ap field each becomes */
export const COLLECTD_TYPES = {
  stations: 'clients',
  signal_power: 'rssi_dbm',
  signal_noise: 'noise_dbm',
  bitrate: 'bitrate_bps',
} as const;
type CollectdType = keyof typeof COLLECTD_TYPES;
const isType = (t: string): t is CollectdType => Object.prototype.hasOwnProperty.call(COLLECTD_TYPES, t);

/** Ranges beyond which a value is a fault, not a reading (dBm: the same as the JSON preset). */
const RANGE: Record<CollectdType, [number, number]> = {
  stations: [0, 100_000],
  signal_power: [-150, 30],
  signal_noise: [-150, 30],
  bitrate: [0, 1e12],
};

/** Subscribes to the four iwinfo types only; `+` cannot match part of a level, hence `iwinfo-` is checked in match(). */
export function collectdRouter(prefix: string, sharedGroup?: string): TopicRouter {
  const filters = Object.keys(COLLECTD_TYPES).map((t) => `${prefix}/+/+/${t}`);
  const depth = prefix.split('/').length;
  return {
    subscriptions: () => filters.map((f) => sharedSubscription(f, sharedGroup)),
    match(topic): TopicMatch | undefined {
      const parts = topic.split('/');
      if (parts.length !== depth + 3 || parts.slice(0, depth).join('/') !== prefix) return undefined;
      const [host, plugin, type] = parts.slice(depth) as [string, string, string];
      if (host === '' || !plugin.startsWith('iwinfo-') || plugin.length === 'iwinfo-'.length || !isType(type)) return undefined;
      return { kind: 'telemetry', device: host };
    },
  };
}

export interface CollectdParseOptions {
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  maxPastSkewMs: number;
  /** how long an interface's station count stays in the AP's sum */
  freshMs: number;
  now: number;
}

export type CollectdResult = { ok: true; value: Telemetry } | { ok: false; reason: RejectReason; detail: string };

/** `<epoch s>:<value>`: collectd's format_values for a single-gauge type (iwinfo's four). */
const PAYLOAD = /^(\d{9,11}(?:\.\d{1,9})?):([^:]+)$/;

/** Parses collectd iwinfo messages and keeps, per AP, the latest station count of each interface. */
export class CollectdParser {
  private readonly stations = new Map<string, Map<string, { count: number; at: number }>>();

  parse(topic: string, payload: Buffer, opts: CollectdParseOptions): CollectdResult {
    if (payload.length > opts.maxPayloadBytes) return { ok: false, reason: 'too_large', detail: `${payload.length} bytes > ${opts.maxPayloadBytes}` };
    const parts = topic.split('/');
    const type = parts[parts.length - 1]!;
    const ifname = parts[parts.length - 2]!.slice('iwinfo-'.length);
    const host = parts[parts.length - 3]!;
    if (!isType(type)) return { ok: false, reason: 'unknown_topic', detail: `type ${type} is not one the iwinfo preset reads` };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    } catch {
      return { ok: false, reason: 'not_collectd', detail: 'not UTF-8 text' };
    }
    // collectd sends the C string's NUL; a hand-made publisher may not, or may end with a newline
    text = text.replace(/\0$/, '').trim();
    const m = PAYLOAD.exec(text);
    if (!m) return { ok: false, reason: 'not_collectd', detail: `expected "<epoch>:<value>", got ${JSON.stringify(text.slice(0, 40))}` };
    const time = Math.round(Number(m[1]) * 1000);
    if (time > opts.now + opts.maxFutureSkewMs) return { ok: false, reason: 'future_timestamp', detail: `time: ${time - opts.now} ms in the future` };
    if (time < opts.now - opts.maxPastSkewMs) return { ok: false, reason: 'too_old', detail: `time: ${Math.round((opts.now - time) / 1000)} s in the past` };
    const raw = m[2]!;
    // collectd prints an unknown gauge as nan (printf %g); "U" is its own notation for unknown
    if (/^(-?nan|U)$/i.test(raw)) return { ok: false, reason: 'no_value', detail: `${type}: ${raw} (collectd had no value)` };
    if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return { ok: false, reason: 'wrong_type', detail: `${type}: ${JSON.stringify(raw.slice(0, 40))} is not a number` };
    const value = Number(raw);
    const [lo, hi] = RANGE[type];
    if (!Number.isFinite(value) || value < lo || value > hi || (type === 'stations' && !Number.isInteger(value))) {
      return { ok: false, reason: 'out_of_range', detail: `${type}: ${raw} outside ${lo}..${hi}${type === 'stations' ? ' or not whole' : ''}` };
    }
    if (type !== 'stations') return { ok: true, value: { time, fields: { [COLLECTD_TYPES[type]]: value } } };
    return { ok: true, value: { time, fields: { clients: this.sumStations(host, ifname, value, time, opts) } } };
  }

  private sumStations(host: string, ifname: string, count: number, time: number, opts: CollectdParseOptions): number {
    let ifs = this.stations.get(host);
    if (!ifs) { ifs = new Map(); this.stations.set(host, ifs); }
    // bounded: at most the AP's interfaces (an AP inventing interface names is cut at 64)
    if (ifs.has(ifname) || ifs.size < 64) ifs.set(ifname, { count, at: time });
    let sum = 0;
    for (const [name, s] of ifs) {
      if (time - s.at > opts.freshMs) ifs.delete(name);
      else sum += s.count;
    }
    return sum;
  }
}
