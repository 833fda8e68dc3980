/**
 * Caps on open `/api/events` streams (issue 14 item 3). Each stream holds a socket, a keep-alive
 * timer and a listener on the status events for as long as the client stays; without a cap a
 * client opening streams in a loop exhausts the process's file descriptors, and then the spool
 * and the store cannot open files. A cap in all and one per client (remote address), so one
 * client cannot take every slot; a refused stream is a 503 `too_many_streams` before any header
 * of the stream is sent.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../errors.js';

export class StreamSlots {
  private total = 0;
  private readonly byClient = new Map<string, number>();

  constructor(readonly max: number, readonly maxPerClient: number) {}

  /** streams open now */
  get open(): number {
    return this.total;
  }

  /** Takes a slot for `client`: the function that gives it back (once), or the refusal. */
  take(client: string): (() => void) | ApiError {
    const mine = this.byClient.get(client) ?? 0;
    if (this.total >= this.max) return new ApiError('too_many_streams', `Too many open event streams: ${this.max} are open (http.limits.eventStreams); try again later.`);
    if (mine >= this.maxPerClient) return new ApiError('too_many_streams', `Too many open event streams from this client: ${mine} (http.limits.eventStreamsPerClient); close one first.`);
    this.total += 1;
    this.byClient.set(client, mine + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total -= 1;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left); else this.byClient.delete(client);
    };
  }
}

/** The client a request is counted against: its remote address (Express's req.ip, no proxy trusted by default). */
export function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Middleware before the stream's handler: a slot, given back when the response closes (either side). */
export function streamCap(slots: StreamSlots): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const release = slots.take(clientOf(req));
    if (release instanceof ApiError) {
      // a client that retries at once only adds load: tell it to wait a little
      res.set('Retry-After', '5');
      next(release);
      return;
    }
    res.on('close', release);
    next();
  };
}
