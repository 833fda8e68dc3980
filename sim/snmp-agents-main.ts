/**
 * Runs many simulated SNMP agents in their own process (scale test, bench, demo):
 *   tsx sim/snmp-agents-main.ts --count 2000 --base-port 30000 --interfaces 8 [--silent N]
 * Prints one JSON line `{"ready":true,...}` on stdout when every agent listens, or
 * `{"ready":false,"error":...}` and exits 1 (also for an unknown option or a bad value). Stops on
 * SIGTERM, SIGINT or when stdin closes, so a parent that dies does not leave it behind.
 */
import { parseArgs } from 'node:util';
import { startSimAgents, type SimAgent } from './snmp-agent.js';

const DEFAULTS = { count: 100, 'base-port': 30000, interfaces: 8, silent: 0 } as const;
type Name = keyof typeof DEFAULTS;

/** The options as non-negative integers; an unknown option or a bad value throws, naming it. */
function readArgs(argv: string[]): Record<Name, number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { count: { type: 'string' }, 'base-port': { type: 'string' }, interfaces: { type: 'string' }, silent: { type: 'string' } },
  });
  const out = { ...DEFAULTS } as Record<Name, number>;
  for (const name of Object.keys(DEFAULTS) as Name[]) {
    const text = values[name];
    if (text === undefined) continue;
    const v = Number(text);
    if (text.trim() === '' || !Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got "${text}"`);
    out[name] = v;
  }
  return out;
}

let agents: SimAgent[] = [];
async function stop(code: number): Promise<never> {
  await Promise.all(agents.map((a) => a.close()));
  process.exit(code);
}

try {
  const { count, 'base-port': basePort, interfaces, silent } = readArgs(process.argv.slice(2));
  // The first `silent` agents never answer (fault injection for the tests).
  agents = await startSimAgents(count, basePort, (i) => ({ interfaces, mode: i < silent ? 'silent' : 'normal', sysName: `sim-${basePort + i}` }));
  process.stdout.write(`${JSON.stringify({ ready: true, count, basePort, interfaces, silent, rssBytes: process.memoryUsage().rss })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ ready: false, error: (err as Error).message })}\n`);
  process.exit(1);
}
process.on('SIGTERM', () => { void stop(0); });
process.on('SIGINT', () => { void stop(0); });
process.stdin.on('end', () => { void stop(0); });
process.stdin.resume();
