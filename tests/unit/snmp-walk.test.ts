import { describe, expect, it } from 'vitest';
import snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';
import { compareOids, walkColumns, type BulkFn } from '../../collectors/snmp/walk.js';
import { isUnder, oidName } from '../../collectors/snmp/oids.js';

const INT = snmp.ObjectType['Integer'] as number;
const END = snmp.ObjectType['EndOfMibView'] as number;

/** A pure-unit fake agent: a sorted OID -> value table answered with RFC GETBULK semantics. */
function fakeAgent(table: Record<string, number>, opts: { perResponseLimit?: number } = {}): { bulk: BulkFn; calls: string[][] } {
  const oids = Object.keys(table).sort(compareOids);
  const next = (oid: string): Varbind => {
    const n = oids.find((o) => compareOids(o, oid) > 0);
    return n ? { oid: n, type: INT, value: table[n] } : { oid, type: END, value: null };
  };
  const calls: string[][] = [];
  const bulk: BulkFn = async (req, nonRep, maxRep) => {
    calls.push(req);
    const out: Array<Varbind | Varbind[]> = req.slice(0, nonRep).map(next);
    const cursors = req.slice(nonRep);
    const lists: Varbind[][] = cursors.map(() => []);
    let budget = opts.perResponseLimit ?? Infinity;
    for (let r = 0; r < maxRep; r++) {
      cursors.forEach((c, i) => {
        if (budget-- <= 0) return;
        const vb = next(c);
        (lists[i] as Varbind[]).push(vb);
        cursors[i] = vb.oid;
      });
    }
    return [...out, ...lists];
  };
  return { bulk, calls };
}

const table = {
  '1.3.6.1.2.1.1.3.0': 4242,
  '1.3.6.1.2.1.1.5.0': 7,
  '1.1.1.1': 11, '1.1.1.2': 12, '1.1.1.3': 13,
  '1.1.2.1': 21, '1.1.2.2': 22, '1.1.2.3': 23,
  '1.1.3.1': 99,
};

describe('multi-column GETBULK walk', () => {
  it('reads every row of every column and the scalars in one request when the answer fits', async () => {
    const { bulk, calls } = fakeAgent(table);
    const r = await walkColumns(bulk, ['1.1.1', '1.1.2'], 10, { scalars: ['1.3.6.1.2.1.1.3', '1.3.6.1.2.1.1.5'], agent: 'x:1' });
    expect(calls).toHaveLength(1);
    expect(r.scalars.map((v) => [v.oid, v.value])).toEqual([['1.3.6.1.2.1.1.3.0', 4242], ['1.3.6.1.2.1.1.5.0', 7]]);
    expect([...(r.columns.get('1.1.1') ?? new Map()).keys()]).toEqual(['1', '2', '3']);
    expect([...(r.columns.get('1.1.2') ?? new Map()).values()].map((v) => v.value)).toEqual([21, 22, 23]);
  });

  it('keeps asking for columns an agent left out of a short answer', async () => {
    const { bulk, calls } = fakeAgent(table, { perResponseLimit: 2 });
    const r = await walkColumns(bulk, ['1.1.1', '1.1.2'], 10, { agent: 'x:1' });
    expect(calls.length).toBeGreaterThan(2);
    expect(r.columns.get('1.1.1')?.size).toBe(3);
    expect(r.columns.get('1.1.2')?.size).toBe(3);
  });

  it('stops on an agent that answers an OID that does not advance, instead of looping', async () => {
    const loop: BulkFn = async (req) => req.map((oid) => [{ oid: `${oid.split('.').slice(0, 3).join('.')}.1`, type: INT, value: 1 }]);
    const r = await walkColumns(loop, ['1.1.1'], 5, { agent: 'x:1' });
    expect(r.requests).toBe(2);
    expect(r.columns.get('1.1.1')?.size).toBe(1);
  });

  it('orders OIDs numerically and names the ones it knows', () => {
    expect(compareOids('1.3.6.1.2.1.2.2.1.10.9', '1.3.6.1.2.1.2.2.1.10.10')).toBeLessThan(0);
    // a prefix sorts first, equal OIDs compare 0, and a longer arc is not a bigger number by length alone
    expect(compareOids('1.3.6.1.2.1.2', '1.3.6.1.2.1.2.2')).toBeLessThan(0);
    expect(compareOids('1.3.6.1.2.1.2.2', '1.3.6.1.2.1.2')).toBeGreaterThan(0);
    expect(compareOids('1.3.6.1.2.1.31.1.1.1.18.4', '1.3.6.1.2.1.31.1.1.1.18.4')).toBe(0);
    expect(compareOids('1.3.6.2', '1.3.6.10.1')).toBeLessThan(0);
    expect(compareOids('1.3.7', '1.3.6.4294967295')).toBeGreaterThan(0);
    expect(oidName('1.3.6.1.2.1.31.1.1.1.6.3')).toBe('ifHCInOctets.3');
    expect(oidName('1.3.6.1.2.1.1.3.0')).toBe('sysUpTime.0');
    expect(isUnder('1.1.1', '1.1.10.1')).toBe(false);
    expect(isUnder('1.1.1', '1.1.1.5')).toBe(true);
  });
});
