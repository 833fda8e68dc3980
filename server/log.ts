import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Structured logs (JSON lines on stdout). Level from NETATLAS_LOG_LEVEL or the config's
 * `log.level`; tests get `silent` unless they ask otherwise.
 */
export type { Logger };

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['NETATLAS_LOG_LEVEL'] ?? (process.env['VITEST'] ? 'silent' : 'info');
  return pino({ name: 'netatlas', ...options, level });
}

/** A logger that prints nothing: the default in library code when the caller gives none. */
export const silentLogger: Logger = pino({ level: 'silent' });
