/**
 * The state of one simulated SNMP device, independent of the protocol: a boot time, interfaces
 * whose octet counters advance at a set rate, 32-bit views of them that wrap, and reboots that
 * send sysUpTime back and counters to zero. Time comes from a clock parameter so tests can drive it.
 */
export interface SimInterfaceState {
  ifIndex: number;
  name: string;
  alias: string;
  speedMbps: number;
  adminUp: boolean;
  operUp: boolean;
  /** octets/s each way */
  inRate: number;
  outRate: number;
  inBase: bigint;
  outBase: bigint;
  /** clock ms at which the bases were taken */
  baseTime: number;
  inErrors: number;
  outErrors: number;
}

export interface SimDeviceStateOptions {
  sysName: string;
  interfaces: number;
  /** octets per second per interface and direction; default 125 000 (1 Mbit/s) */
  octetsPerSecond?: number;
  /** initial counter value, e.g. near 2^32 to see a wrap soon */
  initialOctets?: bigint;
  clock?: () => number;
}

const MOD_32 = 2n ** 32n;
const MOD_64 = 2n ** 64n;

export class SimDeviceState {
  readonly sysName: string;
  readonly interfaces: SimInterfaceState[];
  private bootTime: number;
  readonly clock: () => number;

  constructor(o: SimDeviceStateOptions) {
    this.clock = o.clock ?? Date.now;
    this.sysName = o.sysName;
    this.bootTime = this.clock();
    const rate = o.octetsPerSecond ?? 125_000;
    this.interfaces = Array.from({ length: o.interfaces }, (_, i) => ({
      ifIndex: i + 1,
      name: i === 0 ? 'uplink0' : `ge-0/0/${i}`,
      alias: i === 0 ? 'uplink to aggregation' : `port ${i}`,
      speedMbps: i === 0 ? 10_000 : 1000,
      adminUp: true,
      operUp: true,
      inRate: rate,
      outRate: Math.round(rate / 2),
      inBase: o.initialOctets ?? 0n,
      outBase: o.initialOctets ?? 0n,
      baseTime: this.bootTime,
      inErrors: 0,
      outErrors: 0,
    }));
  }

  /** sysUpTime in hundredths of a second (TimeTicks wrap at 2^32). */
  uptime(): number {
    return Math.floor((this.clock() - this.bootTime) / 10) % 2 ** 32;
  }

  /** 64-bit octet counters of one interface at the current clock. */
  octets(ifIndex: number): { in: bigint; out: bigint } {
    const itf = this.interfaces[ifIndex - 1];
    if (!itf) return { in: 0n, out: 0n };
    const dtMs = BigInt(Math.max(0, Math.floor(this.clock() - itf.baseTime)));
    return {
      in: (itf.inBase + (BigInt(itf.inRate) * dtMs) / 1000n) % MOD_64,
      out: (itf.outBase + (BigInt(itf.outRate) * dtMs) / 1000n) % MOD_64,
    };
  }

  /** The same counters as Counter32 (ifInOctets/ifOutOctets) see them: modulo 2^32. */
  octets32(ifIndex: number): { in: number; out: number } {
    const o = this.octets(ifIndex);
    return { in: Number(o.in % MOD_32), out: Number(o.out % MOD_32) };
  }

  /** Sets counters to exact values (and optionally new rates) from now on. */
  setOctets(ifIndex: number, inOctets: bigint, outOctets: bigint, rates?: { in: number; out: number }): void {
    const itf = this.interfaces[ifIndex - 1];
    if (!itf) throw new RangeError(`no interface ${ifIndex}`);
    itf.inBase = inOctets;
    itf.outBase = outOctets;
    itf.baseTime = this.clock();
    if (rates) { itf.inRate = rates.in; itf.outRate = rates.out; }
  }

  /** A restart: sysUpTime starts again from 0 and every counter from 0. */
  reboot(): void {
    this.bootTime = this.clock();
    for (const itf of this.interfaces) {
      itf.inBase = 0n;
      itf.outBase = 0n;
      itf.baseTime = this.bootTime;
    }
  }
}
