/**
 * Webhook notifier: one JSON POST per event. Headers: the configured ones, `Idempotency-Key` and
 * `X-Netatlas-Event` (the event id: a receiver that saw it already can drop it), and with a secret
 * `X-Netatlas-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (format.ts
 * signBody; signed at each attempt, so a retry carries a fresh time). 2xx = delivered.
 */
import type { WebhookNotifierConfig } from './config.js';
import { signBody, webhookBody } from './format.js';
import type { DeliveryResult, NotificationEvent, Notifier } from './types.js';
import { redactText, redactWebhookUrl } from '../../core/redact.js';

export const SIGNATURE_HEADER = 'X-Netatlas-Signature';

export class WebhookNotifier implements Notifier {
  readonly name: string;
  private readonly now: () => number;

  /** `now`: the wall clock the signature's timestamp is read from (the receiver compares it with its own) */
  constructor(private readonly cfg: Pick<WebhookNotifierConfig, 'name' | 'url' | 'headers' | 'secret' | 'format' | 'timeoutMs'>, now: () => number = Date.now) {
    this.name = cfg.name;
    this.now = now;
  }

  async send(event: NotificationEvent): Promise<DeliveryResult> {
    const body = webhookBody(event, this.cfg.format);
    const headers: Record<string, string> = {
      ...this.cfg.headers,
      'Content-Type': 'application/json',
      'User-Agent': 'netatlas',
      'Idempotency-Key': event.id,
      'X-Netatlas-Event': event.id,
    };
    if (this.cfg.secret) headers[SIGNATURE_HEADER] = signBody(this.cfg.secret, body, this.now());
    try {
      const res = await fetch(this.cfg.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.cfg.timeoutMs), redirect: 'manual' });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      // the delivery log and the logs keep this text: never the URL's path (the credential of a Slack or Teams hook)
      return { ok: false, error: redactText(`${redactWebhookUrl(this.cfg.url)}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, [{ url: this.cfg.url, kind: 'webhook' }]) };
    }
  }
}
