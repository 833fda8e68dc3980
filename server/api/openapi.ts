/**
 * The OpenAPI 3.1 document, generated from the route table (route-table.ts): paths in OpenAPI
 * syntax, parameters with JSON Schemas derived from the same zod shapes the handlers validate
 * with, the auth group as a security requirement, and the error body.
 */
import { z } from 'zod';
import { API_ERRORS } from '../errors.js';
import type { RouteSpec } from './route-table.js';
import { DEVICE_STATE } from './body-schemas.js';

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
 * A response body's JSON Schema: what a client may receive. `input`, not `output`: the body
 * schemas have no transforms, and `output` would close every object (additionalProperties: false),
 * which forbids the other members of an allOf and would make adding a field break strict clients.
 * A sub-schema with an id (.meta({ id })) becomes a named component, referred to by $ref.
 */
function bodySchema(schema: z.ZodType, components: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  Object.assign(components, $defs ?? {});
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
}

export function buildOpenApi(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const named: Record<string, unknown> = {};
  // DeviceState is referred to by hand-written schemas too (routes-devices.ts): always named
  bodySchema(DEVICE_STATE, named);
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
      const schema = spec.body ? bodySchema(spec.body, named) : spec.schema;
      // an error status has the catalogue's error body unless its spec says otherwise (/api/health's 503)
      const body = schema ? { schema } : ok ? {} : { schema: { $ref: '#/components/schemas/Error' } };
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
        ...named,
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: Object.keys(API_ERRORS) }, message: { type: 'string' }, parameter: { type: 'string' } } } },
        },
      },
    },
  };
}
