import { sqlIdent, sqlInt, sqlString } from '../executor.js';
import { COMPACTION_THRESHOLDS } from './compaction/thresholds.js';
import { STORAGE_THRESHOLDS } from './storage/thresholds.js';

/**
 * Every statement the experts send, in one place. They are real StarRocks statements (StarRocks
 * 3.x system tables, SHOW and ADMIN SHOW commands); the sandbox answers exactly these and rejects
 * anything else, so drift fails tests. Limits the rules judge by come from the thresholds objects.
 */

const { rowsetsWarning, rowsetsCritical } = COMPACTION_THRESHOLDS;

export const SQL = {
  version: 'SELECT current_version() AS version',
  clock: 'SELECT NOW() AS now, UNIX_TIMESTAMP() AS epoch',
  runMode: "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'",
  lakeConfig: "ADMIN SHOW FRONTEND CONFIG LIKE 'lake_%'",
  backends: 'SHOW BACKENDS',
  computeNodes: 'SHOW COMPUTE NODES',
  statistic: "SHOW PROC '/statistic'",
  statisticOfDb: (dbId: string) => `SHOW PROC '/statistic/${sqlInt(Number(dbId))}'`,
  backendDisks: (backendId: string) => `SHOW PROC '/backends/${sqlInt(Number(backendId))}'`,
  clusterBalance: "SHOW PROC '/cluster_balance'",
  compactions: "SHOW PROC '/compactions'",
  tabletsByBackend:
    'SELECT BE_ID, COUNT(*) AS replicas, SUM(DATA_SIZE) AS data_bytes, MAX(NUM_ROWSET) AS max_rowsets, ' +
    `SUM(CASE WHEN NUM_ROWSET > ${rowsetsWarning} THEN 1 ELSE 0 END) AS over_100, ` +
    `SUM(CASE WHEN NUM_ROWSET > ${rowsetsCritical} THEN 1 ELSE 0 END) AS over_500 ` +
    'FROM information_schema.be_tablets GROUP BY BE_ID',
  topRowsetTablets:
    'SELECT BE_ID, TABLE_ID, PARTITION_ID, TABLET_ID, NUM_ROWSET, NUM_VERSION, DATA_SIZE ' +
    'FROM information_schema.be_tablets ORDER BY NUM_ROWSET DESC LIMIT 20',
  partitionSpread:
    'SELECT PARTITION_ID, MAX(c) - MIN(c) AS spread FROM (SELECT PARTITION_ID, BE_ID, COUNT(*) AS c ' +
    'FROM information_schema.be_tablets GROUP BY PARTITION_ID, BE_ID) t GROUP BY PARTITION_ID ' +
    `HAVING spread > ${STORAGE_THRESHOLDS.partitionSpread} ORDER BY spread DESC LIMIT 20`,
  rowsetPartitions: (minRowsets: number, limit: number) =>
    'SELECT pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, t.PARTITION_ID, t.max_rowsets, t.avg_rowsets, t.replicas ' +
    'FROM (SELECT PARTITION_ID, MAX(NUM_ROWSET) AS max_rowsets, AVG(NUM_ROWSET) AS avg_rowsets, COUNT(*) AS replicas ' +
    'FROM information_schema.be_tablets GROUP BY PARTITION_ID) t ' +
    'JOIN information_schema.partitions_meta pm ON pm.PARTITION_ID = t.PARTITION_ID ' +
    `WHERE t.max_rowsets >= ${sqlInt(minRowsets)} ORDER BY t.max_rowsets DESC LIMIT ${sqlInt(limit)}`,
  /** Replicas more than `replicaVersionLag` versions behind the best replica of their tablet (REP-VERSION-LAG). */
  replicaVersionLag:
    'SELECT t.BE_ID, t.TABLET_ID, t.MAX_VERSION, m.best_version FROM information_schema.be_tablets t ' +
    'JOIN (SELECT TABLET_ID, MAX(MAX_VERSION) AS best_version FROM information_schema.be_tablets GROUP BY TABLET_ID) m ' +
    `ON m.TABLET_ID = t.TABLET_ID WHERE m.best_version - t.MAX_VERSION > ${STORAGE_THRESHOLDS.replicaVersionLag} ` +
    'ORDER BY m.best_version - t.MAX_VERSION DESC LIMIT 50',
  /** Partitions reporting fewer replicas than BUCKETS × REPLICATION_NUM (REP-MISSING; rollups only add rows). */
  missingReplicas:
    'SELECT pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, pm.PARTITION_ID, pm.BUCKETS * pm.REPLICATION_NUM AS expected, ' +
    'COUNT(t.TABLET_ID) AS reported FROM information_schema.partitions_meta pm ' +
    'LEFT JOIN information_schema.be_tablets t ON t.PARTITION_ID = pm.PARTITION_ID ' +
    'GROUP BY pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, pm.PARTITION_ID, pm.BUCKETS, pm.REPLICATION_NUM ' +
    // Over the aggregates themselves: MySQL-family engines reject an ORDER BY expression of aliases.
    'HAVING COUNT(t.TABLET_ID) < pm.BUCKETS * pm.REPLICATION_NUM ' +
    'ORDER BY pm.BUCKETS * pm.REPLICATION_NUM - COUNT(t.TABLET_ID) DESC LIMIT 50',
  largestPartitions:
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, DATA_SIZE, ROW_COUNT, BUCKETS, REPLICATION_NUM ' +
    'FROM information_schema.partitions_meta ORDER BY ROW_COUNT DESC LIMIT 200',
  partitionStorage:
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, DATA_SIZE, STORAGE_SIZE ' +
    'FROM information_schema.partitions_meta ORDER BY STORAGE_SIZE DESC LIMIT 200',
  scoredPartitions: (minScore: number, limit: number) =>
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, MAX_CS, AVG_CS, P50_CS, ROW_COUNT, DATA_SIZE, BUCKETS, ' +
    `VISIBLE_VERSION_TIME FROM information_schema.partitions_meta WHERE MAX_CS >= ${sqlInt(minScore)} ` +
    `ORDER BY MAX_CS DESC LIMIT ${sqlInt(limit)}`,
  largeTables: (limit: number) =>
    'SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, UPDATE_TIME FROM information_schema.tables ' +
    "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('information_schema', '_statistics_', 'sys') " +
    `ORDER BY DATA_LENGTH DESC LIMIT ${sqlInt(limit)}`,
  /** Partitions, buckets (tablets per index) and replication of the given tables (get_large_tables). */
  tablePartitions: (tables: readonly { database: string; table: string }[], withStorage: boolean) =>
    'SELECT DB_NAME, TABLE_NAME, COUNT(*) AS partitions, SUM(BUCKETS) AS buckets, MAX(REPLICATION_NUM) AS replication_num' +
    `${withStorage ? ', SUM(STORAGE_SIZE) AS storage_bytes' : ''} FROM information_schema.partitions_meta WHERE ` +
    tables.map((t) => `(DB_NAME = ${sqlString(t.database)} AND TABLE_NAME = ${sqlString(t.table)})`).join(' OR ') +
    ' GROUP BY DB_NAME, TABLE_NAME',
  beCompactions:
    'SELECT BE_ID, CANDIDATES_NUM, BASE_COMPACTION_CONCURRENCY, CUMULATIVE_COMPACTION_CONCURRENCY, ' +
    'LATEST_COMPACTION_SCORE, CANDIDATE_MAX_SCORE, MANUAL_COMPACTION_CONCURRENCY, MANUAL_COMPACTION_CANDIDATES_NUM ' +
    'FROM information_schema.be_compactions',
  compactThreads: "SELECT BE_ID, VALUE FROM information_schema.be_configs WHERE NAME = 'compact_threads'",
  cloudNativeCompactions:
    'SELECT BE_ID, TXN_ID, TABLET_ID, START_TIME, FINISH_TIME, PROGRESS, STATUS, RUNS, SKIPPED ' +
    'FROM information_schema.be_cloud_native_compactions',
  datacache:
    'SELECT BE_ID, STATUS, DISK_QUOTA_BYTES, DISK_USED_BYTES, MEM_QUOTA_BYTES, MEM_USED_BYTES ' +
    'FROM information_schema.be_datacache_metrics',
  tabletSchedules:
    'SELECT TABLET_ID, TYPE, STATE, TABLET_STATUS, PRIORITY, MSG FROM information_schema.fe_tablet_schedules ' +
    'ORDER BY CREATE_TIME DESC LIMIT 50',
  routineLoadJobs:
    'SELECT ID, NAME, DB_NAME, TABLE_NAME, STATE, DATA_SOURCE_TYPE, CURRENT_TASK_NUM, CREATE_TIME, PAUSE_TIME, ' +
    'END_TIME, STATISTICS, PROGRESS, TIMESTAMP_PROGRESS, LATEST_SOURCE_POSITION, REASONS_OF_STATE_CHANGED, ' +
    'ERROR_LOG_URLS, TRACKING_SQL, OTHER_MSG FROM information_schema.routine_load_jobs',
  /** Layout probes for information_schema.loads (current: DB_NAME; 3.1/3.2: DATABASE_NAME). */
  loadsCurrentLayout: 'SELECT DB_NAME FROM information_schema.loads LIMIT 1',
  loadsLegacyLayout: 'SELECT DATABASE_NAME FROM information_schema.loads LIMIT 1',
  databases: 'SHOW DATABASES',
  showLoad: (db: string) => `SHOW LOAD FROM ${sqlIdent(db)}`,
  routineLoadList: "SHOW PROC '/routine_loads'",
  showRoutineLoad: (db: string) => `SHOW ALL ROUTINE LOAD FROM ${sqlIdent(db)}`,
};

