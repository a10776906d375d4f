import type { Row, ScenarioData } from '../types.js';
import { frontendConfig, loadSeries, NOW, STORAGE_LIMITS, statisticRow, VERSION } from './common.js';

const computeNode = (id: number, ip: string, worker: number, tablets: number, mem: string, cpu: string): Row => ({
  ComputeNodeId: String(id),
  IP: ip,
  HeartbeatPort: '9050',
  BePort: '9060',
  HttpPort: '8040',
  BrpcPort: '8060',
  LastStartTime: '2025-06-01 09:12:44',
  LastHeartbeat: NOW,
  Alive: 'true',
  SystemDecommissioned: 'false',
  ClusterDecommissioned: 'false',
  ErrMsg: '',
  Version: VERSION,
  CpuCores: '16',
  NumRunningQueries: '3',
  MemUsedPct: mem,
  CpuUsedPct: cpu,
  HasStoragePath: 'true',
  StarletPort: '9070',
  WorkerId: String(worker),
  WarehouseName: 'default_warehouse',
  TabletNum: String(tablets),
});

const CN_IDS = [10101, 10102, 10103];

/** Compaction txn 88231 on ods.events.p20250611: 14 tablets done, 4 running and 2 queued per CN. */
function compactionTasks(): Row[] {
  const rows: Row[] = [];
  let tablet = 31590;
  const base = { TXN_ID: 88231, VERSION: 41301, SKIPPED: 0, STATUS: '' };
  for (let i = 0; i < 14; i++) {
    rows.push({
      ...base,
      BE_ID: CN_IDS[i % 3],
      TABLET_ID: tablet++,
      RUNS: 1,
      START_TIME: '2025-06-11 09:31:20',
      FINISH_TIME: '2025-06-11 10:01:48',
      PROGRESS: 100,
      PROFILE: '{"read_local_sec":5,"read_local_mb":301,"read_remote_sec":0,"read_remote_mb":2,"in_queue_sec":122}',
    });
  }
  const starts = ['2025-06-11 10:02:11', '2025-06-11 10:06:30', '2025-06-11 10:09:52', '2025-06-11 10:14:40'];
  for (const be of CN_IDS) {
    starts.forEach((start, i) => {
      rows.push({
        ...base,
        BE_ID: be,
        TABLET_ID: tablet++,
        RUNS: 1,
        START_TIME: start,
        FINISH_TIME: null,
        PROGRESS: [80, 62, 48, 35][i],
        PROFILE:
          '{"read_local_sec":5,"read_local_mb":244,"read_remote_sec":0,"read_remote_mb":3,"read_remote_count":2,"read_local_count":1380,"segment_init_sec":0,"column_iterator_init_sec":0,"in_queue_sec":131}',
      });
    });
    for (let q = 0; q < 2; q++) {
      rows.push({
        ...base,
        BE_ID: be,
        TABLET_ID: tablet++,
        RUNS: 0,
        START_TIME: null,
        FINISH_TIME: null,
        PROGRESS: 0,
        PROFILE: '',
      });
    }
  }
  return rows;
}

const partition = (
  table: string,
  name: string,
  id: number,
  visible: string,
  buckets: number,
  size: number,
  rowCount: number,
  storage: number,
  cs: [number, number, number],
  tableId: number,
): Row => ({
  DB_NAME: 'ods',
  TABLE_NAME: table,
  PARTITION_NAME: name,
  PARTITION_ID: id,
  VISIBLE_VERSION_TIME: visible,
  BUCKETS: buckets,
  REPLICATION_NUM: 1,
  DATA_SIZE: size,
  ROW_COUNT: rowCount,
  STORAGE_SIZE: storage,
  AVG_CS: cs[0],
  P50_CS: cs[1],
  MAX_CS: cs[2],
  STORAGE_PATH: `s3://sr-bucket/5f1c/db30001/${tableId}/${id}`,
});

/** Scenario 4: shared-data cluster whose hot partition has compaction score 1200. */
let backlogLoads: Row[] | undefined;

