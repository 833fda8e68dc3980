/**
 * The parent's handle on one mqtt-collector-child.ts process (one life of the collector).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export class CollectorChild {
  private readonly lines: string[] = [];
  private readonly waiters: Array<{ line: string; resolve: () => void }> = [];
  private stderr = '';
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.waiters.filter((x) => x.line === line)) { w.resolve(); this.waiters.splice(this.waiters.indexOf(w), 1); }
    });
    child.stderr!.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString()).slice(-4000); });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** spawn and wait until the child has loaded everything (READY) */
  static async spawn(args: object, timeoutMs = 30_000): Promise<CollectorChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'mqtt-collector-child.ts'), JSON.stringify(args)], {
      stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETATLAS_LOG_LEVEL: 'silent' },
    });
    const c = new CollectorChild(child);
    await c.waitFor('READY', timeoutMs);
    return c;
  }

  waitFor(line: string, timeoutMs: number): Promise<void> {
    if (this.lines.includes(line)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`collector child: no ${line} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ line, resolve: () => { clearTimeout(timer); resolve(); } });
      void this.exited.then(() => { clearTimeout(timer); if (!this.lines.includes(line)) reject(new Error(`collector child exited before ${line}; stderr: ${this.stderr}`)); });
    });
  }

  /** start the collector; resolves once it is subscribed */
  start(): Promise<void> {
    this.child.stdin!.write('start\n');
    return this.waitFor('STARTED', 10_000);
  }

  /** a clean stop (connected=0 is written); resolves when the process has exited */
  async stop(): Promise<void> {
    this.child.stdin!.write('stop\n');
    await this.waitFor('STOPPED', 10_000);
    await this.exited;
  }

  /** SIGKILL: nothing is written at the end */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
