/**
 * The simulated network speaks the real protocols: SNMP agents answer a net-snmp client on their
 * loopback ports, APs are MQTT clients on Mosquitto with a retained `online`, a Last Will
 * `offline` and DESIGN.md telemetry; and each fault shows on the wire as it would from real
 * equipment. Uses its own topic prefix on the shared Mosquitto and clears its retained messages.
 */
import dgram from 'node:dgram';
import mqtt, { type MqttClient } from 'mqtt';
import snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import { startSimulatedNetwork, type SimulatedNetwork } from '../../sim/network.js';
import { findFreeUdpBlock } from '../../sim/udp-ports.js';
import { requireMosquitto, services } from '../helpers/services.js';
import { waitFor } from './first-run-helpers.js';

const prefix = `netatlas-test/sim-${process.pid}-${Math.random().toString(36).slice(2, 8)}/wifi`;
const fibre = (id: string, area: string): Device => ({ id, tech: 'fibre', site: `pop ${id}`, area, location: { lat: 50.85, lon: 4.35 }, snmp: { host: '127.0.0.1', port: 1, version: '2c', community: 'public' }, householdsPassed: 2000, accessTech: 'ftth' });
const ap = (id: string, area: string): Device => ({ id, tech: 'wifi', site: `square ${id}`, area, location: { lat: 50.85, lon: 4.36 }, radiusM: 50 });
const devices = [fibre('olt-a-1', 'a'), fibre('olt-a-2', 'a'), fibre('olt-b-1', 'b'), ap('ap-a-1', 'a'), ap('ap-a-2', 'a'), ap('ap-b-1', 'b'), ap('ap-b-2', 'b')];

let net: SimulatedNetwork;
let watcher: MqttClient;
const statuses = new Map<string, string[]>();
const telemetry = new Map<string, Record<string, unknown>[]>();

function snmpGet(port: number, oids: string[], timeoutMs = 800): Promise<Varbind[]> {
  const session = snmp.createSession('127.0.0.1', 'public', { port, version: snmp.Version2c, timeout: timeoutMs, retries: 0 });
  return new Promise((resolve, reject) => {
    session.get(oids, (err, vbs) => {
      session.close();
      if (err) reject(err);
      else resolve(vbs ?? []);
    });
  });
}
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_HC_IN_1 = '1.3.6.1.2.1.31.1.1.1.6.1';
const IF_OPER_1 = '1.3.6.1.2.1.2.2.1.8.1';
/** Counter64 values arrive as big-endian byte buffers. */
const counter64 = (v: unknown): bigint => BigInt(`0x${Buffer.from(v as Buffer).toString('hex') || '0'}`);
const portOf = (id: string): number => net.snmpPorts.get(id)!;
const lastStatus = (id: string): string | undefined => statuses.get(id)?.at(-1);

