/**
 * GET /api/alerts (open and recent alerts) and GET /api/alerts/deliveries (the delivery log,
 * admin: it names receivers). Data from the alert history and the delivery queue.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AlertHistory } from '../alerts/history.js';
import type { Alert } from '../alerts/types.js';
import type { DeliveryQueue } from '../notifiers/delivery-queue.js';
import { intParam, iso, parseQuery } from './params.js';
import { COMMON_ERRORS, type RouteSpec } from './route-table.js';
import { ALERTS, type AlertJson, type AlertsJson } from './body-schemas.js';

export interface AlertsApiDeps {
  history: AlertHistory;
  queue?: DeliveryQueue | undefined;
}

const alertsQuery = { limit: intParam(0, 1000).default(100) };
const deliveriesQuery = { limit: intParam(1, 1000).default(200), event: z.string().max(500).optional() };

function alertJson(a: Alert): AlertJson {
  const { endedAt, ...rest } = a;
  return {
    ...rest, startedAt: iso(a.startedAt), firedAt: iso(a.firedAt), resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
    ...(endedAt !== undefined ? { endedAt: iso(endedAt) } : {}),
  };
}

export function alertRoutes(deps: AlertsApiDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/api/alerts', group: 'read', tag: 'alerts',
      summary: 'Open alerts (newest first) and the most recently resolved ones',
      query: alertsQuery,
      paramDocs: { limit: 'resolved alerts to list, 0..1000, default 100' },
      responses: { '200': { description: '{open: Alert[], recent: Alert[], deliveries: {pending, delivered, failed}}', body: ALERTS }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => {
        const q = parseQuery(alertsQuery, req.query);
        const body: AlertsJson = {
          open: deps.history.open().map(alertJson),
          recent: deps.history.recent(q.limit).map(alertJson),
          deliveries: deps.queue?.counts() ?? { pending: 0, delivered: 0, failed: 0 },
        };
        res.json(body);
      },
    },
    {
      method: 'get', path: '/api/alerts/deliveries', group: 'admin', tag: 'alerts',
      summary: 'The notification delivery log: every attempt, its outcome and error, newest first',
      query: deliveriesQuery,
      paramDocs: { limit: '1..1000, default 200', event: 'only the attempts for this event id' },
      responses: { '200': { description: 'array of {eventId, notifier, attempt, at, ok, status, error, durationMs}' }, ...COMMON_ERRORS },
      handler: (req: Request, res: Response) => {
        const q = parseQuery(deliveriesQuery, req.query);
        res.json((deps.queue?.log(q.limit, q.event) ?? []).map((e) => ({ ...e, at: iso(e.at) })));
      },
    },
  ];
}
