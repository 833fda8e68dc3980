/** CPU time of another process (the cluster benches' netatlas processes), from Linux /proc. */
import { readFileSync, readdirSync } from 'node:fs';

/** Linux USER_HZ: /proc times are in 1/100 s */
const TICKS_PER_S = 100;

/** user + system seconds the process `pid` has used so far */
export function cpuSeconds(pid: number): number {
  // fields after the ")" of the command name: state is field 3, utime 14, stime 15
  const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S;
}

/**
 * The local influxd's pid, when exactly one runs (the test service): its CPU per request is a
 * steadier figure than wall time on a loaded machine, though other tests' queries count in it too.
 */
export function influxdPid(): number | undefined {
  const pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try { return readFileSync(`/proc/${e}/comm`, 'utf8').trim() === 'influxd'; } catch { return false; }
  });
  return pids.length === 1 ? Number(pids[0]) : undefined;
}
