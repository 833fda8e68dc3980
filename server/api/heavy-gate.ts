/**
 * A limit on heavy analytics computed at once (issue 14 item 2): uptime, incidents, coverage,
 * gaps and DESI over long windows read many rows and cost CPU on the API thread. Collection runs
 * in its own worker thread (server/collection/), but the API thread still answers /api/health,
 * the map and the event streams: with every heavy request started at once, those would wait
 * behind all of them. Here at most `concurrency` heavy requests run; the next ones wait in line,
 * up to `queueMs` and at most `queueLength` of them; beyond that the answer is a 503 `busy` with a
 * Retry-After estimated from how long heavy requests have been taking. A slot is held until the
 * handler's work is over, not until the client goes away, so a client that gives up does not let
 * more work start than the limit.
 */
import type { Request, Response } from 'express';
import { ApiError } from '../errors.js';

export interface HeavyGateOptions {
  concurrency: number;
  queueMs: number;
  queueLength: number;
  now?: () => number;
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export class HeavyGate {
  private running = 0;
  private readonly line: Waiter[] = [];
  /** moving average of a heavy request's duration, for Retry-After */
  private avgMs = 1000;
  private readonly now: () => number;

  constructor(private readonly o: HeavyGateOptions) {
    this.now = o.now ?? Date.now;
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  /** seconds after which a refused client may expect a free slot, 1..300 */
  retryAfterS(): number {
    const turns = Math.ceil((this.line.length + 1) / this.o.concurrency);
    return Math.min(300, Math.max(1, Math.ceil((this.avgMs * turns) / 1000)));
  }

  private busy(why: string): ApiError {
    return new ApiError('busy', `The server is busy with heavy requests (${why}); try again after Retry-After seconds.`);
  }

  /** Waits for a slot; resolves with the function that gives it back, or rejects with `busy`. */
  acquire(): Promise<() => void> {
    if (this.running < this.o.concurrency && this.line.length === 0) return Promise.resolve(this.slot());
    if (this.line.length >= this.o.queueLength) return Promise.reject(this.busy(`${this.running} running, ${this.line.length} waiting: http.limits.heavyQueueLength`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => { clearTimeout(waiter.timer); resolve(this.slot()); },
        timer: setTimeout(() => {
          const i = this.line.indexOf(waiter);
          if (i >= 0) this.line.splice(i, 1);
          reject(this.busy(`waited ${this.o.queueMs} ms for a turn: http.limits.heavyQueueMs`));
        }, this.o.queueMs),
      };
      this.line.push(waiter);
    });
  }

  private slot(): () => void {
    this.running += 1;
    const started = this.now();
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.running -= 1;
      this.avgMs = 0.8 * this.avgMs + 0.2 * Math.max(0, this.now() - started);
      this.line.shift()?.admit();
    };
  }
}

/** The handler run under the gate: a 503 `busy` with Retry-After when no slot comes in time. */
export function gated(gate: HeavyGate, handler: (req: Request, res: Response) => Promise<void> | void): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    let release: () => void;
    try {
      release = await gate.acquire();
    } catch (err) {
      res.set('Retry-After', String(gate.retryAfterS()));
      throw err;
    }
    try {
      // a client that left while waiting in line: nothing to compute for
      if (req.socket.destroyed) return;
      await handler(req, res);
    } finally {
      release();
    }
  };
}
