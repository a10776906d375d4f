import type { Row } from '../../executor.js';
import type { Clock } from '../common.js';
import { num, parseDateTime, round } from '../parse.js';
import type { Issue } from '../types.js';
import { COMPACTION_THRESHOLDS } from './thresholds.js';
import {
  type BackendCompaction,
  type BackendRowsets,
  type CompactionTask,
  type CompactionTxn,
  type CompactThreads,
  type ComputeNodeCores,
  type LakeConfig,
  type ScoredPartition,
  taskCapacity,
} from './views.js';

/** Every rule id the compaction expert reports, each defined once. */
export const COMPACTION_RULE_IDS = {
  CS_EMERGENCY: 'CMP-CS-EMERGENCY',
  CS_CRITICAL: 'CMP-CS-CRITICAL',
  CS_WARNING: 'CMP-CS-WARNING',
  REJECT_RISK: 'CMP-REJECT-RISK',
  THREADS_LOW: 'CMP-THREADS-LOW',
  THREADS_HIGH: 'CMP-THREADS-HIGH',
  DISABLED: 'CMP-DISABLED',
  ADAPTIVE: 'CMP-ADAPTIVE',
  MAX_TASKS_LOW: 'CMP-MAX-TASKS-LOW',
  MAX_TASKS_HIGH: 'CMP-MAX-TASKS-HIGH',
  TASK_STALLED: 'CMP-TASK-STALLED',
  TASK_SLOW: 'CMP-TASK-SLOW',
  NODE_OVERLOAD: 'CMP-NODE-OVERLOAD',
  SUCCESS_RATE_LOW: 'CMP-SUCCESS-RATE-LOW',
  PRESSURE_HIGH: 'CMP-PRESSURE-HIGH',
  PRESSURE_ELEVATED: 'CMP-PRESSURE-ELEVATED',
  TXN_STUCK: 'CMP-TXN-STUCK',
  PUBLISH_STUCK: 'CMP-PUBLISH-STUCK',
  TXN_FAILED: 'CMP-TXN-FAILED',
  PROFILE_QUEUE: 'CMP-PROFILE-QUEUE',
  PROFILE_REMOTE_READ: 'CMP-PROFILE-REMOTE-READ',
  PROFILE_REMOTE_WRITE: 'CMP-PROFILE-REMOTE-WRITE',
  SN_ROWSET_CRIT: 'CMP-SN-ROWSET-CRIT',
  SN_ROWSET_WARN: 'CMP-SN-ROWSET-WARN',
  SN_CANDIDATE_SCORE: 'CMP-SN-CANDIDATE-SCORE',
  SN_DELETE_EXPLOSION: 'CMP-SN-DELETE-EXPLOSION',
} as const;

const R = COMPACTION_RULE_IDS;
const T = COMPACTION_THRESHOLDS;

/** The upper bound and slowdown score in force (FE defaults when the settings cannot be read). */
const scoreLimits = (lake: LakeConfig) => ({
  slowdown: lake.ingestSlowdownScore ?? T.defaultIngestSlowdownScore,
  upperBound: lake.scoreUpperBound ?? T.defaultScoreUpperBound,
});

