/**
 * The page's one copy of the devices: the columns of /api/map/devices/columns kept as they came
 * (device i is ids[i], lon[i], lat[i], …), with the statuses in a byte array that live status
 * changes write. At 100 000 devices this is a handful of arrays instead of an object per device,
 * which is what made the page's parse and setup the larger part of its time. The devices layer,
 * the cluster index and the wifi discs all read this one table; DevicesLayer.setStatus writes it.
 */
import type { MapDeviceColumns, Status, Tech } from '../api.js';

export interface StatusCounts {
  total: number;
  up: number;
  down: number;
  unknown: number;
}

export class DeviceTable {
  readonly count: number;
  readonly ids: readonly string[];
  readonly lon: readonly number[];
  readonly lat: readonly number[];
  readonly householdsPassed: readonly (number | null)[];
  readonly radiusM: readonly (number | null)[];
  private readonly techCodes: readonly number[];
  private readonly techs: readonly Tech[];
  /** status codes (indexes into `statuses`), written by live changes */
  private readonly statusCodes: Uint8Array;
  private readonly statuses: Status[];
  /** id -> index, made on the first lookup (a live change, a search): not needed to draw */
  private byId: Map<string, number> | null = null;

  /** Takes the body's arrays as they are; throws naming the column whose length is not `count`. */
  constructor(body: MapDeviceColumns) {
    const n = body.count;
    for (const k of ['id', 'lon', 'lat', 'tech', 'householdsPassed', 'radiusM', 'status'] as const) {
      if (body[k].length !== n) throw new Error(`map device columns: ${k} has ${body[k].length} values for ${n} devices`);
    }
    this.count = n;
    this.ids = body.id;
    this.lon = body.lon;
    this.lat = body.lat;
    this.householdsPassed = body.householdsPassed;
    this.radiusM = body.radiusM;
    this.techCodes = body.tech;
    this.techs = body.techs;
    this.statuses = [...body.statuses];
    if (this.statuses.length > 256) throw new Error(`map device columns: ${this.statuses.length} status words, more than a byte holds`);
    this.statusCodes = Uint8Array.from(body.status);
  }

  indexOf(id: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.count; i++) this.byId.set(this.ids[i]!, i);
    }
    return this.byId.get(id);
  }

  status(i: number): Status {
    return this.statuses[this.statusCodes[i]!] ?? 'unknown';
  }

  tech(i: number): Tech {
    return this.techs[this.techCodes[i]!]!;
  }

  /** Sets device i's status; false when it already had it. */
  setStatus(i: number, status: Status): boolean {
    let code = this.statuses.indexOf(status);
    if (code < 0) code = this.statuses.push(status) - 1;
    if (this.statusCodes[i] === code) return false;
    this.statusCodes[i] = code;
    return true;
  }

  counts(): StatusCounts {
    const byCode = new Array<number>(this.statuses.length).fill(0);
    for (let i = 0; i < this.count; i++) byCode[this.statusCodes[i]!]!++;
    const c: StatusCounts = { total: this.count, up: 0, down: 0, unknown: 0 };
    this.statuses.forEach((s, code) => { c[s] += byCode[code]!; });
    return c;
  }
}
