import type { Row, StatementExecutor } from '../executor.js';
import { clusterInfo } from './architecture.js';
import { buildDiagnosis, type Clock, readClock } from './common.js';
import { LoadSource, readRoutineJobs } from './loads-source.js';
import { json, num, parseDateTime, round, text } from './parse.js';
import { LOAD_COLUMNS, STREAM_TYPES } from './sql.js';
import { type Diagnosis, type Issue, Probe } from './types.js';

const WAITING_STATES = new Set(['PENDING', 'QUEUEING', 'BEGIN', 'BEFORE_LOAD']);

export const INGESTION_THRESHOLDS = {
  failureRateCriticalPct: 20,
  failureRateWarningPct: 10,
  frequentFailures: 5,
  slowLoadSeconds: 300,
  queueCritical: 10,
  queueWarning: 5,
  longRunningHours: 2,
  recurringError: 5,
  filterRatioPct: 10,
  highFrequencyIntervalSeconds: 60,
  highFrequencyTables: 3,
  highVolumeLoads: 100,
  irregularScore: 40,
  irregularTablesPct: 50,
  routineLagSeconds: 300,
  routineLagMessages: 1_000_000,
  routineErrorRowsPct: 5,
};

/** ING-ERROR-CATEGORY: first match wins, on the lower-cased error text (reference §5.8). */
export function errorCategory(message: string | null | undefined, state?: string): string {
  const m = (message ?? '').toLowerCase();
  const rules: [RegExp, string][] = [
    [/too many filtered rows|quality not satisfied/, 'data_quality'],
    [/timeout|timed out/, 'timeout'],
    [/too many versions/, 'compaction_lag'],
    [/out of memory|\boom\b|no available/, 'resource'],
    [/capacity|no space|disk/, 'disk_full'],
    [/connection refused|connection reset|broken pipe|connect failed/, 'network'],
    [/file not found|path not found|no such file/, 'file'],
    [/permission denied|access denied/, 'permission'],
    [/replica|not enough/, 'replica_unavailable'],
    [/transaction|txn/, 'transaction'],
    [/invalid|illegal/, 'configuration'],
    [/column|type mismatch|parse error|format error/, 'data_quality'],
  ];
  for (const [re, category] of rules) if (re.test(m)) return category;
  if (state === 'CANCELLED') return m ? 'other' : 'cancelled';
  return m ? 'other' : 'none';
}

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

