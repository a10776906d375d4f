import type { z } from 'zod';
import type { Row } from '../../executor.js';
import type {
  failedLoadJobsSchema,
  loadJobSchema,
  loadJobStatusSchema,
  loadJobsSchema,
  loadMetricsSchema,
  routineJobSchema,
  routineLoadJobsSchema,
  streamLoadStatsSchema,
  streamStatsSchema,
  tableStatsSchema,
} from '../../tools/loads.js';
import type { Clock } from '../common.js';
import { json, num, parseDateTime, round, text } from '../parse.js';
import { STREAM_TYPES } from '../sql.js';
import { errorCategory } from './rules.js';

export type LoadJob = z.infer<typeof loadJobSchema>;
export type TableStats = z.infer<typeof tableStatsSchema>;
export type StreamStats = z.infer<typeof streamStatsSchema>;
export type RoutineJob = z.infer<typeof routineJobSchema>;
export type LoadMetrics = z.infer<typeof loadMetricsSchema>;
export type LoadJobs = z.infer<typeof loadJobsSchema>;
export type LoadJobStatus = z.infer<typeof loadJobStatusSchema>;
export type FailedLoadJobs = z.infer<typeof failedLoadJobsSchema>;
export type StreamLoadStats = z.infer<typeof streamLoadStatsSchema>;
export type RoutineLoadJobs = z.infer<typeof routineLoadJobsSchema>;

/** The stream statistics of a window plus every table that received loads (stream or not). */
export type WindowStats = StreamStats & { all_tables: TableStats[] };

/** One row of the load summary: loads grouped by table, type, state and error text. */
export interface LoadGroup {
  db: string;
  table: string;
  type: string;
  state: string;
  error_msg: string | null;
  loads: number;
  load_seconds: number;
  max_load_s: number;
  scan_rows: number;
  scan_bytes: number;
  filtered_rows: number;
  first_create: string | null;
  last_create: string | null;
}

export const parseGroup = (r: Row): LoadGroup => ({
  db: String(r.DB_NAME),
  // Before 3.3 loads carry no table name.
  table: text(r.TABLE_NAME) ?? '*',
  type: String(r.TYPE),
  state: String(r.STATE),
  error_msg: text(r.ERROR_MSG) ?? null,
  loads: num(r.loads) ?? 0,
  load_seconds: num(r.load_seconds) ?? 0,
  max_load_s: num(r.max_load_s) ?? 0,
  scan_rows: num(r.scan_rows) ?? 0,
  scan_bytes: num(r.scan_bytes) ?? 0,
  filtered_rows: num(r.filtered_rows) ?? 0,
  first_create: text(r.first_create) ?? null,
  last_create: text(r.last_create) ?? null,
});

