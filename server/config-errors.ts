/**
 * Turning zod issues into one line each, `<full.dotted[3].path>: <message>`, so that a user sees
 * every mistake of a config file at once and knows exactly where each one is.
 */
import type { z } from 'zod';

/** A configuration that cannot be used. `issues` holds one `<path>: <message>` line per problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly string[];

  constructor(issues: readonly string[], source?: string) {
    const head = source ? `invalid configuration (${source})` : 'invalid configuration';
    super(`${head}:\n${issues.map((line) => `  ${line}`).join('\n')}`);
    this.issues = Object.freeze([...issues]);
  }
}

type PathKey = PropertyKey;

/** `['collectors', 'snmp', 'devices', 3, 'community']` → `collectors.snmp.devices[3].community` */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** zod's default messages, shortened where a plainer word exists. */
function message(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') {
    const received = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input;
    return `expected ${issue.expected}, received ${received}`;
  }
  return issue.message;
}

export interface IssueContext {
  /** env var names that set a given dotted path, so the message says where a bad value came from */
  envSources?: ReadonlyMap<string, string>;
}

/**
 * One line per problem. An unrecognised-keys issue becomes one line per key, each with the key's
 * own full path, so every unknown key is named where it is.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext = {}): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${formatPath([...issue.path, key])}: unknown key`);
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest instead of zod's generic "Invalid input".
      const best = [...issue.errors].sort((a, b) => b.length - a.length)[0] ?? [];
      const nested = best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
      if (nested.length > 0) {
        lines.push(...formatIssues(nested, ctx));
        continue;
      }
    }
    const path = formatPath(issue.path);
    const env = ctx.envSources?.get(path);
    lines.push(`${path}: ${message(issue)}${env ? ` (from ${env})` : ''}`);
  }
  return lines;
}
