/**
 * Issue 14 item 6: the service warns loudly at start when the API listens beyond loopback with
 * no read token (server/exposure.ts; called by main.ts, so in Docker, whose image sets
 * NETATLAS_HTTP_HOST=0.0.0.0, and outside it). The start itself: tests/integration/cli-start.test.ts.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { isLoopbackHost, openApiWarning, warnIfApiOpen } from '../../server/exposure.js';

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 in its spellings, IPv4-mapped 127.x and localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', 'api.localhost'].filter((h) => !isLoopbackHost(h))).toEqual([]);
    expect(['0.0.0.0', '::', '10.0.0.5', '192.168.1.10', '::ffff:10.0.0.1', 'netatlas.example.org', '128.0.0.1'].filter(isLoopbackHost)).toEqual([]);
  });
});

describe('openApiWarning', () => {
  it('warns for a host beyond loopback without a read token, and only then', () => {
    expect(openApiWarning({ host: '0.0.0.0', port: 8080, auth: {} })).toMatch(/^SECURITY WARNING: the HTTP API listens on 0\.0\.0\.0 port 8080, beyond loopback, and no read token is set: .*Set http\.auth\.readToken \(environment NETATLAS_HTTP_AUTH_READ_TOKEN\)/);
    expect(openApiWarning({ host: '0.0.0.0', port: 8080, auth: { readToken: 'r' } })).toBeNull();
    expect(openApiWarning({ host: '127.0.0.1', port: 8080, auth: {} })).toBeNull();
  });

  it('fires for the Docker image\'s environment (the Dockerfile sets NETATLAS_HTTP_HOST=0.0.0.0), not once a read token is set', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/NETATLAS_HTTP_HOST=0\.0\.0\.0/);
    const env = { NETATLAS_HTTP_HOST: '0.0.0.0' };
    expect(openApiWarning(loadConfig({ env }).http)).not.toBeNull();
    expect(openApiWarning(loadConfig({ env: { ...env, NETATLAS_HTTP_AUTH_READ_TOKEN: 'a-long-read-token' } }).http)).toBeNull();
  });

  it('is logged at warn (pino level 40) with the host and port', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } }));
    warnIfApiOpen({ host: '::', port: 9000, auth: {} }, log);
    warnIfApiOpen({ host: '::1', port: 9000, auth: {} }, log);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, host: '::', port: 9000, readToken: false, msg: expect.stringMatching(/^SECURITY WARNING: the HTTP API listens on :: port 9000/) });
  });
});
