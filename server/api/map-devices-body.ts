/**
 * The bodies of GET /api/map/devices and /api/map/devices/columns, built for national scale (#18
 * item 4: 100 000 devices, 29 MB of GeoJSON). Three savings, each keeping the answer true:
 * - each device's inventory part (geometry, id, tech, site, area, radius, households) is
 *   serialized once per inventory snapshot (by the body's writer); a request joins it with the
 *   status part it reads;
 * - the whole body (and its gzip) is kept while nothing it says can have changed: same inventory
 *   snapshot, the same count of the live state's `changes` (points applied, samples read again,
 *   the hour rolled), before the live state's `nextChange()` (a status that changes with time
 *   alone, e.g. up turning stale), and, when it carries the 24 h uptimes, at most UPTIME_MAX_AGE_MS
 *   old (the uptime slides with the clock; the columns carry none, so nothing else ages them).
 *   Only when the live state answers: the store path is read afresh every time;
 * - one build is shared by the requests that arrive while it runs, and a kept body with uptimes
 *   past half its age is replaced once an answer went out (refreshAhead), so a quiet map never
 *   waits for the minute.
 * The GeoJSON bytes are those of JSON.stringify of the FeatureCollection, key for key
 * (tests/integration/api-map-devices-cache.test.ts); the columns' writer is map-device-columns.ts.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Device } from '../../core/device.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DeviceState } from '../status/index.js';
import type { DeviceStateJson } from './body-schemas.js';
import type { ApiDeps } from './deps.js';
import { statesOf, uptimesOf } from './live-reads.js';
import { DAY_MS } from './params.js';

/** how old a kept body's 24 h uptimes may be: a minute moves a day's uptime by at most 60/86 400 */
export const UPTIME_MAX_AGE_MS = 60_000;

const gzip = promisify(zlib.gzip);

export interface MapBody {
  json: string;
  /** one per body built: hashing 29 MB for express's default ETag costs a tenth of a second */
  etag: string;
  /** gzip of json, made on the first request that accepts it */
  gzipped?: Promise<Buffer>;
}

interface Kept { body: MapBody; inventory: Inventory; liveChanges: number; at: number; until: number }

/** the 24 h uptime of each device, as the GeoJSON body carries it */
export type MapUptimes = ReadonlyMap<string, { uptime: number | null }>;

/** How one body's text is made from the devices and what was read of them. */
export interface MapBodyWriter {
  /** names the body in its ETag */
  readonly name: string;
  /** the body carries the 24 h uptimes (read at most once a minute) */
  readonly withUptimes: boolean;
  write(inventory: Inventory, devices: readonly Device[], states: ReadonlyMap<string, DeviceState>, uptimes: MapUptimes | undefined): string;
}

export class MapDevicesBodies {
  private kept: Kept | undefined;
  private building: Promise<MapBody> | undefined;
  private built = 0;
  private keptUptimes: { inventory: Inventory; at: number; byDevice: MapUptimes } | undefined;

  constructor(private readonly deps: ApiDeps, private readonly writer: MapBodyWriter) {}

  /** The body as of now: the kept one when still true, else one built (shared with concurrent callers). */
  async body(): Promise<MapBody> {
    const now = this.deps.now(), inventory = this.deps.inventory();
    const k = this.kept;
    if (k && k.inventory === inventory && k.liveChanges === this.deps.live?.changes && now >= k.at && now < k.until) return k.body;
    this.building ??= this.build(inventory).finally(() => { this.building = undefined; });
    return this.building;
  }

  /**
   * Past half its age, build the kept body's successor now, while the one served is still within
   * its minute, so that no reader waits for the minute to run out. Call it once an answer went out:
   * the build holds the event loop for as long as the states and uptimes take (seconds at 100 000).
   */
  refreshAhead(): void {
    const k = this.kept;
    // without uptimes a kept body does not age: a rebuild would only block the event loop (for the
    // map page's own script, which it asks for right after its preloaded columns)
    if (!k || !this.writer.withUptimes || this.building || this.deps.now() - k.at <= UPTIME_MAX_AGE_MS / 2) return;
    const next = this.build(this.deps.inventory(), true).finally(() => { this.building = undefined; });
    // a failure reaches the readers that wait for this build, if any; the kept body stays
    next.catch(() => undefined);
    this.building = next;
  }

