/**
 * Environment overrides: `NETATLAS_<SECTION>_<KEY>` for any key of the config schema.
 *
 * Names are resolved by walking the schema's own keys, so `NETATLAS_PIPELINE_BATCH_SIZE` finds
 * `pipeline.batchSize` and `NETATLAS_STORE_INFLUX_URL` finds `store.influx.url` without a
 * hand-written table that would drift from the schema. A NETATLAS_ variable that matches no key is
 * an error naming it, so a typo is never silently ignored.
 */
import type { z } from 'zod';
import { formatPath } from './config-errors.js';

/** Variables with a meaning of their own, or used by the tests: never reported as unknown. */
export const RESERVED_ENV = new Set(['NETATLAS_CONFIG', 'NETATLAS_PORT']);
const IGNORED_PREFIXES = ['NETATLAS_TEST_'];
const PREFIX = 'NETATLAS_';

export interface EnvOverride {
  variable: string;
  path: readonly string[];
  value: unknown;
}

export interface EnvResult {
  overrides: EnvOverride[];
  /** `<VARIABLE>: <problem>` lines */
  errors: string[];
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Strip optional/default/pipe wrappers down to the schema that says what the value is. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

/** `batchSize` → `BATCH_SIZE`, `timeoutMs` → `TIMEOUT_MS` */
export function keyToEnvWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

interface Match {
  path: string[];
  schema: z.ZodType;
}

function resolve(schema: z.ZodType, words: readonly string[], path: string[]): Match[] {
  const def = defOf(unwrap(schema));
  if (def.type !== 'object' || !def.shape) return [];
  const matches: Match[] = [];
  for (const [key, child] of Object.entries(def.shape)) {
    const keyWords = keyToEnvWords(key);
    if (keyWords.length > words.length || keyWords.some((w, i) => w !== words[i])) continue;
    const rest = words.slice(keyWords.length);
    if (rest.length === 0) matches.push({ path: [...path, key], schema: child });
    else matches.push(...resolve(child, rest, [...path, key]));
  }
  return matches;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Coerce the text of a variable to the type the schema expects. A value that cannot be coerced is
 * passed through unchanged, so the schema reports it at its path (annotated with the variable).
 */
function coerce(raw: string, schema: z.ZodType): { value: unknown } | { error: string } {
  const type = defOf(unwrap(schema)).type;
  const text = raw.trim();
  switch (type) {
    case 'number':
    case 'int':
      return { value: text !== '' && Number.isFinite(Number(text)) ? Number(text) : raw };
    case 'boolean': {
      const lower = text.toLowerCase();
      return { value: TRUE.has(lower) ? true : FALSE.has(lower) ? false : raw };
    }
    case 'array':
      // JSON for lists; a plain comma-separated list is accepted too for lists of strings.
      if (text.startsWith('[')) return parseJson(text);
      return { value: text.split(',').map((s) => s.trim()).filter((s) => s !== '') };
    case 'object':
    case 'record':
    case 'tuple':
      return parseJson(text);
    case 'union':
      if (/^[[{]/.test(text)) return parseJson(text);
      return { value: raw };
    default:
      return { value: raw };
  }
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
}

/**
 * Read the NETATLAS_ variables of `env` against `schema`. Pure: returns the overrides to apply and
 * the errors to report; the caller decides what to do with them.
 */
export function readEnvOverrides(schema: z.ZodType, env: Readonly<Record<string, string | undefined>>): EnvResult {
  const overrides: EnvOverride[] = [];
  const errors: string[] = [];
  // Sorted so that errors and precedence do not depend on the order of the environment.
  const names = Object.keys(env).filter((n) => n.startsWith(PREFIX)).sort();
  const port = env['NETATLAS_PORT'];
  if (port !== undefined && port.trim() !== '') {
    const match = resolve(schema, ['HTTP', 'PORT'], [])[0];
    if (match) {
      const coerced = coerce(port, match.schema);
      if ('error' in coerced) errors.push(`NETATLAS_PORT: ${coerced.error}`);
      else overrides.push({ variable: 'NETATLAS_PORT', path: match.path, value: coerced.value });
    }
  }
  for (const name of names) {
    if (RESERVED_ENV.has(name) || IGNORED_PREFIXES.some((p) => name.startsWith(p))) continue;
    const raw = env[name];
    const words = name.slice(PREFIX.length).split('_').filter((w) => w !== '');
    const matches = resolve(schema, words, []);
    if (matches.length === 0) {
      errors.push(`${name}: matches no configuration key (NETATLAS_<SECTION>_<KEY>, e.g. NETATLAS_PIPELINE_BATCH_SIZE)`);
      continue;
    }
    if (matches.length > 1) {
      errors.push(`${name}: ambiguous, matches ${matches.map((m) => formatPath(m.path)).join(' and ')}`);
      continue;
    }
    // An empty variable counts as unset (as docker compose and systemd often leave them).
    if (raw === undefined || raw.trim() === '') continue;
    const match = matches[0]!;
    const coerced = coerce(raw, match.schema);
    if ('error' in coerced) errors.push(`${name}: ${coerced.error}`);
    // NETATLAS_HTTP_PORT sorts after NETATLAS_PORT handling above, so the specific name wins.
    else overrides.push({ variable: name, path: match.path, value: coerced.value });
  }
  return { overrides, errors };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Apply overrides to a copy of `raw` (the parsed file), creating sections as needed. */
export function applyOverrides(raw: Record<string, unknown>, overrides: readonly EnvOverride[]): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const { path, value } of overrides) {
    let node: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (!isPlainObject(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return out;
}
