/**
 * A collector's heartbeat: `collector_status{collector, instance}` with `connected=1` and
 * `heartbeat_s` every `heartbeatS` seconds while the collector watches its devices, and
 * `connected=0` when it stops watching. server/status/collector-liveness.ts counts the collector
 * alive for 2 heartbeat periods after each beat, so a collector killed without a word (SIGKILL,
 * power loss) is counted dead within 2 × heartbeatS, and the down states it was holding end
 * there instead of running on. The collector reports; only server/status/ decides.
 */
import { silentLogger, type Logger } from '../core/log.js';
import { collectorStatusPoint } from '../core/status-points.js';
import type { Sink } from './types.js';

/** default heartbeat period: a dead collector is noticed within 20 s */
export const DEFAULT_HEARTBEAT_S = 10;

export interface HeartbeatOptions {
  collector: string;
  instance: string;
  heartbeatS: number;
  now?: () => number;
  log?: Logger;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private sink: Sink | undefined;
  private readonly now: () => number;
  private readonly log: Logger;
  /** the last write, so that stop() writes connected=0 after it */
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly opts: HeartbeatOptions) {
    if (!(opts.heartbeatS > 0)) throw new RangeError(`heartbeatS must be > 0 (got ${opts.heartbeatS})`);
    this.now = opts.now ?? Date.now;
    this.log = (opts.log ?? silentLogger).child({ component: 'heartbeat', collector: opts.collector });
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Beat now and every heartbeatS until stop(). Idempotent while running. Resolves when the first beat is durable (or failed, logged). */
  start(sink: Sink): Promise<void> {
    this.sink = sink;
    if (this.timer) return this.last;
    this.timer = setInterval(() => void this.beat(), this.opts.heartbeatS * 1000);
    this.timer.unref();
    return this.beat();
  }

  /** Stop beating; with `say`, write connected=0 (after the last beat). */
  async stop(say = true): Promise<void> {
    const wasRunning = this.timer !== undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!say || !wasRunning || !this.sink) return;
    const sink = this.sink;
    const time = this.now();
    this.last = this.last.then(() => sink.write([collectorStatusPoint(this.opts.collector, this.opts.instance, time, { connected: false })]))
      .catch((err: Error) => this.log.error({ err: err.message }, 'could not write collector_status'));
    await this.last;
  }

  private beat(): Promise<void> {
    const sink = this.sink;
    if (!sink) return Promise.resolve();
    const point = collectorStatusPoint(this.opts.collector, this.opts.instance, this.now(), { connected: true, heartbeatS: this.opts.heartbeatS });
    this.last = this.last.then(() => sink.write([point]))
      .catch((err: Error) => this.log.error({ err: err.message }, 'could not write collector_status heartbeat'));
    return this.last;
  }
}
