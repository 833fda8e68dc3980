/** Builds the configured notifiers. */
import type { NotifierConfig, RetryConfig } from './config.js';
import { CommandNotifier } from './command.js';
import { WebhookNotifier } from './webhook.js';
import type { Notifier } from './types.js';

export function createNotifiers(configs: readonly NotifierConfig[]): (Notifier & { retry: RetryConfig })[] {
  return configs.map((c) => Object.assign(c.type === 'webhook' ? new WebhookNotifier(c) : new CommandNotifier(c), { retry: c.retry }));
}

export { DeliveryQueue } from './delivery-queue.js';
export { Dispatcher, backoffMs } from './dispatcher.js';
export { SIGNATURE_HEADER, WebhookNotifier } from './webhook.js';
export { CommandNotifier, KILL_GRACE_MS } from './command.js';
export { SIGNATURE_TOLERANCE_S, signBody, verifySignature, webhookBody } from './format.js';
export type { SignatureCheck } from './format.js';
export type { NotificationEvent, Notifier, ReportEvent } from './types.js';
