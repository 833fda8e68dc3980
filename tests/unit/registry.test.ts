/**
 * DESIGN.md conventions 1 and 2: every collector folder is in collectors/registry.ts under its
 * folder name, has a README and a sample.yaml, and its sample.yaml passes its config schema.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registry } from '../../collectors/registry.js';

const collectorsDir = fileURLToPath(new URL('../../collectors/', import.meta.url));
/** Folders under collectors/ that are shared machinery, not collectors. */
const NOT_COLLECTORS = new Set(['pipeline', 'cluster']);

const folders = readdirSync(collectorsDir)
  .filter((name) => statSync(path.join(collectorsDir, name)).isDirectory() && !NOT_COLLECTORS.has(name))
  .sort();

/** A sample is either the section itself or the section under its collector's key. */
function sampleSection(name: string): unknown {
  const doc = parse(readFileSync(path.join(collectorsDir, name, 'sample.yaml'), 'utf8')) as unknown;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const keys = Object.keys(doc);
    if (keys.length === 1 && keys[0] === name) return (doc as Record<string, unknown>)[name];
  }
  return doc ?? {};
}

describe('the collector registry', () => {
  it('finds the collector folders it is meant to check', () => {
    expect(folders).toEqual(expect.arrayContaining(['mqtt', 'snmp']));
  });

  it('has an entry for every collector folder, and a folder for every entry', () => {
    expect(Object.keys(registry).sort()).toEqual(folders);
  });

  it.each(folders)('finds a README.md and a sample.yaml in collectors/%s', (name) => {
    expect(existsSync(path.join(collectorsDir, name, 'README.md'))).toBe(true);
    expect(existsSync(path.join(collectorsDir, name, 'sample.yaml'))).toBe(true);
  });

  it.each(folders)('accepts the sample.yaml of collectors/%s with that collector\'s schema', (name) => {
    const definition = registry[name];
    expect(definition, `collectors/${name} is not in collectors/registry.ts`).toBeDefined();
    const result = definition!.configSchema.safeParse(sampleSection(name));
    const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems).toEqual([]);
  });
});
