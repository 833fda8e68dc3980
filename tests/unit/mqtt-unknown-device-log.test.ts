import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { RateLimitedLog, UnknownDeviceLog } from '../../collectors/mqtt/rate-limited-log.js';

function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); } });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe('UnknownDeviceLog bounds (issue 14)', () => {
  it('remembers ids up to a byte budget, not only a count', () => {
    const { logger, lines } = capture();
    // 10 000 ids allowed by count, but 1000 bytes: 100-byte ids fit 10 times (10 x 100 = 1000)
    const log = new UnknownDeviceLog(logger, new RateLimitedLog(logger, 60_000), 10_000, 1000, 256);
    for (let i = 0; i < 50; i++) log.note(`t/${i}`, `${String(i).padStart(3, '0')}${'x'.repeat(97)}`);
    expect([log.remembered, log.rememberedBytes]).toEqual([10, 1000]);
    // 10 once-per-device warnings, then 1 rate-limited warning for the other 40
    expect(lines.filter((l) => String(l['msg']).includes('logged once per device')).length).toBe(10);
    expect(lines.filter((l) => String(l['msg']).includes('too many unknown devices')).length).toBe(1);
  });

  it('never remembers an id longer than maxIdBytes and cuts it in the log', () => {
    const { logger, lines } = capture();
    const log = new UnknownDeviceLog(logger, new RateLimitedLog(logger, 60_000), 10_000);
    const huge = 'a'.repeat(65_000);
    log.note(`netatlas/wifi/${huge}/telemetry`, huge);
    expect([log.remembered, log.rememberedBytes]).toEqual([0, 0]);
    const line = lines[0]!;
    expect(String(line['device'])).toBe(`${'a'.repeat(256)}… (65000 bytes)`);
    expect(JSON.stringify(line).length).toBeLessThan(1000);
  });
});
