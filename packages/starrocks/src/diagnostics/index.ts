export { type ClusterInfo, clusterInfo } from './architecture.js';
export * from './compaction/index.js';
export * from './comprehensive.js';
export * from './ingestion/index.js';
export { formatDiagnosis, issueLines } from './report.js';
export * from './rule-ids.js';
export * from './storage/index.js';
export * from './types.js';
