/**
 * The service's /metrics registry: the main thread's own metrics (process, HTTP, alerts) followed
 * by the collection side's, fetched from its worker at each scrape. The two sets never share a
 * name: collectors and the pipeline register only on the collection side's registry.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export class MergedMetricsRegistry extends Registry {
  private source: (() => Promise<string>) | undefined;

  constructor() {
    super();
    collectDefaultMetrics({ register: this, prefix: 'netatlas_' });
  }

  /** the collection side's metrics, appended to every scrape */
  attach(source: () => Promise<string>): void {
    this.source = source;
  }

  override async metrics(): Promise<string> {
    const own = await super.metrics();
    const more = this.source ? await this.source() : '';
    if (more === '') return own;
    return `${own}${own.endsWith('\n') ? '' : '\n'}${more}`;
  }
}
