/**
 * README's "HTTP API" section and the code agree: the error catalogue (code and HTTP status) and
 * every route of the route table.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from '../../server/errors.js';
import { apiRoutes } from '../../server/api/index.js';
import type { ApiDeps } from '../../server/api/deps.js';

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## HTTP API'), readme.indexOf('\n## ', readme.indexOf('## HTTP API') + 1));

describe('README HTTP API section', () => {
  it('lists exactly the error codes of server/errors.ts, each with its HTTP status', () => {
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(Object.entries(API_ERRORS).map(([code, e]) => [code, e.status]));
  });

  it('documents every route of the route table with its method and path', () => {
    // the route table does not touch its deps while it is built
    const routes = apiRoutes({} as ApiDeps, 'test').filter((r) => r.path.startsWith('/api') || r.path === '/metrics');
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) expect(section, `${r.method} ${r.path}`).toContain(`\`${r.method.toUpperCase()} ${r.path}\``);
  });
});
