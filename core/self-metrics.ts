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

/**
 * The metric `name` already on the registry, else the one `make` creates (and registers). Two
 * parts of one process that count the same thing (two collectors of one kind, tests building
 * several instances on one registry) share the series rather than fail with "already registered".
 */
export function registered<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export type { Registry };
