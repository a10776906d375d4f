import { feDateTime, feTime } from '../time.js';
import type { Row } from '../types.js';

export const NOW = '2025-06-11 10:15:00';
export const VERSION = '3.3.8-0b35f6e';
const NOW_MS = feTime(NOW) ?? 0;

/** FE datetime `minutes` before the scenario clock. */
export const minutesAgo = (minutes: number) => feDateTime(NOW_MS - minutes * 60_000);

export function frontendConfig(entries: Record<string, string>): Row[] {
  return Object.entries(entries).map(([Key, Value]) => ({
    Key,
    AliasNames: '[]',
    Value,
    Type: /^-?\d+$/.test(Value) ? 'long' : /^-?[\d.]+$/.test(Value) ? 'double' : 'String',
    IsMutable: Key === 'run_mode' ? 'false' : 'true',
    Comment: '',
  }));
}

export const STORAGE_LIMITS = {
  storage_usage_hard_limit_percent: '95',
  storage_usage_hard_limit_reserve_bytes: '107374182400',
  storage_usage_soft_limit_percent: '90',
  storage_usage_soft_limit_reserve_bytes: '214748364800',
};

export interface BackendSpec {
  id: number;
  ip: string;
  alive?: boolean;
  lastHeartbeat?: string;
  tablets: number;
  dataUsed: string;
  avail: string;
  total: string;
  usedPct: string;
  dataTotal: string;
  dataUsedPct: string;
  memUsedPct: string;
  cpuUsedPct: string;
  errMsg?: string;
}

/** One `SHOW BACKENDS` row of a 3.3 shared-nothing FE (every column a string). */
export function backend(spec: BackendSpec): Row {
  return {
    BackendId: String(spec.id),
    IP: spec.ip,
    HeartbeatPort: '9050',
    BePort: '9060',
    HttpPort: '8040',
    BrpcPort: '8060',
    LastStartTime: '2025-06-01 09:12:44',
    LastHeartbeat: spec.lastHeartbeat ?? '2025-06-11 10:14:58',
    Alive: String(spec.alive ?? true),
    SystemDecommissioned: 'false',
    ClusterDecommissioned: 'false',
    TabletNum: String(spec.tablets),
    DataUsedCapacity: spec.dataUsed,
    AvailCapacity: spec.avail,
    TotalCapacity: spec.total,
    UsedPct: spec.usedPct,
    MaxDiskUsedPct: spec.usedPct,
    ErrMsg: spec.errMsg ?? '',
    Version: VERSION,
    Status: '{"lastSuccessReportTabletsTime":"2025-06-11 10:14:31","lastStreamLoadTime":-1}',
    DataTotalCapacity: spec.dataTotal,
    DataUsedPct: spec.dataUsedPct,
    CpuCores: '16',
    MemLimit: '51.200 GB',
    NumRunningQueries: '3',
    MemUsedPct: spec.memUsedPct,
    CpuUsedPct: spec.cpuUsedPct,
    DataCacheMetrics: 'Status: Disabled',
    Location: '',
  };
}

/** One `SHOW PROC '/backends/<id>'` disk row. */
export function disk(spec: BackendSpec, otherUsed: string): Row {
  return {
    RootPath: '/data1/starrocks/storage',
    DataUsedCapacity: spec.dataUsed,
    OtherUsedCapacity: otherUsed,
    AvailCapacity: spec.avail,
    TotalCapacity: spec.total,
    TotalUsedPct: spec.usedPct,
    State: 'ONLINE',
    PathHash: String(7732619021871145000 + spec.id),
    StorageMedium: 'HDD',
    TabletNum: String(spec.tablets),
    DataTotalCapacity: spec.dataTotal,
    DataUsedPct: spec.dataUsedPct,
  };
}

export function statisticRow(
  dbId: string,
  dbName: string,
  counts: [number, number, number, number, number, number, number, number, number],
): Row {
  const [tables, partitions, indexes, tablets, replicas, unhealthy, inconsistent, cloning, errorState] = counts;
  return {
    DbId: dbId,
    DbName: dbName,
    TableNum: String(tables),
    PartitionNum: String(partitions),
    IndexNum: String(indexes),
    TabletNum: String(tablets),
    ReplicaNum: String(replicas),
    UnhealthyTabletNum: String(unhealthy),
    InconsistentTabletNum: String(inconsistent),
    CloningTabletNum: String(cloning),
    ErrorStateTabletNum: String(errorState),
  };
}

