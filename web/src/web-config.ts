/**
 * Page settings: the server's /web-config.json (tile URL from the deployment's configuration),
 * overridden by query parameters — `tiles=` (a URL template, or empty / `off` for no base map)
 * and `cluster=0` (draw every marker; used by the benchmark).
 */
import type { paths } from './api-types.js';

/** the server's settings (generated from its OpenAPI document), and the page's own `clustered` */
export type WebConfig = paths['/web-config.json']['get']['responses'][200]['content']['application/json'] & {
  /** draw markers clustered (cluster=0 turns it off) */
  clustered: boolean;
};

const DEFAULTS: WebConfig = {
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  center: { lat: 50.85, lon: 4.35 },
  zoom: 11,
  clustered: true,
  alerts: false,
};

export async function loadWebConfig(search: string): Promise<WebConfig> {
  let server: Partial<WebConfig> = {};
  try {
    const res = await fetch('/web-config.json');
    if (res.ok) server = (await res.json()) as Partial<WebConfig>;
  } catch {
    // no server config: the defaults above
  }
  const cfg: WebConfig = { ...DEFAULTS, ...server };
  const q = new URLSearchParams(search);
  const tiles = q.get('tiles');
  if (tiles !== null) cfg.tileUrl = tiles === 'off' ? '' : tiles;
  cfg.clustered = clusteredIn(search);
  return cfg;
}

/** whether the page clusters its markers: all but `cluster=0` (read before the config is loaded) */
export function clusteredIn(search: string): boolean {
  return new URLSearchParams(search).get('cluster') !== '0';
}
