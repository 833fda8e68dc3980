export { BatchingWriter, PointsDroppedError, type BatchingWriterOptions } from './batching-writer.js';
export { Spool, type SpoolOptions, type SpoolRecord } from './spool.js';
export type { PipelineStats, PointOutcome } from './pipeline-metrics.js';
