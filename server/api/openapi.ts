/**
 * The OpenAPI 3.1 document, generated from the route table (route-table.ts): paths in OpenAPI
 * syntax, parameters with JSON Schemas derived from the same zod shapes the handlers validate
 * with, the auth group as a security requirement, and the error body.
 */
import { z } from 'zod';
import { API_ERRORS } from '../errors.js';
import type { RouteSpec } from './route-table.js';
import { UP_HOLD_FACTOR } from '../status/index.js';

export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function paramSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    // `input`: what a client sends (a string), not what the handler gets after transforms
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  } catch {
    return { type: 'string' };
  }
}

/**
 * A device's current state as /api/devices, /api/devices/:id and /api/map/devices give it
 * (server/status currentStates): the properties every device object and map feature carries.
 */
export const DEVICE_STATE_SCHEMA = {
  type: 'object',
  required: ['status', 'statusReason', 'lastSeen', 'rtt_ms'],
  properties: {
    status: { type: 'string', enum: ['up', 'down', 'unknown'], description: `down holds until the device says otherwise; up holds ${UP_HOLD_FACTOR} effective intervals after the last evidence; unknown otherwise` },
    statusReason: {
      type: ['string', 'null'],
      description: `why the status is unknown: no-evidence (never seen), stale (up evidence older than ${UP_HOLD_FACTOR} intervals, or a down no longer restated), collector-down (the collector watching the device is not alive), unreadable: <reason> (the device answers but we cannot read it, e.g. a wrong SNMPv3 key); null when up or down`,
      examples: ['no-evidence', 'stale', 'collector-down', 'unreadable: auth: Wrong Digest'],
    },
    lastSeen: { type: ['string', 'null'], format: 'date-time', description: 'time of the latest sample; null when never seen' },
    rtt_ms: { type: ['number', 'null'], description: 'round-trip time of the latest sample (SNMP), ms' },
  },
} as const;

/** a response body's JSON Schema: what the server sends (`output`) */
function bodySchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return rest;
}

export function buildOpenApi(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [name, description] of Object.entries(r.pathParams ?? {})) parameters.push({ name, in: 'path', required: true, description, schema: { type: 'string' } });
    for (const [name, schema] of Object.entries(r.query ?? {})) {
      const s = schema as z.ZodType;
      parameters.push({ name, in: 'query', required: !s.safeParse(undefined).success, description: r.paramDocs?.[name] ?? '', schema: paramSchema(s) });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const ok = status.startsWith('2');
      const type = spec.contentType ?? 'application/json';
      const schema = spec.body ? bodySchema(spec.body) : spec.schema;
      const body = ok ? (schema ? { schema } : {}) : { schema: { $ref: '#/components/schemas/Error' } };
      responses[status] = { description: spec.description, content: { [type]: body } };
    }
    const op: Record<string, unknown> = {
      operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [r.tag], summary: r.summary, parameters, responses,
      'x-auth-group': r.group,
      security: r.group === 'public' ? [] : r.group === 'admin' ? [{ adminToken: [] }] : [{}, { readToken: [] }],
    };
    if (r.description) op['description'] = r.description;
    (paths[openApiPath(r.path)] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'netatlas API', version,
      description: 'Fibre and public wifi monitoring: devices, uptime, incidents, coverage, gaps, DESI report. Times are ISO 8601 (epoch ms also accepted in parameters); from/to default to the last 24 h; ranges are half-open [from, to).',
    },
    paths,
    components: {
      securitySchemes: {
        readToken: { type: 'http', scheme: 'bearer', description: 'http.auth.readToken: required by read routes when configured' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'http.auth.adminToken: always required by admin routes' },
      },
      schemas: {
        DeviceState: DEVICE_STATE_SCHEMA,
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: Object.keys(API_ERRORS) }, message: { type: 'string' }, parameter: { type: 'string' } } } },
        },
      },
    },
  };
}
