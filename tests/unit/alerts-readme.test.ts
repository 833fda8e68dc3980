/**
 * README's "Alerts, maintenance and scheduled reports" section and the code agree: its sample
 * config passes the config schema and sets every rule section, its table documents every rule
 * type, and every alerts/maintenance/reports route is in the HTTP API table.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRoutes } from '../../server/api/alerts.js';
import { maintenanceRoutes } from '../../server/api/maintenance.js';
import { reportListRoutes } from '../../server/api/reports-list.js';
import { buildConfigSchema } from '../../server/config.js';
import type { AlertHistory } from '../../server/alerts/history.js';
import type { MaintenanceWindows } from '../../server/maintenance/windows.js';
import { ALERT_RULES } from '../../server/alerts/types.js';

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## Alerts, maintenance and scheduled reports');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const api = readme.slice(readme.indexOf('## HTTP API'), readme.indexOf('\n## ', readme.indexOf('## HTTP API') + 1));

describe('README alerts section', () => {
  it('has a sample config that passes the config schema', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const parsed = buildConfigSchema().safeParse(parse(yaml!));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data!.notifiers.map((n) => n.name)).toEqual(['noc', 'pager']);
    // every rule section of the alerts schema appears in the sample, with its keys
    const alerts = (parse(yaml!) as { alerts: Record<string, unknown> }).alerts;
    for (const key of ['deviceDown', 'grouping', 'collectorDown', 'deviceUnreadable', 'areaUptime', 'thresholds', 'health']) expect(alerts, key).toHaveProperty(key);
  });

  it('documents every alert rule type in its table, once', () => {
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual([...ALERT_RULES].sort());
  });

  it('documents every alerts, maintenance and reports route in the HTTP API table', () => {
    // the route builders do not touch their dependencies until a request comes
    const routes = [...alertRoutes({ history: {} as AlertHistory }), ...maintenanceRoutes({} as MaintenanceWindows), ...reportListRoutes('/nowhere')];
    expect(routes.length).toBe(7);
    for (const r of routes) expect(api, `${r.method} ${r.path}`).toContain(`| \`${r.method.toUpperCase()} ${r.path}\` | ${r.group} |`);
  });
});
