/** `notifiers` section: where alert and report notifications go. */
import { z } from 'zod';
import type { DeepReadonly } from '../alerts/config.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const positiveMs = z.number().int().positive();

export const retrySchema = z.strictObject({
  initialBackoffMs: positiveMs.default(1000),
  maxBackoffMs: positiveMs.default(60_000),
  /** give up on an event older than this (it stays in the delivery log as failed) */
  maxAgeMs: positiveMs.default(86_400_000),
});

export const webhookNotifierSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('webhook'),
  url: z.url({ message: 'Invalid URL' }).refine((u) => /^https?:$/.test(new URL(u).protocol), 'URL scheme must be http or https'),
  headers: z.record(z.string(), z.string()).default({}),
  /** HMAC-SHA256 key; `X-Netatlas-Signature: t=<unix s>,v1=<hex HMAC of "<t>.<body>">` (README "Webhook signature") */
  secret: nonEmpty.optional(),
  /** `json`: netatlas event; `slack` / `teams`: a body those incoming webhooks accept */
  format: z.enum(['json', 'slack', 'teams']).default('json'),
  timeoutMs: positiveMs.default(5000),
  retry: retrySchema.prefault({}),
});

export const commandNotifierSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('command'),
  /** executable; receives the event JSON on stdin and NETATLAS_EVENT_* variables; exit 0 = delivered */
  command: nonEmpty,
  args: z.array(z.string()).default([]),
  /** after timeoutMs the command gets SIGTERM, and SIGKILL this much later if it is still running */
  timeoutMs: positiveMs.default(10_000),
  killGraceMs: positiveMs.default(2000),
  retry: retrySchema.prefault({}),
});

export const notifierSchema = z.discriminatedUnion('type', [webhookNotifierSchema, commandNotifierSchema]);

export const notifiersSchema = z.array(notifierSchema).default([]).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((n, i) => {
    if (seen.has(n.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate notifier name "${n.name}"` });
    seen.add(n.name);
  });
});

export type NotifierConfig = DeepReadonly<z.output<typeof notifierSchema>>;
export type WebhookNotifierConfig = DeepReadonly<z.output<typeof webhookNotifierSchema>>;
export type CommandNotifierConfig = DeepReadonly<z.output<typeof commandNotifierSchema>>;
export type RetryConfig = z.output<typeof retrySchema>;
