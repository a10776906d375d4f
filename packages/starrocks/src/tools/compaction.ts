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

const txnSchema = z.object({
  partition: z.string(),
  txn_id: z.string(),
  start: s,
  commit: s,
  finish: s,
  error: s,
  duration_s: n,
  profile: record.nullable(),
  phase: z.enum(['running', 'publishing']),
  running_minutes: n,
  tablets_total: z.number(),
  tablets_finished: z.number(),
});

export const getCompactionStatusTool = starRocksTool({
  name: 'get_compaction_status',
  title: 'Get compaction status',
  description:
    'What compaction is doing now: per node running and queued tasks (shared-data) or queue and running base/cumulative compactions (shared-nothing), open compaction transactions with their age, and the task capacity.',
  access: 'read',
  input: z.object({}),
  output: z.object({
    architecture: architectureSchema,
    nodes: z.array(
      z.object({
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
      }),
    ),
    transactions: z.array(txnSchema),
    capacity: n,
    ...issuesAndSources,
  }),
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
  output: z.object({
    architecture: architectureSchema,
    score_kind: z.enum(['compaction_score', 'max_rowset_count']),
    items: z.array(
      z.object({
        database: z.string(),
        table: z.string(),
        partition: z.string(),
        partition_id: z.string(),
        max_score: z.number(),
        avg_score: n,
        p50_score: n,
        band: z.string(),
        rows: n,
        data_bytes: n,
        buckets: n,
        visible_version_time: s,
      }),
    ),
    count: z.number().int(),
    truncated: z.boolean(),
    summary: z.object({
      max_score: z.number(),
      avg_score: z.number(),
      affected_tables: z.number(),
      severity: z.string(),
    }),
    sources: z.array(sourceSchema),
  }),
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
  output: z.object({
    architecture: architectureSchema,
    status: z.enum(['OK', 'LIMITED']),
    note: z.string(),
    items: z.array(
      z.object({
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
      }),
    ),
    snapshot: z.array(
      z.object({ node_id: z.string(), candidates: z.number(), running: z.number(), candidate_max_score: n }),
    ),
    sources: z.array(sourceSchema),
  }),
  format: (o) => formatView('StarRocks compaction history', o),
  handler: (args, ctx) => getCompactionHistory(ctx.clients.executor(), args.hours, ctx.signal),
});

export const compactionTools = [
  analyzeCompactionHealth,
  getCompactionStatusTool,
  getHighCompactionPartitionsTool,
  getCompactionHistoryTool,
];
