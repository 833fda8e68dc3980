/**
 * server/status/: the one owner of device state (DESIGN.md "Definitions"). Consumers import from
 * here: the API, the map and its events, incidents, rollups, scheduled reports and alerts.
 */
export * from './semantics.js';
export * from './intervals.js';
export * from './timeline.js';
export * from './collector-liveness.js';
export * from './incidents.js';
export * from './reader.js';
export * from './state-spans.js';
