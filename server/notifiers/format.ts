/**
 * Webhook bodies: netatlas JSON (the event itself), or a Slack / Microsoft Teams incoming-webhook
 * body (Slack `text`; Teams MessageCard) carrying the same facts as a readable line, plus the
 * event id so a human can match messages.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert, EndedAs } from '../alerts/types.js';
import type { NotificationEvent } from './types.js';

/** What the condition of each rule was, for "RESOLVED … (<what> N s)". */
function conditionWord(rule: Alert['rule']): string {
  switch (rule) {
    case 'device_down': case 'area_down': return 'down';
    case 'collector_down': return 'collector down';
    case 'device_unreadable': return 'unreadable';
    default: return 'lasted';
  }
}

function endedAsWord(e: EndedAs): string {
  switch (e) {
    case 'up': return 'up';
    case 'readable': return 'readable again';
    case 'alive': return 'heartbeats again';
    case 'removed': return 'removed from the inventory';
    // the run ended because we stopped knowing, not because the subject came back
    default: return `status ${e}`;
  }
}

/**
 * One line per event. A resolved alert gives how long its condition lasted: up to `endedAt` (when
 * the condition itself ended) where the rule has one, else up to its resolution, and what the
 * subject went into (`endedAs`): "(down 240 s, then up)", "(collector down 95 s, then heartbeats
 * again)", "(down 300 s, then status unknown: collector-down)".
 */
export function eventLine(e: NotificationEvent): string {
  if (e.kind === 'report') return `Report ${e.report.name}: ${e.report.summary}`;
  const a = e.alert;
  if (e.kind !== 'resolved') return `ALERT ${a.summary}`;
  const end = a.endedAt ?? a.resolvedAt ?? e.at;
  const seconds = Math.max(0, Math.round((end - a.startedAt) / 1000));
  return `RESOLVED ${a.summary} (${conditionWord(a.rule)} ${seconds} s${a.endedAs ? `, then ${endedAsWord(a.endedAs)}` : ''})`;
}

export function webhookBody(e: NotificationEvent, format: 'json' | 'slack' | 'teams'): string {
  if (format === 'slack') return JSON.stringify({ text: `${eventLine(e)} [${e.id}]` });
  if (format === 'teams') {
    const colour = e.kind === 'fired' ? 'D13438' : e.kind === 'resolved' ? '2EB886' : '0078D7';
    return JSON.stringify({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: eventLine(e), themeColor: colour, title: 'netatlas', text: `${eventLine(e)} [${e.id}]` });
  }
  return JSON.stringify(e);
}

/** How far a signature's timestamp may be from the receiver's clock (README: "Webhook signature"). */
export const SIGNATURE_TOLERANCE_S = 300;

function hmacHex(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is inside the
 * signed text, so a captured request cannot be replayed later with a fresh time, and a receiver
 * that refuses timestamps older than a few minutes refuses the old one.
 */
export function signBody(secret: string, body: string, atMs: number): string {
  const t = Math.floor(atMs / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export type SignatureCheck = { ok: true; t: number } | { ok: false; reason: string };

/**
 * The receiver's side, for receivers written in TypeScript/JavaScript and for the tests: the header
 * parses, its time is within `toleranceS` of `nowMs`, and one of its `v1` values is the HMAC of
 * "<t>.<body>" (compared in constant time).
 */
export function verifySignature(secret: string, header: string, body: string, nowMs: number, toleranceS = SIGNATURE_TOLERANCE_S): SignatureCheck {
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const ts = parts.filter(([k]) => k === 't').map(([, v]) => v);
  if (ts.length !== 1 || !/^\d{1,12}$/.test(ts[0] ?? '')) return { ok: false, reason: 'no single t=<unix seconds> in the header' };
  const t = Number(ts[0]);
  if (Math.abs(nowMs / 1000 - t) > toleranceS) return { ok: false, reason: `timestamp ${t} is more than ${toleranceS} s from now` };
  const expected = Buffer.from(hmacHex(secret, t, body));
  const match = parts.some(([k, v]) => k === 'v1' && v !== undefined && v.length === expected.length && timingSafeEqual(Buffer.from(v), expected));
  return match ? { ok: true, t } : { ok: false, reason: 'no v1 signature matches the body' };
}