/** CMP-CS-EMERGENCY / CRITICAL / WARNING (each partition in its highest band) and CMP-REJECT-RISK. */
export function partitionScoreIssues(scored: readonly ScoredPartition[], lake: LakeConfig): Issue[] {
  const issues: Issue[] = [];
  const { slowdown, upperBound } = scoreLimits(lake);
  const bands = [
    [R.CS_EMERGENCY, 'critical', T.scoreEmergency, Number.POSITIVE_INFINITY],
    [R.CS_CRITICAL, 'critical', T.scoreCritical, T.scoreEmergency],
    [R.CS_WARNING, 'warning', T.scoreWarning, T.scoreCritical],
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
        id === R.CS_WARNING
          ? 'Monitor and batch loads into fewer, larger transactions.'
          : `Run ALTER TABLE ${worst.database}.${worst.table} COMPACT ${worst.partition} (at most 5 at a time) and slow the writers (>= 10 s between loads). Above ${slowdown} commits are throttled; at ${upperBound} loads are rejected.`,
    });
  }
  const nearBound = scored.filter((p) => p.max_score >= T.rejectRiskShare * upperBound);
  if (nearBound.length) {
    issues.push({
      id: R.REJECT_RISK,
      severity: 'critical',
      message: `${nearBound.length} partition(s) are within ${round((1 - T.rejectRiskShare) * 100, 0)} % of lake_compaction_score_upper_bound ${upperBound}`,
      evidence: { partitions: nearBound.slice(0, 10), upper_bound: upperBound },
      recommendation: 'Loads into these partitions will soon be rejected: compact them manually now.',
    });
  }
  return issues;
}

/** CMP-THREADS-LOW / CMP-THREADS-HIGH: compact_threads against the cores of each alive CN. */
export function threadIssues(threads: readonly CompactThreads[], nodes: readonly ComputeNodeCores[]): Issue[] {
  const issues: Issue[] = [];
  const cores = new Map(nodes.map((n) => [n.node_id, n.cpu_cores]));
  for (const { node_id, value } of threads) {
    const nodeCores = cores.get(node_id);
    if (value === undefined || !nodeCores) continue;
    const low = Math.max(T.threadsMinFloor, Math.ceil(T.threadsMinCoreShare * nodeCores));
    const high = Math.min(T.threadsMaxCeiling, Math.ceil(T.threadsMaxCoreShare * nodeCores));
    if (value < low) {
      issues.push({
        id: R.THREADS_LOW,
        severity: value < T.threadsCritical ? 'critical' : 'warning',
        message: `CN ${node_id} has compact_threads ${value} for ${nodeCores} cores (< ${low})`,
        evidence: { node_id, compact_threads: value, cpu_cores: nodeCores, recommended_min: low },
        recommendation: `UPDATE information_schema.be_configs SET VALUE = ${low} WHERE NAME = 'compact_threads' AND BE_ID = ${node_id}`,
      });
    } else if (value > high) {
      issues.push({
        id: R.THREADS_HIGH,
        severity: 'warning',
        message: `CN ${node_id} has compact_threads ${value} for ${nodeCores} cores (> ${high})`,
        evidence: { node_id, compact_threads: value, cpu_cores: nodeCores, recommended_max: high },
        recommendation: 'Lower compact_threads to protect query performance.',
      });
    }
  }
  return issues;
}

/** CMP-DISABLED, CMP-ADAPTIVE, CMP-MAX-TASKS-LOW / HIGH: lake_compaction_max_tasks against the alive CNs and the backlog. */
export function capacityIssues(lake: LakeConfig, aliveNodes: number, severePartitions: number): Issue[] {
  const { maxTasks } = lake;
  if (maxTasks === 0) {
    return [
      {
        id: R.DISABLED,
        severity: 'critical',
        message: 'Compaction is disabled (lake_compaction_max_tasks = 0)',
        evidence: { lake_compaction_max_tasks: 0 },
        recommendation: "ADMIN SET FRONTEND CONFIG ('lake_compaction_max_tasks' = '-1') to use adaptive capacity.",
      },
    ];
  }
  if (maxTasks === -1) {
    const capacity = taskCapacity(lake, aliveNodes);
    return [
      {
        id: R.ADAPTIVE,
        severity: 'info',
        message: `lake_compaction_max_tasks is adaptive (-1): capacity ${capacity} tasks (${T.adaptiveTasksPerNode} × ${aliveNodes} alive CNs)`,
        evidence: { lake_compaction_max_tasks: -1, alive_compute_nodes: aliveNodes, capacity },
        recommendation: 'No action needed.',
      },
    ];
  }
  if (maxTasks === undefined) return [];
  const recommended = Math.max(
    T.maxTasksPerNode * aliveNodes,
    Math.ceil(severePartitions / T.maxTasksPerSeverePartitions),
    T.maxTasksFloor,
  );
  if (maxTasks < recommended) {
    return [
      {
        id: R.MAX_TASKS_LOW,
        severity: maxTasks < recommended / 2 ? 'critical' : 'warning',
        message: `lake_compaction_max_tasks ${maxTasks} is below the recommended ${recommended}`,
        evidence: { lake_compaction_max_tasks: maxTasks, recommended },
        recommendation: 'Raise it, or set -1 for adaptive capacity.',
      },
    ];
  }
  if (maxTasks > T.maxTasksHighFactor * recommended) {
    return [
      {
        id: R.MAX_TASKS_HIGH,
        severity: 'warning',
        message: `lake_compaction_max_tasks ${maxTasks} is more than ${T.maxTasksHighFactor}× the recommended ${recommended}`,
        evidence: { lake_compaction_max_tasks: maxTasks, recommended },
        recommendation: 'Lower it so compaction does not starve queries.',
      },
    ];
  }
  return [];
}

