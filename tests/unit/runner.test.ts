import { describe, expect, it } from 'vitest';
import { CollectorRunner, cronExpression } from '../../collectors/runner.js';
import type { PollingCollector, Sink, StreamingCollector } from '../../collectors/types.js';
import { createMetricsRegistry } from '../../core/self-metrics.js';
import { RecordingSink, captureLogger } from '../helpers/snmp-fixtures.js';

/** A pure-unit fake polling collector whose cycles end when the test says so. */
class ManualCollector implements PollingCollector {
  readonly kind = 'polling' as const;
  readonly signals: AbortSignal[] = [];
  private resolvers: Array<() => void> = [];
  closed = false;
  constructor(readonly name: string, readonly intervalS = 60, private readonly fail = false) {}
  poll(_sink: Sink, signal: AbortSignal): Promise<void> {
    this.signals.push(signal);
    if (this.fail) return Promise.reject(new Error('agent 10.0.0.5:161: boom'));
    return new Promise((resolve) => {
      this.resolvers.push(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  finish(): void {
    for (const r of this.resolvers.splice(0)) r();
  }
  async close(): Promise<void> { this.closed = true; }
}

async function gauge(metrics: ReturnType<typeof createMetricsRegistry>, name: string, collector: string): Promise<number | undefined> {
  const m = (await metrics.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values as Array<{ labels: Record<string, string>; value: number }> | undefined)?.find((v) => v.labels['collector'] === collector)?.value;
}

describe('cron expressions', () => {
  it('turns intervals that divide a minute, an hour or a day into six-field cron expressions', () => {
    expect(cronExpression(1)).toBe('*/1 * * * * *');
    expect(cronExpression(15)).toBe('*/15 * * * * *');
    expect(cronExpression(60)).toBe('0 */1 * * * *');
    expect(cronExpression(300)).toBe('0 */5 * * * *');
    expect(cronExpression(7200)).toBe('0 0 */2 * * *');
  });

  it('refuses intervals that would drift against the clock', () => {
    expect(() => cronExpression(45)).toThrow(/does not divide/);
    expect(() => cronExpression(0)).toThrow(/positive integer/);
  });
});

describe('collector runner', () => {
  it('skips a tick while the previous cycle still runs, logs it and counts it', async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const cap = captureLogger();
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics, log: cap.log });
    const c = new ManualCollector('slowpoke');
    runner.add(c);
    const first = runner.tick('slowpoke');
    expect(await runner.tick('slowpoke')).toBe('skipped');
    expect(c.signals).toHaveLength(1);
    c.finish();
    expect(await first).toBe('ran');
    expect(cap.lines().some((l) => String(l['msg']).includes('previous cycle overran') && l['collector'] === 'slowpoke')).toBe(true);
    const skipped = (await metrics.getSingleMetric('netatlas_collector_skipped_cycles_total')?.get())?.values[0]?.value;
    expect(skipped).toBe(1);
    expect(await gauge(metrics, 'netatlas_collector_success', 'slowpoke')).toBe(1);
  });

  it('aborts a cycle that outlives its timeout and records it as unsuccessful', async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics });
    const c = new ManualCollector('stuck');
    runner.add(c, { intervalS: 1, timeoutMs: 50 });
    expect(await runner.tick('stuck')).toBe('ran');
    expect(c.signals[0]?.aborted).toBe(true);
    expect(String((c.signals[0]?.reason as Error).message)).toContain('timed out after 50 ms');
    expect(await gauge(metrics, 'netatlas_collector_success', 'stuck')).toBe(0);
    expect(await gauge(metrics, 'netatlas_collector_duration_seconds', 'stuck')).toBeGreaterThanOrEqual(0.04);
  });

  it('logs a failing cycle with the collector name and keeps the runner alive', async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const cap = captureLogger();
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics, log: cap.log });
    runner.add(new ManualCollector('broken', 60, true));
    expect(await runner.tick('broken')).toBe('ran');
    expect(await runner.tick('broken')).toBe('ran');
    expect(await gauge(metrics, 'netatlas_collector_success', 'broken')).toBe(0);
    expect(cap.lines().filter((l) => l['collector'] === 'broken' && l['level'] === 50)).toHaveLength(2);
  });

  it('polls on the cron schedule, then stop() aborts the running cycle and closes the collector', async () => {
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics: createMetricsRegistry({ defaultMetrics: false }) });
    const c = new ManualCollector('ticker', 1);
    runner.add(c);
    await runner.start();
    // the first cycle runs at start; ending each cycle lets the next second's tick start another
    const deadline = Date.now() + 5000;
    while (c.signals.length < 3 && Date.now() < deadline) {
      c.finish();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(c.signals.length).toBeGreaterThanOrEqual(3);
    const running = c.signals[c.signals.length - 1] as AbortSignal;
    await runner.stop();
    expect(running.aborted).toBe(true);
    expect(c.closed).toBe(true);
    const after = c.signals.length;
    await new Promise((r) => setTimeout(r, 1100));
    expect(c.signals.length).toBe(after);
  });

  it('starts and stops streaming collectors', async () => {
    const events: string[] = [];
    const s: StreamingCollector = {
      kind: 'streaming', name: 'stream',
      async start() { events.push('start'); },
      async stop() { events.push('stop'); },
    };
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics });
    runner.add(s);
    await runner.start();
    expect(await gauge(metrics, 'netatlas_collector_success', 'stream')).toBe(1);
    await runner.stop();
    expect(events).toEqual(['start', 'stop']);
  });

  it('refuses a collector name twice and an interval cron cannot express', () => {
    const runner = new CollectorRunner({ sink: new RecordingSink(), metrics: createMetricsRegistry({ defaultMetrics: false }) });
    runner.add(new ManualCollector('a'));
    expect(() => runner.add(new ManualCollector('a'))).toThrow(/added twice/);
    expect(() => runner.add(new ManualCollector('b', 45))).toThrow(/does not divide/);
  });
});
