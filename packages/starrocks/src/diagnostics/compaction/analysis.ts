import type { StatementExecutor } from '../../executor.js';
import { clusterInfo } from '../architecture.js';
import { buildDiagnosis, readClock } from '../common.js';
import { parseDateTime } from '../parse.js';
import { SQL } from '../sql.js';
import { type Diagnosis, Probe } from '../types.js';
import { candidateScoreIssues, sharedDataIssues, sharedNothingIssues, taskIssues, txnStateIssues } from './rules.js';
import { COMPACTION_THRESHOLDS } from './thresholds.js';
import {
  aliveComputeNodes,
  backendNode,
  backendSnapshot,
  type CompactionHistory,
  type CompactionStatus,
  computeNodes,
  type HighCompactionPartitions,
  highPartition,
  historyItem,
  openTxn,
  parseBackendCompaction,
  parseBackendRowsets,
  parseLakeConfig,
  parseScored,
  parseTask,
  parseThreads,
  parseTxn,
  rowsetPartition,
  scoreBand,
  scoreSummary,
  sharedDataMetrics,
  sharedNothingMetrics,
  taskCapacity,
} from './views.js';

/** Partitions read for the analysis: the worst ones at or above the warning score. */
const SCORED_PARTITIONS_READ = 200;

async function sharedData(probe: Probe) {
  const [clock, partitions, threads, taskRows, txnRows, lakeRows, nodeRows] = await Promise.all([
    readClock(probe),
    probe.optional(
      SQL.scoredPartitions(COMPACTION_THRESHOLDS.scoreWarning, SCORED_PARTITIONS_READ),
      'Partition compaction scores',
    ),
    probe.optional(SQL.compactThreads, 'compact_threads'),
    probe.optional(SQL.cloudNativeCompactions, 'Compaction tasks'),
    probe.optional(SQL.compactions, 'Compaction transactions'),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
    probe.optional(SQL.computeNodes, 'Compute nodes'),
  ]);
  const scored = (partitions ?? []).map(parseScored);
  const tasks = (taskRows ?? []).map(parseTask);
  const lake = parseLakeConfig(lakeRows);
  const aliveNodes = aliveComputeNodes(nodeRows);
  const { issues, deduction, running } = sharedDataIssues({
    clock,
    scored,
    threads: (threads ?? []).map(parseThreads),
    tasks,
    txns: (txnRows ?? []).map(parseTxn),
    lake,
    aliveNodes,
  });
  return { issues, deduction, metrics: sharedDataMetrics(scored, tasks, running, lake, aliveNodes.length) };
}

async function sharedNothing(probe: Probe) {
  const [compactions, perBackend, top] = await Promise.all([
    probe.optional(SQL.beCompactions, 'Backend compaction queues'),
    probe.optional(SQL.tabletsByBackend, 'Rowsets per backend'),
    probe.optional(SQL.topRowsetTablets, 'Tablets with most rowsets'),
  ]);
  const rowsets = (perBackend ?? []).map(parseBackendRowsets);
  const backends = (compactions ?? []).map(parseBackendCompaction);
  return {
    issues: sharedNothingIssues(rowsets, backends, top ?? []),
    deduction: 0,
    metrics: sharedNothingMetrics(rowsets, backends),
  };
}

export async function analyzeCompaction(executor: StatementExecutor, signal?: AbortSignal): Promise<Diagnosis> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const result = info.architecture === 'shared_data' ? await sharedData(probe) : await sharedNothing(probe);
  return buildDiagnosis(
    'analyze_compaction_health',
    'compaction',
    info,
    probe,
    result.issues,
    result.metrics,
    result.deduction,
  );
}

export async function getCompactionStatus(
  executor: StatementExecutor,
  signal?: AbortSignal,
): Promise<CompactionStatus> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_nothing') {
    const rows = (await probe.optional(SQL.beCompactions, 'Backend compaction queues')) ?? [];
    const backends = rows.map(parseBackendCompaction);
    return {
      architecture: info.architecture,
      nodes: backends.map(backendNode),
      transactions: [],
      capacity: null,
      issues: [...candidateScoreIssues(backends), ...probe.degraded],
      sources: probe.sources,
    };
  }
  const [clock, txnRows, taskRows, lakeRows, nodeRows, threads] = await Promise.all([
    readClock(probe),
    probe.optional(SQL.compactions, 'Compaction transactions'),
    probe.optional(SQL.cloudNativeCompactions, 'Compaction tasks'),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
    probe.optional(SQL.computeNodes, 'Compute nodes'),
    probe.optional(SQL.compactThreads, 'compact_threads'),
  ]);
  const tasks = (taskRows ?? []).map(parseTask);
  const open = (txnRows ?? []).map(parseTxn).filter((t) => !t.finish);
  const issues = [...txnStateIssues(open, clock), ...taskIssues(tasks, clock).issues];
  return {
    architecture: info.architecture,
    nodes: computeNodes(tasks, (threads ?? []).map(parseThreads)),
    transactions: open.map((t) => openTxn(t, tasks, clock)),
    capacity: taskCapacity(parseLakeConfig(lakeRows), aliveComputeNodes(nodeRows).length),
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  };
}

export async function getHighCompactionPartitions(
  executor: StatementExecutor,
  limit: number,
  minScore: number,
  signal?: AbortSignal,
): Promise<HighCompactionPartitions> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_data') {
    const rows = await probe.query(SQL.scoredPartitions(minScore, limit + 1));
    const items = rows.slice(0, limit).map(highPartition);
    return {
      architecture: info.architecture,
      score_kind: 'compaction_score',
      items,
      count: items.length,
      truncated: rows.length > limit,
      summary: scoreSummary(items, scoreBand),
      sources: probe.sources,
    };
  }
  // Shared-nothing partitions_meta scores are always 0; the rowset count per tablet is the signal.
  const rows = await probe.query(SQL.rowsetPartitions(minScore, limit + 1));
  const items = rows.slice(0, limit).map(rowsetPartition);
  return {
    architecture: info.architecture,
    score_kind: 'max_rowset_count',
    items,
    count: items.length,
    truncated: rows.length > limit,
    // Rows come highest first, so the first row's band is the worst.
    summary: scoreSummary(items, () => items[0]?.band ?? 'NONE'),
    sources: probe.sources,
  };
}

export async function getCompactionHistory(
  executor: StatementExecutor,
  hours: number,
  signal?: AbortSignal,
): Promise<CompactionHistory> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_nothing') {
    const rows = (await probe.optional(SQL.beCompactions, 'Backend compaction queues')) ?? [];
    return {
      architecture: info.architecture,
      status: 'LIMITED',
      note: 'Shared-nothing clusters keep no compaction history in SQL; this is the current per-backend snapshot.',
      items: [],
      snapshot: rows.map(parseBackendCompaction).map(backendSnapshot),
      sources: probe.sources,
    };
  }
  const [clock, txnRows, lakeRows] = await Promise.all([
    readClock(probe),
    probe.query(SQL.compactions),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
  ]);
  const lake = parseLakeConfig(lakeRows);
  const since = clock.nowMs !== undefined ? clock.nowMs - hours * 3_600_000 : undefined;
  const items = txnRows
    .map(parseTxn)
    .filter((t) => since === undefined || (parseDateTime(t.start) ?? since) >= since)
    .map(historyItem);
  return {
    architecture: info.architecture,
    status: 'OK',
    note: `The leader FE keeps only the last ${lake.historySize ?? '?'} successful and ${lake.failHistorySize ?? '?'} failed compactions in memory (lost on FE restart).`,
    items,
    snapshot: [],
    sources: probe.sources,
  };
}