  /**
   * The 24 h uptimes, from the live state at most once a minute per inventory snapshot: a live
   * state that takes points all the time changes its count every few seconds, and then each body
   * is rebuilt, but only its states need to be read again (the same minute bound as a kept body).
   */
  private async uptimes(inventory: Inventory, devices: readonly Device[], now: number, reuse: boolean): Promise<MapUptimes | undefined> {
    if (!this.writer.withUptimes) return undefined;
    const u = this.keptUptimes;
    if (reuse && u && u.inventory === inventory && now >= u.at && now - u.at < UPTIME_MAX_AGE_MS) return u.byDevice;
    const byDevice = (await uptimesOf(this.deps, devices, now - DAY_MS, now, now)).byDevice;
    this.keptUptimes = this.deps.live?.covers(devices, now - DAY_MS) ? { inventory, at: now, byDevice } : undefined;
    return byDevice;
  }

  private async build(inventory: Inventory, freshUptimes = false): Promise<MapBody> {
    const now = this.deps.now(), version = this.deps.live?.changes ?? 0;
    const devices = inventory.all();
    const fromLive = this.deps.live?.covers(devices, now - DAY_MS) ?? false;
    const [states, uptimes] = await Promise.all([statesOf(this.deps, devices, now), this.uptimes(inventory, devices, now, fromLive && !freshUptimes)]);
    const body: MapBody = { json: this.writer.write(inventory, devices, states, uptimes), etag: `W/"map-${this.writer.name}-${process.pid}-${now}-${++this.built}"` };
    // a body read from the store is not kept: nothing tells when the store changes
    if (fromLive && this.deps.live) {
      // its age is that of its uptimes
      const at = this.keptUptimes?.at ?? now;
      const next = this.deps.live.nextChange();
      this.kept = { body, inventory, liveChanges: version, at, until: this.writer.withUptimes ? Math.min(next, at + UPTIME_MAX_AGE_MS) : next };
    } else this.kept = undefined;
    return body;
  }

  /** The gzip of a body, made once per body. */
  gzipOf(body: MapBody): Promise<Buffer> {
    // level 4: about half the time of the default level for a few percent more bytes on this text
    body.gzipped ??= gzip(body.json, { level: 4 });
    return body.gzipped;
  }
}

/** The GeoJSON FeatureCollection of /api/map/devices, as JSON.stringify would write it. */
export function geoJsonWriter(stateJson: (s: DeviceState | undefined) => DeviceStateJson): MapBodyWriter {
  let parts = new WeakMap<Inventory, { before: string[]; after: string[] }>();
  return {
    name: 'geojson',
    withUptimes: true,
    write(inventory, devices, states, uptimes) {
      let p = parts.get(inventory);
      if (!p) { p = staticParts(devices); parts = new WeakMap([[inventory, p]]); }
      const chunks: string[] = new Array<string>(devices.length);
      for (let i = 0; i < devices.length; i++) {
        const d = devices[i]!;
        const s = stateJson(states.get(d.id));
        const u = uptimes?.get(d.id)?.uptime ?? null;
        chunks[i] = `${p.before[i]!}"status":${JSON.stringify(s.status)},"statusReason":${JSON.stringify(s.statusReason)},"lastSeen":${JSON.stringify(s.lastSeen)},"rtt_ms":${JSON.stringify(s.rtt_ms)},"uptime_24h":${JSON.stringify(u)}${p.after[i]!}`;
      }
      return `{"type":"FeatureCollection","features":[${chunks.join(',')}]}`;
    },
  };
}

/** The inventory part of each device: the text before and after its status part. */
function staticParts(devices: readonly Device[]): { before: string[]; after: string[] } {
  const before: string[] = new Array<string>(devices.length), after: string[] = new Array<string>(devices.length);
  devices.forEach((d, i) => {
    before[i] = `{"type":"Feature","geometry":{"type":"Point","coordinates":[${JSON.stringify(d.location.lon)},${JSON.stringify(d.location.lat)}]},"properties":{"id":${JSON.stringify(d.id)},"tech":${JSON.stringify(d.tech)},"site":${JSON.stringify(d.site)},"area":${JSON.stringify(d.area)},`;
    after[i] = `${d.radiusM !== undefined ? `,"radiusM":${JSON.stringify(d.radiusM)}` : ''}${d.householdsPassed !== undefined ? `,"householdsPassed":${JSON.stringify(d.householdsPassed)}` : ''}}}`;
  });
  return { before, after };
}

