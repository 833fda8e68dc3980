/** GET /api/reports (the generated scheduled reports) and their files for download. */
import path from 'node:path';
import type { Request, Response } from 'express';
import { ApiError } from '../errors.js';
import { listReports, REPORT_FILE } from '../scheduled-reports/list.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';

export function reportListRoutes(dir: string): RouteSpec[] {
  return [
    {
      method: 'get', path: '/api/reports', group: 'read', tag: 'reports',
      summary: 'The scheduled reports written so far (weekly SLA, quarterly DESI), newest first, with download links',
      responses: { '200': { description: 'array of {name, type, period, generatedAt, files: [{format, url, bytes}]}' }, ...COMMON_ERRORS },
      handler: (_req: Request, res: Response) => {
        res.json(listReports(dir));
      },
    },
    {
      method: 'get', path: '/api/reports/files/:file', group: 'read', tag: 'reports',
      summary: 'Download one report file (CSV or JSON)',
      pathParams: { file: 'a file name from GET /api/reports' },
      responses: { '200': { description: 'the file', contentType: 'text/csv' }, '404': { description: 'not_found: no such report file' }, ...COMMON_ERRORS },
      handler: async (req: Request, res: Response) => {
        const file = String(req.params['file'] ?? '');
        // the name pattern has no slash and no leading dot, so it cannot leave the folder
        if (!REPORT_FILE.test(file)) throw new ApiError('not_found', 'No such report file.');
        await new Promise<void>((resolve, reject) => {
          res.type(file.endsWith('.csv') ? 'text/csv' : 'application/json');
          res.sendFile(path.resolve(dir, file), { dotfiles: 'deny', headers: { 'Content-Disposition': `attachment; filename="${file}"` } }, (err) => {
            if (!err) return resolve();
            reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new ApiError('not_found', 'No such report file.') : err);
          });
        });
      },
    },
  ];
}
