import { z } from 'zod';
import {
  analyzeCompaction,
  getCompactionHistory,
  getCompactionStatus,
  getHighCompactionPartitions,
} from '../diagnostics/index.js';
import { starRocksTool } from './define.js';
import {
  architectureSchema,
  diagnosisSchema,
  formatAnalysis,
  formatView,
  hoursSchema,
  issuesAndSources,
  limitSchema,
  n,
  record,
  s,
  sourceSchema,
} from './schemas.js';

export const analyzeCompactionHealth = starRocksTool({
  name: 'analyze_compaction_health',
  title: 'Analyze compaction health',
  description:
    'Compaction diagnosis for both architectures. Shared-data: partition compaction scores (100/500/1000), rejection risk, compact_threads per CN, stalled/slow/stuck tasks and transactions, queueing and remote reads from the profiles, task capacity. Shared-nothing: rowsets per tablet and candidate scores per backend. Returns a 0–100 score, level and issues.',
  access: 'read',
  input: z.object({}),
  output: diagnosisSchema,
  format: formatAnalysis,
  handler: (_args, ctx) => analyzeCompaction(ctx.clients.executor(), ctx.signal),
});

/** One compaction transaction of SHOW PROC '/compactions' (shared-data). */
export const compactionTxnSchema = z.object({
  partition: z.string(),
  txn_id: z.string(),
  start: s,
  commit: s,
  finish: s,
  error: s,
  duration_s: n,
  profile: record.nullable(),
});

/** An open transaction with its phase, age and tablet progress (get_compaction_status). */
export const openTxnSchema = compactionTxnSchema.extend({
  phase: z.enum(['running', 'publishing']),
  running_minutes: n,
  tablets_total: z.number(),
  tablets_finished: z.number(),
});

/** Per-node compaction state: queue columns on shared-nothing BEs, task counts on shared-data CNs. */
export const compactionNodeSchema = z.object({
  node_id: z.string(),
  candidates: n,
  running_base: n,
  running_cumulative: n,
  running_manual: n,
  latest_score: n,
  candidate_max_score: n,
  started: n,
  queued: n,
  finished: n,
  avg_progress: n,
  max_runs: n,
  compact_threads: n,
});

export const compactionStatusSchema = z.object({
  architecture: architectureSchema,
  nodes: z.array(compactionNodeSchema),
  transactions: z.array(openTxnSchema),
  capacity: n,
  ...issuesAndSources,
});

/** A partition with its compaction score (shared-data) or rowset count (shared-nothing) and band. */
export const scoredPartitionSchema = z.object({
  database: z.string(),
  table: z.string(),
  partition: z.string(),
  partition_id: z.string(),
  max_score: z.number(),
  avg_score: n,
  p50_score: n,
  band: z.string(),
});

export const highPartitionSchema = scoredPartitionSchema.extend({
  rows: n,
  data_bytes: n,
  buckets: n,
  visible_version_time: s,
});

export const scoreSummarySchema = z.object({
  max_score: z.number(),
  avg_score: z.number(),
  affected_tables: z.number(),
  severity: z.string(),
});

export const highCompactionPartitionsSchema = z.object({
  architecture: architectureSchema,
  score_kind: z.enum(['compaction_score', 'max_rowset_count']),
  items: z.array(highPartitionSchema),
  count: z.number().int(),
  truncated: z.boolean(),
  summary: scoreSummarySchema,
  sources: z.array(sourceSchema),
});

export const compactionHistoryItemSchema = z.object({
  partition: z.string(),
  txn_id: z.string(),
  start: s,
  commit: s,
  finish: s,
  duration_s: n,
  error: s,
  state: z.enum(['FAILED', 'FINISHED', 'PUBLISHING', 'RUNNING']),
  score_before_max: n,
  score_after_max: n,
  sub_task_count: n,
  in_queue_sec: n,
  read_remote_mb: n,
});

/** One shared-nothing backend's compaction queue (get_compaction_history keeps no history there). */
export const compactionSnapshotSchema = z.object({
  node_id: z.string(),
  candidates: z.number(),
  running: z.number(),
  candidate_max_score: n,
});

export const compactionHistorySchema = z.object({
  architecture: architectureSchema,
  status: z.enum(['OK', 'LIMITED']),
  note: z.string(),
  items: z.array(compactionHistoryItemSchema),
  snapshot: z.array(compactionSnapshotSchema),
  sources: z.array(sourceSchema),
});

export const getCompactionStatusTool = starRocksTool({
  name: 'get_compaction_status',
  title: 'Get compaction status',
  description:
    'What compaction is doing now: per node running and queued tasks (shared-data) or queue and running base/cumulative compactions (shared-nothing), open compaction transactions with their age, and the task capacity.',
  access: 'read',
  input: z.object({}),
  output: compactionStatusSchema,
  format: (o) => formatView('StarRocks compaction status', o),
  handler: (_args, ctx) => getCompactionStatus(ctx.clients.executor(), ctx.signal),
});

export const getHighCompactionPartitionsTool = starRocksTool({
  name: 'get_high_compaction_partitions',
  title: 'Get high compaction partitions',
  description:
    'Partitions with the highest compaction score (shared-data: partitions_meta MAX_CS; shared-nothing: the largest rowset count per tablet, see score_kind), with a band per row (WARNING >= 100, CRITICAL >= 500, EMERGENCY >= 1000) and a summary.',
  access: 'read',
  input: z.object({
    limit: limitSchema(50, 500),
    minScore: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(100)
      .describe('Smallest score (or rowset count) to include (default 100)'),
  }),
  output: highCompactionPartitionsSchema,
  format: (o) => formatView('StarRocks partitions with high compaction scores', o),
  handler: (args, ctx) => getHighCompactionPartitions(ctx.clients.executor(), args.limit, args.minScore, ctx.signal),
});

export const getCompactionHistoryTool = starRocksTool({
  name: 'get_compaction_history',
  title: 'Get compaction history',
  description:
    'Compaction transactions of the last hours (shared-data: from the leader FE memory, with duration, score before/after and profile). Shared-nothing clusters keep no SQL history: status LIMITED with the current per-backend snapshot.',
  access: 'read',
  input: z.object({ hours: hoursSchema }),
  output: compactionHistorySchema,
  format: (o) => formatView('StarRocks compaction history', o),
  handler: (args, ctx) => getCompactionHistory(ctx.clients.executor(), args.hours, ctx.signal),
});

export const compactionTools = [
  analyzeCompactionHealth,
  getCompactionStatusTool,
  getHighCompactionPartitionsTool,
  getCompactionHistoryTool,
];
