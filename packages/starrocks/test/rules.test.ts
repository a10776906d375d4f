import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeCompaction,
  analyzeComprehensive,
  analyzeIngestion,
  analyzeStorage,
  getDiskUsage,
  getReplicaStatus,
  getTabletDistribution,
} from '../src/diagnostics/index.js';
import type { Row, StatementExecutor } from '../src/executor.js';
import { createPoolExecutor } from '../src/pool-executor.js';
import { type ScenarioData, type Simulator, startSimulator } from '../src/simulator/index.js';
import { SCENARIOS } from '../src/simulator/scenarios/index.js';

type Analyzer = (executor: StatementExecutor) => Promise<{ issues: { id: string; severity: string }[] }>;

const storage: Analyzer = (e) => analyzeStorage(e);
const compaction: Analyzer = (e) => analyzeCompaction(e);
const ingestion: Analyzer = (e) => analyzeIngestion(e, 24);
const disks: Analyzer = (e) => getDiskUsage(e);
const distribution: Analyzer = (e) => getTabletDistribution(e);
const replicas: Analyzer = (e) => getReplicaStatus(e);
const comprehensive: Analyzer = async (e) => {
  const d = await analyzeComprehensive(e);
  return { issues: d.cross_module.map((c) => ({ id: c.id, severity: c.impact })) };
};

const healthy = SCENARIOS.healthy as ScenarioData;
const sharedData = SCENARIOS['compaction-backlog'] as ScenarioData;

const patchRows = (rows: Row[], match: (r: Row) => boolean, patch: Row) =>
  rows.map((r) => (match(r) ? { ...r, ...patch } : r));
const backend = (s: ScenarioData, id: string, patch: Row): ScenarioData => ({
  ...s,
  backends: patchRows(s.backends, (r) => r.BackendId === id, patch),
});
const total = (s: ScenarioData, patch: Row): ScenarioData => ({
  ...s,
  statistic: patchRows(s.statistic, (r) => r.DbId === 'Total', patch),
});
const config = (s: ScenarioData, key: string, value: string): ScenarioData => ({
  ...s,
  frontendConfig: patchRows(s.frontendConfig, (r) => r.Key === key, { Value: value }),
});
const loads = (s: ScenarioData, extra: Row[]): ScenarioData => ({ ...s, loads: [...extra, ...s.loads] });
const load = (i: number, patch: Row): Row => ({
  ...(healthy.loads[0] as Row),
  ID: 900000 + i,
  LABEL: `rule_${i}`,
  ...patch,
});
const routine = (s: ScenarioData, patch: Row): ScenarioData => ({
  ...s,
  routineLoadJobs: [{ ...(s.routineLoadJobs[0] as Row), ...patch }],
});
const task = (patch: Row): Row => ({
  BE_ID: 10101,
  TXN_ID: 99001,
  TABLET_ID: 1,
  START_TIME: '2025-06-11 10:00:00',
  FINISH_TIME: null,
  PROGRESS: 60,
  STATUS: '',
  RUNS: 1,
  SKIPPED: 0,
  ...patch,
});
const lake = (s: ScenarioData, patch: Partial<ScenarioData>): ScenarioData => ({ ...s, ...patch });

