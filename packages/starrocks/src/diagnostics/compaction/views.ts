import type { z } from 'zod';
import type { Row } from '../../executor.js';
import type {
  compactionHistoryItemSchema,
  compactionHistorySchema,
  compactionNodeSchema,
  compactionSnapshotSchema,
  compactionStatusSchema,
  compactionTxnSchema,
  highCompactionPartitionsSchema,
  highPartitionSchema,
  openTxnSchema,
  scoredPartitionSchema,
  scoreSummarySchema,
} from '../../tools/compaction.js';
import type { Clock } from '../common.js';
import { json, num, parseDateTime, round, text } from '../parse.js';
import { COMPACTION_THRESHOLDS } from './thresholds.js';

export type CompactionTxn = z.infer<typeof compactionTxnSchema>;
export type OpenCompactionTxn = z.infer<typeof openTxnSchema>;
export type CompactionNode = z.infer<typeof compactionNodeSchema>;
export type ScoredPartition = z.infer<typeof scoredPartitionSchema>;
export type HighPartition = z.infer<typeof highPartitionSchema>;
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;
export type CompactionHistoryItem = z.infer<typeof compactionHistoryItemSchema>;
export type CompactionSnapshot = z.infer<typeof compactionSnapshotSchema>;
export type CompactionStatus = z.infer<typeof compactionStatusSchema>;
export type HighCompactionPartitions = z.infer<typeof highCompactionPartitionsSchema>;
export type CompactionHistory = z.infer<typeof compactionHistorySchema>;

/** One tablet task of be_cloud_native_compactions (shared-data). */
export interface CompactionTask {
  node_id: string;
  txn_id: string;
  tablet_id: string;
  start: string | null;
  finish: string | null;
  progress: number;
  status: string | null;
  runs: number;
}

/** The lake_* FE settings the compaction rules read (undefined when not listed). */
export interface LakeConfig {
  ingestSlowdownScore: number | undefined;
  scoreUpperBound: number | undefined;
  maxTasks: number | undefined;
  historySize: number | undefined;
  failHistorySize: number | undefined;
}

/** An alive compute node with its core count (shared-data). */
export interface ComputeNodeCores {
  node_id: string;
  cpu_cores: number;
}

/** One CN's compact_threads setting. */
export interface CompactThreads {
  node_id: string;
  value: number | undefined;
}

/** One shared-nothing backend's be_compactions row. */
export interface BackendCompaction {
  node_id: string;
  candidates: number;
  running_base: number;
  running_cumulative: number;
  running_manual: number;
  latest_score: number | null;
  candidate_max_score: number | null;
}

/** be_tablets counters per backend (shared-nothing). */
export interface BackendRowsets {
  node_id: string;
  max_rowsets: number;
  over_warning: number;
  over_critical: number;
}

export function scoreBand(score: number): string {
  const t = COMPACTION_THRESHOLDS;
  if (score >= t.scoreEmergency) return 'EMERGENCY';
  if (score >= t.scoreCritical) return 'CRITICAL';
  if (score >= t.scoreWarning) return 'WARNING';
  if (score >= t.scoreOk) return 'OK';
  if (score >= t.scoreNormal) return 'NORMAL';
  return 'EXCELLENT';
}

/** Shared-nothing partitions are banded by their largest rowset count per tablet. */
export function rowsetBand(maxRowsets: number): string {
  const t = COMPACTION_THRESHOLDS;
  if (maxRowsets > t.rowsetsCritical) return 'CRITICAL';
  if (maxRowsets > t.rowsetsWarning) return 'WARNING';
  return 'OK';
}

export function parseTxn(r: Row): CompactionTxn {
  const start = text(r.StartTime) ?? null;
  const finish = text(r.FinishTime) ?? null;
  const s = parseDateTime(start);
  const f = parseDateTime(finish);
  return {
    partition: String(r.Partition ?? ''),
    txn_id: String(r.TxnID ?? ''),
    start,
    commit: text(r.CommitTime) ?? null,
    finish,
    error: text(r.Error) ?? null,
    duration_s: s !== undefined && f !== undefined ? (f - s) / 1000 : null,
    profile: json(r.Profile) ?? null,
  };
}

export const parseTask = (r: Row): CompactionTask => ({
  node_id: String(r.BE_ID),
  txn_id: String(r.TXN_ID),
  tablet_id: String(r.TABLET_ID),
  start: text(r.START_TIME) ?? null,
  finish: text(r.FINISH_TIME) ?? null,
  progress: num(r.PROGRESS) ?? 0,
  status: text(r.STATUS) ?? null,
  runs: num(r.RUNS) ?? 0,
});

