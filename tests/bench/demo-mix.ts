/**
 * The demo's mix of points, as `npm start` writes them (sim/ + collectors/), for store benchmarks:
 * - 60 fibre nodes polled every 60 s: device_status {up, rtt_ms}, snmp {uptime}, 8 interfaces with
 *   the 16 fields collectors/snmp/points.ts writes (counters, rates, ifAlias), one optical point;
 * - 400 APs sending telemetry every 10 s (sim telemetryIntervalS): wifi_ap with the six metrics of
 *   collectors/mqtt/payload.ts, plus a device_status {up: 1} per telemetry (the AP's interval is the
 *   telemetry interval, so the status tracker writes one per message);
 * - collector_status heartbeats of the two collectors every 10 s.
 * Values follow the simulator: its aliases (sim/snmp-device-state.ts) and rounding (rssi 0.1 dB,
 * channel_util 0.01, rtt 0.001 ms); 8 interfaces a node, the most sim/fibre-node.ts gives; times
 * carry the ms jitter of real polls. Deterministic: the same n gives the same points.
 */
import type { Point } from '../../core/point.js';
import { createRng } from '../../sim/rng.js';

export const FIBRE_NODES = 60;
export const IFACES = 8;
export const APS = 400;

/** A small deterministic PRNG (mulberry32), so every run writes the same points. */
function rng(seed: number): () => number {
  return createRng(seed).next;
}

/** The first `n` points of the demo from `t0`, in time order (what the write pipeline sees). */
export function demoMix(n: number, t0: number): Point[] {
  const r = rng(42);
  const out: Point[] = [];
  const apTx = new Array<number>(APS).fill(0).map(() => Math.floor(r() * 1e9));
  const apRx = apTx.map((v) => Math.floor(v / 5));
  const apRssi = apTx.map(() => -75 + r() * 25);
  const octIn = new Array<number>(FIBRE_NODES * IFACES).fill(0).map(() => Math.floor(r() * 1e12));
  const octOut = octIn.map((v) => Math.floor(v / 3));
  for (let tick = 0; out.length < n; tick++) {
    const tickStart = t0 + tick * 10_000; // 10 s ticks: APs every tick, fibre nodes every 6th
    const batch: Point[] = [];
    for (let a = 0; a < APS; a++) {
      const time = tickStart + Math.floor((a / APS) * 10_000) + Math.floor(r() * 20);
      const clients = Math.floor(r() * 40);
      apTx[a]! += Math.round(clients * 18_750 * 10 * (0.5 + r()));
      apRx[a]! += Math.round(clients * 3_750 * 10 * (0.5 + r()));
      const device = `ap-${String(a).padStart(4, '0')}`;
      const site = `site-w${a % 80}`;
      const area = `area-${a % 19}`;
      batch.push({
        measurement: 'wifi_ap', tags: { device, site, area }, time,
        fields: {
          clients, rssi_dbm: Math.round((apRssi[a]! + (r() * 6 - 3)) * 10) / 10,
          channel_util: Math.round(Math.min(0.98, 0.05 + r() * 0.8) * 100) / 100,
          tx_bytes: apTx[a]!, rx_bytes: apRx[a]!, uptime_s: 86_400 + tick * 10 + (a % 7),
        },
      });
      batch.push({ measurement: 'device_status', tags: { device, site, area, tech: 'wifi', source: 'mqtt' }, fields: { up: 1 }, time });
    }
    if (tick % 6 === 0) {
      for (let f = 0; f < FIBRE_NODES; f++) batch.push(...fibrePoll(f, tickStart + f * 900 + Math.floor(r() * 300), tick, r, octIn, octOut));
    }
    for (const collector of ['snmp', 'mqtt']) {
      batch.push({ measurement: 'collector_status', tags: { collector, instance: 'demo-1' }, fields: { connected: 1, heartbeat_s: 10 }, time: tickStart + 5 });
    }
    batch.sort((x, y) => x.time - y.time);
    out.push(...batch);
  }
  return out.slice(0, n);
}

function fibrePoll(f: number, time: number, tick: number, r: () => number, octIn: number[], octOut: number[]): Point[] {
  const device = `fn-${String(f).padStart(3, '0')}`;
  const site = `site-f${f % 40}`;
  const area = `area-${f % 19}`;
  const agentHost = `127.0.0.1:${20_000 + f}`;
  const points: Point[] = [
    { measurement: 'device_status', tags: { device, site, area, tech: 'fibre', source: 'snmp' }, fields: { up: 1, rtt_ms: Math.round((0.4 + r() * 3) * 1000) / 1000 }, time },
    { measurement: 'snmp', tags: { agent_host: agentHost, hostname: device, device }, fields: { uptime: 8_640_000 + tick * 1000 }, time },
  ];
  for (let i = 0; i < IFACES; i++) {
    const k = f * IFACES + i;
    const dIn = Math.floor(r() * 7.5e8);
    const dOut = Math.floor(r() * 1.5e8);
    octIn[k]! += dIn;
    octOut[k]! += dOut;
    const elapsed = 60 + (r() - 0.5) * 0.5;
    points.push({
      measurement: 'interface',
      tags: { agent_host: agentHost, hostname: device, ifName: `pon0/${i}`, ifIndex: String(i + 1), device, site, area, tech: 'fibre' },
      fields: {
        ifType: 6, ifSpeed: i === 0 ? 4_294_967_295 : 1_000_000_000, ifAdminStatus: 1, ifOperStatus: 1,
        ifInOctets: octIn[k]! % 4_294_967_296, ifInDiscards: Math.floor(tick / 50), ifInErrors: Math.floor(tick / 90),
        ifOutOctets: octOut[k]! % 4_294_967_296, ifOutDiscards: 0, ifOutErrors: 0, ifHCInOctets: octIn[k]!, ifHCOutOctets: octOut[k]!,
        ifHighSpeed: i === 0 ? 10_000 : 1000, ifAlias: i === 0 ? 'uplink to aggregation' : `port ${i}`,
        in_bps: (dIn * 8) / elapsed, out_bps: (dOut * 8) / elapsed,
      },
      time,
    });
  }
  points.push({ measurement: 'optical', tags: { device, ifName: 'pon0/0' }, fields: { rx_dbm: -5.3, tx_dbm: 2.1 }, time });
  return points;
}
