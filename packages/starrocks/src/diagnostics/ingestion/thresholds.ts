/** Every limit the ingestion rules judge by; the window is the tool's `hours` (24 for analyze_import_health). */
export const INGESTION_THRESHOLDS = {
  /** ING-FAILURE-RATE-HIGH / -MODERATE: cancelled share of finished + cancelled stream loads. */
  failureRateCriticalPct: 20,
  failureRateWarningPct: 10,
  /** ING-FREQUENT-FAILURES: cancelled loads of any type in the window. */
  frequentFailures: 5,
  /** ING-SLOW-LOADS: mean load time of finished stream loads. */
  slowLoadSeconds: 300,
  /** ING-QUEUE-BACKLOG / -BUILDUP: loads waiting to run. */
  queueCritical: 10,
  queueWarning: 5,
  /** ING-LONG-RUNNING: loads in flight for longer than this. */
  longRunningHours: 2,
  /** ING-RECURRING-ERROR: failed loads of one error category. */
  recurringError: 5,
  /** ING-FILTER-RATIO: filtered share of the scanned rows of a finished load group. */
  filterRatioPct: 10,
  /** ING-HIGH-FREQ-TABLES: more than `highFrequencyTables` tables loaded more often than this. */
  highFrequencyIntervalSeconds: 60,
  highFrequencyTables: 3,
  /** ING-HIGH-VOLUME-TABLE: loads into one table in the window. */
  highVolumeLoads: 100,
  /** ING-IRREGULAR: tables with at least `irregularMinGaps` gaps scoring below `irregularScore`, above this share. */
  irregularScore: 40,
  irregularTablesPct: 50,
  irregularMinGaps: 2,
  /** RL-LAG: timestamp lag or offset lag of a running job. */
  routineLagSeconds: 300,
  routineLagMessages: 1_000_000,
  /** RL-ERROR-ROWS: error rows as a share of total rows. */
  routineErrorRowsPct: 5,
};
