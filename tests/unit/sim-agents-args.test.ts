/**
 * sim/snmp-agents-main.ts reads its options with node:util parseArgs: a bad or unknown option is
 * one JSON line `{"ready":false,"error":...}` naming it and exit code 1, before any agent starts.
 * (The agents themselves are tested by tests/integration/snmp-sim.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const MAIN = fileURLToPath(new URL('../../sim/snmp-agents-main.ts', import.meta.url));

function run(...args: string[]): { status: number | null; line: unknown } {
  const r = spawnSync(TSX, [MAIN, ...args], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { status: r.status, line: JSON.parse(r.stdout.trim()) as unknown };
}

// each run starts tsx (seconds on a busy machine): one run per kind of refusal
describe('snmp-agents-main options', () => {
  it('refuses a value that is not a non-negative integer, naming the option and the value', () => {
    // `--silent -1` would be read as a missing value followed by an option; parseArgs wants `=`
    expect(run('--count', '12', '--silent=-1')).toEqual({ status: 1, line: { ready: false, error: '--silent must be a non-negative integer, got "-1"' } });
  });

  it('refuses an unknown option', () => {
    expect(run('--cout', '2')).toEqual({ status: 1, line: { ready: false, error: "Unknown option '--cout'" } });
  });
});
