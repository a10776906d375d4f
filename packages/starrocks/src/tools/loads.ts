import { z } from 'zod';
import {
  analyzeIngestion,
  checkLoadJobStatus,
  getFailedLoadJobs,
  getLoadJobs,
  getRoutineLoadJobs,
  getStreamLoadStats,
  LOAD_STATES,
} from '../diagnostics/index.js';
import { starRocksTool } from './define.js';
import {
  diagnosisSchema,
  formatAnalysis,
  formatView,
  hoursSchema,
  issuesAndSources,
  limitSchema,
  n,
  s,
} from './schemas.js';

/** One load job as information_schema.loads (or SHOW LOAD) describes it, with its failure category. */
export const loadJobSchema = z.object({
  id: z.string(),
  label: z.string(),
  database: z.string(),
  table: s,
  type: z.string(),
  state: z.string(),
  progress: s,
  scan_rows: n,
  scan_bytes: n,
  filtered_rows: n,
  unselected_rows: n,
  sink_rows: n,
  create_time: s,
  load_start_time: s,
  load_commit_time: s,
  load_finish_time: s,
  error_msg: s,
  tracking_sql: s,
  error_category: z.string(),
});

/** Per-table stream-load statistics of the window. */
export const tableStatsSchema = z.object({
  db: z.string(),
  table: z.string(),
  loads: z.number(),
  stream_loads: z.number(),
  finished: z.number(),
  cancelled: z.number(),
  failure_rate_pct: z.number(),
  avg_load_s: n,
  avg_bytes: n,
  mean_interval_s: n,
});

export const streamStatsSchema = z.object({
  window_hours: z.number(),
  total: z.number(),
  finished: z.number(),
  cancelled: z.number(),
  in_flight: z.number(),
  failure_rate_pct: z.number(),
  avg_load_s: n,
  max_load_s: z.number(),
  total_rows: z.number(),
  total_bytes: z.number(),
  filtered_rows: z.number(),
  loads_per_minute: z.number(),
  tables: z.array(tableStatsSchema),
  top_errors: z.array(z.object({ message: z.string(), loads: z.number(), category: z.string() })),
});

/** One routine (Kafka) load job with its parsed statistics and lag. */
export const routineJobSchema = z.object({
  id: z.string(),
  name: z.string(),
  db: z.string(),
  table: z.string(),
  state: z.string(),
  data_source_type: s,
  current_task_num: n,
  create_time: s,
  pause_time: s,
  end_time: s,
  reason: s,
  error_log_urls: s,
  tracking_sql: s,
  other_msg: s,
  statistic: z.record(z.string(), z.number()),
  error_row_ratio_pct: n,
  offset_lag_total: n,
  timestamp_lag_s: n,
});

/** Durations, throughput and filter ratio of one load (check_load_job_status). */
export const loadMetricsSchema = z.object({
  load_duration_s: n,
  total_duration_s: n,
  throughput_mbps: n,
  rows_per_s: n,
  filter_ratio_pct: n,
});

export const loadJobsSchema = z.object({
  items: z.array(loadJobSchema),
  count: z.number().int(),
  truncated: z.boolean(),
  filters: z.object({ limit: z.number(), state: s }),
  ...issuesAndSources,
});

export const loadJobStatusSchema = z.object({
  status: z.enum(['FOUND', 'NOT_FOUND']),
  label: z.string(),
  source: s,
  job: loadJobSchema.nullable(),
  metrics: loadMetricsSchema.nullable(),
  recommendations: z.array(z.string()),
  ...issuesAndSources,
});

export const failedLoadJobsSchema = z.object({
  items: z.array(loadJobSchema),
  count: z.number().int(),
  total_failed: z.number().int(),
  truncated: z.boolean(),
  filters: z.object({ hours: z.number(), limit: z.number() }),
  by_category: z.record(z.string(), z.number()),
  by_table: z.record(z.string(), z.number()),
  history_available: z.boolean(),
  ...issuesAndSources,
});

export const streamLoadStatsSchema = streamStatsSchema.extend({
  history_available: z.boolean(),
  ...issuesAndSources,
});

export const routineLoadJobsSchema = z.object({
  items: z.array(routineJobSchema),
  count: z.number().int(),
  ...issuesAndSources,
});

const INGESTION_CHECKS =
  'stream-load failure rate (> 10 % warning, > 20 % critical), frequent and recurring failures by error category, slow loads, queue backlog, long-running loads, filtered rows, high-frequency tables, and routine loads (paused, cancelled, unstable, lagging, error rows)';