/** Stream-load statistics of the window's summary groups (other load types count only per table). */
export function streamStats(groups: LoadGroup[], hours: number): WindowStats {
  const stream = groups.filter((g) => STREAM_TYPES.has(g.type));
  const count = (list: LoadGroup[], state?: string) =>
    list.filter((g) => !state || g.state === state).reduce((a, g) => a + g.loads, 0);
  const finishedGroups = stream.filter((g) => g.state === 'FINISHED');
  const finished = count(stream, 'FINISHED');
  const cancelled = count(stream, 'CANCELLED');
  const total = count(stream);
  const tables = new Map<string, LoadGroup[]>();
  for (const g of groups) tables.set(`${g.db}.${g.table}`, [...(tables.get(`${g.db}.${g.table}`) ?? []), g]);
  const perTable: TableStats[] = [...tables].map(([, list]) => {
    const first = list[0] as LoadGroup;
    const s = list.filter((g) => STREAM_TYPES.has(g.type));
    const ok = s.filter((g) => g.state === 'FINISHED');
    const fin = count(s, 'FINISHED');
    const can = count(s, 'CANCELLED');
    const n = count(s);
    const starts = s.map((g) => parseDateTime(g.first_create)).filter((x): x is number => x !== undefined);
    const ends = s.map((g) => parseDateTime(g.last_create)).filter((x): x is number => x !== undefined);
    return {
      db: first.db,
      table: first.table,
      loads: count(list),
      stream_loads: n,
      finished: fin,
      cancelled: can,
      failure_rate_pct: fin + can ? round((can / (fin + can)) * 100, 1) : 0,
      avg_load_s: fin ? round(ok.reduce((a, g) => a + g.load_seconds, 0) / fin, 1) : null,
      avg_bytes: n ? Math.round(s.reduce((a, g) => a + g.scan_bytes, 0) / n) : null,
      mean_interval_s:
        n > 1 && starts.length && ends.length
          ? round((Math.max(...ends) - Math.min(...starts)) / 1000 / (n - 1), 1)
          : null,
    };
  });
  const errors = new Map<string, number>();
  for (const g of stream.filter((x) => x.state === 'CANCELLED')) {
    errors.set(g.error_msg ?? '(no message)', (errors.get(g.error_msg ?? '(no message)') ?? 0) + g.loads);
  }
  return {
    window_hours: hours,
    total,
    finished,
    cancelled,
    in_flight: total - finished - cancelled,
    failure_rate_pct: finished + cancelled ? round((cancelled / (finished + cancelled)) * 100, 1) : 0,
    avg_load_s: finished ? round(finishedGroups.reduce((a, g) => a + g.load_seconds, 0) / finished, 2) : null,
    max_load_s: Math.max(0, ...finishedGroups.map((g) => g.max_load_s)),
    total_rows: stream.reduce((a, g) => a + g.scan_rows, 0),
    total_bytes: stream.reduce((a, g) => a + g.scan_bytes, 0),
    filtered_rows: stream.reduce((a, g) => a + g.filtered_rows, 0),
    loads_per_minute: round(total / (hours * 60), 2),
    tables: perTable.filter((t) => t.stream_loads > 0),
    all_tables: perTable,
    top_errors: [...errors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([message, loads]) => ({ message, loads, category: errorCategory(message, 'CANCELLED') })),
  };
}

export function parseRoutineJob(r: Row, clock: Clock): RoutineJob {
  const stat = json(r.STATISTICS) ?? {};
  const statistic = Object.fromEntries(
    Object.entries(stat)
      .map(([k, v]) => [k, num(v)] as const)
      .filter((e): e is readonly [string, number] => e[1] !== undefined),
  );
  const progress = json(r.PROGRESS) ?? {};
  const latest = json(r.LATEST_SOURCE_POSITION) ?? {};
  const partitions = Object.keys(latest).filter((p) => num(progress[p]) !== undefined);
  // Progress shows the last consumed offset; the next message to read is progress + 1.
  const lag = partitions.length
    ? partitions.reduce((a, p) => a + Math.max(0, (num(latest[p]) ?? 0) - (num(progress[p]) ?? 0) - 1), 0)
    : null;
  const stamps = Object.values(json(r.TIMESTAMP_PROGRESS) ?? {})
    .map(num)
    .filter((x): x is number => x !== undefined && x > 0);
  const total = statistic.totalRows ?? 0;
  return {
    id: String(r.ID),
    name: String(r.NAME),
    db: String(r.DB_NAME),
    table: String(r.TABLE_NAME),
    state: String(r.STATE),
    data_source_type: text(r.DATA_SOURCE_TYPE) ?? null,
    current_task_num: num(r.CURRENT_TASK_NUM) ?? null,
    create_time: text(r.CREATE_TIME) ?? null,
    pause_time: text(r.PAUSE_TIME) ?? null,
    end_time: text(r.END_TIME) ?? null,
    reason: text(r.REASONS_OF_STATE_CHANGED) ?? null,
    error_log_urls: text(r.ERROR_LOG_URLS) ?? null,
    tracking_sql: text(r.TRACKING_SQL) ?? null,
    other_msg: text(r.OTHER_MSG) ?? null,
    statistic,
    error_row_ratio_pct: total ? round(((statistic.errorRows ?? 0) / total) * 100, 6) : null,
    offset_lag_total: lag,
    timestamp_lag_s:
      stamps.length && clock.epochMs !== undefined ? round((clock.epochMs - Math.min(...stamps)) / 1000, 1) : null,
  };
}

