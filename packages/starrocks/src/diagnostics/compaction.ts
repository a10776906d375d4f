import type { Row, StatementExecutor } from '../executor.js';
import { clusterInfo } from './architecture.js';
import { buildDiagnosis, type Clock, readClock } from './common.js';
import { json, num, parseDateTime, round, text } from './parse.js';
import { SQL } from './sql.js';
import { type Diagnosis, type Issue, Probe } from './types.js';

export const CS = { warning: 100, critical: 500, emergency: 1000 } as const;
export const ROWSETS = { warning: 100, critical: 500 } as const;

export function scoreBand(score: number): string {
  if (score >= CS.emergency) return 'EMERGENCY';
  if (score >= CS.critical) return 'CRITICAL';
  if (score >= CS.warning) return 'WARNING';
  if (score >= 50) return 'OK';
  if (score >= 10) return 'NORMAL';
  return 'EXCELLENT';
}

export interface CompactionTxn {
  partition: string;
  txn_id: string;
  start: string | null;
  commit: string | null;
  finish: string | null;
  error: string | null;
  duration_s: number | null;
  profile: Record<string, unknown> | null;
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

const parseTask = (r: Row): CompactionTask => ({
  node_id: String(r.BE_ID),
  txn_id: String(r.TXN_ID),
  tablet_id: String(r.TABLET_ID),
  start: text(r.START_TIME) ?? null,
  finish: text(r.FINISH_TIME) ?? null,
  progress: num(r.PROGRESS) ?? 0,
  status: text(r.STATUS) ?? null,
  runs: num(r.RUNS) ?? 0,
});

const config = (rows: Row[] | undefined, key: string) => num(rows?.find((r) => r.Key === key)?.Value);

/** A profile counter summed over the transaction's tablets, per tablet. */
const perTablet = (t: CompactionTxn, key: string) =>
  (num(t.profile?.[key]) ?? 0) / Math.max(1, num(t.profile?.sub_task_count) ?? 1);

const profileEvidence = (t: CompactionTxn, key: string, derived: Record<string, unknown>) => ({
  txn_id: t.txn_id,
  partition: t.partition,
  [key]: t.profile?.[key],
  sub_task_count: t.profile?.sub_task_count,
  ...derived,
});

/** Transaction rules over SHOW PROC '/compactions': CMP-TXN-STUCK, CMP-PUBLISH-STUCK, CMP-TXN-FAILED, CMP-PROFILE-QUEUE/REMOTE-READ/REMOTE-WRITE. */
export function txnIssues(txns: CompactionTxn[], clock: Clock): Issue[] {
  const issues: Issue[] = [];
  const now = clock.nowMs;
  for (const t of txns) {
    const started = parseDateTime(t.start);
    if (!t.commit && !t.finish && !t.error && started !== undefined && now !== undefined) {
      const minutes = (now - started) / 60_000;
      if (minutes > 30) {
        issues.push({
          id: 'CMP-TXN-STUCK',
          severity: minutes > 120 ? 'critical' : 'warning',
          message: `Compaction txn ${t.txn_id} on ${t.partition} has run ${Math.round(minutes)} min without committing`,
          evidence: {
            txn_id: t.txn_id,
            partition: t.partition,
            start: t.start,
            minutes: round(minutes, 1),
            warning_min: 30,
            critical_min: 120,
          },
          recommendation: `Check information_schema.be_cloud_native_compactions for TXN_ID ${t.txn_id}; if it cannot finish, CANCEL COMPACTION WHERE TXN_ID = ${t.txn_id} on the leader FE.`,
        });
      }
    }
    const committed = parseDateTime(t.commit);
    if (committed !== undefined && !t.finish && now !== undefined && now - committed > 10 * 60_000) {
      issues.push({
        id: 'CMP-PUBLISH-STUCK',
        severity: 'warning',
        message: `Compaction txn ${t.txn_id} committed ${Math.round((now - committed) / 60_000)} min ago but is not published`,
        evidence: { txn_id: t.txn_id, partition: t.partition, commit: t.commit },
        recommendation: `Search the leader FE log for the publish failure of txn ${t.txn_id}.`,
      });
    }
  }
  const failed = txns.filter((t) => t.error);
  if (failed.length >= 3) {
    issues.push({
      id: 'CMP-TXN-FAILED',
      severity: 'warning',
      message: `${failed.length} compaction transactions failed in the FE history`,
      evidence: {
        failed: failed.slice(0, 10).map((t) => ({ txn_id: t.txn_id, partition: t.partition, error: t.error })),
      },
      recommendation:
        'Read the error texts; repeated failures on one partition usually point at a CN or object-store problem.',
    });
  }
  const queued = txns
    .map((t) => ({ t, perTablet: perTablet(t, 'in_queue_sec') }))
    .filter((x) => x.t.profile && x.perTablet > 60);
  if (queued.length) {
    issues.push({
      id: 'CMP-PROFILE-QUEUE',
      severity: 'warning',
      message: `Compaction tasks waited ${queued.map((x) => `${Math.round(x.perTablet)} s (txn ${x.t.txn_id})`).join(', ')} per tablet in queue (> 60 s)`,
      evidence: {
        txns: queued.map((x) => profileEvidence(x.t, 'in_queue_sec', { queue_s_per_tablet: round(x.perTablet, 1) })),
      },
      recommendation:
        'Not enough CN compaction threads for the work: raise compact_threads or reduce the number of tasks.',
    });
  }
  const remote = txns
    .map((t) => {
      const r = num(t.profile?.read_remote_mb) ?? 0;
      const l = num(t.profile?.read_local_mb) ?? 0;
      return { t, share: r + l > 0 ? (r / (r + l)) * 100 : 0 };
    })
    .filter((x) => x.share > 30);
  if (remote.length) {
    issues.push({
      id: 'CMP-PROFILE-REMOTE-READ',
      severity: 'warning',
      message: `Compaction read mostly from object storage (${remote.map((x) => `${round(x.share, 0)} % in txn ${x.t.txn_id}`).join(', ')})`,
      evidence: {
        txns: remote.map((x) => ({ txn_id: x.t.txn_id, remote_read_pct: round(x.share, 1) })),
        threshold_pct: 30,
      },
      recommendation: 'The data cache is too small or evicted: check DataCacheMetrics and the cache quota.',
    });
  }
  // write_remote_sec sums over the txn's tablets: per tablet, as a share of the txn's wall time.
  const writing = txns
    .map((t) => ({ t, share: t.duration_s ? (perTablet(t, 'write_remote_sec') / t.duration_s) * 100 : 0 }))
    .filter((x) => x.share > 90);
  if (writing.length) {
    issues.push({
      id: 'CMP-PROFILE-REMOTE-WRITE',
      severity: 'warning',
      message: `Compaction spent most of its time writing to object storage (${writing.map((x) => `${round(Math.min(x.share, 100), 0)} % in txn ${x.t.txn_id}`).join(', ')})`,
      evidence: {
        txns: writing.map((x) =>
          profileEvidence(x.t, 'write_remote_sec', { duration_s: x.t.duration_s, remote_write_pct: round(x.share, 1) }),
        ),
        threshold_pct: 90,
      },
      recommendation:
        'Object-store write latency dominates compaction: check the object store (throttling, network) from the CNs.',
    });
  }
  return issues;
}

/** Task rules over be_cloud_native_compactions: CMP-TASK-STALLED/SLOW, CMP-NODE-OVERLOAD, CMP-SUCCESS-RATE-LOW. */
export function taskIssues(
  tasks: CompactionTask[],
  clock: Clock,
): { issues: Issue[]; stalled: number; started: number } {
  const issues: Issue[] = [];
  const running = tasks.filter((t) => !t.finish && t.start);
  const stalled = running.filter((t) => t.progress < 50 && t.runs > 5);
  if (stalled.length) {
    issues.push({
      id: 'CMP-TASK-STALLED',
      severity: 'critical',
      message: `${stalled.length} compaction tasks are stalled (progress < 50 % after more than 5 runs)`,
      evidence: { tasks: stalled.slice(0, 10) },
      recommendation:
        'Check CN logs and resources; cancel the transaction (CANCEL COMPACTION WHERE TXN_ID = n) on the leader FE.',
    });
  }
  const slow = running.filter(
    (t) =>
      !stalled.includes(t) &&
      clock.nowMs !== undefined &&
      clock.nowMs - (parseDateTime(t.start) ?? clock.nowMs) > 2 * 3_600_000,
  );
  if (slow.length) {
    issues.push({
      id: 'CMP-TASK-SLOW',
      severity: 'warning',
      message: `${slow.length} compaction tasks have run for more than 2 hours`,
      evidence: { tasks: slow.slice(0, 10) },
      recommendation: 'Look at the transaction profile (remote reads, queueing).',
    });
  }
  const perNode = new Map<string, number>();
  for (const t of running) perNode.set(t.node_id, (perNode.get(t.node_id) ?? 0) + 1);
  const overloaded = [...perNode].filter(([, n]) => n > 8);
  if (overloaded.length) {
    issues.push({
      id: 'CMP-NODE-OVERLOAD',
      severity: 'warning',
      message: `Nodes running more than 8 compaction tasks: ${overloaded.map(([id, n]) => `${id} (${n})`).join(', ')}`,
      evidence: { running_per_node: Object.fromEntries(perNode), threshold: 8 },
      recommendation: 'Spread the load or raise compact_threads on those nodes.',
    });
  }
  const finished = tasks.filter((t) => t.finish).slice(-100);
  if (finished.length >= 10) {
    const ok = finished.filter((t) => t.progress >= 100 && !t.status).length;
    const rate = (ok / finished.length) * 100;
    if (rate < 90) {
      issues.push({
        id: 'CMP-SUCCESS-RATE-LOW',
        severity: 'warning',
        message: `Only ${round(rate, 1)} % of the last ${finished.length} compaction tasks succeeded (< 90 %)`,
        evidence: { finished: finished.length, succeeded: ok },
        recommendation: 'Read the STATUS texts of the failed tasks.',
      });
    }
  }
  return { issues, stalled: stalled.length, started: running.length };
}

interface ScoredPartition {
  database: string;
  table: string;
  partition: string;
  partition_id: string;
  max_score: number;
  avg_score: number | null;
  p50_score: number | null;
  band: string;
}

const parseScored = (r: Row): ScoredPartition => ({
  database: String(r.DB_NAME),
  table: String(r.TABLE_NAME),
  partition: String(r.PARTITION_NAME),
  partition_id: String(r.PARTITION_ID),
  max_score: num(r.MAX_CS) ?? 0,
  avg_score: num(r.AVG_CS) ?? null,
  p50_score: num(r.P50_CS) ?? null,
  band: scoreBand(num(r.MAX_CS) ?? 0),
});

async function sharedData(probe: Probe) {
  const [clock, partitions, threads, taskRows, txnRows, lake, nodes] = await Promise.all([
    readClock(probe),
    probe.optional(SQL.scoredPartitions(CS.warning, 200), 'Partition compaction scores'),
    probe.optional(SQL.compactThreads, 'compact_threads'),
    probe.optional(SQL.cloudNativeCompactions, 'Compaction tasks'),
    probe.optional(SQL.compactions, 'Compaction transactions'),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
    probe.optional(SQL.computeNodes, 'Compute nodes'),
  ]);
  const issues: Issue[] = [];
  const scored = (partitions ?? []).map(parseScored);
  const slowdown = config(lake, 'lake_ingest_slowdown_threshold') ?? 100;
  const upperBound = config(lake, 'lake_compaction_score_upper_bound') ?? 2000;
  const bands = [
    ['CMP-CS-EMERGENCY', 'critical', CS.emergency, Number.POSITIVE_INFINITY],
    ['CMP-CS-CRITICAL', 'critical', CS.critical, CS.emergency],
    ['CMP-CS-WARNING', 'warning', CS.warning, CS.critical],
  ] as const;
  for (const [id, severity, floor, ceiling] of bands) {
    const hit = scored.filter((p) => p.max_score >= floor && p.max_score < ceiling);
    if (!hit.length) continue;
    const worst = hit[0] as ScoredPartition;
    issues.push({
      id,
      severity,
      message: `${hit.length} partition(s) with compaction score >= ${floor}; worst ${worst.database}.${worst.table}.${worst.partition} at ${worst.max_score} (avg ${worst.avg_score})`,
      evidence: {
        partitions: hit.slice(0, 10),
        threshold: floor,
        lake_ingest_slowdown_threshold: slowdown,
        lake_compaction_score_upper_bound: upperBound,
      },
      recommendation:
        id === 'CMP-CS-WARNING'
          ? 'Monitor and batch loads into fewer, larger transactions.'
          : `Run ALTER TABLE ${worst.database}.${worst.table} COMPACT ${worst.partition} (at most 5 at a time) and slow the writers (>= 10 s between loads). Above ${slowdown} commits are throttled; at ${upperBound} loads are rejected.`,
    });
  }
  const nearBound = scored.filter((p) => p.max_score >= 0.8 * upperBound);
  if (nearBound.length) {
    issues.push({
      id: 'CMP-REJECT-RISK',
      severity: 'critical',
      message: `${nearBound.length} partition(s) are within 20 % of lake_compaction_score_upper_bound ${upperBound}`,
      evidence: { partitions: nearBound.slice(0, 10), upper_bound: upperBound },
      recommendation: 'Loads into these partitions will soon be rejected: compact them manually now.',
    });
  }
  const aliveNodes = (nodes ?? []).filter((r) => String(r.Alive) === 'true');
  const cores = new Map(aliveNodes.map((r) => [String(r.ComputeNodeId), num(r.CpuCores) ?? 0]));
  for (const r of threads ?? []) {
    const value = num(r.VALUE);
    const nodeCores = cores.get(String(r.BE_ID));
    if (value === undefined || !nodeCores) continue;
    const low = Math.max(4, Math.ceil(0.25 * nodeCores));
    const high = Math.min(64, Math.ceil(0.5 * nodeCores));
    if (value < low) {
      issues.push({
        id: 'CMP-THREADS-LOW',
        severity: value < 8 ? 'critical' : 'warning',
        message: `CN ${r.BE_ID} has compact_threads ${value} for ${nodeCores} cores (< ${low})`,
        evidence: { node_id: String(r.BE_ID), compact_threads: value, cpu_cores: nodeCores, recommended_min: low },
        recommendation: `UPDATE information_schema.be_configs SET VALUE = ${low} WHERE NAME = 'compact_threads' AND BE_ID = ${r.BE_ID}`,
      });
    } else if (value > high) {
      issues.push({
        id: 'CMP-THREADS-HIGH',
        severity: 'warning',
        message: `CN ${r.BE_ID} has compact_threads ${value} for ${nodeCores} cores (> ${high})`,
        evidence: { node_id: String(r.BE_ID), compact_threads: value, cpu_cores: nodeCores, recommended_max: high },
        recommendation: 'Lower compact_threads to protect query performance.',
      });
    }
  }
  const maxTasks = config(lake, 'lake_compaction_max_tasks');
  const capacity = maxTasks === -1 ? 16 * aliveNodes.length : (maxTasks ?? null);
  const severe = scored.filter((p) => p.max_score >= CS.critical).length;
  if (maxTasks === 0) {
    issues.push({
      id: 'CMP-DISABLED',
      severity: 'critical',
      message: 'Compaction is disabled (lake_compaction_max_tasks = 0)',
      evidence: { lake_compaction_max_tasks: 0 },
      recommendation: "ADMIN SET FRONTEND CONFIG ('lake_compaction_max_tasks' = '-1') to use adaptive capacity.",
    });
  } else if (maxTasks === -1) {
    issues.push({
      id: 'CMP-ADAPTIVE',
      severity: 'info',
      message: `lake_compaction_max_tasks is adaptive (-1): capacity ${capacity} tasks (16 × ${aliveNodes.length} alive CNs)`,
      evidence: { lake_compaction_max_tasks: -1, alive_compute_nodes: aliveNodes.length, capacity },
      recommendation: 'No action needed.',
    });
  } else if (maxTasks !== undefined) {
    const recommended = Math.max(8 * aliveNodes.length, Math.ceil(severe / 10), 64);
    if (maxTasks < recommended) {
      issues.push({
        id: 'CMP-MAX-TASKS-LOW',
        severity: maxTasks < recommended / 2 ? 'critical' : 'warning',
        message: `lake_compaction_max_tasks ${maxTasks} is below the recommended ${recommended}`,
        evidence: { lake_compaction_max_tasks: maxTasks, recommended },
        recommendation: 'Raise it, or set -1 for adaptive capacity.',
      });
    } else if (maxTasks > 3 * recommended) {
      issues.push({
        id: 'CMP-MAX-TASKS-HIGH',
        severity: 'warning',
        message: `lake_compaction_max_tasks ${maxTasks} is more than 3× the recommended ${recommended}`,
        evidence: { lake_compaction_max_tasks: maxTasks, recommended },
        recommendation: 'Lower it so compaction does not starve queries.',
      });
    }
  }
  const tasks = (taskRows ?? []).map(parseTask);
  const taskResult = taskIssues(tasks, clock);
  issues.push(...taskResult.issues);
  const perNode = aliveNodes.length ? taskResult.started / aliveNodes.length : 0;
  if (perNode > 8 || severe > 50) {
    issues.push({
      id: 'CMP-PRESSURE-HIGH',
      severity: 'critical',
      message: `High compaction pressure: ${round(perNode, 1)} running tasks per node, ${severe} partitions >= ${CS.critical}`,
      evidence: { tasks_per_node: round(perNode, 1), partitions_over_500: severe },
      recommendation: 'Throttle ingestion and compact the worst partitions first.',
    });
  } else if (perNode > 5 || severe > 20) {
    issues.push({
      id: 'CMP-PRESSURE-ELEVATED',
      severity: 'warning',
      message: `Elevated compaction pressure: ${round(perNode, 1)} running tasks per node, ${severe} partitions >= ${CS.critical}`,
      evidence: { tasks_per_node: round(perNode, 1), partitions_over_500: severe },
      recommendation: 'Watch the trend.',
    });
  }
  const txns = (txnRows ?? []).map(parseTxn);
  issues.push(...txnIssues(txns, clock));
  const emergency = scored.filter((p) => p.max_score >= CS.emergency);
  return {
    issues,
    deduction:
      3 * emergency.length +
      scored.filter((p) => p.max_score >= CS.critical && p.max_score < CS.emergency).length +
      5 * taskResult.stalled,
    metrics: {
      max_compaction_score: Math.max(0, ...scored.map((p) => p.max_score)),
      partitions_over_100: scored.length,
      partitions_over_500: severe,
      partitions_over_1000: emergency.length,
      running_tasks: taskResult.started,
      queued_tasks: tasks.filter((t) => !t.start).length,
      task_capacity: capacity,
      alive_compute_nodes: aliveNodes.length,
      hot_partitions: emergency.map((p) => ({
        database: p.database,
        table: p.table,
        partition: p.partition,
        max_score: p.max_score,
      })),
    },
  };
}

async function sharedNothing(probe: Probe) {
  const [compactions, perBackend, top] = await Promise.all([
    probe.optional(SQL.beCompactions, 'Backend compaction queues'),
    probe.optional(SQL.tabletsByBackend, 'Rowsets per backend'),
    probe.optional(SQL.topRowsetTablets, 'Tablets with most rowsets'),
  ]);
  const issues: Issue[] = [];
  const maxRowsets = Math.max(0, ...(perBackend ?? []).map((r) => num(r.max_rowsets) ?? 0));
  const over = (key: string) => (perBackend ?? []).reduce((a, r) => a + (num(r[key]) ?? 0), 0);
  const over100 = over('over_100');
  const over500 = over('over_500');
  if (over500 > 0) {
    issues.push({
      id: 'CMP-SN-ROWSET-CRIT',
      severity: 'critical',
      message: `${over500} tablet replicas have more than ${ROWSETS.critical} rowsets (max ${maxRowsets})`,
      evidence: { tablets_over_500: over500, max_rowsets: maxRowsets, top: (top ?? []).slice(0, 5) },
      recommendation:
        'Loads risk "too many versions" failures: batch loads and trigger manual compaction (POST http://<be>:8040/api/compact).',
    });
  } else if (over100 > 0) {
    issues.push({
      id: 'CMP-SN-ROWSET-WARN',
      severity: 'warning',
      message: `${over100} tablet replicas have more than ${ROWSETS.warning} rowsets (max ${maxRowsets})`,
      evidence: { tablets_over_100: over100, max_rowsets: maxRowsets },
      recommendation: 'Cumulative compaction is behind the load rate: batch loads, raise compaction concurrency.',
    });
  }
  const candidateScores = (compactions ?? []).map((r) => ({
    node_id: String(r.BE_ID),
    score: num(r.CANDIDATE_MAX_SCORE) ?? 0,
  }));
  for (const c of candidateScores.filter((x) => x.score >= CS.warning)) {
    issues.push({
      id: 'CMP-SN-CANDIDATE-SCORE',
      severity: c.score >= CS.critical ? 'critical' : 'warning',
      message: `BE ${c.node_id} has a compaction candidate with score ${c.score}`,
      evidence: { node_id: c.node_id, candidate_max_score: c.score, warning: CS.warning, critical: CS.critical },
      recommendation: 'Compaction on this backend is behind: batch loads and check its compaction threads.',
    });
  }
  const exploded = (top ?? []).filter((r) => {
    const n = num(r.NUM_ROWSET) ?? 0;
    return n > 100 && (num(r.DATA_SIZE) ?? 0) / n < 0.01 * 1024 * 1024;
  });
  if (exploded.length) {
    issues.push({
      id: 'CMP-SN-DELETE-EXPLOSION',
      severity: 'warning',
      message: `${exploded.length} tablets have many tiny rowsets (typical of frequent DELETEs on non-primary-key tables)`,
      evidence: { tablets: exploded.slice(0, 10) },
      recommendation: 'Batch DELETE statements; only base compaction clears them.',
    });
  }
  return {
    issues,
    deduction: 0,
    metrics: {
      max_rowsets_per_tablet: maxRowsets,
      tablets_over_100_rowsets: over100,
      tablets_over_500_rowsets: over500,
      max_candidate_score: Math.max(0, ...candidateScores.map((c) => c.score)),
      backends_reporting: (perBackend ?? []).length,
      hot_partitions: [],
    },
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

/** Per-node compaction state: queue columns on shared-nothing BEs, task counts on shared-data CNs. */
export interface CompactionNode {
  node_id: string;
  candidates: number | null;
  running_base: number | null;
  running_cumulative: number | null;
  running_manual: number | null;
  latest_score: number | null;
  candidate_max_score: number | null;
  started: number | null;
  queued: number | null;
  finished: number | null;
  avg_progress: number | null;
  max_runs: number | null;
  compact_threads: number | null;
}

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

export async function getCompactionStatus(executor: StatementExecutor, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_nothing') {
    const rows = (await probe.optional(SQL.beCompactions, 'Backend compaction queues')) ?? [];
    const nodes: CompactionNode[] = rows.map((r) => ({
      ...EMPTY_NODE,
      node_id: String(r.BE_ID),
      candidates: num(r.CANDIDATES_NUM) ?? 0,
      running_base: num(r.BASE_COMPACTION_CONCURRENCY) ?? 0,
      running_cumulative: num(r.CUMULATIVE_COMPACTION_CONCURRENCY) ?? 0,
      running_manual: num(r.MANUAL_COMPACTION_CONCURRENCY) ?? 0,
      latest_score: num(r.LATEST_COMPACTION_SCORE) ?? null,
      candidate_max_score: num(r.CANDIDATE_MAX_SCORE) ?? null,
    }));
    const issues: Issue[] = nodes
      .filter((n) => (n.candidate_max_score ?? 0) >= CS.warning)
      .map((n) => ({
        id: 'CMP-SN-CANDIDATE-SCORE',
        severity: (n.candidate_max_score ?? 0) >= CS.critical ? 'critical' : 'warning',
        message: `BE ${n.node_id} has a compaction candidate with score ${n.candidate_max_score}`,
        evidence: { ...n },
        recommendation: 'Compaction on this backend is behind: batch loads and check its compaction threads.',
      }));
    return {
      architecture: info.architecture,
      nodes,
      transactions: [],
      capacity: null,
      issues: [...issues, ...probe.degraded],
      sources: probe.sources,
    };
  }
  const [clock, txnRows, taskRows, lake, computeNodes, threads] = await Promise.all([
    readClock(probe),
    probe.optional(SQL.compactions, 'Compaction transactions'),
    probe.optional(SQL.cloudNativeCompactions, 'Compaction tasks'),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
    probe.optional(SQL.computeNodes, 'Compute nodes'),
    probe.optional(SQL.compactThreads, 'compact_threads'),
  ]);
  const tasks = (taskRows ?? []).map(parseTask);
  const threadMap = new Map((threads ?? []).map((r) => [String(r.BE_ID), num(r.VALUE) ?? null]));
  const byNode = new Map<string, CompactionTask[]>();
  for (const t of tasks) byNode.set(t.node_id, [...(byNode.get(t.node_id) ?? []), t]);
  const nodes: CompactionNode[] = [...byNode].map(([id, list]) => {
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
  const txns = (txnRows ?? []).map(parseTxn).filter((t) => !t.finish);
  const alive = (computeNodes ?? []).filter((r) => String(r.Alive) === 'true').length;
  const maxTasks = config(lake, 'lake_compaction_max_tasks');
  const taskResult = taskIssues(tasks, clock);
  const issues = [
    ...txnIssues(txns, clock).filter((i) => i.id.startsWith('CMP-TXN') || i.id === 'CMP-PUBLISH-STUCK'),
    ...taskResult.issues,
  ];
  return {
    architecture: info.architecture,
    nodes,
    transactions: txns.map((t) => ({
      ...t,
      phase: t.commit ? ('publishing' as const) : ('running' as const),
      running_minutes:
        clock.nowMs !== undefined && parseDateTime(t.start) !== undefined
          ? round((clock.nowMs - (parseDateTime(t.start) ?? 0)) / 60_000, 1)
          : null,
      tablets_total: tasks.filter((x) => x.txn_id === t.txn_id).length,
      tablets_finished: tasks.filter((x) => x.txn_id === t.txn_id && x.finish).length,
    })),
    capacity: maxTasks === -1 ? 16 * alive : (maxTasks ?? null),
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  };
}

/** Summary of the listed partitions; `severity` names the band of the highest score (none listed: NONE). */
function scoreSummary(
  items: { database: string; table: string; max_score: number }[],
  severity: (maxScore: number) => string,
) {
  const max = Math.max(0, ...items.map((p) => p.max_score));
  return {
    max_score: max,
    avg_score: items.length ? round(items.reduce((a, p) => a + p.max_score, 0) / items.length, 1) : 0,
    affected_tables: new Set(items.map((p) => `${p.database}.${p.table}`)).size,
    severity: items.length ? severity(max) : 'NONE',
  };
}

export async function getHighCompactionPartitions(
  executor: StatementExecutor,
  limit: number,
  minScore: number,
  signal?: AbortSignal,
) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_data') {
    const rows = await probe.query(SQL.scoredPartitions(minScore, limit + 1));
    const items = rows.slice(0, limit).map((r) => ({
      ...parseScored(r),
      rows: num(r.ROW_COUNT) ?? null,
      data_bytes: num(r.DATA_SIZE) ?? null,
      buckets: num(r.BUCKETS) ?? null,
      visible_version_time: text(r.VISIBLE_VERSION_TIME) ?? null,
    }));
    return {
      architecture: info.architecture,
      score_kind: 'compaction_score' as const,
      items,
      count: items.length,
      truncated: rows.length > limit,
      summary: scoreSummary(items, scoreBand),
      sources: probe.sources,
    };
  }
  // Shared-nothing partitions_meta scores are always 0; the rowset count per tablet is the signal.
  const rows = await probe.query(SQL.rowsetPartitions(minScore, limit + 1));
  const items = rows.slice(0, limit).map((r) => ({
    database: String(r.DB_NAME),
    table: String(r.TABLE_NAME),
    partition: String(r.PARTITION_NAME),
    partition_id: String(r.PARTITION_ID),
    max_score: num(r.max_rowsets) ?? 0,
    avg_score: num(r.avg_rowsets) ?? null,
    p50_score: null,
    band:
      (num(r.max_rowsets) ?? 0) > ROWSETS.critical
        ? 'CRITICAL'
        : (num(r.max_rowsets) ?? 0) > ROWSETS.warning
          ? 'WARNING'
          : 'OK',
    rows: null,
    data_bytes: null,
    buckets: null,
    visible_version_time: null,
  }));
  return {
    architecture: info.architecture,
    score_kind: 'max_rowset_count' as const,
    items,
    count: items.length,
    truncated: rows.length > limit,
    // Rows come highest first, so the first row's band is the worst.
    summary: scoreSummary(items, () => items[0]?.band ?? 'NONE'),
    sources: probe.sources,
  };
}

export async function getCompactionHistory(executor: StatementExecutor, hours: number, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_nothing') {
    const rows = (await probe.optional(SQL.beCompactions, 'Backend compaction queues')) ?? [];
    return {
      architecture: info.architecture,
      status: 'LIMITED' as const,
      note: 'Shared-nothing clusters keep no compaction history in SQL; this is the current per-backend snapshot.',
      items: [],
      snapshot: rows.map((r) => ({
        node_id: String(r.BE_ID),
        candidates: num(r.CANDIDATES_NUM) ?? 0,
        running: (num(r.BASE_COMPACTION_CONCURRENCY) ?? 0) + (num(r.CUMULATIVE_COMPACTION_CONCURRENCY) ?? 0),
        candidate_max_score: num(r.CANDIDATE_MAX_SCORE) ?? null,
      })),
      sources: probe.sources,
    };
  }
  const [clock, txnRows, lake] = await Promise.all([
    readClock(probe),
    probe.query(SQL.compactions),
    probe.optional(SQL.lakeConfig, 'Lake compaction configuration'),
  ]);
  const since = clock.nowMs !== undefined ? clock.nowMs - hours * 3_600_000 : undefined;
  const items = txnRows
    .map(parseTxn)
    .filter((t) => since === undefined || (parseDateTime(t.start) ?? since) >= since)
    .map((t) => {
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
        state: (t.error ? 'FAILED' : t.finish ? 'FINISHED' : t.commit ? 'PUBLISHING' : 'RUNNING') as
          | 'FAILED'
          | 'FINISHED'
          | 'PUBLISHING'
          | 'RUNNING',
        score_before_max: num(before?.max) ?? null,
        score_after_max: num(after?.max) ?? null,
        sub_task_count: num(t.profile?.sub_task_count) ?? null,
        in_queue_sec: num(t.profile?.in_queue_sec) ?? null,
        read_remote_mb: num(t.profile?.read_remote_mb) ?? null,
      };
    });
  return {
    architecture: info.architecture,
    status: 'OK' as const,
    note: `The leader FE keeps only the last ${config(lake, 'lake_compaction_history_size') ?? '?'} successful and ${config(lake, 'lake_compaction_fail_history_size') ?? '?'} failed compactions in memory (lost on FE restart).`,
    items,
    snapshot: [],
    sources: probe.sources,
  };
}
