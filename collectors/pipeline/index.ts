export { BatchingWriter, PointsDroppedError, type BatchingWriterOptions } from './batching-writer.js';
export { Spool, type SpoolOptions, type SpoolRecord } from './spool.js';
export type { PipelineStats, PipelineState, PointOutcome } from './pipeline-metrics.js';
export type { PipelineHealth } from './pipeline-health.js';
