import type { StatementExecutor } from '../../executor.js';
import { clusterInfo } from '../architecture.js';
import { buildDiagnosis, readClock } from '../common.js';
import { STREAM_TYPES } from '../sql.js';
import { type Diagnosis, Probe } from '../types.js';
import { LoadSource, readRoutineJobs } from './loads-source.js';
import { CATEGORY_ADVICE, loadIssues, regularityIssues, routineIssues } from './rules.js';
import {
  type FailedLoadJobs,
  failureCounts,
  jobsByState,
  type LoadJobStatus,
  type LoadJobs,
  loadMetrics,
  parseGroup,
  parseLoad,
  parseRoutineJob,
  type RoutineLoadJobs,
  type StreamLoadStats,
  streamStats,
} from './views.js';

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
    routine_load_jobs_by_state: jobsByState(jobs),
  });
}

export async function getLoadJobs(
  executor: StatementExecutor,
  limit: number,
  state?: string,
  signal?: AbortSignal,
): Promise<LoadJobs> {
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
): Promise<FailedLoadJobs> {
  const probe = new Probe(executor, signal);
  const loads = await LoadSource.open(probe);
  // The summary decides whether the history is readable; the list then uses the same source.
  const summary = await loads.window(hours);
  const rows = await loads.failed(hours, limit + 1, summary.history);
  const counts = failureCounts(summary.rows.map(parseGroup));
  return {
    items: rows.slice(0, limit).map(parseLoad),
    count: Math.min(rows.length, limit),
    total_failed: counts.total,
    truncated: rows.length > limit,
    filters: { hours, limit },
    by_category: counts.byCategory,
    by_table: counts.byTable,
    history_available: summary.history,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

export async function checkLoadJobStatus(
  executor: StatementExecutor,
  label: string,
  signal?: AbortSignal,
): Promise<LoadJobStatus> {
  const probe = new Probe(executor, signal);
  const { row, source } = await (await LoadSource.open(probe)).byLabel(label);
  if (!row) {
    return {
      status: 'NOT_FOUND',
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
  const recommendations: string[] = [];
  if (job.state === 'CANCELLED') {
    recommendations.push(CATEGORY_ADVICE[job.error_category] ?? "Read the error message and the load's tracking log.");
    if (job.tracking_sql) recommendations.push(`Inspect the rejected rows: ${job.tracking_sql}`);
  }
  return {
    status: 'FOUND',
    label,
    source,
    job,
    metrics: loadMetrics(job),
    recommendations,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

export async function getStreamLoadStats(
  executor: StatementExecutor,
  hours: number,
  signal?: AbortSignal,
): Promise<StreamLoadStats> {
  const probe = new Probe(executor, signal);
  const window = await (await LoadSource.open(probe)).window(hours);
  const { all_tables: _all, ...stats } = streamStats(window.rows.map(parseGroup), hours);
  return { ...stats, history_available: window.history, issues: probe.degraded, sources: probe.sources };
}

export async function getRoutineLoadJobs(executor: StatementExecutor, signal?: AbortSignal): Promise<RoutineLoadJobs> {
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
