/**
 * Rendezvous hashing (collectors/cluster/rendezvous.ts) and the membership's pure rules
 * (collectors/cluster/membership.ts): hash values computed by hand, the owner is the highest
 * score, a member leaving moves only its devices, and every member agrees on the live list.
 */
import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32, ownerOf, score, shareCounts } from '../../collectors/cluster/rendezvous.js';
import { liveMembers, parsePresence, tickAtOrAfter, tickOf, type Member } from '../../collectors/cluster/membership.js';

const ids = Array.from({ length: 600 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);

describe('rendezvous hashing', () => {
  it('fnv1a32 of "a\\nx" follows FNV-1a step by step', () => {
    // h0 = 2166136261; byte 97 ('a'):  2166136261 xor 97  = 2166136228; × 16777619 = 36342608335481132 ≡ 3826002220 (mod 2^32)
    //                  byte 10 ('\n'): 3826002220 xor 10  = 3826002214; × 16777619 = 64191207439648466 ≡ 623167186
    //                  byte 120 ('x'): 623167186  xor 120 = 623167146;  × 16777619 = 10455260948905374 ≡ 585416094
    expect(fnv1a32('a\nx')).toBe(585416094);
    expect(fnv1a32('')).toBe(2166136261);
  });

  it('fmix32(1) follows murmur3\'s finaliser step by step', () => {
    // 1 xor (1 >>> 16) = 1; × 0x85ebca6b (2246822507) = 2246822507;
    // xor (2246822507 >>> 13 = 274270) = 2247091509; × 0xc2b2ae35 ≡ 1364097529 (mod 2^32);
    // xor (1364097529 >>> 16 = 20814) = 1364076727
    expect(fmix32(1)).toBe(1364076727);
  });

  it('the owner is the member with the highest score, whatever the order of the list', () => {
    for (const device of ['x', 'dev-001', 'olt-21001-01']) {
      const members = ['a', 'b', 'c'];
      const best = [...members].sort((m, n) => score(n, device) - score(m, device))[0];
      expect(ownerOf(device, members)).toBe(best);
      expect(ownerOf(device, [...members].reverse())).toBe(best);
    }
    expect(ownerOf('x', [])).toBeUndefined();
    expect(ownerOf('x', ['only'])).toBe('only');
  });

  it('splits 600 devices among 3 members within 3 standard deviations of 200 each', () => {
    // binomial(600, 1/3): σ = √(600 × 1/3 × 2/3) = √133.3 ≈ 11.5; 3σ ≈ 35 → 165..235
    const shares = shareCounts(ids, ['m1', 'm2', 'm3']);
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(600);
    for (const n of shares.values()) { expect(n).toBeGreaterThanOrEqual(165); expect(n).toBeLessThanOrEqual(235); }
  });

  it('a member leaving moves only its own devices, and they come back when it returns', () => {
    const three = ['m1', 'm2', 'm3'];
    const two = ['m1', 'm2'];
    const before = new Map(ids.map((d) => [d, ownerOf(d, three)]));
    const gone = ids.filter((d) => before.get(d) === 'm3');
    const moved = ids.filter((d) => ownerOf(d, two) !== before.get(d));
    expect(moved).toEqual(gone);
    expect(ids.filter((d) => ownerOf(d, three) !== before.get(d))).toEqual([]);
  });
});

describe('membership rules', () => {
  const I = 10_000;
  const member = (instance: string, fromMs: number, at: number): Member => ({ instance, fromMs, intervalS: 10, startedAt: 0, at, report: {} });

  it('ticks: a cycle late by a few ms still belongs to its tick; a (re)joining member starts a full interval ahead', () => {
    // 1 000 004 990 / 10 000 = 100 000.499 → rounds to 100 000 → tick 1 000 000 000
    expect(tickOf(1_000_004_990, I)).toBe(1_000_000_000);
    expect(tickOf(1_000_000_012, I)).toBe(1_000_000_000);
    // joined at 1 000 000 500: 1 000 010 500 / 10 000 = 100 001.05 → ceil 100 002 → 1 000 020 000
    expect(tickAtOrAfter(1_000_000_500 + I, I)).toBe(1_000_020_000);
  });

  it('every member computes the same live list: only members whose fromMs has come and whose presence is fresh', () => {
    const t = 1_000_020_003; // the cycle of tick 1 000 020 000
    const list = [member('c', 1_000_020_000, t - 1000), member('a', 1_000_000_000, t - 2000), member('b', 1_000_030_000, t - 500), member('d', 0, t - 30_001)];
    // b starts at the next tick; d's presence is 30 001 ms old, over the 30 000 ms allowed
    expect(liveMembers(list, t, I, 30_000)).toEqual(['a', 'c']);
    expect(liveMembers([...list].reverse(), t, I, 30_000)).toEqual(['a', 'c']);
  });

  it('reads presence messages; offline, empty and malformed ones say the member is gone', () => {
    const m = parsePresence(JSON.stringify({ state: 'online', instance: 'i1', fromMs: 10, intervalS: 5, startedAt: 1, at: 2, report: { devices: 3 } }));
    expect(m).toEqual({ instance: 'i1', fromMs: 10, intervalS: 5, startedAt: 1, at: 2, report: { devices: 3 } });
    for (const p of ['offline', '', '{', '{"state":"online"}', JSON.stringify({ state: 'offline', instance: 'i1', fromMs: 1, intervalS: 5, startedAt: 1, at: 2 })]) expect(parsePresence(p)).toBeUndefined();
  });
});
