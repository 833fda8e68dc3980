/**
 * Command notifier: runs an executable (no shell) per event with the event JSON on stdin and
 * NETATLAS_EVENT_ID / NETATLAS_EVENT_KIND / NETATLAS_EVENT_TEXT in its environment. Exit 0 =
 * delivered; anything else, or a timeout, is a failed attempt that the queue retries.
 */
import { spawn } from 'node:child_process';
import type { CommandNotifierConfig } from './config.js';
import { eventLine } from './format.js';
import type { DeliveryResult, NotificationEvent, Notifier } from './types.js';

export class CommandNotifier implements Notifier {
  readonly name: string;
  constructor(private readonly cfg: Pick<CommandNotifierConfig, 'name' | 'command' | 'args' | 'timeoutMs'>) {
    this.name = cfg.name;
  }

  send(event: NotificationEvent): Promise<DeliveryResult> {
    return new Promise((resolve) => {
      const child = spawn(this.cfg.command, this.cfg.args, {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: { ...process.env, NETATLAS_EVENT_ID: event.id, NETATLAS_EVENT_KIND: event.kind, NETATLAS_EVENT_TEXT: eventLine(event) },
        timeout: this.cfg.timeoutMs,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { if (stderr.length < 2000) stderr += c.toString(); });
      child.stdin.on('error', () => undefined); // a command that ignores stdin may close it early
      child.stdin.end(JSON.stringify(event));
      child.once('error', (err) => resolve({ ok: false, error: `${this.cfg.command}: ${err.message}` }));
      child.once('close', (code, signal) => {
        if (code === 0) resolve({ ok: true, status: 0 });
        else resolve({ ok: false, ...(code !== null ? { status: code } : {}), error: `${this.cfg.command}: ${signal ? `killed by ${signal}` : `exit ${code}`}${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}` });
      });
    });
  }
}
