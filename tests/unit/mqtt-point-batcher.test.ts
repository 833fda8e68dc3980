import { describe, expect, it } from 'vitest';
import type { Point } from '../../core/point.js';
import type { Sink } from '../../collectors/types.js';
import { PointBatcher } from '../../collectors/mqtt/point-batcher.js';

const point = (i: number): Point => ({ measurement: 'wifi_ap', tags: { device: `ap-${i}` }, fields: { clients: i }, time: 1_700_000_000_000 + i });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** a sink whose writes wait until the test releases them (a full spool holding writes back) */
class HeldSink implements Sink {
  readonly writes: number[] = [];
  private releases: Array<() => void> = [];
  write(points: readonly Point[]): Promise<void> {
    this.writes.push(points.length);
    return new Promise((resolve) => this.releases.push(resolve));
  }
  releaseAll(): void {
    for (const r of this.releases.splice(0)) r();
  }
}

describe('PointBatcher bound (issue 14)', () => {
  it('makes whenRoom() wait while maxPendingPoints wait for a write slot, and frees it as writes finish', async () => {
    const sink = new HeldSink();
    // batches of 2 points, 1 write in flight, at most 4 points pending
    const batcher = new PointBatcher(sink, 2, 1, () => {}, 4);
    const added = Array.from({ length: 10 }, (_, i) => batcher.add([point(i)]));
    await tick();
    // 10 added: 2 in the one write in flight, 8 pending (>= 4): full
    expect(sink.writes).toEqual([2]);
    expect(batcher.pendingCount).toBe(8);
    let room = false;
    void batcher.whenRoom().then(() => { room = true; });
    await tick();
    expect(room).toBe(false);
    // each released write lets the next 2 go: pending 8 → 6 → 4 → 2 (< 4: room)
    for (const expected of [6, 4, 2]) {
      sink.releaseAll();
      await tick(); await tick();
      expect(batcher.pendingCount).toBe(expected);
    }
    expect(room).toBe(true);
    expect(sink.writes).toEqual([2, 2, 2, 2]);
    sink.releaseAll(); await tick(); await tick();
    sink.releaseAll();
    await Promise.all(added);
    expect(sink.writes).toEqual([2, 2, 2, 2, 2]);
    expect(batcher.pendingCount).toBe(0);
    await expect(batcher.whenRoom()).resolves.toBeUndefined();
  });

  it('defaults the bound to what the writes in flight carry (maxBatchPoints x maxInFlight)', async () => {
    const sink = new HeldSink();
    const batcher = new PointBatcher(sink, 3, 2);
    for (let i = 0; i < 11; i++) void batcher.add([point(i)]);
    await tick();
    // 2 writes of 3 in flight, 5 pending < 3 x 2 = 6: room
    expect([sink.writes, batcher.pendingCount]).toEqual([[3, 3], 5]);
    let room = false;
    void batcher.whenRoom().then(() => { room = true; });
    await tick();
    expect(room).toBe(true);
    void batcher.add([point(11)]); // 6 pending: full
    let room2 = false;
    void batcher.whenRoom().then(() => { room2 = true; });
    await tick();
    expect(room2).toBe(false);
    sink.releaseAll();
  });
});