export const analyzeImportHealth = starRocksTool({
  name: 'analyze_import_health',
  title: 'Analyze import health',
  description: `Import (load) diagnosis over the last 24 hours: ${INGESTION_CHECKS}. Returns a 0–100 score, level and issues.`,
  access: 'read',
  input: z.object({}),
  output: diagnosisSchema,
  format: formatAnalysis,
  handler: (_args, ctx) => analyzeIngestion(ctx.clients.executor(), 24, 'analyze_import_health', ctx.signal),
});

export const analyzeIngestionHealth = starRocksTool({
  name: 'analyze_ingestion_health',
  title: 'Analyze ingestion health',
  description: `Data ingestion diagnosis over a chosen window: ${INGESTION_CHECKS}. Returns a 0–100 score, level and issues.`,
  access: 'read',
  input: z.object({ hours: hoursSchema }),
  output: diagnosisSchema,
  format: formatAnalysis,
  handler: (args, ctx) => analyzeIngestion(ctx.clients.executor(), args.hours, 'analyze_ingestion_health', ctx.signal),
});

export const getLoadJobsTool = starRocksTool({
  name: 'get_load_jobs',
  title: 'Get load jobs',
  description:
    'The newest load jobs (Broker, INSERT, Spark and stream-load tasks) from information_schema.loads (SHOW LOAD per database before 3.1), optionally filtered by state.',
  access: 'read',
  input: z.object({
    limit: limitSchema(50, 500),
    state: z
      .enum(LOAD_STATES)
      .optional()
      .describe("Only jobs in this state (COMMITTED also matches stream tasks' COMMITED)"),
  }),
  output: loadJobsSchema,
  format: (o) => formatView('StarRocks load jobs', o),
  handler: (args, ctx) => getLoadJobs(ctx.clients.executor(), args.limit, args.state, ctx.signal),
});

export const checkLoadJobStatusTool = starRocksTool({
  name: 'check_load_job_status',
  title: 'Check load job status',
  description:
    'Looks a load up by label (loads history first, then information_schema.loads, then a suffix match for prefixed INSERT labels) and explains it: state, durations, throughput, filter ratio, failure category and what to do.',
  access: 'read',
  input: z.object({
    label: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.:-]+$/, 'a load label: letters, digits, _ . : -')
      .describe('The load label'),
  }),
  output: loadJobStatusSchema,
  format: (o) => formatView(`Load ${o.label}: ${o.job?.state ?? o.status}`, o),
  handler: (args, ctx) => checkLoadJobStatus(ctx.clients.executor(), args.label, ctx.signal),
});

export const getFailedLoadJobsTool = starRocksTool({
  name: 'get_failed_load_jobs',
  title: 'Get failed load jobs',
  description:
    'Cancelled loads of the last hours, newest first, each with its error category, plus counts per category and per table.',
  access: 'read',
  input: z.object({ hours: hoursSchema, limit: limitSchema(20, 500) }),
  output: failedLoadJobsSchema,
  format: (o) => formatView('StarRocks failed loads', o),
  handler: (args, ctx) => getFailedLoadJobs(ctx.clients.executor(), args.hours, args.limit, ctx.signal),
});

export const getStreamLoadStatsTool = starRocksTool({
  name: 'get_stream_load_stats',
  title: 'Get stream load statistics',
  description:
    'Stream-load statistics for the last hours: totals, failure rate, load times, rows and bytes, loads per minute, per-table breakdown with the mean interval between loads, and the top errors.',
  access: 'read',
  input: z.object({ hours: hoursSchema }),
  output: streamLoadStatsSchema,
  format: (o) => formatView('StarRocks stream load statistics', o),
  handler: (args, ctx) => getStreamLoadStats(ctx.clients.executor(), args.hours, ctx.signal),
});

export const getRoutineLoadJobsTool = starRocksTool({
  name: 'get_routine_load_jobs',
  title: 'Get routine load jobs',
  description:
    'Routine (Kafka) load jobs with state, reason, error log URL and tracking SQL, parsed statistics, offset lag and timestamp lag, and the routine-load rules that fire.',
  access: 'read',
  input: z.object({}),
  output: routineLoadJobsSchema,
  format: (o) => formatView('StarRocks routine load jobs', o),
  handler: (_args, ctx) => getRoutineLoadJobs(ctx.clients.executor(), ctx.signal),
});

export const importTools = [analyzeImportHealth, getLoadJobsTool, checkLoadJobStatusTool, getFailedLoadJobsTool];
export const ingestionTools = [analyzeIngestionHealth, getStreamLoadStatsTool, getRoutineLoadJobsTool];
