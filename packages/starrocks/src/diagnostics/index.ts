export { type ClusterInfo, clusterInfo } from './architecture.js';
export * from './compaction.js';
export * from './comprehensive.js';
export * from './ingestion.js';
export { formatDiagnosis, issueLines } from './report.js';
export * from './storage.js';
export * from './storage-views.js';
export type * from './types.js';
