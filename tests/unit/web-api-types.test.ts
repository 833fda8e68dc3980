/**
 * web/src/api-types.ts is generated from the server's OpenAPI document (npm run gen:web-types):
 * this fails when a route's parameters or schemas changed and the file was not regenerated.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEB_TYPES_FILE, webApiTypes } from '../../scripts/gen-web-types.js';

describe('generated web API types', () => {
  it('equal a fresh generation from the OpenAPI document (run npm run gen:web-types if not)', async () => {
    const fresh = await webApiTypes();
    expect(fresh).toContain('"/api/incidents": {');
    expect(fs.readFileSync(WEB_TYPES_FILE, 'utf8')).toBe(fresh);
  });
});
