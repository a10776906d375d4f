/** Every number the workload diagnosis judges or bounds by, in one place. */
export const DIAGNOSE_THRESHOLDS = {
  /** Pods looked at in detail (events, logs, metrics), problem pods first. */
  maxPodsInspected: 20,
  /** Concurrent API calls while gathering. */
  fetchConcurrency: 8,
  /** Log lines read from a failing container (the newest). */
  logTailLines: 30,
  /** Containers whose logs are read in one diagnosis. */
  maxLogReads: 10,
  /** A log line longer than this is cut. */
  logLineMaxChars: 300,
  /** Events kept per object (the newest). */
  maxEventsPerObject: 50,
  /** An OOM kill older than this is only mentioned (info). */
  oomRecentHours: 24,
  /** Restarts from which an OOM-killed container is critical rather than a warning. */
  oomRestartsCritical: 3,
  /** Memory usage at or above this share of the limit is called "near the limit". */
  memoryNearLimitPct: 85,
  /** Suggested new memory limit = current limit × this factor (rounded up to 64Mi). */
  memoryLimitRaiseFactor: 1.5,
  /** A running container not ready for longer than this is reported even without probe events. */
  notReadyGraceSeconds: 120,
  /** Liveness-probe restarts from which a probe finding is critical. */
  livenessRestartsCritical: 3,
};

export type DiagnoseThresholds = Readonly<typeof DIAGNOSE_THRESHOLDS>;
