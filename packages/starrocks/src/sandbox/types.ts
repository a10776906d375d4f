/** One result row, keyed by column name (the same shape the MySQL client hands back). */
export type Row = Record<string, unknown>;

/**
 * The state of a simulated StarRocks cluster: what each statement family returns. SHOW output is
 * all strings (as the FE sends it); information_schema rows carry numbers where StarRocks has
 * numeric columns. Datetimes are FE-local `YYYY-MM-DD HH:MM:SS` strings.
 */
export interface ScenarioData {
  name: string;
  description: string;
  /** FE clock, answered by NOW(). */
  now: string;
  version: string;
  /** `ADMIN SHOW FRONTEND CONFIG` rows: Key, AliasNames, Value, Type, IsMutable, Comment. */
  frontendConfig: Row[];
  backends: Row[];
  computeNodes: Row[];
  /** `SHOW PROC '/backends/<id>'` per backend id. */
  backendDisks: Record<string, Row[]>;
  statistic: Row[];
  /** `SHOW PROC '/statistic/<DbId>'` per database id. */
  statisticByDb: Record<string, Row>;
  clusterBalance: Row[];
  tabletSchedules: Row[];
  /** be_tablets aggregated per BE: BE_ID, replicas, data_bytes, max_rowsets, over_100, over_500. */
  beTabletsByBackend: Row[];
  /** be_tablets top offenders by NUM_ROWSET. */
  beTabletsTop: Row[];
  /** be_tablets aggregated per partition, joined with partitions_meta names. */
  rowsetsByPartition: Row[];
  /** Partitions whose replicas are spread unevenly across BEs: PARTITION_ID, spread. */
  partitionSpread: Row[];
  /** be_tablets replicas trailing the best replica of their tablet: BE_ID, TABLET_ID, MAX_VERSION, best_version. */
  replicaVersionLag?: Row[];
  /** Partitions with fewer be_tablets rows than BUCKETS × REPLICATION_NUM: names, PARTITION_ID, expected, reported. */
  missingReplicas?: Row[];
  beCompactions: Row[];
  partitions: Row[];
  tables: Row[];
  beConfigs: Row[];
  datacacheMetrics: Row[];
  cloudNativeCompactions: Row[];
  /** `SHOW PROC '/compactions'` rows. */
  compactions: Row[];
  /** information_schema.loads rows (current layout, upper-case columns). */
  loads: Row[];
  /** Error text when `_statistics_.loads_history` cannot be read (e.g. its only replica is down). */
  loadsHistoryError?: string;
  routineLoadJobs: Row[];
  /** Statement families this cluster does not have (older versions), answered with "Unknown table". */
  missing?: string[];
}
