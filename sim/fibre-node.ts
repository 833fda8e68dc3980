/**
 * One simulated fibre access node: a real SNMP agent (sim/snmp-agent.ts) on a loopback port whose
 * traffic follows the day curve, scaled by the households it serves, with the faults the demo
 * plays: unreachable (the agent stops answering), a flapping uplink, and a 64-bit counter wrap.
 */
import type { Device } from '../core/device.js';
import { SimAgent } from './snmp-agent.js';
import { dayFactor } from './day-curve.js';
import type { Rng } from './rng.js';

/** Average evening-peak traffic per household passed, bit/s (invented, order of magnitude). */
const PEAK_BPS_PER_HOUSEHOLD = 1_500_000;
const MOD_64 = 2n ** 64n;

export interface FibreNodeOptions {
  device: Device;
  port: number;
  community: string;
  rng: Rng;
  host?: string;
}

export class SimFibreNode {
  readonly device: Device;
  readonly agent: SimAgent;
  private readonly peakBps: number;
  /** share of the node's traffic on each access port (index 1..n-1); the uplink carries it all */
  private readonly portShares: number[];
  private readonly noise: () => number;
  private unreachableCount = 0;

  private constructor(device: Device, agent: SimAgent, rng: Rng) {
    this.device = device;
    this.agent = agent;
    this.peakBps = Math.max(50_000_000, (device.householdsPassed ?? 1000) * PEAK_BPS_PER_HOUSEHOLD);
    const weights = agent.state.interfaces.slice(1).map(() => rng.range(0.5, 1.5));
    const sum = weights.reduce((s, w) => s + w, 0) || 1;
    this.portShares = weights.map((w) => w / sum);
    this.noise = () => rng.range(0.92, 1.08);
  }

  static async start(o: FibreNodeOptions): Promise<SimFibreNode> {
    const agent = await SimAgent.start({
      port: o.port,
      address: o.host ?? '127.0.0.1',
      community: o.community,
      sysName: o.device.id,
      interfaces: o.rng.int(4, 8),
      optical: true,
    });
    const node = new SimFibreNode(o.device, agent, o.rng);
    node.applyDayCurve(new Date());
    return node;
  }

  get port(): number { return this.agent.port; }
  get reachable(): boolean { return this.unreachableCount === 0; }

  /** Sets each interface's rate for the time of day; counters continue from where they are. */
  applyDayCurve(now: Date): void {
    const total = (this.peakBps * dayFactor(now)) / 8; // octets/s
    const st = this.agent.state;
    st.interfaces.forEach((itf, i) => {
      const share = i === 0 ? 1 : this.portShares[i - 1]!;
      // Access ports cannot carry more than their speed.
      const cap = (itf.speedMbps * 1_000_000) / 8;
      const down = Math.min(cap, Math.round(total * share * this.noise()));
      const up = Math.min(cap, Math.round(down * 0.18 * this.noise()));
      const cur = st.octets(itf.ifIndex);
      // The uplink receives from the aggregation what the access ports send to homes.
      const rates = i === 0 ? { in: down, out: up } : { in: up, out: down };
      st.setOctets(itf.ifIndex, cur.in, cur.out, rates);
    });
  }

  /** Stops answering SNMP (nested: a node in an area outage and its own fault stays down until both end). */
  async setUnreachable(on: boolean): Promise<void> {
    this.unreachableCount = Math.max(0, this.unreachableCount + (on ? 1 : -1));
    await this.agent.setMode(this.unreachableCount > 0 ? 'silent' : 'normal');
  }

  /** The uplink's oper status (ifIndex 1): a flapping link toggles it. */
  setUplink(up: boolean): void {
    this.agent.state.interfaces[0]!.operUp = up;
  }

  get uplinkUp(): boolean { return this.agent.state.interfaces[0]!.operUp; }

  /** Moves the uplink's 64-bit counters to just below 2^64, so they wrap within `inS` seconds. */
  wrapCountersSoon(inS = 20): void {
    const st = this.agent.state;
    const itf = st.interfaces[0]!;
    const room = (r: number): bigint => BigInt(Math.max(1, Math.round(r * inS)));
    st.setOctets(1, MOD_64 - room(itf.inRate), MOD_64 - room(itf.outRate));
  }

  close(): Promise<void> { return this.agent.close(); }
}