/** Where loads are read: the current or the 3.1/3.2 `information_schema.loads` layout, or `SHOW LOAD` before 3.1. */
export type LoadsLayout = 'current' | 'legacy' | 'show_load';
export type TableLayout = Exclude<LoadsLayout, 'show_load'>;

/** Load types that are stream loads (information_schema.loads TYPE values). */
export const STREAM_TYPES = new Set([
  'STREAM_LOAD',
  'PARALLEL_STREAM_LOAD',
  'MERGE_COMMIT',
  'MULTI_STATEMENT_STREAM_LOAD',
]);

/** The load columns read everywhere (current `information_schema.loads` layout). */
export const LOAD_COLUMNS = [
  'ID',
  'LABEL',
  'DB_NAME',
  'TABLE_NAME',
  'TYPE',
  'STATE',
  'PROGRESS',
  'SCAN_ROWS',
  'SCAN_BYTES',
  'FILTERED_ROWS',
  'UNSELECTED_ROWS',
  'SINK_ROWS',
  'CREATE_TIME',
  'LOAD_START_TIME',
  'LOAD_COMMIT_TIME',
  'LOAD_FINISH_TIME',
  'ERROR_MSG',
  'TRACKING_SQL',
] as const;

const loadColumns = LOAD_COLUMNS.join(', ');
/** The 3.1/3.2 layout (Broker and INSERT jobs only) under the current column names. */
const LEGACY_SELECT =
  'JOB_ID AS ID, LABEL, DATABASE_NAME AS DB_NAME, NULL AS TABLE_NAME, TYPE, STATE, PROGRESS, SCAN_ROWS, ' +
  'NULL AS SCAN_BYTES, FILTERED_ROWS, UNSELECTED_ROWS, SINK_ROWS, CREATE_TIME, LOAD_START_TIME, ' +
  'NULL AS LOAD_COMMIT_TIME, LOAD_FINISH_TIME, ERROR_MSG, TRACKING_SQL';
