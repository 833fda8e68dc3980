/**
 * The page's one copy of the devices: the columns of /api/map/devices/columns kept as they came
 * (device i is ids[i], lon[i], lat[i], …), with the statuses in a byte array that live status
 * changes write. At 100 000 devices this is a handful of arrays instead of an object per device,
 * which is what made the page's parse and setup the larger part of its time. The devices layer,
 * the cluster index and the wifi discs all read this one table; DevicesLayer.setStatus writes it.
 */
import type { Status, Tech } from '../api.js';

/** The columns a table is made of: the body of /api/map/devices/columns as parsed (arrays, null
 *  where absent), or as the cluster worker hands them to the page (typed arrays, NaN where absent). */
export interface TableColumns {
  count: number;
  statuses: readonly Status[];
  techs: readonly Tech[];
  id: readonly string[];
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  tech: ArrayLike<number>;
  householdsPassed: ArrayLike<number | null>;
  radiusM: ArrayLike<number | null>;
  status: ArrayLike<number>;
}

const given = (v: number | null | undefined): v is number => v !== null && v !== undefined && !Number.isNaN(v);

export interface StatusCounts {
  total: number;
  up: number;
  down: number;
  unknown: number;
}

export class DeviceTable {
  readonly count: number;
  readonly ids: readonly string[];
  readonly lon: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  private readonly householdsPassed: ArrayLike<number | null>;
  private readonly radiusM: ArrayLike<number | null>;
  private readonly techCodes: ArrayLike<number>;
  private readonly techs: readonly Tech[];
  /** status codes (indexes into `statuses`), written by live changes */
  private readonly statusCodes: Uint8Array;
  private readonly statuses: Status[];
  /** id -> index, made on the first lookup (a live change, a search): not needed to draw */
  private byId: Map<string, number> | null = null;

  /** Takes the body's arrays as they are; throws naming the column whose length is not `count`. */
  constructor(body: TableColumns) {
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

  /** households passed behind device i; 0 when the inventory gives none */
  households(i: number): number {
    const h = this.householdsPassed[i];
    return given(h) ? h : 0;
  }

  /** the coverage radius of device i; undefined when the inventory gives none */
  radius(i: number): number | undefined {
    const r = this.radiusM[i];
    return given(r) ? r : undefined;
  }

  /** The numeric columns as typed arrays (copies) and the ids, for postMessage with the buffers transferred. */
  transferable(): { columns: TableColumns; buffers: ArrayBuffer[] } {
    const f64 = (a: ArrayLike<number | null>): Float64Array => { const out = new Float64Array(this.count); for (let i = 0; i < this.count; i++) { const v = a[i]; out[i] = given(v) ? v : NaN; } return out; };
    const columns = {
      count: this.count, statuses: [...this.statuses], techs: [...this.techs], id: this.ids,
      lon: f64(this.lon), lat: f64(this.lat), tech: Uint8Array.from(this.techCodes), householdsPassed: f64(this.householdsPassed),
      radiusM: f64(this.radiusM), status: Uint8Array.from(this.statusCodes),
    };
    // new typed arrays: their buffers are plain ArrayBuffers, never shared ones
    const buffers = [columns.lon, columns.lat, columns.tech, columns.householdsPassed, columns.radiusM, columns.status].map((a) => a.buffer as ArrayBuffer);
    return { columns, buffers };
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
