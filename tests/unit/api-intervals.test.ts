/**
 * intervalsFromConfig gives server/status the intervals the collectors really use: the SNMP
 * collector's intervalS, its groups' intervalS (matched like the collector matches them), and
 * the APs' telemetry interval; an inventory intervalS still wins (server/status/intervals.ts).
 */
import { describe, expect, it } from 'vitest';
import { intervalsFromConfig } from '../../server/config-collectors.js';
import { parseConfig } from '../../server/config.js';
import type { Device } from '../../core/device.js';
import { intervalSOf, maxIntervalMs } from '../../server/status/index.js';

const snmp = { host: '127.0.0.1', port: 1161, version: '2c' as const, community: 'public' };
const device = (id: string, over: Partial<Device>): Device => ({ id, tech: 'fibre', site: 'edge-1', area: '', location: { lat: 50.85, lon: 4.35 }, snmp, ...over });

describe('intervalsFromConfig', () => {
  const config = parseConfig({
    collectors: {
      snmp: {
        intervalS: 30,
        groups: [
          { name: 'core', match: { site: 'core-*' }, intervalS: 120 },
          { name: 'snmp-aps', match: { tech: 'wifi' }, intervalS: 90 },
          { name: 'fast', match: { ids: ['olt-fast'] } },
        ],
      },
      mqtt: { expectedIntervalS: 20 },
    },
  }, { env: {}, fromFile: true });
  const intervals = intervalsFromConfig(config);

  it('resolves each device to the interval its collector polls or hears it at', () => {
    const devices = [
      device('olt-core', { site: 'core-7' }), // group core: 120 s
      device('olt-edge', {}), // no group: the collector's 30 s
      device('olt-fast', {}), // group without intervalS: the collector's 30 s
      device('olt-own', { site: 'core-7', intervalS: 300 }), // inventory intervalS wins over the group: 300 s
      device('ap-snmp', { tech: 'wifi', radiusM: 50 }), // an AP polled over SNMP, group snmp-aps: 90 s
      { id: 'ap-mqtt', tech: 'wifi', site: 'w', area: '', location: { lat: 50.85, lon: 4.35 }, radiusM: 50 } satisfies Device, // telemetry: 20 s
    ];
    expect(devices.map((d) => [d.id, intervalSOf(d, intervals)])).toEqual([
      ['olt-core', 120], ['olt-edge', 30], ['olt-fast', 30], ['olt-own', 300], ['ap-snmp', 90], ['ap-mqtt', 20],
    ]);
    // the readers' lookback follows the longest: 300 s
    expect(maxIntervalMs(devices, intervals)).toBe(300_000);
  });

  it('falls back to 60 s for a collector absent from the config, with no group intervals', () => {
    const none = intervalsFromConfig(parseConfig({}, { env: {}, fromFile: true }));
    expect([none.fibreS, none.wifiS, none.snmpGroupS]).toEqual([60, 60, undefined]);
  });
});
