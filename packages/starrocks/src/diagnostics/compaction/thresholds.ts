/**
 * Every limit the compaction rules judge by. Compaction scores are partitions_meta MAX_CS
 * (shared-data); rowset counts are be_tablets NUM_ROWSET per tablet replica (shared-nothing).
 */
export const COMPACTION_THRESHOLDS = {
  /** Compaction-score bands: WARNING, CRITICAL and EMERGENCY rules, and the bands of get_high_compaction_partitions. */
  scoreWarning: 100,
  scoreCritical: 500,
  scoreEmergency: 1000,
  /** Band names below the warning score (display only). */
  scoreOk: 50,
  scoreNormal: 10,
  /** FE defaults when `lake_ingest_slowdown_threshold` / `lake_compaction_score_upper_bound` cannot be read. */
  defaultIngestSlowdownScore: 100,
  defaultScoreUpperBound: 2000,
  /** CMP-REJECT-RISK: a partition's score reaches this share of the upper bound. */
  rejectRiskShare: 0.8,
  /** compact_threads per CN: between max(4, 25 % of cores) and min(64, 50 % of cores); critical below 8. */
  threadsMinCoreShare: 0.25,
  threadsMinFloor: 4,
  threadsMaxCoreShare: 0.5,
  threadsMaxCeiling: 64,
  threadsCritical: 8,
  /** lake_compaction_max_tasks = -1 gives 16 tasks per alive CN. */
  adaptiveTasksPerNode: 16,
  /** Recommended lake_compaction_max_tasks: max(8 per alive CN, severe partitions / 10, 64); too high above 3×. */
  maxTasksPerNode: 8,
  maxTasksPerSeverePartitions: 10,
  maxTasksFloor: 64,
  maxTasksHighFactor: 3,
  /** CMP-TASK-STALLED: progress below this after more than `taskStalledRuns` runs. */
  taskStalledProgressPct: 50,
  taskStalledRuns: 5,
  taskSlowHours: 2,
  /** CMP-NODE-OVERLOAD: running tasks on one node. */
  nodeOverloadTasks: 8,
  /** CMP-SUCCESS-RATE-LOW: over the last `successRateWindow` finished tasks, once at least `successRateMinTasks`. */
  successRateWindow: 100,
  successRateMinTasks: 10,
  successRatePct: 90,
  /** CMP-PRESSURE-HIGH / -ELEVATED: running tasks per alive CN, or partitions at the critical score. */
  pressureHighTasksPerNode: 8,
  pressureHighSeverePartitions: 50,
  pressureElevatedTasksPerNode: 5,
  pressureElevatedSeverePartitions: 20,
  /** CMP-TXN-STUCK: running without a commit for this long. */
  txnStuckWarningMinutes: 30,
  txnStuckCriticalMinutes: 120,
  /** CMP-PUBLISH-STUCK: committed but not published for this long. */
  publishStuckMinutes: 10,
  /** CMP-TXN-FAILED: failed transactions in the FE history. */
  txnFailedCount: 3,
  /** Transaction profiles: queueing per tablet, share of remote reads, share of wall time writing remotely. */
  profileQueueSecondsPerTablet: 60,
  profileRemoteReadPct: 30,
  profileRemoteWritePct: 90,
  /** Shared-nothing rowsets per tablet replica (the be_tablets statement counts replicas over these). */
  rowsetsWarning: 100,
  rowsetsCritical: 500,
  /** CMP-SN-DELETE-EXPLOSION: more rowsets than this, each smaller than `deleteExplosionBytesPerRowset`. */
  deleteExplosionRowsets: 100,
  deleteExplosionBytesPerRowset: 0.01 * 1024 * 1024,
  /** Score deductions beyond the per-issue ones: per partition at EMERGENCY / CRITICAL, per stalled task. */
  deductionPerEmergencyPartition: 3,
  deductionPerCriticalPartition: 1,
  deductionPerStalledTask: 5,
};
