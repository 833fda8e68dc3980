/** Text for numbers and times, so colour is never the only carrier of meaning. */
import type { Status } from './api.js';

export function pct(ratio: number | null | undefined, digits = 1): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? 'no data' : `${(ratio * 100).toFixed(digits)} %`;
}

export function when(isoTime: string | null | undefined): string {
  if (!isoTime) return 'never';
  const d = new Date(isoTime);
  return Number.isNaN(d.getTime()) ? isoTime : d.toLocaleString();
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export const STATUS_WORDS: Readonly<Record<Status, string>> = { up: 'up', down: 'down', unknown: 'unknown' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
