/**
 * Live status from /api/events (server-sent events). EventSource reconnects by itself; after a
 * reconnect the caller refetches, since events sent while disconnected are lost.
 */
import type { Status, StatusEvent } from './api.js';

/**
 * What the page takes from an event: the fields of the server's StatusEvent (generated from its
 * schema in api-types.ts) that the map uses, time and lastSeen left out when the event lacks them.
 */
export type StatusChange = Pick<StatusEvent, 'device' | 'status'> & { time?: StatusEvent['time']; lastSeen?: string };

/** Reads a status change from an event's JSON, accepting `status` words or an `up` 0/1/boolean. */
export function parseStatusChange(data: string): StatusChange | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const device = typeof r['device'] === 'string' ? r['device'] : typeof r['id'] === 'string' ? r['id'] : null;
  if (!device) return null;
  let status: Status | null = null;
  if (r['status'] === 'up' || r['status'] === 'down' || r['status'] === 'unknown') status = r['status'];
  else if (r['up'] === true || r['up'] === 1) status = 'up';
  else if (r['up'] === false || r['up'] === 0) status = 'down';
  if (!status) return null;
  const t = r['time'];
  const seen = r['lastSeen'];
  return {
    device, status,
    ...(typeof t === 'string' ? { time: t } : typeof t === 'number' ? { time: new Date(t).toISOString() } : {}),
    ...(typeof seen === 'string' ? { lastSeen: seen } : {}),
  };
}

export interface LiveHandlers {
  onChange(c: StatusChange): void;
  /** the stream (re)opened after having failed: refetch what may have been missed */
  onReconnect(): void;
  onState(connected: boolean): void;
}

export function connectLive(url: string, h: LiveHandlers): () => void {
  const es = new EventSource(url);
  let failed = false;
  const onMessage = (e: MessageEvent<string>): void => {
    const c = parseStatusChange(e.data);
    if (c) h.onChange(c);
  };
  es.addEventListener('status', onMessage as EventListener);
  es.addEventListener('message', onMessage);
  es.addEventListener('open', () => {
    h.onState(true);
    if (failed) h.onReconnect();
    failed = false;
  });
  es.addEventListener('error', () => {
    failed = true;
    h.onState(false);
  });
  return () => es.close();
}
