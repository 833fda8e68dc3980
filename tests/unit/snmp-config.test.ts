import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_HEARTBEAT_S } from '../../collectors/heartbeat.js';
import { snmpConfigSchema } from '../../collectors/snmp/config.js';
import { formatIssues } from '../../server/config-errors.js';
import { buildConfigSchema } from '../../server/config-schema.js';
import { MAX_HEARTBEAT_S } from '../../core/status-points.js';
import { compileFilter, compilePattern, settingsResolver } from '../../collectors/snmp/filters.js';
import { snmpDevice, v2 } from '../helpers/snmp-fixtures.js';

const sample = fileURLToPath(new URL('../../collectors/snmp/sample.yaml', import.meta.url));

describe('SNMP collector config', () => {
  it('accepts sample.yaml and fills the defaults', () => {
    const cfg = snmpConfigSchema.parse(parse(readFileSync(sample, 'utf8')));
    expect(cfg.intervalS).toBe(60);
    expect(cfg.groups.map((g) => g.name)).toEqual(['olt', 'wifi-controllers']);
    expect(snmpConfigSchema.parse({})).toMatchObject({ intervalS: 60, timeoutMs: 2000, retries: 1, concurrency: 64 });
  });

  it('rejects unknown keys and bad values with an error naming the path', () => {
    const r = snmpConfigSchema.safeParse({ intervalS: 60, groups: [{ name: 'g', match: {}, intervalS: 90 }], interfaces: { inclde: [] } });
    expect(r.success).toBe(false);
    const paths = (r.error?.issues ?? []).map((i) => i.path.join('.'));
    expect(paths).toContain('interfaces');
    const r2 = snmpConfigSchema.safeParse({ groups: [{ name: 'g', match: {}, intervalS: 90 }] });
    expect(r2.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['groups.0.intervalS: must be a multiple of intervalS (60)']);
  });
});

describe('SNMP collector heartbeatS', () => {
  it('defaults to DEFAULT_HEARTBEAT_S (10), or half of a shorter intervalS in whole seconds (1 at least)', () => {
    expect(DEFAULT_HEARTBEAT_S).toBe(10);
    expect(snmpConfigSchema.parse({}).heartbeatS).toBe(10); // intervalS 60: min(10, 60 / 2 = 30) = 10
    expect(snmpConfigSchema.parse({ intervalS: 15 }).heartbeatS).toBe(7); // min(10, floor(15 / 2) = 7)
    expect(snmpConfigSchema.parse({ intervalS: 1 }).heartbeatS).toBe(1); // floor(1 / 2) = 0, raised to 1
    expect(snmpConfigSchema.parse({ intervalS: 60, heartbeatS: 30 }).heartbeatS).toBe(30);
  });

  it('refuses a heartbeat longer than half the interval, naming collectors.snmp.heartbeatS, and beyond MAX_HEARTBEAT_S', () => {
    const r = snmpConfigSchema.safeParse({ intervalS: 60, heartbeatS: 31 });
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'heartbeatS: collectors.snmp.heartbeatS 31 must be at most half of collectors.snmp.intervalS (60 / 2 = 30), so that a stopped collector is noticed within one poll interval',
    ]);
    // through the whole config schema the line carries the full path as well
    expect(formatIssues(buildConfigSchema().safeParse({ collectors: { snmp: { intervalS: 10, heartbeatS: 6 } } }).error?.issues ?? []))
      .toEqual(['collectors.snmp.heartbeatS: collectors.snmp.heartbeatS 6 must be at most half of collectors.snmp.intervalS (10 / 2 = 5), so that a stopped collector is noticed within one poll interval']);
    expect(MAX_HEARTBEAT_S).toBe(60);
    expect(snmpConfigSchema.safeParse({ intervalS: 300, heartbeatS: 61 }).error?.issues[0]?.path).toEqual(['heartbeatS']);
    expect(snmpConfigSchema.safeParse({ heartbeatS: 0 }).success).toBe(false);
  });
});

describe('interface filters', () => {
  it('matches globs and /regex/ patterns against the whole name', () => {
    expect(compilePattern('ge-*').test('ge-0/0/1')).toBe(true);
    expect(compilePattern('ge-*').test('xge-0')).toBe(false);
    expect(compilePattern('/^ifb\\d+$/').test('ifb12')).toBe(true);
    expect(compilePattern('eth?').test('eth0')).toBe(true);
  });

  it('reads globs as picomatch in bash mode: * runs over /, dots and a leading ! are characters', () => {
    expect(compilePattern('ge-*/1').test('ge-0/0/1')).toBe(true);
    expect(compilePattern('eth0.100').test('eth0x100')).toBe(false);
    expect(compilePattern('*').test('.mgmt')).toBe(true);
    expect(compilePattern('!ge-*').test('!ge-1')).toBe(true);
    expect(compilePattern('!ge-*').test('xe-1')).toBe(false);
    expect(compilePattern('ge-0/0/[0-3]').test('ge-0/0/3')).toBe(true);
    expect(compilePattern('ge-0/0/[0-3]').test('ge-0/0/4')).toBe(false);
    expect(compilePattern('{ge,xe}-*').test('xe-1/0/0')).toBe(true);
    expect(compilePattern('GE-*').test('ge-0')).toBe(false);
  });

  it('keeps included, drops excluded and admin-down interfaces', () => {
    const f = compileFilter({ include: ['ge-*', 'uplink*'], exclude: ['ge-0/0/7'], skipAdminDown: true });
    expect(f.keep('ge-0/0/1', 1)).toBe(true);
    expect(f.keep('ge-0/0/7', 1)).toBe(false);
    expect(f.keep('lo', 1)).toBe(false);
    expect(f.keep('uplink0', 2)).toBe(false);
    expect(compileFilter({ include: [], exclude: [], skipAdminDown: false }).keep('lo', 2)).toBe(true);
  });

  it('gives each device the settings of the first group that matches it', () => {
    const cfg = snmpConfigSchema.parse(parse(readFileSync(sample, 'utf8')));
    const of = settingsResolver(cfg);
    expect(of(snmpDevice('olt-3', v2(161))).group).toBe('olt');
    expect(of(snmpDevice('olt-3', v2(161))).statusInterfaces?.('uplink0')).toBe(true);
    expect(of(snmpDevice('ap-1', v2(161), { tech: 'wifi' }))).toMatchObject({ group: 'wifi-controllers', groupIntervalS: 300, timeoutMs: 3000 });
    // the olt group sets no interval of its own: the collector's (or the device's) applies
    expect(of(snmpDevice('olt-3', v2(161))).groupIntervalS).toBeUndefined();
    expect(of(snmpDevice('agg-1', v2(161))).group).toBe('default');
  });
});
