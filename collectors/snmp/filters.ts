/**
 * Interface filters and per-device settings. Patterns are `/regex/` or globs; they are compiled
 * once per config, not per interface per poll.
 */
import picomatch from 'picomatch';
import type { Device } from '../../core/device.js';
import type { InterfaceFilter, SnmpConfig } from './config.js';

export type Matcher = (name: string) => boolean;

/**
 * Glob options for names that are not paths: `*` runs over `/` too (bash mode: ifNames are like
 * `ge-0/0/1`), a leading dot is an ordinary character, a leading `!` is literal (excludes have a
 * list of their own) and so are `+ @ !` before a parenthesis (no extglobs).
 */
const GLOB: picomatch.PicomatchOptions = { bash: true, dot: true, nonegate: true, noextglob: true };

/** `/re/` -> RegExp; otherwise a glob (picomatch): `*` any run, `?` one character but `/`, `[..]`, `{a,b}`. */
export function compilePattern(p: string): RegExp {
  if (p.length >= 2 && p.startsWith('/') && p.endsWith('/')) return new RegExp(p.slice(1, -1));
  return picomatch.makeRe(p, GLOB);
}

export function anyOf(patterns: readonly string[]): Matcher {
  const res = patterns.map(compilePattern);
  return (name) => res.some((re) => re.test(name));
}

export interface CompiledFilter {
  keep(ifName: string, adminStatus: number | undefined): boolean;
}

export function compileFilter(f: InterfaceFilter): CompiledFilter {
  const inc = f.include.length ? anyOf(f.include) : undefined;
  const exc = f.exclude.length ? anyOf(f.exclude) : undefined;
  return {
    keep(ifName, adminStatus) {
      if (f.skipAdminDown && adminStatus !== undefined && adminStatus !== 1) return false;
      if (inc && !inc(ifName)) return false;
      if (exc && exc(ifName)) return false;
      return true;
    },
  };
}

/** What one device is polled with, after its group's overrides. */
export interface DeviceSettings {
  group: string;
  /** the group's own intervalS, when it sets one (the inventory's per-device intervalS is not here) */
  groupIntervalS: number | undefined;
  timeoutMs: number;
  retries: number;
  filter: CompiledFilter;
  /** undefined: answering is enough to be up */
  statusInterfaces: Matcher | undefined;
}

/** Resolves each device's settings from the first group that matches it (or the defaults). */
export function settingsResolver(cfg: SnmpConfig): (d: Device) => DeviceSettings {
  const base: DeviceSettings = {
    group: 'default',
    groupIntervalS: undefined,
    timeoutMs: cfg.timeoutMs,
    retries: cfg.retries,
    filter: compileFilter(cfg.interfaces),
    statusInterfaces: cfg.statusInterfaces.length ? anyOf(cfg.statusInterfaces) : undefined,
  };
  const groups = cfg.groups.map((g) => {
    const site = g.match.site ? compilePattern(g.match.site) : undefined;
    const ids = g.match.ids ? anyOf(g.match.ids) : undefined;
    const status = g.statusInterfaces ?? cfg.statusInterfaces;
    const settings: DeviceSettings = {
      group: g.name,
      groupIntervalS: g.intervalS,
      timeoutMs: g.timeoutMs ?? cfg.timeoutMs,
      retries: g.retries ?? cfg.retries,
      filter: g.interfaces ? compileFilter(g.interfaces) : base.filter,
      statusInterfaces: status.length ? anyOf(status) : undefined,
    };
    const matches = (d: Device): boolean =>
      (g.match.tech === undefined || d.tech === g.match.tech)
      && (site === undefined || site.test(d.site))
      && (ids === undefined || ids(d.id));
    return { matches, settings };
  });
  return (d) => groups.find((g) => g.matches(d))?.settings ?? base;
}
