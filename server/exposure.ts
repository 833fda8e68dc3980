/**
 * The start-up warning for an API open to the network: http.host beyond loopback (the Docker
 * image sets 0.0.0.0) and no read token, so anyone who reaches the port reads every device, its
 * location and live status, the incidents and the metrics. Logged at warn by the service at
 * start (main.ts), in Docker or not; nothing is refused: a closed network or a reverse proxy
 * that authenticates may be exactly what the operator wants.
 */
import { isIP } from 'node:net';
import type { Logger } from '../core/log.js';

/** 127.0.0.0/8, ::1, an IPv4-mapped 127.x, or the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/** The warning's text, or null when the API is on loopback or reads need a token. */
export function openApiWarning(http: { host: string; port: number; auth: { readToken?: string | undefined } }): string | null {
  if (http.auth.readToken !== undefined || isLoopbackHost(http.host)) return null;
  return `SECURITY WARNING: the HTTP API listens on ${http.host} port ${http.port}, beyond loopback, and no read token is set: `
    + 'anyone who can reach this port reads every device, its location and status, the incidents and the metrics. '
    + 'Set http.auth.readToken (environment NETATLAS_HTTP_AUTH_READ_TOKEN), or listen on 127.0.0.1 behind a reverse proxy that authenticates.';
}

export function warnIfApiOpen(http: Parameters<typeof openApiWarning>[0], log: Logger): void {
  const text = openApiWarning(http);
  if (text !== null) log.warn({ host: http.host, port: http.port, readToken: false }, text);
}
