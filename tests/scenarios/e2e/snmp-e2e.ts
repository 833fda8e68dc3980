/**
 * The SNMP scenarios end to end: the real SNMP collector polling simulated agents (answering, or
 * silent for the polls that time out) and the real snmpd (v3, the right key or a wrong one),
 * writing to SQLite and InfluxDB at once; figures read back from each with rawUptimes and the incidents as
 * /api/incidents reads them.
 *
 * Real clock, every offset scaled by SCALE = 1/20: the collector polls every 3 s (60 s in the
 * scenario). Tolerance per figure: 0.1 % of the window plus TOLERANCE_MS: a poll that times out
 * is written when it fails, POLL_TIMEOUT_MS (500 ms) after it starts, so a down state begins up
 * to 500 ms late (a real collector learns of it then too); the first cycle writes its first
 * heartbeat (to both stores) before it polls, so the first answer lands up to 450 ms after t0;
 * plus scheduling on the shared cores (deviations under 450 ms seen; the same 1 s as the MQTT
 * runs, for a machine under load).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireSnmpAgent, services } from '../../helpers/services.js';
import { snmpSteady } from '../cases/snmp-steady.js';
import { snmpUnreachable } from '../cases/snmp-unreachable.js';
import { snmpWrongKey } from '../cases/snmp-wrong-key.js';
import { maintenanceOverOutage } from '../cases/maintenance-over-outage.js';
import { partFor, type Scenario } from '../types.js';
import { checkRun } from './check.js';
import { bothStores } from './e2e-stores.js';
import { prepareSnmpScenario, type SnmpRun } from './snmp-driver.js';

const SCALE = 1 / 20;
const TOLERANCE_MS = 1000;
const STAGGER_MS = 370;
const SNMP_SCENARIOS: Scenario[] = [snmpSteady, snmpUnreachable, snmpWrongKey, partFor(maintenanceOverOutage, 'snmp')];

export function describeSnmpEndToEnd(): void {
  describe('scenarios end to end through the SNMP collector, simulated agents and snmpd', () => {
    const runs = new Map<Scenario, SnmpRun>();

    beforeAll(async () => {
      await requireSnmpAgent(services.snmpHost, services.snmpPort, services.snmpCommunity);
      const prepared = [];
      for (const s of SNMP_SCENARIOS) prepared.push(await prepareSnmpScenario(s, SCALE));
      const t0 = Date.now() + 1000;
      const played = await Promise.all(prepared.map((p, i) => p.play(t0 + i * STAGGER_MS)));
      SNMP_SCENARIOS.forEach((s, i) => runs.set(s, played[i]!));
    }, 120_000);
    afterAll(async () => { for (const r of runs.values()) await r.dispose(); });

    it.each(SNMP_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
      const run = runs.get(s)!;
      for (const [name, store] of bothStores(run.stores)) await checkRun(s, run, store, SCALE, TOLERANCE_MS, name);
    });
  });
}