export const compactionBacklog: ScenarioData = {
  name: 'compaction-backlog',
  description:
    'Shared-data cluster (3 CNs) where ods.events.p20250611 has compaction score 1200 under a stream load every 2 s',
  now: NOW,
  version: VERSION,
  frontendConfig: frontendConfig({
    run_mode: 'shared_data',
    lake_compaction_max_tasks: '-1',
    lake_compaction_score_selector_min_score: '10.0',
    lake_compaction_score_upper_bound: '2000',
    lake_compaction_history_size: '20',
    lake_compaction_fail_history_size: '12',
    lake_ingest_slowdown_threshold: '100',
    ...STORAGE_LIMITS,
  }),
  backends: [],
  computeNodes: [
    computeNode(10101, '10.0.2.21', 1, 5402, '52.18 %', '61.4 %'),
    computeNode(10102, '10.0.2.22', 2, 5398, '49.77 %', '58.9 %'),
    computeNode(10103, '10.0.2.23', 3, 5400, '50.93 %', '63.7 %'),
  ],
  backendDisks: {},
  statistic: [
    statisticRow('30001', 'ods', [6, 420, 420, 16200, 16200, 0, 0, 0, 0]),
    statisticRow('Total', '1', [6, 420, 420, 16200, 16200, 0, 0, 0, 0]),
  ],
  statisticByDb: {},
  clusterBalance: [],
  tabletSchedules: [],
  beTabletsByBackend: [],
  beTabletsTop: [],
  rowsetsByPartition: [],
  partitionSpread: [],
  beCompactions: [],
  partitions: [
    partition(
      'events',
      'p20250611',
      31544,
      '2025-06-11 10:14:59',
      32,
      96636764160,
      1820000000,
      118111600640,
      [862.5, 905, 1200],
      31540,
    ),
    partition(
      'events',
      'p20250610',
      31520,
      '2025-06-10 23:59:59',
      32,
      231928233984,
      4380000000,
      240518168576,
      [9.2, 9, 18],
      31540,
    ),
    partition(
      'orders',
      'p20250611',
      30012,
      '2025-06-11 10:14:40',
      16,
      4294967296,
      18400000,
      4724464025,
      [6.1, 6, 12],
      30010,
    ),
  ],
  tables: [
    {
      TABLE_SCHEMA: 'ods',
      TABLE_NAME: 'events',
      ENGINE: 'StarRocks',
      TABLE_ROWS: 31200000000,
      DATA_LENGTH: 1683627180032,
      UPDATE_TIME: '2025-06-11 10:14:59',
    },
    {
      TABLE_SCHEMA: 'ods',
      TABLE_NAME: 'orders',
      ENGINE: 'StarRocks',
      TABLE_ROWS: 402000000,
      DATA_LENGTH: 96636764160,
      UPDATE_TIME: '2025-06-11 10:14:40',
    },
  ],
  beConfigs: CN_IDS.map((id) => ({ BE_ID: id, NAME: 'compact_threads', VALUE: '4' })),
  datacacheMetrics: [
    [10101, 691489734656, 8053063680, 402653184],
    [10102, 688268509184, 7945689497, 398458880],
    [10103, 693637218304, 8160437862, 404750336],
  ].map(([id, disk, mem, meta]) => ({
    BE_ID: id,
    STATUS: 'Normal',
    DISK_QUOTA_BYTES: 858993459200,
    DISK_USED_BYTES: disk,
    MEM_QUOTA_BYTES: 10737418240,
    MEM_USED_BYTES: mem,
    META_USED_BYTES: meta,
  })),
  cloudNativeCompactions: compactionTasks(),
  compactions: [
    {
      Partition: 'ods.orders.30012',
      TxnID: '88197',
      StartTime: '2025-06-11 09:20:41',
      CommitTime: '2025-06-11 09:21:55',
      FinishTime: '2025-06-11 09:21:57',
      Error: 'NULL',
      Profile:
        '{"sub_task_count":16,"read_local_sec":3,"read_local_mb":1840,"read_remote_sec":1,"read_remote_mb":96,"read_segment_count":1744,"write_segment_count":16,"write_segment_mb":1702,"write_remote_sec":38,"in_queue_sec":211,"score_before":{"avg":104.0,"p50":101.0,"max":131.0},"score_after":{"avg":2.0,"p50":2.0,"max":3.0},"partial_success":false}',
    },
    {
      Partition: 'ods.events.31544',
      TxnID: '87950',
      StartTime: '2025-06-11 08:01:13',
      CommitTime: '2025-06-11 09:27:40',
      FinishTime: '2025-06-11 09:27:44',
      Error: 'NULL',
      Profile:
        '{"sub_task_count":32,"read_local_sec":41,"read_local_mb":9800,"read_remote_sec":2,"read_remote_mb":120,"read_segment_count":44210,"write_segment_count":32,"write_segment_mb":9650,"write_remote_sec":212,"in_queue_sec":3872,"score_before":{"avg":1011.0,"p50":1040.0,"max":1388.0},"score_after":{"avg":402.0,"p50":410.0,"max":596.0},"partial_success":false}',
    },
    {
      Partition: 'ods.events.31544',
      TxnID: '88231',
      StartTime: '2025-06-11 09:28:07',
      CommitTime: 'NULL',
      FinishTime: 'NULL',
      Error: 'NULL',
      Profile: 'NULL',
    },
  ],
  // 43,200 stream loads (one every 2 s for a day): built on first use, so loading the simulator
  // for another scenario does not pay for them.
  get loads() {
    backlogLoads ??= [
      ...loadSeries({
        firstId: 700001,
        db: 'ods',
        table: 'events',
        type: 'STREAM_LOAD',
        labelPrefix: 'events',
        newest: '2025-06-11 10:14:58',
        count: 43200,
        intervalSeconds: 2,
        durationSeconds: (i) => [6, 6, 7, 6, 7][i % 5] ?? 6,
        scanRows: 42000,
      }),
      ...loadSeries({
        firstId: 690001,
        db: 'ods',
        table: 'orders',
        type: 'STREAM_LOAD',
        labelPrefix: 'orders',
        newest: '2025-06-11 10:12:00',
        count: 288,
        intervalSeconds: 300,
        durationSeconds: () => 2,
      }),
    ];
    return backlogLoads;
  },
  routineLoadJobs: [],
};
