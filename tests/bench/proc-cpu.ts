/** CPU time of another process (the cluster benches' netatlas processes), from Linux /proc. */
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc times are in 1/100 s */
const TICKS_PER_S = 100;

/** user + system seconds the process `pid` has used so far */
export function cpuSeconds(pid: number): number {
  // fields after the ")" of the command name: state is field 3, utime 14, stime 15
  const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_S;
}
