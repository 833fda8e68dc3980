/**
 * Plays a scenario's SNMP events on the real clock, scaled down, against real agents and the
 * real SNMP collector (collectors/snmp), writing to SQLite and InfluxDB at once. The runner's cron is what
 * calls poll() in netatlas; here each scripted poll instant calls it, after putting the agent in
 * the state the poll's event says:
 * - `snmp-answer` / `snmp-timeout`: a simulated agent (sim/snmp-agent.ts) answering, or silent;
 * - `snmp-auth-failure`: the real snmpd (tests/services/start) with the device's v3 auth key made
 *   wrong in the inventory (snmpd answers with a REPORT: unreadable); `snmp-answer` for such a
 *   node is the right key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnmpCollector } from '../../../collectors/snmp/collector.js';
import type { InventoryView } from '../../../core/inventory-view.js';
import type { Device, SnmpAccess } from '../../../core/device.js';
import type { Span } from '../../../server/analytics/intervals.js';
import { createMetricsRegistry } from '../../../core/self-metrics.js';
import { silentLogger } from '../../../core/log.js';
import type { SimAgent } from '../../../sim/snmp-agent.js';
import { randomBytes } from 'node:crypto';
import { requireInflux, requireSnmpAgent, services } from '../../helpers/services.js';
import { dropInfluxDatabase, openE2eStores, type E2eStores } from './e2e-stores.js';
import { snmpConfig } from '../../helpers/snmp-fixtures.js';
import { startAgent } from '../../helpers/snmp-sim.js';
import { deviceOf } from '../recorder.js';
import { timeOrdered, type Scenario, type ScenarioEvent } from '../types.js';
import type { RunRecord } from './check.js';
import { intervalSOf } from '../../../server/status/intervals.js';

export interface SnmpRun extends RunRecord {
  stores: E2eStores;
  dispose(): Promise<void>;
}

/** a poll fails in this long when the agent is silent (one try): part of the figures' tolerance */
export const POLL_TIMEOUT_MS = 500;

const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

const v3 = (authKey: string): SnmpAccess => ({
  host: services.snmpHost, port: services.snmpPort, version: '3', user: services.snmpV3User, level: 'authPriv',
  authProtocol: 'sha', authKey, privProtocol: 'aes', privKey: services.snmpV3PrivKey,
});

export interface PreparedSnmp {
  play(t0: number): Promise<SnmpRun>;
}

export async function prepareSnmpScenario(s: Scenario, scale: number): Promise<PreparedSnmp> {
  const intervalS = s.config.fibreS * scale;
  if (!Number.isInteger(intervalS)) throw new Error(`scenario ${s.name}: ${s.config.fibreS} s × ${scale} is not a whole number of seconds`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-scenario-snmp-'));
  const influxDatabase = `netatlas_scenario_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  const influxUrl = await requireInflux();
  const stores = await openE2eStores({ sqlitePath: path.join(dir, 'metrics.sqlite'), influxUrl, influxDatabase });
  const byAuth = new Set(s.events.filter((e) => e.type === 'snmp-auth-failure').map((e) => (e as { device: string }).device));
  const agents = new Map<string, SimAgent>();
  const current = new Map<string, Device>();
  for (const sd of s.devices) {
    if (sd.kind !== 'node') throw new Error(`scenario ${s.name}: ${sd.id} is not an SNMP node`);
    const d = deviceOf(sd);
    if (byAuth.has(d.id)) {
      d.snmp = v3(services.snmpV3AuthKey);
    } else {
      const agent = await startAgent({ interfaces: 2 });
      agents.set(d.id, agent);
      d.snmp = { host: '127.0.0.1', port: agent.port, version: '2c', community: 'public' };
    }
    current.set(d.id, d);
  }
  const devices = [...current.values()];
  // warm up each simulated agent (and net-snmp in this process): the first request to a fresh
  // agent can take longer than a poll's timeout on a loaded machine, and would read as down
  for (const a of agents.values()) await requireSnmpAgent('127.0.0.1', a.port, 'public');
  const inventory: InventoryView = {
    all: () => [...current.values()],
    byId: (id) => current.get(id),
    byMqttId: () => undefined,
  };
  // heartbeats are whole seconds: 1 s (the scaled 10 s would be 0.5 s); the collector lives
  // throughout these scenarios, so its heartbeat period does not enter their figures
  const collector = new SnmpCollector(snmpConfig({ intervalS, heartbeatS: 1, timeoutMs: POLL_TIMEOUT_MS, retries: 0, optical: false }), {
    intervalSOf, inventory, metrics: createMetricsRegistry({ defaultMetrics: false }), log: silentLogger, instance: `scenario-snmp-${process.pid}-${path.basename(dir)}`,
  });

  const setUp = async (e: ScenarioEvent & { device: string }): Promise<void> => {
    const d = current.get(e.device)!;
    if (byAuth.has(d.id)) {
      if (e.type === 'snmp-timeout') throw new Error(`scenario ${s.name}: ${d.id} is polled on snmpd, which cannot be made silent`);
      current.set(d.id, { ...d, snmp: v3(e.type === 'snmp-auth-failure' ? 'not-the-auth-password' : services.snmpV3AuthKey) });
    } else {
      if (e.type === 'snmp-auth-failure') throw new Error(`scenario ${s.name}: ${d.id} has no v3 user`);
      await agents.get(d.id)!.setMode(e.type === 'snmp-timeout' ? 'silent' : 'normal');
    }
  };

  return {
    play: async (t0) => {
      const maintenance = new Map<string, Span[]>();
      const events = timeOrdered(s.events);
      let running = false;
      for (let i = 0; i < events.length;) {
        const at = events[i]!.at;
        const group: ScenarioEvent[] = [];
        while (i < events.length && events[i]!.at === at) group.push(events[i++]!);
        await sleepUntil(t0 + at * scale);
        let poll = false;
        for (const e of group) {
          if (e.type === 'collector-start') running = true;
          else if (e.type === 'collector-stop') { running = false; await collector.close(); }
          else if (e.type === 'maintenance') maintenance.set(e.device, [...(maintenance.get(e.device) ?? []), { start: t0 + e.at * scale, end: t0 + (e.at + e.durationMs) * scale }]);
          else if (e.type === 'snmp-answer' || e.type === 'snmp-timeout' || e.type === 'snmp-auth-failure') { await setUp(e); poll = true; }
          else throw new Error(`scenario ${s.name}: ${e.type} is not an SNMP event`);
        }
        if (poll && !running) throw new Error(`scenario ${s.name}: a poll at ${at} while the collector is not running`);
        if (poll) await collector.poll(stores.sink, AbortSignal.timeout(intervalS * 1000));
      }
      await sleepUntil(t0 + s.window.to * scale + 300);
      return {
        t0, devices, intervals: { fibreS: intervalS, wifiS: s.config.wifiS * scale }, maintenance, stores,
        dispose: async () => {
          await collector.close();
          for (const a of agents.values()) await a.close();
          await stores.close();
          await dropInfluxDatabase(influxUrl, influxDatabase);
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}