beforeAll(async () => {
  await requireMosquitto();
  watcher = mqtt.connect(services.mqttUrl, { reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => { watcher.once('connect', () => resolve()); watcher.once('error', reject); });
  watcher.on('message', (topic, payload) => {
    const [, id, kind] = topic.slice(prefix.length).split('/');
    if (kind === 'status') statuses.set(id!, [...(statuses.get(id!) ?? []), payload.toString()]);
    if (kind === 'telemetry') telemetry.set(id!, [...(telemetry.get(id!) ?? []), JSON.parse(payload.toString()) as Record<string, unknown>]);
  });
  await watcher.subscribeAsync(`${prefix}/+/+`, { qos: 1 });
  // up to 2000 blocks: a suite running beside this one may hold hundreds of agents' ports in a row
  // right where the preferred base lands (a CI run found none free in the first 40 blocks)
  const base = await findFreeUdpBlock(26_100 + (process.pid % 500) * 8, 3, '127.0.0.1', 2000);
  net = await startSimulatedNetwork({
    devices, broker: { url: services.mqttUrl, protocolVersion: 5, topicPrefix: prefix },
    snmpBasePort: base, ports: 'exact', seed: 42, telemetryIntervalS: 1, faults: false,
  });
}, 30_000);

afterAll(async () => {
  await net?.close({ sayOffline: true });
  // Leave no retained statuses behind on the shared broker.
  if (watcher) {
    for (const d of devices.filter((x) => x.tech === 'wifi')) await watcher.publishAsync(`${prefix}/${d.id}/status`, '', { qos: 1, retain: true });
    await watcher.endAsync();
  }
});

describe('the simulated network', () => {
  it('runs one SNMP agent per fibre node on consecutive loopback ports, answering with the device id as sysName', async () => {
    expect(net.stats()).toMatchObject({ agents: 3, aps: 4, apsOnline: 4 });
    const ports = devices.filter((d) => d.tech === 'fibre').map((d) => portOf(d.id));
    expect(ports).toEqual([net.snmpBasePort, net.snmpBasePort + 1, net.snmpBasePort + 2]);
    for (const d of devices.filter((x) => x.tech === 'fibre')) {
      const [name] = await snmpGet(portOf(d.id), [SYS_NAME]);
      expect(String(name!.value)).toBe(d.id);
    }
  });

  it('serves 64-bit octet counters that advance between two reads', async () => {
    const read = async (): Promise<bigint> => counter64((await snmpGet(portOf('olt-a-1'), [IF_HC_IN_1]))[0]!.value);
    const a = await read();
    const later = await waitFor('the counter to advance', 5000, async () => {
      const b = await read();
      return b > a ? b : undefined;
    });
    expect(later > a).toBe(true);
  });

  it('has every AP say online (retained) and publish DESIGN.md telemetry every interval', async () => {
    await waitFor('telemetry from every AP', 10_000, async () => (devices.filter((d) => d.tech === 'wifi').every((d) => (telemetry.get(d.id)?.length ?? 0) >= 2) ? true : undefined));
    for (const d of devices.filter((x) => x.tech === 'wifi')) {
      expect(lastStatus(d.id)).toBe('online');
      const t = telemetry.get(d.id)!.at(-1)!;
      expect(Object.keys(t).sort()).toEqual(['channel_util', 'clients', 'rssi_dbm', 'rx_bytes', 'ts', 'tx_bytes', 'uptime_s']);
      expect(Number.isInteger(t['clients'])).toBe(true);
      expect(t['channel_util']).toBeGreaterThanOrEqual(0);
      expect(t['channel_util']).toBeLessThanOrEqual(1);
      expect(Math.abs((t['ts'] as number) - Date.now())).toBeLessThan(10_000);
    }
  });

  it('cuts an AP\'s power so that the broker publishes its Last Will offline, and brings it back online', async () => {
    const record = await net.faults.play('ap-power-cut', 2, false);
    expect(record).toBeDefined();
    const id = record!.target;
    await waitFor(`${id} offline (Last Will)`, 5000, async () => (lastStatus(id) === 'offline' ? true : undefined));
    const before = telemetry.get(id)!.length;
    await waitFor(`${id} online again`, 10_000, async () => (lastStatus(id) === 'online' ? true : undefined));
    await waitFor(`${id} telemetry after power-on`, 5000, async () => (telemetry.get(id)!.length > before ? true : undefined));
    // A power cut is a reboot: the AP's uptime starts again.
    expect(telemetry.get(id)!.at(-1)!['uptime_s']).toBeLessThan(5);
  }, 20_000);

  it('makes a fibre node unreachable (no SNMP answer) for the fault\'s duration', async () => {
    const record = await net.faults.play('node-unreachable', 2, false);
    const port = portOf(record!.target);
    await expect(snmpGet(port, [SYS_NAME], 500)).rejects.toThrow(/timed out/i);
    await waitFor('the node to answer again', 8000, async () => ((await snmpGet(port, [SYS_NAME], 500)).length === 1 ? true : undefined));
  }, 15_000);

  it('flaps a node\'s uplink: ifOperStatus goes down (2), and up (1) when the fault ends', async () => {
    const record = await net.faults.play('link-flap', 2, false);
    const port = portOf(record!.target);
    expect(Number((await snmpGet(port, [IF_OPER_1]))[0]!.value)).toBe(2);
    await waitFor('the uplink up again', 6000, async () => (Number((await snmpGet(port, [IF_OPER_1]))[0]!.value) === 1 ? true : undefined));
  }, 10_000);

  it('wraps a node\'s 64-bit counters: a later read is smaller than an earlier one', async () => {
    const node = net.nodes[0]!;
    node.wrapCountersSoon(1);
    const before = counter64((await snmpGet(node.port, [IF_HC_IN_1]))[0]!.value);
    expect(before > 2n ** 63n).toBe(true);
    const after = await waitFor('the wrap', 5000, async () => {
      const v = counter64((await snmpGet(node.port, [IF_HC_IN_1]))[0]!.value);
      return v < before ? v : undefined;
    });
    expect(after < 2n ** 40n).toBe(true);
  });

  it('takes a whole area down at once in a municipality-wide outage, and back up', async () => {
    const record = await net.faults.play('area-outage', 2, false);
    const area = record!.target;
    const inArea = devices.filter((d) => d.area === area);
    expect(inArea.length).toBeGreaterThanOrEqual(3);
    for (const d of inArea.filter((x) => x.tech === 'wifi')) await waitFor(`${d.id} offline`, 5000, async () => (lastStatus(d.id) === 'offline' ? true : undefined));
    for (const d of inArea.filter((x) => x.tech === 'fibre')) await expect(snmpGet(portOf(d.id), [SYS_NAME], 500)).rejects.toThrow(/timed out/i);
    for (const d of inArea.filter((x) => x.tech === 'wifi')) await waitFor(`${d.id} online`, 10_000, async () => (lastStatus(d.id) === 'online' ? true : undefined));
    expect(net.faults.history().filter((f) => f.kind === 'area-outage').every((f) => f.ended)).toBe(true);
  }, 30_000);

  it('refuses exact ports that are taken, naming the port; moves a free block when allowed', async () => {
    const sock = dgram.createSocket('udp4');
    const taken = await findFreeUdpBlock(27_300 + (process.pid % 500) * 4, 2);
    await new Promise<void>((resolve) => sock.bind(taken, '127.0.0.1', resolve));
    try {
      const one = [fibre('olt-x-1', 'x')];
      await expect(startSimulatedNetwork({ devices: one, broker: { url: services.mqttUrl, protocolVersion: 5, topicPrefix: prefix }, snmpBasePort: taken, ports: 'exact', seed: 1, telemetryIntervalS: 5, faults: false }))
        .rejects.toThrow(/EADDRINUSE|in use/i);
      const moved = await startSimulatedNetwork({ devices: one, broker: { url: services.mqttUrl, protocolVersion: 5, topicPrefix: prefix }, snmpBasePort: taken, ports: 'free', seed: 1, telemetryIntervalS: 5, faults: false });
      try {
        expect(moved.snmpBasePort).toBeGreaterThan(taken);
        expect(String((await snmpGet(moved.snmpBasePort, [SYS_NAME]))[0]!.value)).toBe('olt-x-1');
      } finally {
        await moved.close();
      }
    } finally {
      sock.close();
    }
  });
});
