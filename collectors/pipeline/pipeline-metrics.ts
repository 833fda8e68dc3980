import { Counter, Gauge, type Registry } from 'prom-client';

export type PointOutcome = 'accepted' | 'written' | 'spooled' | 'replayed' | 'dropped' | 'rejected';

export interface PipelineStats {
  /** handed to write() */
  accepted: number;
  /** written to the store straight from the queue */
  written: number;
  /** appended (and fsynced) to the spool because the store was unavailable or the spool non-empty */
  spooled: number;
  /** written to the store from the spool */
  replayed: number;
  /** lost: the store was unavailable and the spool could not be written (disk full) */
  dropped: number;
  /** refused by the store, kept in rejected.jsonl */
  rejected: number;
  /** points accepted and not yet durable */
  queuedPoints: number;
  /** batches in the spool awaiting replay */
  spoolRecords: number;
  spoolBytes: number;
}

/** stats() as the pipeline gives them: the counts plus what its health is made of */
export interface PipelineState extends PipelineStats {
  /** the spool's cap: above it write() waits (back-pressure) */
  maxSpoolBytes: number;
  /** ISO time the pipeline began waiting for spool room, null while it has room */
  spoolFullSince: string | null;
  /** times the spool filled up since start */
  spoolFullWaits: number;
  /** since when and why the store could not take writes; null once it takes one */
  storeUnavailable: { since: string; cause: string } | null;
}

/** The pipeline's counters, as a plain object and, when a registry is given, as Prometheus metrics. */
export class PipelineMetrics {
  private readonly counts: Record<PointOutcome, number> = {
    accepted: 0, written: 0, spooled: 0, replayed: 0, dropped: 0, rejected: 0,
  };
  private readonly counter: Counter<'outcome'> | undefined;

  constructor(registry: Registry | undefined, gauges: { queuedPoints(): number; spoolBytes(): number }) {
    if (!registry) return;
    this.counter = new Counter({
      name: 'netatlas_pipeline_points_total',
      help: 'Points through the write pipeline by outcome (dropped stays 0 unless the disk is full)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of Object.keys(this.counts)) this.counter.inc({ outcome }, 0);
    new Gauge({
      name: 'netatlas_pipeline_queue_points',
      help: 'Points accepted by the write pipeline and not yet written or spooled',
      registers: [registry],
      collect() { this.set(gauges.queuedPoints()); },
    });
    new Gauge({
      name: 'netatlas_pipeline_spool_bytes',
      help: 'Bytes in the on-disk spool awaiting replay',
      registers: [registry],
      collect() { this.set(gauges.spoolBytes()); },
    });
  }

  add(outcome: PointOutcome, n: number): void {
    if (n <= 0) return;
    this.counts[outcome] += n;
    this.counter?.inc({ outcome }, n);
  }

  snapshot(): Record<PointOutcome, number> {
    return { ...this.counts };
  }
}