/** Task rules over be_cloud_native_compactions: CMP-TASK-STALLED / SLOW, CMP-NODE-OVERLOAD, CMP-SUCCESS-RATE-LOW. */
export function taskIssues(
  tasks: readonly CompactionTask[],
  clock: Clock,
): { issues: Issue[]; stalled: number; started: number } {
  const issues: Issue[] = [];
  const running = tasks.filter((t) => !t.finish && t.start);
  const stalled = running.filter((t) => t.progress < T.taskStalledProgressPct && t.runs > T.taskStalledRuns);
  if (stalled.length) {
    issues.push({
      id: R.TASK_STALLED,
      severity: 'critical',
      message: `${stalled.length} compaction tasks are stalled (progress < ${T.taskStalledProgressPct} % after more than ${T.taskStalledRuns} runs)`,
      evidence: { tasks: stalled.slice(0, 10) },
      recommendation:
        'Check CN logs and resources; cancel the transaction (CANCEL COMPACTION WHERE TXN_ID = n) on the leader FE.',
    });
  }
  const slow = running.filter(
    (t) =>
      !stalled.includes(t) &&
      clock.nowMs !== undefined &&
      clock.nowMs - (parseDateTime(t.start) ?? clock.nowMs) > T.taskSlowHours * 3_600_000,
  );
  if (slow.length) {
    issues.push({
      id: R.TASK_SLOW,
      severity: 'warning',
      message: `${slow.length} compaction tasks have run for more than ${T.taskSlowHours} hours`,
      evidence: { tasks: slow.slice(0, 10) },
      recommendation: 'Look at the transaction profile (remote reads, queueing).',
    });
  }
  const perNode = new Map<string, number>();
  for (const t of running) perNode.set(t.node_id, (perNode.get(t.node_id) ?? 0) + 1);
  const overloaded = [...perNode].filter(([, n]) => n > T.nodeOverloadTasks);
  if (overloaded.length) {
    issues.push({
      id: R.NODE_OVERLOAD,
      severity: 'warning',
      message: `Nodes running more than ${T.nodeOverloadTasks} compaction tasks: ${overloaded.map(([id, n]) => `${id} (${n})`).join(', ')}`,
      evidence: { running_per_node: Object.fromEntries(perNode), threshold: T.nodeOverloadTasks },
      recommendation: 'Spread the load or raise compact_threads on those nodes.',
    });
  }
  const finished = tasks.filter((t) => t.finish).slice(-T.successRateWindow);
  if (finished.length >= T.successRateMinTasks) {
    const ok = finished.filter((t) => t.progress >= 100 && !t.status).length;
    const rate = (ok / finished.length) * 100;
    if (rate < T.successRatePct) {
      issues.push({
        id: R.SUCCESS_RATE_LOW,
        severity: 'warning',
        message: `Only ${round(rate, 1)} % of the last ${finished.length} compaction tasks succeeded (< ${T.successRatePct} %)`,
        evidence: { finished: finished.length, succeeded: ok },
        recommendation: 'Read the STATUS texts of the failed tasks.',
      });
    }
  }
  return { issues, stalled: stalled.length, started: running.length };
}

