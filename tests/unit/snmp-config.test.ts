import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { snmpConfigSchema } from '../../collectors/snmp/config.js';
import { compileFilter, compilePattern, settingsResolver } from '../../collectors/snmp/filters.js';
import { Semaphore } from '../../collectors/snmp/semaphore.js';
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

describe('interface filters', () => {
  it('matches globs and /regex/ patterns against the whole name', () => {
    expect(compilePattern('ge-*').test('ge-0/0/1')).toBe(true);
    expect(compilePattern('ge-*').test('xge-0')).toBe(false);
    expect(compilePattern('/^ifb\\d+$/').test('ifb12')).toBe(true);
    expect(compilePattern('eth?').test('eth0')).toBe(true);
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
    expect(of(snmpDevice('ap-1', v2(161), { tech: 'wifi' }))).toMatchObject({ group: 'wifi-controllers', intervalS: 300, timeoutMs: 3000 });
    expect(of(snmpDevice('agg-1', v2(161))).group).toBe('default');
  });
});

describe('semaphore', () => {
  it('lets at most `limit` holders in and hands the slot to the next waiter on release', async () => {
    const sem = new Semaphore(2);
    const r1 = await sem.acquire();
    await sem.acquire();
    let third = false;
    const p = sem.acquire().then((r) => { third = true; return r; });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(sem.inFlight).toBe(2);
    r1();
    (await p)();
    expect(third).toBe(true);
  });

  it('rejects a waiter whose signal aborts, so a poll that never started is not counted as failed', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const ac = new AbortController();
    const p = sem.acquire(ac.signal);
    ac.abort(new Error('shutting down'));
    await expect(p).rejects.toThrow('shutting down');
  });
});
