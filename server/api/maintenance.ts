/**
 * GET/POST/DELETE /api/maintenance: the maintenance windows, admin only (never public). Windows
 * from the config file are listed but can only be removed from the file.
 *
 * After a window is added or removed, `onChange` (server/maintenance/rollup-refresh.ts) rolls up
 * again the past hours it overlaps, before the answer: a client that reads /api/uptime after the
 * 201/204 sees the change in rolled-up hours too. Header `X-Netatlas-Rollup-Hours-Recomputed`
 * says how many hours were; `failed` when the store refused (the window itself is kept).
 */
import type { Request, Response } from 'express';
import { ApiError, badParameter } from '../errors.js';
import { formatPath } from '../inventory/issues.js';
import { maintenanceWindowSchema } from '../maintenance/config.js';
import type { MaintenanceWindowInput } from '../maintenance/config.js';
import type { MaintenanceWindows } from '../maintenance/windows.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';

export interface MaintenanceRouteOptions {
  /** called after a window was added or removed; resolves to the number of rollup hours recomputed */
  onChange?: ((w: MaintenanceWindowInput) => Promise<{ hours: number }>) | undefined;
  log?: Logger | undefined;
}

const RECOMPUTED_HEADER = 'X-Netatlas-Rollup-Hours-Recomputed';

export function maintenanceRoutes(windows: MaintenanceWindows, opts: MaintenanceRouteOptions = {}): RouteSpec[] {
  const log = (opts.log ?? silentLogger).child({ component: 'api-maintenance' });
  const changed = async (res: Response, w: MaintenanceWindowInput): Promise<void> => {
    if (!opts.onChange) return;
    try {
      res.set(RECOMPUTED_HEADER, String((await opts.onChange(w)).hours));
    } catch (err) {
      // the window change stands (persisted); only the old hours' rollups lag until recomputed
      log.warn({ err: (err as Error).message, window: w }, 'rollups not recomputed after a maintenance change');
      res.set(RECOMPUTED_HEADER, 'failed');
    }
  };
  return [
    {
      method: 'get', path: '/api/maintenance', group: 'admin', tag: 'maintenance',
      summary: 'Maintenance windows (from the config file and added through the API)',
      responses: { '200': { description: 'array of windows: id, source, device|site|area, start/end or cron/durationMin, reason' }, ...COMMON_ERRORS },
      handler: (_req: Request, res: Response) => {
        res.json(windows.list());
      },
    },
    {
      method: 'post', path: '/api/maintenance', group: 'admin', tag: 'maintenance',
      summary: 'Add a maintenance window: alerts are silenced inside it and uptime excludes it',
      description: 'Body: {device|site|area, start, end} or {device|site|area, cron, durationMin}, optional id and reason. Persisted.',
      responses: { '201': { description: 'the window as stored, with its id' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const parsed = maintenanceWindowSchema.safeParse(req.body ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw badParameter(formatPath(issue.path, 'body'), issue.message);
        }
        if (parsed.data.id !== undefined && windows.get(parsed.data.id)) throw badParameter('body.id', `a maintenance window "${parsed.data.id}" already exists`);
        const added = windows.add(parsed.data);
        await changed(res, added);
        res.status(201).json(added);
      },
    },
    {
      method: 'delete', path: '/api/maintenance/:id', group: 'admin', tag: 'maintenance',
      summary: 'Remove a maintenance window added through the API',
      pathParams: { id: 'the window id' },
      responses: { '204': { description: 'removed' }, '404': { description: 'not_found: no such window' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const id = String(req.params['id'] ?? '');
        const removed = windows.get(id);
        const outcome = windows.remove(id);
        if (outcome === 'not_found') throw new ApiError('not_found', `No maintenance window with id ${JSON.stringify(id.slice(0, 200))}.`);
        if (outcome === 'config') throw badParameter('id', 'this window is defined in the config file; remove it there');
        if (removed) await changed(res, removed);
        res.status(204).end();
      },
    },
  ];
}