export const parseScored = (r: Row): ScoredPartition => ({
  database: String(r.DB_NAME),
  table: String(r.TABLE_NAME),
  partition: String(r.PARTITION_NAME),
  partition_id: String(r.PARTITION_ID),
  max_score: num(r.MAX_CS) ?? 0,
  avg_score: num(r.AVG_CS) ?? null,
  p50_score: num(r.P50_CS) ?? null,
  band: scoreBand(num(r.MAX_CS) ?? 0),
});

export function parseLakeConfig(rows: readonly Row[] | undefined): LakeConfig {
  const value = (key: string) => num(rows?.find((r) => r.Key === key)?.Value);
  return {
    ingestSlowdownScore: value('lake_ingest_slowdown_threshold'),
    scoreUpperBound: value('lake_compaction_score_upper_bound'),
    maxTasks: value('lake_compaction_max_tasks'),
    historySize: value('lake_compaction_history_size'),
    failHistorySize: value('lake_compaction_fail_history_size'),
  };
}

export const aliveComputeNodes = (rows: readonly Row[] | undefined): ComputeNodeCores[] =>
  (rows ?? [])
    .filter((r) => String(r.Alive) === 'true')
    .map((r) => ({ node_id: String(r.ComputeNodeId), cpu_cores: num(r.CpuCores) ?? 0 }));

export const parseThreads = (r: Row): CompactThreads => ({ node_id: String(r.BE_ID), value: num(r.VALUE) });

export const parseBackendCompaction = (r: Row): BackendCompaction => ({
  node_id: String(r.BE_ID),
  candidates: num(r.CANDIDATES_NUM) ?? 0,
  running_base: num(r.BASE_COMPACTION_CONCURRENCY) ?? 0,
  running_cumulative: num(r.CUMULATIVE_COMPACTION_CONCURRENCY) ?? 0,
  running_manual: num(r.MANUAL_COMPACTION_CONCURRENCY) ?? 0,
  latest_score: num(r.LATEST_COMPACTION_SCORE) ?? null,
  candidate_max_score: num(r.CANDIDATE_MAX_SCORE) ?? null,
});

export const parseBackendRowsets = (r: Row): BackendRowsets => ({
  node_id: String(r.BE_ID),
  max_rowsets: num(r.max_rowsets) ?? 0,
  over_warning: num(r.over_100) ?? 0,
  over_critical: num(r.over_500) ?? 0,
});

const EMPTY_NODE: Omit<CompactionNode, 'node_id'> = {
  candidates: null,
  running_base: null,
  running_cumulative: null,
  running_manual: null,
  latest_score: null,
  candidate_max_score: null,
  started: null,
  queued: null,
  finished: null,
  avg_progress: null,
  max_runs: null,
  compact_threads: null,
};

/** A shared-nothing backend as a get_compaction_status node. */
export const backendNode = (b: BackendCompaction): CompactionNode => ({
  ...EMPTY_NODE,
  node_id: b.node_id,
  candidates: b.candidates,
  running_base: b.running_base,
  running_cumulative: b.running_cumulative,
  running_manual: b.running_manual,
  latest_score: b.latest_score,
  candidate_max_score: b.candidate_max_score,
});

/** Shared-data CNs as get_compaction_status nodes: their tasks counted by state. */
export function computeNodes(tasks: readonly CompactionTask[], threads: readonly CompactThreads[]): CompactionNode[] {
  const threadMap = new Map(threads.map((t) => [t.node_id, t.value ?? null]));
  const byNode = new Map<string, CompactionTask[]>();
  for (const t of tasks) byNode.set(t.node_id, [...(byNode.get(t.node_id) ?? []), t]);
  return [...byNode].map(([id, list]) => {
    const open = list.filter((t) => !t.finish);
    const started = open.filter((t) => t.start);
    return {
      ...EMPTY_NODE,
      node_id: id,
      started: started.length,
      queued: open.length - started.length,
      finished: list.length - open.length,
      avg_progress: started.length ? round(started.reduce((a, t) => a + t.progress, 0) / started.length, 1) : null,
      max_runs: Math.max(0, ...open.map((t) => t.runs)),
      compact_threads: threadMap.get(id) ?? null,
    };
  });
}

/** An open transaction with its phase, age and how many of its tablet tasks finished. */
export function openTxn(t: CompactionTxn, tasks: readonly CompactionTask[], clock: Clock): OpenCompactionTxn {
  const started = parseDateTime(t.start);
  return {
    ...t,
    phase: t.commit ? 'publishing' : 'running',
    running_minutes:
      clock.nowMs !== undefined && started !== undefined ? round((clock.nowMs - started) / 60_000, 1) : null,
    tablets_total: tasks.filter((x) => x.txn_id === t.txn_id).length,
    tablets_finished: tasks.filter((x) => x.txn_id === t.txn_id && x.finish).length,
  };
}