const parseGroup = (r: Row): LoadGroup => ({
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

export interface TableStats {
  db: string;
  table: string;
  loads: number;
  stream_loads: number;
  finished: number;
  cancelled: number;
  failure_rate_pct: number;
  avg_load_s: number | null;
  avg_bytes: number | null;
  mean_interval_s: number | null;
}

export function streamStats(groups: LoadGroup[], hours: number) {
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

export interface RoutineJob {
  id: string;
  name: string;
  db: string;
  table: string;
  state: string;
  data_source_type: string | null;
  current_task_num: number | null;
  create_time: string | null;
  pause_time: string | null;
  end_time: string | null;
  reason: string | null;
  error_log_urls: string | null;
  tracking_sql: string | null;
  other_msg: string | null;
  statistic: Record<string, number>;
  error_row_ratio_pct: number | null;
  offset_lag_total: number | null;
  timestamp_lag_s: number | null;
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

/** RL-PAUSED, RL-CANCELLED, RL-UNSTABLE, RL-LAG, RL-ERROR-ROWS, RL-STOPPED. */
export function routineIssues(jobs: RoutineJob[]): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const issues: Issue[] = [];
  for (const j of jobs) {
    const name = `${j.db}.${j.name}`;
    const lagEvidence = { offset_lag_total: j.offset_lag_total, timestamp_lag_s: j.timestamp_lag_s };
    if (j.state === 'PAUSED') {
      issues.push({
        id: 'RL-PAUSED',
        severity: 'warning',
        message: `Routine load ${name} is PAUSED since ${j.pause_time ?? '?'}: ${j.reason ?? 'no reason recorded'}`,
        evidence: {
          job: name,
          pause_time: j.pause_time,
          reason: j.reason,
          error_rows: j.statistic.errorRows ?? null,
          total_rows: j.statistic.totalRows ?? null,
          error_log_urls: j.error_log_urls,
          tracking_sql: j.tracking_sql,
          ...lagEvidence,
        },
        recommendation: `Fix the cause (errCode 102 means more error rows than max_error_number: read ErrorLogUrls / TrackingSQL), then RESUME ROUTINE LOAD FOR ${name}.`,
      });
    } else if (j.state === 'CANCELLED') {
      issues.push({
        id: 'RL-CANCELLED',
        severity: 'critical',
        message: `Routine load ${name} is CANCELLED (${j.other_msg ?? j.reason ?? 'no message'})`,
        evidence: { job: name, end_time: j.end_time, reason: j.reason, other_msg: j.other_msg },
        recommendation: 'A cancelled job cannot be resumed: recreate it from the last committed offsets.',
      });
    } else if (j.state === 'STOPPED') {
      issues.push({
        id: 'RL-STOPPED',
        severity: 'info',
        message: `Routine load ${name} was stopped by a user`,
        evidence: { job: name, end_time: j.end_time },
        recommendation: 'No action unless the job should still run.',
      });
    }
    if (j.state === 'UNSTABLE') {
      issues.push({
        id: 'RL-UNSTABLE',
        severity: 'warning',
        message: `Routine load ${name} is UNSTABLE (consumption lags)`,
        evidence: { job: name, ...lagEvidence },
        recommendation:
          'Raise desired_concurrent_number (effective parallelism is min(desired, Kafka partitions, max_routine_load_task_concurrent_num, alive BEs)).',
      });
    }
    if (
      ['RUNNING', 'NEED_SCHEDULE', 'UNSTABLE'].includes(j.state) &&
      ((j.timestamp_lag_s ?? 0) > t.routineLagSeconds || (j.offset_lag_total ?? 0) > t.routineLagMessages)
    ) {
      issues.push({
        id: 'RL-LAG',
        severity: 'warning',
        message: `Routine load ${name} lags ${j.offset_lag_total ?? '?'} messages / ${j.timestamp_lag_s ?? '?'} s`,
        evidence: {
          job: name,
          ...lagEvidence,
          threshold_s: t.routineLagSeconds,
          threshold_messages: t.routineLagMessages,
        },
        recommendation: 'Raise desired_concurrent_number or the batch size; check the BEs running its tasks.',
      });
    }
    if ((j.error_row_ratio_pct ?? 0) > t.routineErrorRowsPct) {
      issues.push({
        id: 'RL-ERROR-ROWS',
        severity: 'warning',
        message: `Routine load ${name} rejected ${j.error_row_ratio_pct} % of its rows`,
        evidence: {
          job: name,
          error_rows: j.statistic.errorRows,
          total_rows: j.statistic.totalRows,
          threshold_pct: t.routineErrorRowsPct,
        },
        recommendation: 'Data quality problem upstream: inspect the error log.',
      });
    }
  }
  return issues;
}

export function loadIssues(
  groups: LoadGroup[],
  stats: ReturnType<typeof streamStats>,
  inFlight: Row[],
  clock: Clock,
): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const issues: Issue[] = [];
  const window = `${stats.window_hours} h`;
  if (stats.failure_rate_pct > t.failureRateCriticalPct || stats.failure_rate_pct > t.failureRateWarningPct) {
    const critical = stats.failure_rate_pct > t.failureRateCriticalPct;
    issues.push({
      id: critical ? 'ING-FAILURE-RATE-HIGH' : 'ING-FAILURE-RATE-MODERATE',
      severity: critical ? 'critical' : 'warning',
      message: `Stream load failure rate ${stats.failure_rate_pct} % in ${window} (${stats.cancelled} / ${stats.finished + stats.cancelled}; > ${critical ? t.failureRateCriticalPct : t.failureRateWarningPct} %)`,
      evidence: {
        cancelled: stats.cancelled,
        finished: stats.finished,
        failure_rate_pct: stats.failure_rate_pct,
        top_errors: stats.top_errors.slice(0, 5),
        tables: stats.tables
          .filter((x) => x.cancelled > 0)
          .map((x) => ({ table: `${x.db}.${x.table}`, cancelled: x.cancelled, failure_rate_pct: x.failure_rate_pct })),
      },
      recommendation:
        'Group the failures by error (get_failed_load_jobs): fix data quality (max_filter_ratio, TRACKING_SQL), timeouts, or disk/replica problems.',
    });
  }
  const cancelledAll = groups.filter((g) => g.state === 'CANCELLED');
  const cancelledCount = cancelledAll.reduce((a, g) => a + g.loads, 0);
  if (cancelledCount > t.frequentFailures) {
    issues.push({
      id: 'ING-FREQUENT-FAILURES',
      severity: 'warning',
      message: `${cancelledCount} loads were cancelled in ${window} (> ${t.frequentFailures})`,
      evidence: { cancelled: cancelledCount, threshold: t.frequentFailures },
      recommendation: 'A systemic failure pattern: see the recurring error categories.',
    });
  }
  const categories = new Map<string, { count: number; sample: string | null }>();
  for (const g of cancelledAll) {
    const c = errorCategory(g.error_msg, g.state);
    const prev = categories.get(c);
    categories.set(c, { count: (prev?.count ?? 0) + g.loads, sample: prev?.sample ?? g.error_msg });
  }
  for (const [category, { count, sample }] of categories) {
    if (count < t.recurringError) continue;
    issues.push({
      id: 'ING-RECURRING-ERROR',
      severity: 'warning',
      message: `${count} loads failed with ${category} errors (e.g. "${sample ?? 'no message'}")`,
      evidence: { category, count, sample, threshold: t.recurringError },
      recommendation: CATEGORY_ADVICE[category] ?? 'Read the error messages of the failed loads.',
    });
  }
  if ((stats.avg_load_s ?? 0) > t.slowLoadSeconds) {
    issues.push({
      id: 'ING-SLOW-LOADS',
      severity: 'warning',
      message: `Stream loads take ${stats.avg_load_s} s on average (> ${t.slowLoadSeconds} s)`,
      evidence: { avg_load_s: stats.avg_load_s, threshold_s: t.slowLoadSeconds },
      recommendation: 'Check write bottlenecks: thread pools, BRPC, publish latency.',
    });
  }
  const waiting = inFlight.filter((r) => WAITING_STATES.has(String(r.STATE)));
  if (waiting.length > t.queueWarning) {
    const critical = waiting.length > t.queueCritical;
    issues.push({
      id: critical ? 'ING-QUEUE-BACKLOG' : 'ING-QUEUE-BUILDUP',
      severity: critical ? 'critical' : 'warning',
      message: `${waiting.length} loads are waiting to run`,
      evidence: { waiting: waiting.length, threshold: critical ? t.queueCritical : t.queueWarning },
      recommendation: 'Too many concurrent jobs for the load slots: stagger them or raise the limits.',
    });
  }
  const long = inFlight.filter(
    (r) =>
      clock.nowMs !== undefined &&
      clock.nowMs - (parseDateTime(r.CREATE_TIME) ?? clock.nowMs) > t.longRunningHours * 3_600_000,
  );
  if (long.length) {
    issues.push({
      id: 'ING-LONG-RUNNING',
      severity: 'warning',
      message: `${long.length} loads have been running for more than ${t.longRunningHours} h`,
      evidence: {
        loads: long
          .slice(0, 10)
          .map((r) => ({ label: r.LABEL, db: r.DB_NAME, state: r.STATE, create_time: r.CREATE_TIME })),
      },
      recommendation: 'Zombie or very slow jobs: CANCEL LOAD FROM db WHERE LABEL = "..." if they are stuck.',
    });
  }
  const filtered = groups.filter(
    (g) => g.state === 'FINISHED' && g.scan_rows > 0 && (g.filtered_rows / g.scan_rows) * 100 > t.filterRatioPct,
  );
  if (filtered.length) {
    issues.push({
      id: 'ING-FILTER-RATIO',
      severity: 'info',
      message: `Finished loads into ${filtered.map((g) => `${g.db}.${g.table}`).join(', ')} filtered more than ${t.filterRatioPct} % of rows`,
      evidence: {
        tables: filtered.map((g) => ({
          table: `${g.db}.${g.table}`,
          filtered_pct: round((g.filtered_rows / g.scan_rows) * 100, 1),
        })),
      },
      recommendation: 'Dirty data: read TRACKING_SQL / REJECTED_RECORD_PATH of those loads.',
    });
  }
  const frequent = stats.tables.filter(
    (x) => x.mean_interval_s !== null && x.mean_interval_s < t.highFrequencyIntervalSeconds,
  );
  if (frequent.length > t.highFrequencyTables) {
    issues.push({
      id: 'ING-HIGH-FREQ-TABLES',
      severity: 'warning',
      message: `${frequent.length} tables receive a stream load more often than every ${t.highFrequencyIntervalSeconds} s`,
      evidence: { tables: frequent.map((x) => ({ table: `${x.db}.${x.table}`, mean_interval_s: x.mean_interval_s })) },
      recommendation: 'Merge small batches: load at most every 10 s with at least 100 rows per load.',
    });
  }
  for (const x of stats.all_tables.filter((y) => y.loads > t.highVolumeLoads)) {
    issues.push({
      id: 'ING-HIGH-VOLUME-TABLE',
      severity: 'info',
      message: `${x.db}.${x.table} received ${x.loads} loads in ${window}`,
      evidence: {
        table: `${x.db}.${x.table}`,
        loads: x.loads,
        mean_interval_s: x.mean_interval_s,
        threshold: t.highVolumeLoads,
      },
      recommendation: 'No action needed unless compaction falls behind on this table.',
    });
  }
  return issues;
}

/**
 * ING-IRREGULAR: per table, regularity = max(0, 100 − CV·100) of the gaps between its stream loads
 * (CV = stddev / mean); fires when more than half of the tables with at least two gaps score below 40.
 */
export function regularityIssues(intervals: Row[]): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const tables = intervals
    .filter((r) => (num(r.intervals) ?? 0) >= 2 && (num(r.mean_gap_s) ?? 0) > 0)
    .map((r) => {
      const cv = (num(r.stddev_gap_s) ?? 0) / (num(r.mean_gap_s) ?? 1);
      return {
        table: `${r.DB_NAME}.${r.TABLE_NAME}`,
        mean_interval_s: round(num(r.mean_gap_s) ?? 0, 1),
        regularity_score: round(Math.max(0, 100 - cv * 100), 1),
      };
    });
  const irregular = tables.filter((x) => x.regularity_score < t.irregularScore);
  if (!tables.length || (irregular.length / tables.length) * 100 <= t.irregularTablesPct) return [];
  return [
    {
      id: 'ING-IRREGULAR',
      severity: 'warning',
      message: `${irregular.length} of ${tables.length} tables receive stream loads at irregular intervals (regularity < ${t.irregularScore})`,
      evidence: {
        tables: irregular.slice(0, 10),
        threshold_score: t.irregularScore,
        threshold_pct: t.irregularTablesPct,
      },
      recommendation:
        'Bursty loading: schedule loads at a steady interval and batch size so compaction and load slots see an even rate.',
    },
  ];
}

const CATEGORY_ADVICE: Record<string, string> = {
  data_quality:
    "Rows are rejected: run the load's TRACKING_SQL, fix the upstream format, or raise max_filter_ratio only if the bad rows are acceptable.",
  timeout: 'Loads time out: check BRPC / network health between BEs and raise the load timeout for large batches.',
  compaction_lag: 'Too many versions: compaction is behind; batch loads and check compaction health.',
  resource: 'Memory or slot exhaustion on the BEs: reduce concurrency or batch size.',
  disk_full: 'A disk is full: free space (see analyze_storage_health).',
  network: 'Network failures between client, FE and BEs: check connectivity.',
  replica_unavailable: 'Not enough alive replicas: check dead backends and tablet health.',
};

export async function analyzeIngestion(
  executor: StatementExecutor,
  hours: number,
  tool = 'analyze_ingestion_health',
  signal?: AbortSignal,
): Promise<Diagnosis> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const loads = await LoadSource.open(probe);
  const [clock, window, intervals, inFlight, routine] = await Promise.all([
    readClock(probe),
    loads.window(hours),
    loads.intervals(hours),
    loads.inFlight(),
    readRoutineJobs(probe),
  ]);
  const groups = window.rows.map(parseGroup);
  const stats = streamStats(groups, hours);
  const jobs = (routine ?? []).map((r) => parseRoutineJob(r, clock));
  const issues = [
    ...loadIssues(groups, stats, inFlight ?? [], clock),
    ...regularityIssues(intervals ?? []),
    ...routineIssues(jobs),
  ];
  const { all_tables: _all, ...headline } = stats;
  return buildDiagnosis(tool, 'ingestion', info, probe, issues, {
    ...headline,
    history_available: window.history,
    loads_source: loads.layout,
    other_loads: groups.filter((g) => !STREAM_TYPES.has(g.type)).reduce((a, g) => a + g.loads, 0),
    in_flight_loads: (inFlight ?? []).length,
    routine_load_jobs: jobs.length,
    routine_load_jobs_by_state: Object.fromEntries(
      [...new Set(jobs.map((j) => j.state))].map((s) => [s, jobs.filter((j) => j.state === s).length]),
    ),
  });
}

