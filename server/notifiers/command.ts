/**
 * Command notifier: runs an executable (no shell) per event with the event JSON on stdin and
 * NETATLAS_EVENT_ID / NETATLAS_EVENT_KIND / NETATLAS_EVENT_TEXT in its environment. Exit 0 =
 * delivered; anything else, a timeout or a failure to start is a failed attempt that the queue
 * retries with backoff.
 *
 * A run past `timeoutMs` gets SIGTERM, then SIGKILL `killGraceMs` later if it is still there.
 * send() settles at most STDERR_DRAIN_MS after the child's `exit`, not on `close`: a grandchild that
 * inherited stderr can hold the pipe open long after the command itself is gone, and the delivery
 * must not wait on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { CommandNotifierConfig } from './config.js';
import { eventLine } from './format.js';
import type { DeliveryResult, NotificationEvent, Notifier } from './types.js';

/** Default time between SIGTERM and SIGKILL: enough for a well-behaved command to clean up. */
export const KILL_GRACE_MS = 2000;
const STDERR_KEEP = 2000;
/** After the exit, how long stderr may take to deliver what the command wrote before it exited. */
const STDERR_DRAIN_MS = 200;

/**
 * The OS cannot pass a NUL byte in an environment value (spawn throws): one in an alert's text
 * (a device's error string, say) is shown as `\0` so the event is still delivered.
 */
function envValue(v: string): string {
  return v.replace(/\0/g, '\\0');
}

export class CommandNotifier implements Notifier {
  readonly name: string;
  private readonly killGraceMs: number;

  constructor(private readonly cfg: Pick<CommandNotifierConfig, 'name' | 'command' | 'args' | 'timeoutMs'> & { killGraceMs?: number | undefined }) {
    this.name = cfg.name;
    this.killGraceMs = cfg.killGraceMs ?? KILL_GRACE_MS;
  }

  send(event: NotificationEvent): Promise<DeliveryResult> {
    const label = this.cfg.command;
    let child: ChildProcess;
    try {
      child = spawn(this.cfg.command, [...this.cfg.args], {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: { ...process.env, NETATLAS_EVENT_ID: envValue(event.id), NETATLAS_EVENT_KIND: event.kind, NETATLAS_EVENT_TEXT: envValue(eventLine(event)) },
      });
    } catch (err) {
      // spawn throws synchronously on arguments it cannot pass to the OS (a NUL byte in an
      // environment value or an argument): a failed attempt like any other, so it gets backoff
      return Promise.resolve({ ok: false, error: `${label}: cannot start: ${(err as Error).message}` });
    }
    return new Promise((resolve) => {
      let stderr = '';
      let timedOut = false;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      let drainTimer: NodeJS.Timeout | undefined;
      const finish = (r: DeliveryResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(termTimer);
        clearTimeout(killTimer);
        clearTimeout(drainTimer);
        // nothing more is read: a grandchild holding stderr must not keep this process busy
        child.stderr?.destroy();
        resolve(r);
      };
      const termTimer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), this.killGraceMs);
      }, this.cfg.timeoutMs);
      child.stderr?.on('data', (c: Buffer) => { if (stderr.length < STDERR_KEEP) stderr += c.toString(); });
      child.stderr?.on('error', () => undefined);
      child.stdin?.on('error', () => undefined); // a command that ignores stdin may close it early
      child.stdin?.end(JSON.stringify(event));
      child.once('error', (err) => finish({ ok: false, error: `${label}: ${err.message}` }));
      child.once('exit', (code, signal) => {
        clearTimeout(termTimer);
        clearTimeout(killTimer);
        const outcome = (): DeliveryResult => {
          if (code === 0 && !timedOut) return { ok: true, status: 0 };
          const why = timedOut
            ? `timed out after ${this.cfg.timeoutMs} ms (killed by ${signal ?? 'SIGTERM'})`
            : signal ? `killed by ${signal}` : `exit ${code}`;
          const tail = stderr.trim().slice(0, 300);
          return { ok: false, ...(code !== null ? { status: code } : {}), error: `${label}: ${why}${tail ? `: ${tail}` : ''}` };
        };
        if (!child.stderr || child.stderr.closed) return finish(outcome());
        child.stderr.once('close', () => finish(outcome()));
        drainTimer = setTimeout(() => finish(outcome()), STDERR_DRAIN_MS);
      });
    });
  }
}