/** CMP-PRESSURE-HIGH / ELEVATED: running tasks per alive CN, or the number of partitions at the critical score. */
export function pressureIssues(runningTasks: number, aliveNodes: number, severePartitions: number): Issue[] {
  const perNode = aliveNodes ? runningTasks / aliveNodes : 0;
  const evidence = { tasks_per_node: round(perNode, 1), partitions_over_500: severePartitions };
  const detail = `${round(perNode, 1)} running tasks per node, ${severePartitions} partitions >= ${T.scoreCritical}`;
  if (perNode > T.pressureHighTasksPerNode || severePartitions > T.pressureHighSeverePartitions) {
    return [
      {
        id: R.PRESSURE_HIGH,
        severity: 'critical',
        message: `High compaction pressure: ${detail}`,
        evidence,
        recommendation: 'Throttle ingestion and compact the worst partitions first.',
      },
    ];
  }
  if (perNode > T.pressureElevatedTasksPerNode || severePartitions > T.pressureElevatedSeverePartitions) {
    return [
      {
        id: R.PRESSURE_ELEVATED,
        severity: 'warning',
        message: `Elevated compaction pressure: ${detail}`,
        evidence,
        recommendation: 'Watch the trend.',
      },
    ];
  }
  return [];
}

/** Transaction state rules over SHOW PROC '/compactions': CMP-TXN-STUCK, CMP-PUBLISH-STUCK, CMP-TXN-FAILED. */
export function txnStateIssues(txns: readonly CompactionTxn[], clock: Clock): Issue[] {
  const issues: Issue[] = [];
  const now = clock.nowMs;
  for (const t of txns) {
    const started = parseDateTime(t.start);
    if (!t.commit && !t.finish && !t.error && started !== undefined && now !== undefined) {
      const minutes = (now - started) / 60_000;
      if (minutes > T.txnStuckWarningMinutes) {
        issues.push({
          id: R.TXN_STUCK,
          severity: minutes > T.txnStuckCriticalMinutes ? 'critical' : 'warning',
          message: `Compaction txn ${t.txn_id} on ${t.partition} has run ${Math.round(minutes)} min without committing`,
          evidence: {
            txn_id: t.txn_id,
            partition: t.partition,
            start: t.start,
            minutes: round(minutes, 1),
            warning_min: T.txnStuckWarningMinutes,
            critical_min: T.txnStuckCriticalMinutes,
          },
          recommendation: `Check information_schema.be_cloud_native_compactions for TXN_ID ${t.txn_id}; if it cannot finish, CANCEL COMPACTION WHERE TXN_ID = ${t.txn_id} on the leader FE.`,
        });
      }
    }
    const committed = parseDateTime(t.commit);
    if (committed !== undefined && !t.finish && now !== undefined && now - committed > T.publishStuckMinutes * 60_000) {
      issues.push({
        id: R.PUBLISH_STUCK,
        severity: 'warning',
        message: `Compaction txn ${t.txn_id} committed ${Math.round((now - committed) / 60_000)} min ago but is not published`,
        evidence: { txn_id: t.txn_id, partition: t.partition, commit: t.commit },
        recommendation: `Search the leader FE log for the publish failure of txn ${t.txn_id}.`,
      });
    }
  }
  const failed = txns.filter((t) => t.error);
  if (failed.length >= T.txnFailedCount) {
    issues.push({
      id: R.TXN_FAILED,
      severity: 'warning',
      message: `${failed.length} compaction transactions failed in the FE history`,
      evidence: {
        failed: failed.slice(0, 10).map((t) => ({ txn_id: t.txn_id, partition: t.partition, error: t.error })),
      },
      recommendation:
        'Read the error texts; repeated failures on one partition usually point at a CN or object-store problem.',
    });
  }
  return issues;
}

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

