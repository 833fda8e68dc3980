/**
 * In-process simulated agents on free loopback ports: picks a random base below the ephemeral
 * port range and tries again elsewhere when a port is taken (parallel test files).
 */
import { startSimAgents, type SimAgent, type SimAgentOptions } from '../../sim/snmp-agent.js';

export async function startAgents(count: number, per: (i: number) => Partial<SimAgentOptions> = () => ({})): Promise<SimAgent[]> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const base = 10000 + Math.floor(Math.random() * 22000);
    try {
      return await startSimAgents(count, base, per);
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}

export async function startAgent(o: Partial<SimAgentOptions> = {}): Promise<SimAgent> {
  return (await startAgents(1, () => o))[0] as SimAgent;
}
