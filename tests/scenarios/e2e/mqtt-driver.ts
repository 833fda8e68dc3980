/**
 * Plays a scenario's MQTT events on the real clock, scaled down (`scale` × every offset), against
 * the real Mosquitto: APs are real MQTT clients (ap-client.ts), the collector is the real MQTT
 * collector in a child process per life (so that SIGKILL is a real SIGKILL), writing to a SQLite
 * file and an InfluxDB database; a TCP proxy stands between the collector and the broker when the scenario cuts its network.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { Device } from '../../../core/device.js';
import type { Span } from '../../../server/analytics/intervals.js';
import type { DefaultIntervals } from '../../../server/status/index.js';
import { deviceOf } from '../recorder.js';
import { timeOrdered, type Scenario } from '../types.js';
import { ApClient } from './ap-client.js';
import { CollectorChild } from './collector-child.js';
import { TcpProxy } from './tcp-proxy.js';
import { dropInfluxDatabase, openE2eStores, type E2eStoreSpec } from './e2e-stores.js';
import { requireInflux } from '../../helpers/services.js';

export interface E2eRun {
  t0: number;
  stores: E2eStoreSpec;
  devices: Device[];
  intervals: DefaultIntervals;
  maintenance: Map<string, Span[]>;
  dispose(): Promise<void>;
}

const sleepUntil = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

export interface PreparedScenario {
  /** play the events from `t0` (epoch ms, a little in the future) and wait past the window's end */
  play(t0: number): Promise<E2eRun>;
}

/**
 * Everything that costs CPU before t0: child processes loaded, connections warmed up. Several
 * scenarios are prepared first and then played from one t0, so that no scenario's window
 * overlaps another's start-up (which would add scheduling jitter to it).
 */
export async function prepareMqttScenario(s: Scenario, brokerUrl: string, scale: number): Promise<PreparedScenario> {
  const wifiS = s.config.wifiS * scale, heartbeatS = s.config.heartbeatS.mqtt * scale;
  if (!Number.isInteger(heartbeatS) || heartbeatS < 1) throw new Error(`scenario ${s.name}: heartbeat ${s.config.heartbeatS.mqtt} s × ${scale} is not a whole number of seconds`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-scenario-e2e-'));
  const stores: E2eStoreSpec = { sqlitePath: path.join(dir, 'metrics.sqlite'), influxUrl: await requireInflux(), influxDatabase: `netatlas_scenario_e2e_${process.pid}_${randomBytes(4).toString('hex')}` };
  // created here, before the children open it
  await (await openE2eStores(stores)).close();
  const devices = s.devices.map(deviceOf);
  const unique = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const prefix = `netatlas-scenario/${unique}`;
  const needsProxy = s.events.some((e) => e.type === 'collector-network-cut');
  const broker = new URL(brokerUrl);
  const proxy = needsProxy ? await TcpProxy.start({ host: broker.hostname, port: Number(broker.port || 1883) }) : undefined;
  const childArgs = { url: proxy?.url ?? brokerUrl, topicPrefix: prefix, clientId: `scenario-collector-${unique}`, expectedIntervalS: wifiS, heartbeatS, devices, stores };
  // one child per collector life, loaded before t0 so that a start costs a connect, not a compile
  const lives = s.events.filter((e) => e.type === 'collector-start').length;
  const children = await Promise.all(Array.from({ length: lives }, () => CollectorChild.spawn(childArgs)));
  const aps = new Map(devices.filter((d) => d.tech === 'wifi').map((d) => [d.id, new ApClient(brokerUrl, prefix, d.id)]));
  const ap = (id: string): ApClient => {
    const a = aps.get(id);
    if (!a) throw new Error(`scenario ${s.name}: ${id} is not an AP`);
    return a;
  };
  const maintenance = new Map<string, Span[]>();
  let life = -1;
  const pending: Promise<void>[] = [];

  // warm up this process's MQTT path too: the first connect loads modules (about 0.5 s), later ones take ms
  const warm = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4, reconnectPeriod: 0 });
  await warm.publishAsync(`${prefix}/warmup`, 'x', { qos: 1 });
  await warm.endAsync();

  return { play: (t0) => play(t0) };

  async function play(t0: number): Promise<E2eRun> {
    for (const e of timeOrdered(s.events)) {
      const at = t0 + e.at * scale;
      await sleepUntil(at);
      switch (e.type) {
        case 'collector-start': pending.push(children[++life]!.start()); break;
        case 'collector-stop': pending.push(children[life]!.stop()); break;
        case 'collector-sigkill': await children[life]!.kill(); break;
        case 'collector-network-cut': proxy!.cut(); break;
        case 'collector-network-restore': proxy!.restore(); break;
        case 'ap-online': await ap(e.device).online(); break;
        case 'ap-telemetry': ap(e.device).telemetry(e.everyMs * scale); break;
        case 'ap-offline-graceful': await ap(e.device).offlineGraceful(); break;
        case 'ap-power-cut': ap(e.device).powerCut(); break;
        case 'ap-power-back': await ap(e.device).powerBack(); break;
        case 'ap-silent': ap(e.device).stopTelemetry(); break;
        case 'maintenance': {
          const list = maintenance.get(e.device) ?? [];
          list.push({ start: at, end: at + e.durationMs * scale });
          maintenance.set(e.device, list);
          break;
        }
        default: throw new Error(`scenario ${s.name}: ${e.type} is not an MQTT event`);
      }
    }
    await Promise.all(pending);
    // past the window's end, plus time for the last points to land in the store
    await sleepUntil(t0 + s.window.to * scale + 500);
    for (const a of aps.values()) a.stopTelemetry();
    return {
      t0, stores, devices, intervals: { fibreS: s.config.fibreS * scale, wifiS }, maintenance,
      dispose: async () => {
        for (const c of children) if (c.alive) await c.stop().catch(() => c.kill());
        for (const a of aps.values()) await a.dispose().catch(() => undefined);
        await proxy?.close();
        fs.rmSync(dir, { recursive: true, force: true });
        await dropInfluxDatabase(stores.influxUrl, stores.influxDatabase);
      },
    };
  }
}