/** Transaction profile rules: CMP-PROFILE-QUEUE, CMP-PROFILE-REMOTE-READ, CMP-PROFILE-REMOTE-WRITE. */
export function txnProfileIssues(txns: readonly CompactionTxn[]): Issue[] {
  const issues: Issue[] = [];
  const queued = txns
    .map((t) => ({ t, perTablet: perTablet(t, 'in_queue_sec') }))
    .filter((x) => x.t.profile && x.perTablet > T.profileQueueSecondsPerTablet);
  if (queued.length) {
    issues.push({
      id: R.PROFILE_QUEUE,
      severity: 'warning',
      message: `Compaction tasks waited ${queued.map((x) => `${Math.round(x.perTablet)} s (txn ${x.t.txn_id})`).join(', ')} per tablet in queue (> ${T.profileQueueSecondsPerTablet} s)`,
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
    .filter((x) => x.share > T.profileRemoteReadPct);
  if (remote.length) {
    issues.push({
      id: R.PROFILE_REMOTE_READ,
      severity: 'warning',
      message: `Compaction read mostly from object storage (${remote.map((x) => `${round(x.share, 0)} % in txn ${x.t.txn_id}`).join(', ')})`,
      evidence: {
        txns: remote.map((x) => ({ txn_id: x.t.txn_id, remote_read_pct: round(x.share, 1) })),
        threshold_pct: T.profileRemoteReadPct,
      },
      recommendation: 'The data cache is too small or evicted: check DataCacheMetrics and the cache quota.',
    });
  }
  // write_remote_sec sums over the txn's tablets: per tablet, as a share of the txn's wall time.
  const writing = txns
    .map((t) => ({ t, share: t.duration_s ? (perTablet(t, 'write_remote_sec') / t.duration_s) * 100 : 0 }))
    .filter((x) => x.share > T.profileRemoteWritePct);
  if (writing.length) {
    issues.push({
      id: R.PROFILE_REMOTE_WRITE,
      severity: 'warning',
      message: `Compaction spent most of its time writing to object storage (${writing.map((x) => `${round(Math.min(x.share, 100), 0)} % in txn ${x.t.txn_id}`).join(', ')})`,
      evidence: {
        txns: writing.map((x) =>
          profileEvidence(x.t, 'write_remote_sec', { duration_s: x.t.duration_s, remote_write_pct: round(x.share, 1) }),
        ),
        threshold_pct: T.profileRemoteWritePct,
      },
      recommendation:
        'Object-store write latency dominates compaction: check the object store (throttling, network) from the CNs.',
    });
  }
  return issues;
}

/** What the shared-data rules read: the parsed rows of one analysis. */
export interface SharedDataRows {
  clock: Clock;
  scored: readonly ScoredPartition[];
  threads: readonly CompactThreads[];
  tasks: readonly CompactionTask[];
  txns: readonly CompactionTxn[];
  lake: LakeConfig;
  aliveNodes: readonly ComputeNodeCores[];
}

/** Every shared-data rule, plus the score deduction for the backlog and the running/stalled task counts. */
export function sharedDataIssues(rows: SharedDataRows): {
  issues: Issue[];
  deduction: number;
  running: number;
} {
  const severe = rows.scored.filter((p) => p.max_score >= T.scoreCritical).length;
  const tasks = taskIssues(rows.tasks, rows.clock);
  const issues = [
    ...partitionScoreIssues(rows.scored, rows.lake),
    ...threadIssues(rows.threads, rows.aliveNodes),
    ...capacityIssues(rows.lake, rows.aliveNodes.length, severe),
    ...tasks.issues,
    ...pressureIssues(tasks.started, rows.aliveNodes.length, severe),
    ...txnStateIssues(rows.txns, rows.clock),
    ...txnProfileIssues(rows.txns),
  ];
  const emergency = rows.scored.filter((p) => p.max_score >= T.scoreEmergency).length;
  return {
    issues,
    deduction:
      T.deductionPerEmergencyPartition * emergency +
      T.deductionPerCriticalPartition * (severe - emergency) +
      T.deductionPerStalledTask * tasks.stalled,
    running: tasks.started,
  };
}

/** CMP-SN-ROWSET-CRIT / WARN: tablet replicas over the rowset limits (be_tablets per backend). */
export function rowsetIssues(backends: readonly BackendRowsets[], top: readonly Row[]): Issue[] {
  const maxRowsets = Math.max(0, ...backends.map((b) => b.max_rowsets));
  const overWarning = backends.reduce((a, b) => a + b.over_warning, 0);
  const overCritical = backends.reduce((a, b) => a + b.over_critical, 0);
  if (overCritical > 0) {
    return [
      {
        id: R.SN_ROWSET_CRIT,
        severity: 'critical',
        message: `${overCritical} tablet replicas have more than ${T.rowsetsCritical} rowsets (max ${maxRowsets})`,
        evidence: { tablets_over_500: overCritical, max_rowsets: maxRowsets, top: top.slice(0, 5) },
        recommendation:
          'Loads risk "too many versions" failures: batch loads and trigger manual compaction (POST http://<be>:8040/api/compact).',
      },
    ];
  }
  if (overWarning > 0) {
    return [
      {
        id: R.SN_ROWSET_WARN,
        severity: 'warning',
        message: `${overWarning} tablet replicas have more than ${T.rowsetsWarning} rowsets (max ${maxRowsets})`,
        evidence: { tablets_over_100: overWarning, max_rowsets: maxRowsets },
        recommendation: 'Cumulative compaction is behind the load rate: batch loads, raise compaction concurrency.',
      },
    ];
  }
  return [];
}

/** CMP-SN-CANDIDATE-SCORE: a backend's best compaction candidate scores at or above the warning score. */
export function candidateScoreIssues(backends: readonly BackendCompaction[]): Issue[] {
  return backends
    .filter((b) => (b.candidate_max_score ?? 0) >= T.scoreWarning)
    .map((b) => {
      const score = b.candidate_max_score ?? 0;
      return {
        id: R.SN_CANDIDATE_SCORE,
        severity: score >= T.scoreCritical ? 'critical' : 'warning',
        message: `BE ${b.node_id} has a compaction candidate with score ${score}`,
        evidence: {
          node_id: b.node_id,
          candidate_max_score: score,
          warning: T.scoreWarning,
          critical: T.scoreCritical,
        },
        recommendation: 'Compaction on this backend is behind: batch loads and check its compaction threads.',
      };
    });
}

/** CMP-SN-DELETE-EXPLOSION: tablets with many tiny rowsets (top tablets by rowset count). */
export function deleteExplosionIssues(top: readonly Row[]): Issue[] {
  const exploded = top.filter((r) => {
    const n = num(r.NUM_ROWSET) ?? 0;
    return n > T.deleteExplosionRowsets && (num(r.DATA_SIZE) ?? 0) / n < T.deleteExplosionBytesPerRowset;
  });
  if (!exploded.length) return [];
  return [
    {
      id: R.SN_DELETE_EXPLOSION,
      severity: 'warning',
      message: `${exploded.length} tablets have many tiny rowsets (typical of frequent DELETEs on non-primary-key tables)`,
      evidence: { tablets: exploded.slice(0, 10) },
      recommendation: 'Batch DELETE statements; only base compaction clears them.',
    },
  ];
}

/** Every shared-nothing rule. */
export function sharedNothingIssues(
  rowsets: readonly BackendRowsets[],
  backends: readonly BackendCompaction[],
  top: readonly Row[],
): Issue[] {
  return [...rowsetIssues(rowsets, top), ...candidateScoreIssues(backends), ...deleteExplosionIssues(top)];
}
