import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';

/**
 * Structured logs on stdout: JSON lines when stdout is a pipe or a file (log collectors parse
 * them), readable coloured lines (pino-pretty) when it is a terminal, so `npm start` in a shell
 * reads well. (No NETATLAS_ variable overrides it: every NETATLAS_ variable must name a config
 * key.) Level from NETATLAS_LOG_LEVEL
 * or the config's `log.level`; tests get `silent` unless they ask otherwise.
 */
export type { Logger };

export type LogFormat = 'json' | 'pretty';

/** pretty on a terminal, JSON otherwise */
export function logFormat(isTTY: boolean | undefined): LogFormat {
  return isTTY === true ? 'pretty' : 'json';
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['NETATLAS_LOG_LEVEL'] ?? (process.env['VITEST'] ? 'silent' : 'info');
  if (logFormat(process.stdout.isTTY) === 'pretty') {
    // a synchronous stream in this thread, not a worker transport: a line is on the terminal
    // before the process can exit, as with the JSON destination
    // loaded here, only for a terminal: every module that logs imports this file, and a service
    // (or a test) writing JSON lines has no use for pino-pretty and its dependencies
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    const stream: DestinationStream = pretty({ colorize: process.stdout.isTTY === true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return pino({ name: 'netatlas', ...options, level }, stream);
  }
  return pino({ name: 'netatlas', ...options, level });
}

/** A logger that prints nothing: the default in library code when the caller gives none. */
export const silentLogger: Logger = pino({ level: 'silent' });