export interface LoadJob {
  id: string;
  label: string;
  database: string;
  table: string | null;
  type: string;
  state: string;
  progress: string | null;
  scan_rows: number | null;
  scan_bytes: number | null;
  filtered_rows: number | null;
  unselected_rows: number | null;
  sink_rows: number | null;
  create_time: string | null;
  load_start_time: string | null;
  load_commit_time: string | null;
  load_finish_time: string | null;
  error_msg: string | null;
  tracking_sql: string | null;
  error_category: string;
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

export async function getLoadJobs(executor: StatementExecutor, limit: number, state?: string, signal?: AbortSignal) {
  const probe = new Probe(executor, signal);
  const states = !state ? [] : state === 'COMMITTED' ? ['COMMITTED', 'COMMITED'] : [state];
  const rows = await (await LoadSource.open(probe)).recent(limit + 1, states);
  return {
    items: rows.slice(0, limit).map(parseLoad),
    count: Math.min(rows.length, limit),
    truncated: rows.length > limit,
    filters: { limit, state: state ?? null },
    issues: probe.degraded,
    sources: probe.sources,
  };
}

export async function getFailedLoadJobs(
  executor: StatementExecutor,
  hours: number,
  limit: number,
  signal?: AbortSignal,
) {
  const probe = new Probe(executor, signal);
  const loads = await LoadSource.open(probe);
  // The summary decides whether the history is readable; the list then uses the same source.
  const summary = await loads.window(hours);
  const list = { rows: await loads.failed(hours, limit + 1, summary.history), history: summary.history };
  const groups = summary.rows.map(parseGroup).filter((g) => g.state === 'CANCELLED');
  const byCategory: Record<string, number> = {};
  const byTable: Record<string, number> = {};
  for (const g of groups) {
    const c = errorCategory(g.error_msg, g.state);
    byCategory[c] = (byCategory[c] ?? 0) + g.loads;
    byTable[`${g.db}.${g.table}`] = (byTable[`${g.db}.${g.table}`] ?? 0) + g.loads;
  }
  const total = groups.reduce((a, g) => a + g.loads, 0);
  return {
    items: list.rows.slice(0, limit).map(parseLoad),
    count: Math.min(list.rows.length, limit),
    total_failed: total,
    truncated: list.rows.length > limit,
    filters: { hours, limit },
    by_category: byCategory,
    by_table: byTable,
    history_available: list.history,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

export async function checkLoadJobStatus(executor: StatementExecutor, label: string, signal?: AbortSignal) {
  const probe = new Probe(executor, signal);
  const { row, source } = await (await LoadSource.open(probe)).byLabel(label);
  if (!row) {
    return {
      status: 'NOT_FOUND' as const,
      label,
      source: null,
      job: null,
      metrics: null,
      recommendations: [],
      issues: probe.degraded,
      sources: probe.sources,
    };
  }
  const job = parseLoad(row);
  const start = parseDateTime(job.load_start_time);
  const finish = parseDateTime(job.load_finish_time);
  const created = parseDateTime(job.create_time);
  const loadS = start !== undefined && finish !== undefined ? (finish - start) / 1000 : null;
  const metrics = {
    load_duration_s: loadS,
    total_duration_s: created !== undefined && finish !== undefined ? (finish - created) / 1000 : null,
    throughput_mbps: loadS && job.scan_bytes ? round(job.scan_bytes / 1024 ** 2 / loadS, 2) : null,
    rows_per_s: loadS && job.scan_rows ? Math.round(job.scan_rows / loadS) : null,
    filter_ratio_pct: job.scan_rows
      ? round((((job.filtered_rows ?? 0) + (job.unselected_rows ?? 0)) / job.scan_rows) * 100, 1)
      : null,
  };
  const recommendations: string[] = [];
  if (job.state === 'CANCELLED') {
    recommendations.push(CATEGORY_ADVICE[job.error_category] ?? "Read the error message and the load's tracking log.");
    if (job.tracking_sql) recommendations.push(`Inspect the rejected rows: ${job.tracking_sql}`);
  }
  return {
    status: 'FOUND' as const,
    label,
    source,
    job,
    metrics,
    recommendations,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

export async function getStreamLoadStats(executor: StatementExecutor, hours: number, signal?: AbortSignal) {
  const probe = new Probe(executor, signal);
  const window = await (await LoadSource.open(probe)).window(hours);
  const { all_tables: _all, ...stats } = streamStats(window.rows.map(parseGroup), hours);
  return { ...stats, history_available: window.history, issues: probe.degraded, sources: probe.sources };
}

export async function getRoutineLoadJobs(executor: StatementExecutor, signal?: AbortSignal) {
  const probe = new Probe(executor, signal);
  const [clock, rows] = await Promise.all([readClock(probe), readRoutineJobs(probe)]);
  const jobs = (rows ?? []).map((r) => parseRoutineJob(r, clock));
  return {
    items: jobs,
    count: jobs.length,
    issues: [...routineIssues(jobs), ...probe.degraded],
    sources: probe.sources,
  };
}

export { LOAD_COLUMNS, STREAM_TYPES };
