/**
 * Runs many simulated SNMP agents in their own process (scale test, bench, demo):
 *   tsx sim/snmp-agents-main.ts --count 2000 --base-port 30000 --interfaces 8 [--silent N]
 * Prints one JSON line `{"ready":true,...}` on stdout when every agent listens, or
 * `{"ready":false,"error":...}` and exits 1. Stops on SIGTERM, SIGINT or when stdin closes, so a
 * parent that dies does not leave it behind.
 */
import { startSimAgents, type SimAgent } from './snmp-agent.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
}

const count = arg('count', 100);
const basePort = arg('base-port', 30000);
const interfaces = arg('interfaces', 8);
const silent = arg('silent', 0);

let agents: SimAgent[] = [];
async function stop(code: number): Promise<never> {
  await Promise.all(agents.map((a) => a.close()));
  process.exit(code);
}

try {
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
