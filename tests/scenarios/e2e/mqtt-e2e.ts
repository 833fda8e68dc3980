/**
 * The MQTT scenarios end to end: real Mosquitto (tests/services/start), APs as real MQTT clients
 * whose power cut destroys their socket so the broker publishes the Will, the real MQTT collector
 * in a child process per life (stop = clean stop, SIGKILL = SIGKILL), a TCP proxy for the
 * collector's network cut, writing to SQLite and InfluxDB at once; figures read back from each with rawUptimes and the incidents as
 * /api/incidents reads them.
 *
 * Real clock, every offset scaled by SCALE = 1/5: AP telemetry every 2 s (10 s in the scenario),
 * collector heartbeat 1 s (5 s; heartbeats are whole seconds, so 1/5 is as fast as this goes).
 * Tolerance per figure: 0.1 % of the window plus TOLERANCE_MS for scheduling, delivery and
 * reconnection (the collector reconnects at most 200 ms after its network is back). The SIGKILL
 * is a real SIGKILL of the collector's process: only its heartbeats bound the down state it held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireMosquitto } from '../../helpers/services.js';
import { apPowerCut } from '../cases/ap-power-cut.js';
import { apGracefulOffline } from '../cases/ap-graceful-offline.js';
import { apOfflineAcrossRestart } from '../cases/ap-offline-across-restart.js';
import { collectorDown30s } from '../cases/collector-down-30s.js';
import { collectorNetworkCut } from '../cases/collector-network-cut.js';
import { collectorSigkill } from '../cases/collector-sigkill.js';
import { apSilent } from '../cases/ap-silent.js';
import { maintenanceOverOutage } from '../cases/maintenance-over-outage.js';
import { partFor, type Scenario } from '../types.js';
import { prepareMqttScenario, type E2eRun, type PreparedScenario } from './mqtt-driver.js';
import { checkRun } from './check.js';
import { bothStores, openE2eStores } from './e2e-stores.js';

const SCALE = 1 / 5;
/**
 * Measured on the shared 2-core machine with the eight scenarios played together (staggered): a
 * collector start reaches its first retained status 40-350 ms after the scripted instant (IPC,
 * CONNECT, SUBSCRIBE, queued and retained delivery), a clean stop writes `connected=0` 5-190 ms
 * late, a reconnection after the network is back takes up to 350 ms (backoff at most 200 ms), an
 * AP connects in 10-50 ms, 1 s heartbeat timers drift 5-15 ms per beat (setInterval). A figure
 * collects up to two such edges: deviations stay under 450 ms on a quiet machine, but with the
 * machine at load average 19 (other test suites) a collector restart took 960 ms, hence 1 s.
 */
const TOLERANCE_MS = 1000;
const STAGGER_MS = 730;
const MQTT_SCENARIOS: Scenario[] = [apPowerCut, apGracefulOffline, apOfflineAcrossRestart, collectorDown30s, collectorNetworkCut, collectorSigkill, apSilent,
  partFor(maintenanceOverOutage, 'mqtt')];

export function describeMqttEndToEnd(): void {
  describe('scenarios end to end through Mosquitto and the MQTT collector', () => {
    const runs = new Map<Scenario, E2eRun>();

    // all scenarios are loaded first, then played together (their windows overlap only each
    // other's light MQTT traffic, not child processes starting up), their t0 STAGGER_MS apart so
    // that their collectors and APs do not all connect in the same instant
    beforeAll(async () => {
      const url = await requireMosquitto();
      // loading child processes is CPU-bound and happens before t0: two at a time (two cores)
      const prepared: PreparedScenario[] = [];
      for (let i = 0; i < MQTT_SCENARIOS.length; i += 2) prepared.push(...await Promise.all(MQTT_SCENARIOS.slice(i, i + 2).map((s) => prepareMqttScenario(s, url, SCALE))));
      const t0 = Date.now() + 1000;
      const played = await Promise.all(prepared.map((p, i) => p.play(t0 + i * STAGGER_MS)));
      MQTT_SCENARIOS.forEach((s, i) => runs.set(s, played[i]!));
    }, 180_000);
    afterAll(async () => { for (const r of runs.values()) await r.dispose(); }, 60_000);

    it.each(MQTT_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
      const run = runs.get(s)!;
      const stores = await openE2eStores(run.stores);
      try {
        for (const [name, store] of bothStores(stores)) await checkRun(s, run, store, SCALE, TOLERANCE_MS, name);
      } finally {
        await stores.close();
      }
    });
  });
}