const selectOf = (layout: TableLayout) => (layout === 'legacy' ? LEGACY_SELECT : loadColumns);
/** `_statistics_.loads_history` has the same columns in lower case. */
const historyColumns = LOAD_COLUMNS.map((c) => `${c.toLowerCase()} AS ${c}`).join(', ');

/**
 * Loads created in the window: the finished ones synced to `_statistics_.loads_history` plus the
 * not-yet-synced tail of `information_schema.loads`, de-duplicated by id.
 * Without history (older versions, or its tablet is down) only `information_schema.loads`.
 */
export function loadsInWindow(hours: number, withHistory: boolean, layout: TableLayout = 'current'): string {
  const h = sqlInt(hours);
  const recent = `SELECT ${selectOf(layout)} FROM information_schema.loads WHERE CREATE_TIME >= DATE_SUB(NOW(), INTERVAL ${h} HOUR)`;
  if (!withHistory) return `(${recent}) l`;
  const historyWhere = `create_time >= DATE_SUB(NOW(), INTERVAL ${h} HOUR)`;
  return (
    `(SELECT ${historyColumns} FROM _statistics_.loads_history WHERE ${historyWhere} UNION ALL ${recent} ` +
    `AND ID NOT IN (SELECT id FROM _statistics_.loads_history WHERE ${historyWhere})) l`
  );
}

