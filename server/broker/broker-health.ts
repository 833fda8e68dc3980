/**
 * The `broker` component of /api/health: which broker, and whether it is losing telemetry before
 * it reaches netatlas. Only a broker that publishes its counters in `$SYS` (Mosquitto) can say so;
 * the MQTT collector follows them (collectors/mqtt/broker-sys.ts). The component is degraded for
 * DROP_WINDOW_MS after the broker's dropped-message counter was last seen rising, and names the
 * alert rule that raises (`broker_dropping`, README "Alerts"). With the embedded broker (aedes) or
 * a broker without `$SYS`, it says broker-side loss is not visible, and stays ok.
 */
import type { ComponentHealth } from '../app.js';
import type { Collector } from '../../collectors/types.js';
import type { BrokerSysView } from '../../collectors/mqtt/broker-sys.js';
import { redactUrl } from '../../core/redact.js';

/** how long the component stays degraded after a drop was seen */
export const DROP_WINDOW_MS = 15 * 60_000;

export const NOT_VISIBLE = 'broker-side loss is not visible';

export interface BrokerHealthSource {
  /** the embedded broker, when netatlas runs one */
  embedded?: { url: string; connectedClients(): number };
  /** the configured broker URL (redacted here before it is shown) */
  url?: string;
  /** what the MQTT collector has read from the broker's $SYS; undefined without a collector */
  sys: () => BrokerSysView | undefined;
  now?: () => number;
}

export function brokerHealth(src: BrokerHealthSource): () => Promise<ComponentHealth> {
  const now = src.now ?? Date.now;
  return async () => {
    const sys = src.sys();
    const url = redactUrl(src.embedded?.url ?? src.url);
    if (sys?.visible === true) {
      const dropping = sys.lastDropAt !== undefined && now() - sys.lastDropAt < DROP_WINDOW_MS;
      const counters = { dropped: sys.droppedTotal ?? 0, droppedSeen: sys.droppedSeen, lastDropAt: sys.lastDropAt ?? null, storedMessages: sys.storedMessages ?? null, clientsConnected: sys.clientsConnected ?? null, version: sys.version ?? null };
      const detail = dropping
        ? `broker ${url} dropped messages: its dropped counter rose ${Math.round((now() - sys.lastDropAt!) / 1000)} s ago (${sys.droppedTotal ?? 0} since it started): telemetry was lost before it reached netatlas; raise max_queued_messages (deploy/mosquitto/mosquitto.conf)`
        : `broker ${url}: no messages dropped in the last ${DROP_WINDOW_MS / 60_000} min (dropped counter ${sys.droppedTotal ?? 0}, ${sys.storedMessages ?? '?'} messages stored, ${sys.clientsConnected ?? '?'} clients)`;
      return { ok: !dropping, detail, url, lossVisible: true, ...counters, alertRule: 'broker_dropping' };
    }
    if (src.embedded) {
      return { ok: true, detail: `embedded broker (aedes) at ${url}: ${NOT_VISIBLE} (it publishes no $SYS counters)`, url, lossVisible: false, clients: src.embedded.connectedClients() };
    }
    const why = sys === undefined ? 'no MQTT collector follows it' : 'it has sent no $SYS counters (not Mosquitto, $SYS disabled, or the ACL refuses $SYS/# to the collector)';
    return { ok: true, detail: `external broker ${url}: ${NOT_VISIBLE} (${why})`, url, lossVisible: false };
  };
}

/** The MQTT collector's $SYS view, when one of the collectors is an MQTT collector. */
export function brokerSysOf(collectors: readonly Collector[]): (() => BrokerSysView) | undefined {
  for (const c of collectors) {
    const s = c as Collector & { state?: () => { broker?: BrokerSysView } };
    if (c.name === 'mqtt' && typeof s.state === 'function') return () => s.state!().broker ?? { visible: false, droppedSeen: 0 };
  }
  return undefined;
}
