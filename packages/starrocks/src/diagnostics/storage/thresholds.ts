import { GiB } from '../parse.js';

/** Every limit the storage rules judge by (node, disk, replica, distribution and shared-data storage). */
export const STORAGE_THRESHOLDS = {
  /** STG-DISK-WARNING / CRITICAL / EMERGENCY: the fullest data disk of a backend. */
  diskWarningPct: 85,
  diskCriticalPct: 95,
  diskEmergencyPct: 98,
  /** STG-DISK-LOW-FREE: free bytes left on a backend. */
  lowFreeBytes: 10 * GiB,
  /** Loads touching a disk above the critical usage with less than this free are rejected. */
  hardReserveBytes: 100 * GiB,
  /** STG-DISK-NONDATA: share of the disk used by files that are not StarRocks data (on disks above the warning). */
  nonDataSharePct: 20,
  /** STG-MEM-HIGH. */
  memHighPct: 90,
  /** STG-TABLET-COUNT-HIGH: tablets on one node. */
  tabletsPerNode: 50_000,
  /** NODE-HEARTBEAT-STALE: age of the last heartbeat of an alive node. */
  heartbeatStaleSeconds: 60,
  /** DIST-DATA-SKEW / DIST-TABLET-SKEW: deviation from the mean of the active backends. */
  skewPct: 20,
  /** DIST-PARTITION-SKEW: max − min replicas of one partition across backends. */
  partitionSpread: 5,
  /** DIST-TOTAL-TABLETS: info from the first, warning above the second. */
  totalTabletsInfo: 100_000,
  totalTabletsWarning: 500_000,
  /** REP-UNHEALTHY is critical above this (or with a dead node). */
  unhealthyCritical: 100,
  /** REP-ERROR-STATE is critical from this many tablets. */
  errorStateCritical: 10,
  /** REP-ERROR-RATE: error-state tablets as a share of all tablets. */
  errorStatePct: 1,
  /** REP-VERSION-LAG: versions a replica trails the best replica of its tablet (heuristic). */
  replicaVersionLag: 10,
  /** STG-LARGE-PARTITIONS. */
  largePartitionBytes: 10 * GiB,
  /** STG-CACHE-FULL: data cache disk usage. */
  cacheFullPct: 95,
  /** STG-AMPLIFICATION: object-storage size over data size (warning, critical). */
  amplificationWarning: 1.5,
  amplificationCritical: 2,
};