export function loadSummary(hours: number, withHistory: boolean, layout: TableLayout = 'current'): string {
  const seconds = 'TIMESTAMPDIFF(SECOND, LOAD_START_TIME, LOAD_FINISH_TIME)';
  return (
    `SELECT DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG, COUNT(*) AS loads, SUM(${seconds}) AS load_seconds, ` +
    `MAX(${seconds}) AS max_load_s, SUM(SCAN_ROWS) AS scan_rows, SUM(SCAN_BYTES) AS scan_bytes, ` +
    'SUM(FILTERED_ROWS) AS filtered_rows, MIN(CREATE_TIME) AS first_create, MAX(CREATE_TIME) AS last_create ' +
    `FROM ${loadsInWindow(hours, withHistory, layout)} GROUP BY DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG`
  );
}

/** Per table: the gaps between consecutive stream loads of the window (ING-IRREGULAR). */
export function loadIntervals(hours: number, withHistory: boolean): string {
  const gap =
    'TIMESTAMPDIFF(SECOND, LAG(CREATE_TIME) OVER (PARTITION BY DB_NAME, TABLE_NAME ORDER BY CREATE_TIME), CREATE_TIME)';
  return (
    'SELECT DB_NAME, TABLE_NAME, COUNT(*) AS intervals, AVG(gap_s) AS mean_gap_s, STDDEV_POP(gap_s) AS stddev_gap_s ' +
    `FROM (SELECT DB_NAME, TABLE_NAME, ${gap} AS gap_s FROM ${loadsInWindow(hours, withHistory)} ` +
    `WHERE TYPE IN (${[...STREAM_TYPES].map(sqlString).join(', ')})) g WHERE gap_s IS NOT NULL GROUP BY DB_NAME, TABLE_NAME`
  );
}

export function failedLoads(
  hours: number,
  limit: number,
  withHistory: boolean,
  layout: TableLayout = 'current',
): string {
  return (
    `SELECT ${loadColumns} FROM ${loadsInWindow(hours, withHistory, layout)} WHERE STATE = 'CANCELLED' ` +
    `ORDER BY CREATE_TIME DESC LIMIT ${sqlInt(limit)}`
  );
}

export function recentLoads(limit: number, states: readonly string[], layout: TableLayout = 'current'): string {
  const where = states.length ? ` WHERE STATE IN (${states.map(sqlString).join(', ')})` : '';
  return `SELECT ${selectOf(layout)} FROM information_schema.loads${where} ORDER BY CREATE_TIME DESC LIMIT ${sqlInt(limit)}`;
}

export function inFlightLoads(layout: TableLayout): string {
  return `SELECT ${selectOf(layout)} FROM information_schema.loads WHERE STATE NOT IN ('FINISHED', 'CANCELLED')`;
}

export function loadByLabel(
  label: string,
  source: 'history' | 'loads' | 'loads-suffix',
  layout: TableLayout = 'current',
): string {
  if (source === 'history') {
    return (
      `SELECT ${historyColumns} FROM _statistics_.loads_history WHERE label = ${sqlString(label)} ` +
      'ORDER BY create_time DESC LIMIT 1'
    );
  }
  const condition =
    source === 'loads'
      ? `LABEL = ${sqlString(label)}`
      : `LABEL LIKE ${sqlString(`%${label.replace(/[%_\\]/g, '\\$&')}`)}`;
  return `SELECT ${selectOf(layout)} FROM information_schema.loads WHERE ${condition} ORDER BY CREATE_TIME DESC LIMIT 1`;
}
