import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's own metrics (Prometheus), served at /metrics. One registry per service instance
 * rather than prom-client's global one, so that tests can build several instances in one process
 * without "metric already registered" errors. Later parts (collectors, API) register on it.
 */
export function createMetricsRegistry(options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'netatlas_' });
  return registry;
}

export type { Registry };
