/**
 * A cluster's icon draws its members' shares: a ring split into up / down / unknown arcs
 * (a conic gradient, no canvas), its count in the middle, and on hover (title) the counts and the
 * households behind its down fibre nodes. The ring replaces "red when any member is down", which
 * made nearly every cluster red with 39 of 460 devices down: a thin red arc now says "a few".
 * The class still names the worst member, and the counts are also in words for screen readers.
 */
import L from 'leaflet';
import type { Status } from '../api.js';

/** a cluster's members by status, and the households behind its down fibre nodes (cluster-index.ts sums them) */
export interface ClusterSummary { n: number; up: number; down: number; unknown: number; downHouseholds: number }

/** conic-gradient stops for the shares, in the order up, down, unknown (percent of the turn) */
export function ringGradient(s: ClusterSummary): string {
  const total = Math.max(1, s.up + s.down + s.unknown);
  const a = (s.up / total) * 100, b = a + (s.down / total) * 100;
  const f = (x: number): string => `${Number(x.toFixed(3))}%`;
  return `conic-gradient(var(--up) 0 ${f(a)}, var(--down) ${f(a)} ${f(b)}, var(--unknown) ${f(b)} 100%)`;
}

export function clusterTitle(s: ClusterSummary): string {
  return `${s.n} devices: ${s.up} up, ${s.down} down, ${s.unknown} unknown; ${s.downHouseholds} households behind down fibre nodes`;
}

export function clusterIcon(s: ClusterSummary): L.DivIcon {
  const worst: Status = s.down > 0 ? 'down' : s.unknown > 0 ? 'unknown' : 'up';
  const size = s.n < 100 ? 38 : s.n < 1000 ? 46 : 54;
  const t = clusterTitle(s);
  return L.divIcon({
    className: `na-cluster na-cluster--${worst}`,
    iconSize: [size, size],
    html: `<span class="na-cluster__ring" style="background:${ringGradient(s)}" title="${t}" data-up="${s.up}" data-down="${s.down}" data-unknown="${s.unknown}" data-down-households="${s.downHouseholds}">` +
      `<span class="na-cluster__count" data-count="${s.n}">${s.n}</span></span>` +
      `<span class="na-visually-hidden"> ${t}</span>`,
  });
}