export function clusterBalance(pending: number, running: number): Row[] {
  const items: [string, number][] = [
    ['balance_stat', 0],
    ['cluster_load_stat', 1],
    ['working_slots', 1],
    ['sched_stat', 1],
    ['priority_repair', 0],
    ['pending_tablets', pending],
    ['running_tablets', running],
    ['history_tablets', 0],
  ];
  return items.map(([Item, n]) => ({ Item, Number: String(n) }));
}

export interface LoadSeries {
  firstId: number;
  db: string;
  table: string;
  type: string;
  labelPrefix: string;
  /** Creation time of the newest load. */
  newest: string;
  count: number;
  intervalSeconds: number;
  /** Load duration in seconds for the i-th load (0 = newest). */
  durationSeconds: (i: number) => number;
  state?: (i: number) => string;
  errorMsg?: (i: number) => string | null;
  scanRows?: number;
  filteredRows?: (i: number) => number;
}

/** information_schema.loads rows (current layout) for a regular series of loads, newest first. */
export function loadSeries(series: LoadSeries): Row[] {
  const newest = feTime(series.newest) ?? NOW_MS;
  const rows: Row[] = [];
  for (let i = 0; i < series.count; i++) {
    const created = newest - i * series.intervalSeconds * 1000;
    const finished = created + series.durationSeconds(i) * 1000;
    const state = series.state?.(i) ?? 'FINISHED';
    const ok = state === 'FINISHED';
    const filtered = series.filteredRows?.(i) ?? 0;
    const scan = series.scanRows ?? 15000;
    const stamp = feDateTime(created).replace(/[-: ]/g, '');
    const label = `${series.labelPrefix}_${stamp.slice(0, 8)}_${stamp.slice(8)}_${((series.firstId + i) * 2654435761)
      .toString(16)
      .slice(-4)}`;
    rows.push({
      ID: series.firstId + i,
      LABEL: label,
      PROFILE_ID: null,
      DB_NAME: series.db,
      TABLE_NAME: series.table,
      USER: 'etl',
      WAREHOUSE: 'default_warehouse',
      STATE: state,
      PROGRESS: ok ? '100%' : '0%',
      TYPE: series.type,
      PRIORITY: 'NORMAL',
      SCAN_ROWS: scan,
      SCAN_BYTES: 2097152,
      FILTERED_ROWS: filtered,
      UNSELECTED_ROWS: 0,
      SINK_ROWS: ok ? scan - filtered : 0,
      CREATE_TIME: feDateTime(created),
      LOAD_START_TIME: feDateTime(created),
      LOAD_COMMIT_TIME: ok ? feDateTime(finished - 1000) : null,
      LOAD_FINISH_TIME: feDateTime(finished),
      ERROR_MSG: series.errorMsg?.(i) ?? null,
      TRACKING_SQL: ok
        ? null
        : `select tracking_log from information_schema.load_tracking_logs where job_id=${series.firstId + i}`,
      JOB_ID: series.firstId + i,
    });
  }
  return rows;
}

export const KAFKA_CLICKS: Row = {
  ID: 40012,
  NAME: 'kafka_clicks',
  CREATE_TIME: '2025-05-20 11:02:13',
  PAUSE_TIME: null,
  END_TIME: null,
  DB_NAME: 'web',
  TABLE_NAME: 'clicks',
  STATE: 'RUNNING',
  DATA_SOURCE_TYPE: 'KAFKA',
  CURRENT_TASK_NUM: 3,
  STATISTICS:
    '{"receivedBytes":88120340112,"errorRows":12,"committedTaskNum":81204,"loadedRows":401233871,"loadRowsRate":4120,"abortedTaskNum":3,"totalRows":401233883,"unselectedRows":0,"receivedBytesRate":905112,"taskExecuteTimeMs":97412003}',
  PROGRESS: '{"0":"133801222","1":"133799870","2":"133802411"}',
  TIMESTAMP_PROGRESS: '{"0":"1749636898112","1":"1749636898240","2":"1749636897996"}',
  LATEST_SOURCE_POSITION: '{"0":"133801301","1":"133799944","2":"133802480"}',
  REASONS_OF_STATE_CHANGED: '',
  ERROR_LOG_URLS: '',
  TRACKING_SQL: '',
  OTHER_MSG: '',
};
