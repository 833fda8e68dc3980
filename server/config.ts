/**
 * Configuration: one YAML (or JSON) file plus NETATLAS_ environment overrides, validated once with
 * zod at start-up, before any network call. The result is deeply frozen: nothing changes it after
 * start-up, so every part sees the same values.
 *
 * Relative paths written in the file are relative to the file's folder (so a config file can sit
 * beside its inventory wherever the service is started from); relative paths from defaults and
 * environment variables are relative to the working directory. All are made absolute here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { CollectorDefinition } from '../collectors/registry.js';
import { registry as collectorRegistry } from '../collectors/registry.js';
import { ConfigError, formatIssues, formatPath } from './config-errors.js';
import { applyOverrides, readEnvOverrides } from './config-env.js';
import { buildConfigSchema, type Config } from './config-schema.js';

export { ConfigError } from './config-errors.js';
export type { Config, HttpConfig, InfluxConfig, MqttConfig, PipelineConfig } from './config-schema.js';
export { DEFAULT_AVERAGE_HOUSEHOLD_SIZE, LOG_LEVELS, buildConfigSchema } from './config-schema.js';

export interface LoadConfigOptions {
  /** config file (YAML or JSON); falls back to env NETATLAS_CONFIG; none = defaults (the demo) */
  file?: string;
  /** the environment to read NETATLAS_ overrides from (pass process.env from main) */
  env: Readonly<Record<string, string | undefined>>;
  /** base for relative paths not written in the file; default process.cwd() */
  cwd?: string;
  /** collector registry; default the project's own (tests may pass another) */
  collectors?: Readonly<Record<string, CollectorDefinition>>;
}

/** Keys holding file paths, resolved against the config file's folder when written in the file. */
const PATH_KEYS: readonly (readonly string[])[] = [
  ['dataDir'],
  ['inventory', 'devicesFile'],
  ['inventory', 'areasFile'],
  ['mqtt', 'ca'],
  ['mqtt', 'cert'],
  ['mqtt', 'key'],
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Read and parse the file; a missing file or bad YAML is a ConfigError naming the file. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError([`${file}: cannot read the file (${code})`], file);
  }
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message.split('\n')[0] : (err as Error).message;
    throw new ConfigError([`${file}: not valid YAML or JSON: ${detail}`], file);
  }
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) throw new ConfigError([`${file}: the top level must be a mapping of sections`], file);
  return data;
}

function mapPaths(raw: Record<string, unknown>, fn: (p: string) => string): void {
  for (const keys of PATH_KEYS) {
    let node: unknown = raw;
    for (const key of keys.slice(0, -1)) node = isPlainObject(node) ? node[key] : undefined;
    const last = keys[keys.length - 1]!;
    if (isPlainObject(node) && typeof node[last] === 'string' && node[last] !== '') node[last] = fn(node[last]);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validate an already parsed config object (file contents) with env overrides applied.
 * `fromFile` says whether a config file was given: without one the simulator defaults to on.
 */
export function parseConfig(
  raw: Record<string, unknown>,
  options: LoadConfigOptions & { fromFile: boolean; source?: string },
): Config {
  const schema = buildConfigSchema(options.collectors ?? collectorRegistry);
  const cwd = options.cwd ?? process.cwd();
  const env = readEnvOverrides(schema, options.env);
  const merged = applyOverrides(raw, env.overrides);
  if (!options.fromFile) {
    const sim = isPlainObject(merged['simulator']) ? merged['simulator'] : {};
    if (sim['enabled'] === undefined) merged['simulator'] = { ...sim, enabled: true };
  }
  const result = schema.safeParse(merged, { reportInput: true });
  const envSources = new Map(env.overrides.map((o) => [formatPath(o.path), o.variable]));
  const problems = [
    ...env.errors,
    ...(result.success ? [] : formatIssues(result.error.issues, { envSources })),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems, options.source);
  const config = result.data as Record<string, unknown>;
  mapPaths(config, (p) => path.resolve(cwd, p));
  return deepFreeze(config) as unknown as Config;
}

/**
 * Load the configuration: the file (if any), then NETATLAS_ environment overrides, validated.
 * Throws a ConfigError listing every problem at once; never exits the process.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const file = options.file ?? options.env['NETATLAS_CONFIG'];
  if (file === undefined || file === '') return parseConfig({}, { ...options, fromFile: false, source: 'defaults and environment' });
  const raw = readConfigFile(file);
  const dir = path.dirname(path.resolve(options.cwd ?? process.cwd(), file));
  mapPaths(raw, (p) => path.resolve(dir, p));
  return parseConfig(raw, { ...options, file, fromFile: true, source: file });
}
