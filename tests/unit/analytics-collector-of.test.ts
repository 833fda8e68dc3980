/**
 * Which collector's down time makes a device's time unknown: the one that actually watches it.
 * The SNMP collector polls every device with an `snmp` block, so a wifi AP polled over SNMP
 * follows the SNMP collector, not the MQTT one. Embedded store in a temp dir, hand-computed times.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectorOf, rawUptimes } from '../../server/status/index.js';
import type { Device } from '../../core/device.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';

const MIN = 60_000;
// a whole hour two days ago: inside the store's raw retention (older points are expired)
const T0 = Math.floor((Date.now() - 2 * 86_400_000) / (60 * MIN)) * 60 * MIN;
const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('collectorOf', () => {
  it('gives fibre nodes and wifi APs with an snmp block to snmp, and other APs to mqtt', () => {
    expect(collectorOf({ tech: 'fibre', snmp })).toBe('snmp');
    expect(collectorOf({ tech: 'wifi', snmp })).toBe('snmp');
    expect(collectorOf({ tech: 'wifi' })).toBe('mqtt');
  });

  it('makes a wifi AP polled over SNMP unknown while the snmp collector is down, and an MQTT AP not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netatlas-collector-of-'));
    dirs.push(dir);
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    const at = (m: number): number => T0 + m * MIN;
    const devices: Device[] = [
      { id: 'ap-snmp', tech: 'wifi', site: 's', area: '', location: { lat: 50.85, lon: 4.35 }, snmp, radiusM: 50, intervalS: 60 },
      { id: 'ap-mqtt', tech: 'wifi', site: 's', area: '', location: { lat: 50.85, lon: 4.35 }, radiusM: 50, intervalS: 60 },
    ];
    // both up every minute 0..59; the snmp collector lost 20..30
    const points = devices.flatMap((d) => Array.from({ length: 60 }, (_v, m) => ({
      measurement: 'device_status', tags: { device: d.id, tech: 'wifi', source: d.snmp ? 'snmp' : 'mqtt' }, fields: { up: 1 }, time: at(m),
    })));
    await store.write(points);
    await store.write([
      { measurement: 'collector_status', tags: { collector: 'snmp', instance: 'i1' }, fields: { connected: 0 }, time: at(20) },
      { measurement: 'collector_status', tags: { collector: 'snmp', instance: 'i1' }, fields: { connected: 1 }, time: at(30) },
    ]);
    const u = await rawUptimes(store, { devices, from: at(0), to: at(60), now: at(60), intervals: { fibreS: 60, wifiS: 60 } });
    expect(u.get('ap-snmp')).toMatchObject({ up_ms: 50 * MIN, down_ms: 0, unknown_ms: 10 * MIN, uptime: 1 });
    expect(u.get('ap-mqtt')).toMatchObject({ up_ms: 60 * MIN, down_ms: 0, unknown_ms: 0, uptime: 1 });
    await store.close();
  });
});
