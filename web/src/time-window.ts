/**
 * The time window every layer and panel reads: a preset (24 h, 7 d, 30 d) ending now, or a
 * custom range. Listeners are called with the new window whenever it changes.
 */
import type { Window } from './api.js';

export type Preset = '24h' | '7d' | '30d' | 'custom';

const HOUR_MS = 3_600_000;
export const PRESET_MS: Readonly<Record<Exclude<Preset, 'custom'>, number>> = {
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

export const PRESET_LABELS: Readonly<Record<Preset, string>> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  custom: 'Custom range',
};

export class TimeWindow {
  private preset: Preset = '24h';
  private custom: Window | null = null;
  private readonly listeners = new Set<(w: Window) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  get current(): Window {
    if (this.preset === 'custom' && this.custom) return this.custom;
    const to = this.now();
    return { from: to - PRESET_MS[this.preset === 'custom' ? '24h' : this.preset], to };
  }

  get currentPreset(): Preset {
    return this.preset;
  }

  setPreset(preset: Exclude<Preset, 'custom'>): void {
    this.preset = preset;
    this.emit();
  }

  setCustom(w: Window): void {
    if (!(w.from < w.to)) throw new Error('the start of the range must be before its end');
    this.preset = 'custom';
    this.custom = w;
    this.emit();
  }

  onChange(fn: (w: Window) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** a step for series queries that gives about 100 points over the window */
  stepFor(w: Window = this.current): string {
    const s = Math.max(60, Math.round((w.to - w.from) / 100 / 1000 / 60) * 60);
    return `${s}s`;
  }

  private emit(): void {
    const w = this.current;
    for (const fn of this.listeners) fn(w);
  }
}
