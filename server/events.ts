/**
 * Status changes as events, for the server-sent events of `/api/events`.
 *
 * Design choice: poll the store's `latestStatus` every few seconds and diff, rather than an
 * in-process bus fed by the collectors. Polling sees every writer (collectors in other processes,
 * a replayed spool, another instance behind the load balancer), survives restarts without
 * bookkeeping, and costs one query per interval however many clients listen. The price is up to
 * one interval of delay. The status is server/status's currentStates, so a device also changes to
 * `unknown` when its up evidence goes stale, its collector stops being alive, or its held down is
 * no longer restated. The poller runs only while someone listens.
 *
 * With the service's live state (server/status/live-state.ts) the states are read from memory
 * instead: a look is made as soon as points were applied, and at the instant the first device's
 * state can change with the clock (up going stale, a heartbeat running out), besides the poll.
 */
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Device } from '../core/device.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { MetricStore } from './store/metric-store.js';
import { currentStates, DEFAULT_INTERVALS, type CurrentStatus, type DefaultIntervals } from './status/index.js';
import type { LiveState } from './status/live-state.js';

const CURRENT_STATUS = z.enum(['up', 'down', 'unknown']);
/**
 * The data of a `status` event of /api/events. A zod schema for the same reason as the JSON
 * bodies (server/api/body-schemas.ts): the route table carries it, so the OpenAPI document names it
 * (component StatusEvent) and the web's type is generated from it; never validated at run time.
 */
export const STATUS_EVENT = z.object({
  device: z.string(),
  status: CURRENT_STATUS,
  statusReason: z.string().nullable().describe('why the new status is unknown (no-evidence, stale, collector-down, unreadable: …); null when up or down'),
  previous: CURRENT_STATUS.describe('the previous status'),
  time: z.string().meta({ format: 'date-time', description: 'when the change was seen' }),
  lastSeen: z.string().nullable().meta({ format: 'date-time', description: 'time of the latest sample; null when never seen' }),
}).meta({ id: 'StatusEvent' });
export type StatusEvent = z.infer<typeof STATUS_EVENT>;

export interface StatusEventsOptions {
  store: MetricStore;
  devices: () => readonly Device[];
  now?: () => number;
  intervals?: DefaultIntervals;
  /**
   * How often the store is read for changes. 2 s by default: the map promises a device turns red
   * within 5 s of its status point, and a 5 s poll alone could miss that. The query is one
   * latest-per-device read, cheap next to what the collectors write.
   */
  pollMs?: number;
  log?: Logger;
  /** read states from the live state once it is ready, and look again whenever it applied points */
  live?: LiveState | undefined;
}

export class StatusEvents {
  private readonly emitter = new EventEmitter();
  private timer: NodeJS.Timeout | undefined;
  /** the look at the next clock-driven change of the live state */
  private edge: NodeJS.Timeout | undefined;
  private unsubscribeLive: (() => void) | undefined;
  private last = new Map<string, CurrentStatus>();
  private isPrimed = false;
  private inflight: Promise<StatusEvent[]> | undefined;
  private again = false;
  private readonly log: Logger;
  readonly pollMs: number;

  constructor(private readonly opts: StatusEventsOptions) {
    this.pollMs = opts.pollMs ?? 2000;
    this.log = (opts.log ?? silentLogger).child({ component: 'status-events' });
    this.emitter.setMaxListeners(0);
  }

  /** Listen; returns the function that stops listening. The first listener starts the poller. */
  subscribe(listener: (e: StatusEvent) => void): () => void {
    this.emitter.on('status', listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.pollMs);
      this.timer.unref();
      this.unsubscribeLive = this.opts.live?.onApplied(() => void this.poll());
      void this.poll();
    }
    return () => {
      this.emitter.off('status', listener);
      if (this.emitter.listenerCount('status') === 0) this.stop();
    };
  }

  /** listeners subscribed now (one per open event stream) */
  get listeners(): number {
    return this.emitter.listenerCount('status');
  }

  /** true once a poll has set the baseline that later changes are measured against */
  get primed(): boolean {
    return this.isPrimed;
  }

  /**
   * One poll (joining one in flight): emit a change for every device whose status differs from the
   * previous poll. Asked for while one is in flight (points applied meanwhile), another follows it.
   */
  poll(): Promise<StatusEvent[]> {
    if (this.inflight) { this.again = true; return this.inflight; }
    this.inflight = this.pollOnce().finally(() => {
      this.inflight = undefined;
      if (this.again && this.timer) void this.poll();
      this.again = false;
    });
    return this.inflight;
  }

  private async pollOnce(): Promise<StatusEvent[]> {
    try {
      const now = (this.opts.now ?? Date.now)();
      const devices = this.opts.devices();
      const live = this.opts.live;
      const fromLive = live !== undefined && live.covers(devices, now);
      const states = fromLive ? live.states(devices, now) : await currentStates(this.opts.store, devices, now, this.opts.intervals ?? DEFAULT_INTERVALS);
      if (fromLive && this.timer) this.lookAtNextEdge(live.nextChange(), now);
      const events: StatusEvent[] = [];
      for (const [device, s] of states) {
        const before = this.last.get(device);
        if (this.isPrimed && before !== undefined && before !== s.status) {
          events.push({
            device, status: s.status, statusReason: s.status === 'unknown' ? s.reason ?? null : null, previous: before,
            time: new Date(now).toISOString(), lastSeen: s.lastSeen === null ? null : new Date(s.lastSeen).toISOString(),
          });
        }
      }
      this.last = new Map([...states].map(([id, s]) => [id, s.status]));
      this.isPrimed = true;
      for (const e of events) this.emitter.emit('status', e);
      return events;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'status poll failed; trying again next interval');
      return [];
    }
  }

  /** a look when the first cached state may change with the clock, if sooner than the next poll */
  private lookAtNextEdge(at: number, now: number): void {
    clearTimeout(this.edge);
    this.edge = undefined;
    if (!(at - now < this.pollMs)) return;
    this.edge = setTimeout(() => void this.poll(), Math.max(20, at - now + 1));
    this.edge.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.edge);
    this.unsubscribeLive?.();
    this.unsubscribeLive = undefined;
    this.timer = undefined;
    this.isPrimed = false;
    this.last.clear();
  }
}