/** Task capacity: lake_compaction_max_tasks, or 16 per alive CN when it is adaptive (-1). */
export const taskCapacity = (lake: LakeConfig, aliveNodes: number): number | null =>
  lake.maxTasks === -1 ? COMPACTION_THRESHOLDS.adaptiveTasksPerNode * aliveNodes : (lake.maxTasks ?? null);

export const highPartition = (r: Row): HighPartition => ({
  ...parseScored(r),
  rows: num(r.ROW_COUNT) ?? null,
  data_bytes: num(r.DATA_SIZE) ?? null,
  buckets: num(r.BUCKETS) ?? null,
  visible_version_time: text(r.VISIBLE_VERSION_TIME) ?? null,
});

/** A shared-nothing partition scored by its largest rowset count per tablet. */
export const rowsetPartition = (r: Row): HighPartition => ({
  database: String(r.DB_NAME),
  table: String(r.TABLE_NAME),
  partition: String(r.PARTITION_NAME),
  partition_id: String(r.PARTITION_ID),
  max_score: num(r.max_rowsets) ?? 0,
  avg_score: num(r.avg_rowsets) ?? null,
  p50_score: null,
  band: rowsetBand(num(r.max_rowsets) ?? 0),
  rows: null,
  data_bytes: null,
  buckets: null,
  visible_version_time: null,
});

/** Summary of the listed partitions; `severity` names the band of the highest score (none listed: NONE). */
export function scoreSummary(items: readonly HighPartition[], severity: (maxScore: number) => string): ScoreSummary {
  const max = Math.max(0, ...items.map((p) => p.max_score));
  return {
    max_score: max,
    avg_score: items.length ? round(items.reduce((a, p) => a + p.max_score, 0) / items.length, 1) : 0,
    affected_tables: new Set(items.map((p) => `${p.database}.${p.table}`)).size,
    severity: items.length ? severity(max) : 'NONE',
  };
}

export function historyItem(t: CompactionTxn): CompactionHistoryItem {
  const before = json(t.profile?.score_before);
  const after = json(t.profile?.score_after);
  return {
    partition: t.partition,
    txn_id: t.txn_id,
    start: t.start,
    commit: t.commit,
    finish: t.finish,
    duration_s: t.duration_s,
    error: t.error,
    state: t.error ? 'FAILED' : t.finish ? 'FINISHED' : t.commit ? 'PUBLISHING' : 'RUNNING',
    score_before_max: num(before?.max) ?? null,
    score_after_max: num(after?.max) ?? null,
    sub_task_count: num(t.profile?.sub_task_count) ?? null,
    in_queue_sec: num(t.profile?.in_queue_sec) ?? null,
    read_remote_mb: num(t.profile?.read_remote_mb) ?? null,
  };
}

export const backendSnapshot = (b: BackendCompaction): CompactionSnapshot => ({
  node_id: b.node_id,
  candidates: b.candidates,
  running: b.running_base + b.running_cumulative,
  candidate_max_score: b.candidate_max_score,
});

/** The headline metrics of a shared-data compaction analysis. */
export function sharedDataMetrics(
  scored: readonly ScoredPartition[],
  tasks: readonly CompactionTask[],
  running: number,
  lake: LakeConfig,
  aliveNodes: number,
) {
  const t = COMPACTION_THRESHOLDS;
  const emergency = scored.filter((p) => p.max_score >= t.scoreEmergency);
  return {
    max_compaction_score: Math.max(0, ...scored.map((p) => p.max_score)),
    partitions_over_100: scored.filter((p) => p.max_score >= t.scoreWarning).length,
    partitions_over_500: scored.filter((p) => p.max_score >= t.scoreCritical).length,
    partitions_over_1000: emergency.length,
    running_tasks: running,
    queued_tasks: tasks.filter((x) => !x.start).length,
    task_capacity: taskCapacity(lake, aliveNodes),
    alive_compute_nodes: aliveNodes,
    hot_partitions: emergency.map((p) => ({
      database: p.database,
      table: p.table,
      partition: p.partition,
      max_score: p.max_score,
    })),
  };
}

/** The headline metrics of a shared-nothing compaction analysis. */
export function sharedNothingMetrics(rowsets: readonly BackendRowsets[], backends: readonly BackendCompaction[]) {
  return {
    max_rowsets_per_tablet: Math.max(0, ...rowsets.map((b) => b.max_rowsets)),
    tablets_over_100_rowsets: rowsets.reduce((a, b) => a + b.over_warning, 0),
    tablets_over_500_rowsets: rowsets.reduce((a, b) => a + b.over_critical, 0),
    max_candidate_score: Math.max(0, ...backends.map((b) => b.candidate_max_score ?? 0)),
    backends_reporting: rowsets.length,
    hot_partitions: [],
  };
}