export function parseLoad(r: Row): LoadJob {
  const state = String(r.STATE);
  return {
    id: String(r.ID),
    label: String(r.LABEL),
    database: String(r.DB_NAME),
    table: text(r.TABLE_NAME) ?? null,
    type: String(r.TYPE),
    state,
    progress: text(r.PROGRESS) ?? null,
    scan_rows: num(r.SCAN_ROWS) ?? null,
    scan_bytes: num(r.SCAN_BYTES) ?? null,
    filtered_rows: num(r.FILTERED_ROWS) ?? null,
    unselected_rows: num(r.UNSELECTED_ROWS) ?? null,
    sink_rows: num(r.SINK_ROWS) ?? null,
    create_time: text(r.CREATE_TIME) ?? null,
    load_start_time: text(r.LOAD_START_TIME) ?? null,
    load_commit_time: text(r.LOAD_COMMIT_TIME) ?? null,
    load_finish_time: text(r.LOAD_FINISH_TIME) ?? null,
    error_msg: text(r.ERROR_MSG) ?? null,
    tracking_sql: text(r.TRACKING_SQL) ?? null,
    error_category: state === 'CANCELLED' ? errorCategory(text(r.ERROR_MSG), state) : 'none',
  };
}

/** FE job and stream-task states; COMMITTED also matches the stream tasks' COMMITED spelling. */
export const LOAD_STATES = [
  'PENDING',
  'QUEUEING',
  'ETL',
  'LOADING',
  'COMMITTED',
  'FINISHED',
  'CANCELLED',
  'UNKNOWN',
  'BEGIN',
  'BEFORE_LOAD',
  'PREPARING',
  'PREPARED',
] as const;

/** Durations, throughput and filter ratio of one load. */
export function loadMetrics(job: LoadJob): LoadMetrics {
  const start = parseDateTime(job.load_start_time);
  const finish = parseDateTime(job.load_finish_time);
  const created = parseDateTime(job.create_time);
  const loadS = start !== undefined && finish !== undefined ? (finish - start) / 1000 : null;
  return {
    load_duration_s: loadS,
    total_duration_s: created !== undefined && finish !== undefined ? (finish - created) / 1000 : null,
    throughput_mbps: loadS && job.scan_bytes ? round(job.scan_bytes / 1024 ** 2 / loadS, 2) : null,
    rows_per_s: loadS && job.scan_rows ? Math.round(job.scan_rows / loadS) : null,
    filter_ratio_pct: job.scan_rows
      ? round((((job.filtered_rows ?? 0) + (job.unselected_rows ?? 0)) / job.scan_rows) * 100, 1)
      : null,
  };
}

/** Cancelled loads counted per failure category and per table. */
export function failureCounts(groups: readonly LoadGroup[]) {
  const cancelled = groups.filter((g) => g.state === 'CANCELLED');
  const byCategory: Record<string, number> = {};
  const byTable: Record<string, number> = {};
  for (const g of cancelled) {
    const c = errorCategory(g.error_msg, g.state);
    byCategory[c] = (byCategory[c] ?? 0) + g.loads;
    byTable[`${g.db}.${g.table}`] = (byTable[`${g.db}.${g.table}`] ?? 0) + g.loads;
  }
  return { total: cancelled.reduce((a, g) => a + g.loads, 0), byCategory, byTable };
}

/** Routine-load jobs counted per state. */
export const jobsByState = (jobs: readonly RoutineJob[]) =>
  Object.fromEntries([...new Set(jobs.map((j) => j.state))].map((s) => [s, jobs.filter((j) => j.state === s).length]));