/** [rule id, expected severity, analyzer, scenario that must trigger it]. */
const CASES: [string, string, Analyzer, ScenarioData][] = [
  ['NODE-DEAD', 'critical', storage, backend(healthy, '10002', { Alive: 'false' })],
  ['NODE-HEARTBEAT-STALE', 'warning', storage, backend(healthy, '10002', { LastHeartbeat: '2025-06-11 10:12:00' })],
  ['NODE-DECOMMISSIONING', 'info', storage, backend(healthy, '10002', { SystemDecommissioned: 'true' })],
  ['NODE-VERSION-MIXED', 'info', storage, backend(healthy, '10002', { Version: '3.3.9-aaaaaaa' })],
  [
    'STG-DISK-EMERGENCY',
    'critical',
    storage,
    backend(healthy, '10001', { MaxDiskUsedPct: '98.50 %', AvailCapacity: '30.000 GB' }),
  ],
  ['STG-DISK-CRITICAL', 'critical', storage, backend(healthy, '10001', { MaxDiskUsedPct: '95.00 %' })],
  ['STG-DISK-WARNING', 'warning', storage, backend(healthy, '10001', { MaxDiskUsedPct: '85.00 %' })],
  ['STG-DISK-LOW-FREE', 'critical', storage, backend(healthy, '10001', { AvailCapacity: '9.500 GB' })],
  ['STG-DISK-NONDATA', 'warning', storage, SCENARIOS['disk-full'] as ScenarioData],
  ['STG-MEM-HIGH', 'warning', storage, backend(healthy, '10001', { MemUsedPct: '93.10 %' })],
  ['STG-TABLET-COUNT-HIGH', 'warning', storage, backend(healthy, '10001', { TabletNum: '50001' })],
  ['DIST-DATA-SKEW', 'warning', storage, backend(healthy, '10001', { DataUsedCapacity: '1.300 TB' })],
  ['DIST-TABLET-SKEW', 'warning', distribution, backend(healthy, '10001', { TabletNum: '12000' })],
  ['DIST-PARTITION-SKEW', 'info', distribution, { ...healthy, partitionSpread: [{ PARTITION_ID: 20531, spread: 9 }] }],
  [
    'DIST-TOTAL-TABLETS',
    'info',
    storage,
    ['10001', '10002', '10003'].reduce((s, id) => backend(s, id, { TabletNum: '40000' }), healthy),
  ],
  ['REP-UNHEALTHY', 'warning', storage, total(healthy, { UnhealthyTabletNum: '12' })],
  ['REP-ERROR-STATE', 'critical', storage, total(healthy, { ErrorStateTabletNum: '10' })],
  ['REP-ERROR-RATE', 'critical', storage, total(healthy, { ErrorStateTabletNum: '200' })],
  ['REP-INCONSISTENT', 'warning', storage, total(healthy, { InconsistentTabletNum: '3' })],
  ['REP-CLONING', 'info', storage, total(healthy, { CloningTabletNum: '4' })],
  [
    'REP-VERSION-LAG',
    'warning',
    replicas,
    { ...healthy, replicaVersionLag: [{ BE_ID: 10002, TABLET_ID: 20877, MAX_VERSION: 3388, best_version: 3411 }] },
  ],
  ['REP-MISSING', 'warning', replicas, SCENARIOS['dead-backend'] as ScenarioData],
  [
    'STG-LARGE-PARTITIONS',
    'info',
    storage,
    {
      ...healthy,
      partitions: patchRows(healthy.partitions, (r) => r.PARTITION_ID === 20512, { DATA_SIZE: 20 * 1024 ** 3 }),
    },
  ],
  [
    'STG-DISK-OFFLINE',
    'warning',
    disks,
    {
      ...healthy,
      backendDisks: {
        ...healthy.backendDisks,
        '10001': [{ ...(healthy.backendDisks['10001']?.[0] as Row), State: 'OFFLINE' }],
      },
    },
  ],
  [
    'STG-CACHE-FULL',
    'warning',
    storage,
    {
      ...sharedData,
      datacacheMetrics: patchRows(sharedData.datacacheMetrics, (r) => r.BE_ID === 10101, {
        DISK_USED_BYTES: 850000000000,
      }),
    },
  ],
  [
    'STG-AMPLIFICATION',
    'critical',
    storage,
    {
      ...sharedData,
      partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 30012, { STORAGE_SIZE: 9 * 1024 ** 3 }),
    },
  ],
  [
    'CMP-CS-CRITICAL',
    'critical',
    compaction,
    { ...sharedData, partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 600 }) },
  ],
  [
    'CMP-CS-WARNING',
    'warning',
    compaction,
    { ...sharedData, partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 150 }) },
  ],
  [
    'CMP-REJECT-RISK',
    'critical',
    compaction,
    { ...sharedData, partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 1700 }) },
  ],
  [
    'CMP-THREADS-LOW',
    'critical',
    compaction,
    { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '2' }) },
  ],
  [
    'CMP-THREADS-HIGH',
    'warning',
    compaction,
    { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '12' }) },
  ],
  [
    'CMP-TASK-STALLED',
    'critical',
    compaction,
    lake(sharedData, { cloudNativeCompactions: [task({ PROGRESS: 20, RUNS: 7 })] }),
  ],
  [
    'CMP-TASK-SLOW',
    'warning',
    compaction,
    lake(sharedData, { cloudNativeCompactions: [task({ START_TIME: '2025-06-11 07:00:00' })] }),
  ],
  [
    'CMP-NODE-OVERLOAD',
    'warning',
    compaction,
    lake(sharedData, { cloudNativeCompactions: Array.from({ length: 9 }, (_, i) => task({ TABLET_ID: i })) }),
  ],
  [
    'CMP-SUCCESS-RATE-LOW',
    'warning',
    compaction,
    lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 10 }, (_, i) =>
        task({ TABLET_ID: i, FINISH_TIME: '2025-06-11 10:05:00', PROGRESS: 100, STATUS: i < 2 ? 'io error' : '' }),
      ),
    }),
  ],
  ['CMP-DISABLED', 'critical', compaction, config(sharedData, 'lake_compaction_max_tasks', '0')],
  ['CMP-ADAPTIVE', 'info', compaction, sharedData],
  ['CMP-MAX-TASKS-LOW', 'critical', compaction, config(sharedData, 'lake_compaction_max_tasks', '10')],
  ['CMP-MAX-TASKS-HIGH', 'warning', compaction, config(sharedData, 'lake_compaction_max_tasks', '500')],
  [
    'CMP-PRESSURE-ELEVATED',
    'warning',
    compaction,
    lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 18 }, (_, i) => task({ TABLET_ID: i, BE_ID: 10101 + (i % 3) })),
    }),
  ],
  [
    'CMP-PRESSURE-HIGH',
    'critical',
    compaction,
    lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 27 }, (_, i) => task({ TABLET_ID: i, BE_ID: 10101 + (i % 3) })),
    }),
  ],
  ['CMP-TXN-STUCK', 'warning', compaction, sharedData],
  [
    'CMP-PUBLISH-STUCK',
    'warning',
    compaction,
    lake(sharedData, {
      compactions: [
        {
          Partition: 'ods.orders.30012',
          TxnID: '9',
          StartTime: '2025-06-11 09:40:00',
          CommitTime: '2025-06-11 09:50:00',
          FinishTime: 'NULL',
          Error: 'NULL',
          Profile: 'NULL',
        },
      ],
    }),
  ],
  [
    'CMP-TXN-FAILED',
    'warning',
    compaction,
    lake(sharedData, {
      compactions: [1, 2, 3].map((i) => ({
        Partition: 'ods.orders.30012',
        TxnID: String(i),
        StartTime: '2025-06-11 09:40:00',
        CommitTime: 'NULL',
        FinishTime: '2025-06-11 09:41:00',
        Error: 'publish failed',
        Profile: 'NULL',
      })),
    }),
  ],
  ['CMP-PROFILE-QUEUE', 'warning', compaction, sharedData],
  [
    'CMP-PROFILE-REMOTE-READ',
    'warning',
    compaction,
    lake(sharedData, {
      compactions: [
        {
          Partition: 'ods.orders.30012',
          TxnID: '7',
          StartTime: '2025-06-11 10:00:00',
          CommitTime: '2025-06-11 10:01:00',
          FinishTime: '2025-06-11 10:01:02',
          Error: 'NULL',
          Profile: '{"sub_task_count":16,"read_local_mb":100,"read_remote_mb":900,"in_queue_sec":10}',
        },
      ],
    }),
  ],
  [
    'CMP-PROFILE-REMOTE-WRITE',
    'warning',
    compaction,
    lake(sharedData, {
      compactions: [
        {
          Partition: 'ods.orders.30012',
          TxnID: '8',
          StartTime: '2025-06-11 10:00:00',
          CommitTime: '2025-06-11 10:01:39',
          FinishTime: '2025-06-11 10:01:40',
          Error: 'NULL',
          Profile:
            '{"sub_task_count":4,"read_local_mb":900,"read_remote_mb":10,"write_remote_sec":380,"in_queue_sec":4}',
        },
      ],
    }),
  ],
  [
    'CMP-SN-ROWSET-WARN',
    'warning',
    compaction,
    {
      ...healthy,
      beTabletsByBackend: patchRows(healthy.beTabletsByBackend, (r) => r.BE_ID === 10001, {
        max_rowsets: 150,
        over_100: 4,
      }),
    },
  ],
  [
    'CMP-SN-ROWSET-CRIT',
    'critical',
    compaction,
    {
      ...healthy,
      beTabletsByBackend: patchRows(healthy.beTabletsByBackend, (r) => r.BE_ID === 10001, {
        max_rowsets: 700,
        over_100: 4,
        over_500: 1,
      }),
    },
  ],
  [
    'CMP-SN-CANDIDATE-SCORE',
    'critical',
    compaction,
    {
      ...healthy,
      beCompactions: patchRows(healthy.beCompactions, (r) => r.BE_ID === 10002, { CANDIDATE_MAX_SCORE: 800 }),
    },
  ],
  [
    'CMP-SN-DELETE-EXPLOSION',
    'warning',
    compaction,
    {
      ...healthy,
      beTabletsTop: [
        {
          BE_ID: 10001,
          TABLE_ID: 1,
          PARTITION_ID: 2,
          TABLET_ID: 3,
          NUM_ROWSET: 300,
          NUM_VERSION: 300,
          DATA_SIZE: 1000,
        },
      ],
    },
  ],
  [
    'ING-FAILURE-RATE-MODERATE',
    'warning',
    ingestion,
    loads(
      healthy,
      Array.from({ length: 40 }, (_, i) => load(i, { STATE: 'CANCELLED', ERROR_MSG: 'too many filtered rows' })),
    ),
  ],
  ['ING-FAILURE-RATE-HIGH', 'critical', ingestion, SCENARIOS['load-failures'] as ScenarioData],
  ['ING-FREQUENT-FAILURES', 'warning', ingestion, SCENARIOS['load-failures'] as ScenarioData],
  ['ING-RECURRING-ERROR', 'warning', ingestion, SCENARIOS['load-failures'] as ScenarioData],
  [
    'ING-SLOW-LOADS',
    'warning',
    ingestion,
    {
      ...healthy,
      loads: healthy.loads.map((r) =>
        r.TYPE === 'STREAM_LOAD' ? { ...r, LOAD_START_TIME: '2025-06-10 09:00:00' } : r,
      ),
    },
  ],
  [
    'ING-QUEUE-BUILDUP',
    'warning',
    ingestion,
    loads(
      healthy,
      Array.from({ length: 6 }, (_, i) =>
        load(i, { STATE: 'PENDING', TYPE: 'BROKER', CREATE_TIME: '2025-06-11 10:14:00' }),
      ),
    ),
  ],
  [
    'ING-QUEUE-BACKLOG',
    'critical',
    ingestion,
    loads(
      healthy,
      Array.from({ length: 11 }, (_, i) =>
        load(i, { STATE: 'QUEUEING', TYPE: 'INSERT', CREATE_TIME: '2025-06-11 10:14:00' }),
      ),
    ),
  ],
  [
    'ING-LONG-RUNNING',
    'warning',
    ingestion,
    loads(healthy, [load(1, { STATE: 'LOADING', TYPE: 'BROKER', CREATE_TIME: '2025-06-11 07:00:00' })]),
  ],
  [
    'ING-FILTER-RATIO',
    'info',
    ingestion,
    loads(healthy, [load(1, { TABLE_NAME: 'dirty', FILTERED_ROWS: 3000, CREATE_TIME: '2025-06-11 09:00:00' })]),
  ],
  [
    'ING-HIGH-FREQ-TABLES',
    'warning',
    ingestion,
    loads(
      healthy,
      ['a', 'b', 'c', 'd'].flatMap((t, ti) =>
        Array.from({ length: 3 }, (_, i) =>
          load(ti * 10 + i, {
            TABLE_NAME: t,
            CREATE_TIME: `2025-06-11 10:0${ti}:${i}0`,
            LOAD_START_TIME: `2025-06-11 10:0${ti}:${i}0`,
          }),
        ),
      ),
    ),
  ],
  [
    'ING-IRREGULAR',
    'warning',
    ingestion,
    // Two bursty tables (three loads 5 s apart, then one after ~10 min) against one regular table.
    loads(
      healthy,
      ['burst_a', 'burst_b'].flatMap((t, ti) =>
        ['10:00:00', '10:00:05', '10:00:10', '10:10:00'].map((at, i) =>
          load(ti * 10 + i, { TABLE_NAME: t, CREATE_TIME: `2025-06-11 ${at}`, LOAD_START_TIME: `2025-06-11 ${at}` }),
        ),
      ),
    ),
  ],
  ['ING-HIGH-VOLUME-TABLE', 'info', ingestion, healthy],
  ['ING-HISTORY-UNAVAILABLE', 'info', ingestion, SCENARIOS['dead-backend'] as ScenarioData],
  ['RL-PAUSED', 'warning', ingestion, SCENARIOS['load-failures'] as ScenarioData],
  ['RL-CANCELLED', 'critical', ingestion, routine(healthy, { STATE: 'CANCELLED', OTHER_MSG: 'topic deleted' })],
  ['RL-UNSTABLE', 'warning', ingestion, routine(healthy, { STATE: 'UNSTABLE' })],
  ['RL-LAG', 'warning', ingestion, routine(healthy, { TIMESTAMP_PROGRESS: '{"0":"1749636000000"}' })],
  ['RL-ERROR-ROWS', 'warning', ingestion, routine(healthy, { STATISTICS: '{"errorRows":600,"totalRows":10000}' })],
  ['RL-STOPPED', 'info', ingestion, routine(healthy, { STATE: 'STOPPED' })],
  ['XM-HIGHFREQ-CS', 'MEDIUM', comprehensive, sharedData],
  [
    'XM-DISK-COMPACTION',
    'HIGH',
    comprehensive,
    {
      ...backend(healthy, '10002', { MaxDiskUsedPct: '96.00 %' }),
      beCompactions: patchRows(healthy.beCompactions, (r) => r.BE_ID === 10002, { CANDIDATE_MAX_SCORE: 800 }),
    },
  ],
  [
    'XM-DISK-INGEST',
    'HIGH',
    comprehensive,
    { ...(SCENARIOS['load-failures'] as ScenarioData), backends: (SCENARIOS['disk-full'] as ScenarioData).backends },
  ],
  [
    'XM-THREADS-CS',
    'MEDIUM',
    comprehensive,
    { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '2' }) },
  ],
];

async function issuesOf(scenario: ScenarioData, analyzer: Analyzer) {
  const sim: Simulator = await startSimulator({ scenario });
  const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
  try {
    return (await analyzer(executor)).issues;
  } finally {
    await executor.close();
    await sim.stop();
  }
}

describe('every rule fires in its scenario and stays silent in the healthy cluster', () => {
  const quiet = new Map<Analyzer, Set<string>>();
  beforeAll(async () => {
    for (const analyzer of new Set(CASES.map((c) => c[2]))) {
      quiet.set(analyzer, new Set((await issuesOf(healthy, analyzer)).map((i) => i.id)));
    }
  });
  afterAll(() => quiet.clear());

  it.each(CASES)('%s (%s)', async (id, severity, analyzer, scenario) => {
    const issues = await issuesOf(scenario, analyzer);
    expect(issues.map((i) => i.id)).toContain(id);
    expect(issues.find((i) => i.id === id)?.severity).toBe(severity);
    // Info notes about healthy traffic (high-volume tables) are expected in the baseline.
    if (id !== 'ING-HIGH-VOLUME-TABLE') expect(quiet.get(analyzer)?.has(id)).toBe(false);
  });
});
