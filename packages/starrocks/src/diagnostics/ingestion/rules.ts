import type { Row } from '../../executor.js';
import type { Clock } from '../common.js';
import { num, parseDateTime, round } from '../parse.js';
import type { Issue } from '../types.js';
import { INGESTION_THRESHOLDS } from './thresholds.js';
import type { LoadGroup, RoutineJob, WindowStats } from './views.js';

/** Every rule id the ingestion expert reports, each defined once. */
export const INGESTION_RULE_IDS = {
  FAILURE_RATE_HIGH: 'ING-FAILURE-RATE-HIGH',
  FAILURE_RATE_MODERATE: 'ING-FAILURE-RATE-MODERATE',
  FREQUENT_FAILURES: 'ING-FREQUENT-FAILURES',
  RECURRING_ERROR: 'ING-RECURRING-ERROR',
  SLOW_LOADS: 'ING-SLOW-LOADS',
  QUEUE_BACKLOG: 'ING-QUEUE-BACKLOG',
  QUEUE_BUILDUP: 'ING-QUEUE-BUILDUP',
  LONG_RUNNING: 'ING-LONG-RUNNING',
  FILTER_RATIO: 'ING-FILTER-RATIO',
  HIGH_FREQ_TABLES: 'ING-HIGH-FREQ-TABLES',
  HIGH_VOLUME_TABLE: 'ING-HIGH-VOLUME-TABLE',
  IRREGULAR: 'ING-IRREGULAR',
  /** A degraded source rather than a finding: the load history could not be read. */
  HISTORY_UNAVAILABLE: 'ING-HISTORY-UNAVAILABLE',
  RL_PAUSED: 'RL-PAUSED',
  RL_CANCELLED: 'RL-CANCELLED',
  RL_STOPPED: 'RL-STOPPED',
  RL_UNSTABLE: 'RL-UNSTABLE',
  RL_LAG: 'RL-LAG',
  RL_ERROR_ROWS: 'RL-ERROR-ROWS',
} as const;

const R = INGESTION_RULE_IDS;

/** Load states that mean "waiting for a slot" (ING-QUEUE-*). */
const WAITING_STATES = new Set(['PENDING', 'QUEUEING', 'BEGIN', 'BEFORE_LOAD']);

/** The failure category of a load: the first pattern that matches the lower-cased error text wins. */
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

/** What to do about the failures of one category. */
export const CATEGORY_ADVICE: Record<string, string> = {
  data_quality:
    "Rows are rejected: run the load's TRACKING_SQL, fix the upstream format, or raise max_filter_ratio only if the bad rows are acceptable.",
  timeout: 'Loads time out: check BRPC / network health between BEs and raise the load timeout for large batches.',
  compaction_lag: 'Too many versions: compaction is behind; batch loads and check compaction health.',
  resource: 'Memory or slot exhaustion on the BEs: reduce concurrency or batch size.',
  disk_full: 'A disk is full: free space (see analyze_storage_health).',
  network: 'Network failures between client, FE and BEs: check connectivity.',
  replica_unavailable: 'Not enough alive replicas: check dead backends and tablet health.',
};

/** RL-PAUSED, RL-CANCELLED, RL-UNSTABLE, RL-LAG, RL-ERROR-ROWS, RL-STOPPED. */
export function routineIssues(jobs: RoutineJob[]): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const issues: Issue[] = [];
  for (const j of jobs) {
    const name = `${j.db}.${j.name}`;
    const lagEvidence = { offset_lag_total: j.offset_lag_total, timestamp_lag_s: j.timestamp_lag_s };
    if (j.state === 'PAUSED') {
      issues.push({
        id: R.RL_PAUSED,
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
        id: R.RL_CANCELLED,
        severity: 'critical',
        message: `Routine load ${name} is CANCELLED (${j.other_msg ?? j.reason ?? 'no message'})`,
        evidence: { job: name, end_time: j.end_time, reason: j.reason, other_msg: j.other_msg },
        recommendation: 'A cancelled job cannot be resumed: recreate it from the last committed offsets.',
      });
    } else if (j.state === 'STOPPED') {
      issues.push({
        id: R.RL_STOPPED,
        severity: 'info',
        message: `Routine load ${name} was stopped by a user`,
        evidence: { job: name, end_time: j.end_time },
        recommendation: 'No action unless the job should still run.',
      });
    }
    if (j.state === 'UNSTABLE') {
      issues.push({
        id: R.RL_UNSTABLE,
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
        id: R.RL_LAG,
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
        id: R.RL_ERROR_ROWS,
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

export function loadIssues(groups: LoadGroup[], stats: WindowStats, inFlight: Row[], clock: Clock): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const issues: Issue[] = [];
  const window = `${stats.window_hours} h`;
  if (stats.failure_rate_pct > t.failureRateCriticalPct || stats.failure_rate_pct > t.failureRateWarningPct) {
    const critical = stats.failure_rate_pct > t.failureRateCriticalPct;
    issues.push({
      id: critical ? R.FAILURE_RATE_HIGH : R.FAILURE_RATE_MODERATE,
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
      id: R.FREQUENT_FAILURES,
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
      id: R.RECURRING_ERROR,
      severity: 'warning',
      message: `${count} loads failed with ${category} errors (e.g. "${sample ?? 'no message'}")`,
      evidence: { category, count, sample, threshold: t.recurringError },
      recommendation: CATEGORY_ADVICE[category] ?? 'Read the error messages of the failed loads.',
    });
  }
  if ((stats.avg_load_s ?? 0) > t.slowLoadSeconds) {
    issues.push({
      id: R.SLOW_LOADS,
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
      id: critical ? R.QUEUE_BACKLOG : R.QUEUE_BUILDUP,
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
      id: R.LONG_RUNNING,
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
      id: R.FILTER_RATIO,
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
      id: R.HIGH_FREQ_TABLES,
      severity: 'warning',
      message: `${frequent.length} tables receive a stream load more often than every ${t.highFrequencyIntervalSeconds} s`,
      evidence: { tables: frequent.map((x) => ({ table: `${x.db}.${x.table}`, mean_interval_s: x.mean_interval_s })) },
      recommendation: 'Merge small batches: load at most every 10 s with at least 100 rows per load.',
    });
  }
  for (const x of stats.all_tables.filter((y) => y.loads > t.highVolumeLoads)) {
    issues.push({
      id: R.HIGH_VOLUME_TABLE,
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
 * (CV = stddev / mean); fires when more than `irregularTablesPct` of the tables with at least `irregularMinGaps` gaps
 * score below `irregularScore`.
 */
export function regularityIssues(intervals: Row[]): Issue[] {
  const t = INGESTION_THRESHOLDS;
  const tables = intervals
    .filter((r) => (num(r.intervals) ?? 0) >= t.irregularMinGaps && (num(r.mean_gap_s) ?? 0) > 0)
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
      id: R.IRREGULAR,
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
