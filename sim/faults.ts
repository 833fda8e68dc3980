/**
 * The faults the simulated network plays, scripted and random, from a seed: an AP power cut, a
 * fibre node unreachable for minutes, a flapping uplink, a municipality-wide outage and a counter
 * wrap. The script starts within seconds of start-up so a newcomer sees incidents on the map in the
 * first minutes; random faults follow at a configurable rate. Every fault is logged and kept (the
 * last 200) so a test can check what the collectors should have seen.
 */
import { silentLogger, type Logger } from '../core/log.js';
import type { SimFibreNode } from './fibre-node.js';
import type { Rng } from './rng.js';
import type { SimAccessPoint } from './wifi-ap.js';

export type FaultKind = 'ap-power-cut' | 'node-unreachable' | 'link-flap' | 'area-outage' | 'counter-wrap';

export interface FaultRecord {
  kind: FaultKind;
  /** a device id, or an area id for `area-outage` */
  target: string;
  scripted: boolean;
  /** epoch ms */
  startedAt: number;
  /** epoch ms; equal to startedAt for instant faults (counter wrap) */
  endsAt: number;
  ended: boolean;
}

export interface ScriptStep {
  atS: number;
  kind: FaultKind;
  durationS: number;
}

/** The default script: offsets from start-up. */
export const DEFAULT_SCRIPT: readonly ScriptStep[] = [
  { atS: 15, kind: 'ap-power-cut', durationS: 60 },
  { atS: 25, kind: 'node-unreachable', durationS: 180 },
  { atS: 35, kind: 'link-flap', durationS: 180 },
  { atS: 45, kind: 'counter-wrap', durationS: 0 },
  { atS: 90, kind: 'area-outage', durationS: 120 },
];

export interface FaultPlayerOptions {
  aps: readonly SimAccessPoint[];
  nodes: readonly SimFibreNode[];
  rng: Rng;
  script?: readonly ScriptStep[];
  /** random faults per hour (0: none); they start after the script's first three minutes */
  randomPerHour: number;
  /** how often a flapping link changes state */
  flapEveryS?: number;
  log?: Logger;
}

const HISTORY = 200;

export class FaultPlayer {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly busy = new Set<string>();
  private readonly records: FaultRecord[] = [];
  private readonly log: Logger;
  private readonly reverts = new Set<() => Promise<void>>();
  private stopped = false;

  constructor(private readonly o: FaultPlayerOptions) {
    this.log = (o.log ?? silentLogger).child({ component: 'sim-faults' });
  }

  /** Every fault so far, oldest first (bounded). */
  history(): readonly FaultRecord[] { return this.records; }
  active(): readonly FaultRecord[] { return this.records.filter((r) => !r.ended); }

  start(): void {
    for (const step of this.o.script ?? DEFAULT_SCRIPT) this.later(step.atS * 1000, () => this.play(step.kind, step.durationS, true));
    if (this.o.randomPerHour > 0) this.later(180_000, () => this.randomTick());
  }

  /** Cancels what is pending and undoes what is active (the network is then back to normal). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const revert of [...this.reverts]) await revert().catch(() => {});
    this.reverts.clear();
  }

  /** Starts one fault now; returns its record, or undefined when no target is free. */
  async play(kind: FaultKind, durationS: number, scripted: boolean): Promise<FaultRecord | undefined> {
    if (this.stopped) return undefined;
    const rng = this.o.rng;
    const freeAps = this.o.aps.filter((a) => !this.busy.has(a.device.id) && a.isPowered);
    const freeNodes = this.o.nodes.filter((n) => !this.busy.has(n.device.id) && n.reachable);
    let target: string;
    let apply: () => Promise<void>;
    let revert: () => Promise<void>;
    let ids: string[];
    switch (kind) {
      case 'ap-power-cut': {
        if (freeAps.length === 0) return undefined;
        const ap = rng.pick(freeAps);
        target = ap.device.id; ids = [target];
        apply = async () => ap.powerCut();
        revert = () => ap.powerOn();
        break;
      }
      case 'node-unreachable': {
        if (freeNodes.length === 0) return undefined;
        const node = rng.pick(freeNodes);
        target = node.device.id; ids = [target];
        apply = () => node.setUnreachable(true);
        revert = () => node.setUnreachable(false);
        break;
      }
      case 'link-flap': {
        if (freeNodes.length === 0) return undefined;
        const node = rng.pick(freeNodes);
        target = node.device.id; ids = [target];
        let flapper: NodeJS.Timeout | undefined;
        apply = async () => {
          node.setUplink(false);
          flapper = setInterval(() => node.setUplink(!node.uplinkUp), (this.o.flapEveryS ?? 20) * 1000);
          flapper.unref();
        };
        revert = async () => { clearInterval(flapper); node.setUplink(true); };
        break;
      }
      case 'counter-wrap': {
        if (freeNodes.length === 0) return undefined;
        const node = rng.pick(freeNodes);
        target = node.device.id; ids = [];
        apply = async () => node.wrapCountersSoon(20);
        revert = async () => {};
        break;
      }
      case 'area-outage': {
        const areas = [...new Set([...freeAps, ...freeNodes].map((x) => x.device.area).filter((a) => a !== ''))].sort();
        if (areas.length === 0) return undefined;
        const area = rng.pick(areas);
        const aps = freeAps.filter((a) => a.device.area === area);
        const nodes = freeNodes.filter((n) => n.device.area === area);
        target = area; ids = [...aps, ...nodes].map((x) => x.device.id);
        apply = async () => {
          for (const ap of aps) ap.powerCut();
          await Promise.all(nodes.map((n) => n.setUnreachable(true)));
        };
        revert = async () => {
          await Promise.all([...aps.map((a) => a.powerOn()), ...nodes.map((n) => n.setUnreachable(false))]);
        };
        break;
      }
    }
    const now = Date.now();
    const record: FaultRecord = { kind, target, scripted, startedAt: now, endsAt: now + durationS * 1000, ended: durationS === 0 };
    this.records.push(record);
    if (this.records.length > HISTORY) this.records.splice(0, this.records.length - HISTORY);
    for (const id of ids) this.busy.add(id);
    this.log.info({ fault: kind, target, durationS, scripted, devices: ids.length }, `simulated fault: ${kind} on ${target}${durationS > 0 ? ` for ${durationS} s` : ''}`);
    await apply();
    if (durationS > 0) {
      const end = async (): Promise<void> => {
        this.reverts.delete(end);
        await revert();
        for (const id of ids) this.busy.delete(id);
        record.ended = true;
        this.log.info({ fault: kind, target }, `simulated fault over: ${kind} on ${target}`);
      };
      this.reverts.add(end);
      this.later(durationS * 1000, end);
    }
    return record;
  }

  private randomTick(): void {
    const rng = this.o.rng;
    // Checked once a minute: the chance per minute gives the configured rate per hour.
    if (rng.chance(Math.min(1, this.o.randomPerHour / 60))) {
      const kind = rng.pick<FaultKind>(['ap-power-cut', 'ap-power-cut', 'node-unreachable', 'link-flap', 'counter-wrap']);
      void this.play(kind, kind === 'counter-wrap' ? 0 : rng.int(60, 300), false);
    }
    this.later(60_000, () => this.randomTick());
  }

  private later(ms: number, fn: () => unknown): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void Promise.resolve(fn()).catch((err: Error) => this.log.error({ err }, 'simulated fault failed'));
    }, ms);
    t.unref();
    this.timers.add(t);
  }
}
