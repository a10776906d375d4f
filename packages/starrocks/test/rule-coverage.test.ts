import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALL_RULE_IDS,
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
import { type ScenarioData, startSimulator } from '../src/sandbox/index.js';
import { SCENARIOS } from '../src/sandbox/scenarios/index.js';

/**
 * Every rule id the diagnostics export has a case here: a cluster in which it fires with its
 * severity, run through the sandbox and the expert that reports it, and the healthy cluster (or,
 * where the healthy cluster legitimately fires it, a quieter variant) in which it stays silent.
 * The id list comes from the code (ALL_RULE_IDS), so exporting a rule without a case fails.
 */

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

/** The healthy cluster with at most 100 loads into sales.order_items. */
const quieterLoads: ScenarioData = {
  ...healthy,
  loads: [
    ...healthy.loads.filter((r) => r.TABLE_NAME === 'order_items').slice(0, 100),
    ...healthy.loads.filter((r) => r.TABLE_NAME !== 'order_items'),
  ],
};

interface RuleCase {
  /** Expected severity (cross-expert findings: their impact). */
  severity: string;
  analyzer: Analyzer;
  /** A cluster in which the rule fires. */
  fires: ScenarioData;
  /** A cluster in which it stays silent; the healthy cluster unless given. */
  silent?: ScenarioData;
}

const CASES: Record<string, RuleCase> = {
  'NODE-DEAD': {
    severity: 'critical',
    analyzer: storage,
    fires: backend(healthy, '10002', { Alive: 'false' }),
  },
  'NODE-HEARTBEAT-STALE': {
    severity: 'warning',
    analyzer: storage,
    fires: backend(healthy, '10002', { LastHeartbeat: '2025-06-11 10:12:00' }),
  },
  'NODE-DECOMMISSIONING': {
    severity: 'info',
    analyzer: storage,
    fires: backend(healthy, '10002', { SystemDecommissioned: 'true' }),
  },
  'NODE-VERSION-MIXED': {
    severity: 'info',
    analyzer: storage,
    fires: backend(healthy, '10002', { Version: '3.3.9-aaaaaaa' }),
  },
  'STG-DISK-EMERGENCY': {
    severity: 'critical',
    analyzer: storage,
    fires: backend(healthy, '10001', { MaxDiskUsedPct: '98.50 %', AvailCapacity: '30.000 GB' }),
  },
  'STG-DISK-CRITICAL': {
    severity: 'critical',
    analyzer: storage,
    fires: backend(healthy, '10001', { MaxDiskUsedPct: '95.00 %' }),
  },
  'STG-DISK-WARNING': {
    severity: 'warning',
    analyzer: storage,
    fires: backend(healthy, '10001', { MaxDiskUsedPct: '85.00 %' }),
  },
  'STG-DISK-LOW-FREE': {
    severity: 'critical',
    analyzer: storage,
    fires: backend(healthy, '10001', { AvailCapacity: '9.500 GB' }),
  },
  'STG-DISK-NONDATA': {
    severity: 'warning',
    analyzer: storage,
    fires: SCENARIOS['disk-full'] as ScenarioData,
  },
  'STG-MEM-HIGH': {
    severity: 'warning',
    analyzer: storage,
    fires: backend(healthy, '10001', { MemUsedPct: '93.10 %' }),
  },
  'STG-TABLET-COUNT-HIGH': {
    severity: 'warning',
    analyzer: storage,
    fires: backend(healthy, '10001', { TabletNum: '50001' }),
  },
  'DIST-DATA-SKEW': {
    severity: 'warning',
    analyzer: storage,
    fires: backend(healthy, '10001', { DataUsedCapacity: '1.300 TB' }),
  },
  'DIST-TABLET-SKEW': {
    severity: 'warning',
    analyzer: distribution,
    fires: backend(healthy, '10001', { TabletNum: '12000' }),
  },
  'DIST-PARTITION-SKEW': {
    severity: 'info',
    analyzer: distribution,
    fires: { ...healthy, partitionSpread: [{ PARTITION_ID: 20531, spread: 9 }] },
  },
  'DIST-TOTAL-TABLETS': {
    severity: 'info',
    analyzer: storage,
    fires: ['10001', '10002', '10003'].reduce((s, id) => backend(s, id, { TabletNum: '40000' }), healthy),
  },
  'REP-UNHEALTHY': {
    severity: 'warning',
    analyzer: storage,
    fires: total(healthy, { UnhealthyTabletNum: '12' }),
  },
  'REP-ERROR-STATE': {
    severity: 'critical',
    analyzer: storage,
    fires: total(healthy, { ErrorStateTabletNum: '10' }),
  },
  'REP-ERROR-RATE': {
    severity: 'critical',
    analyzer: storage,
    fires: total(healthy, { ErrorStateTabletNum: '200' }),
  },
  'REP-INCONSISTENT': {
    severity: 'warning',
    analyzer: storage,
    fires: total(healthy, { InconsistentTabletNum: '3' }),
  },
  'REP-CLONING': {
    severity: 'info',
    analyzer: storage,
    fires: total(healthy, { CloningTabletNum: '4' }),
  },
  'REP-VERSION-LAG': {
    severity: 'warning',
    analyzer: replicas,
    fires: {
      ...healthy,
      replicaVersionLag: [{ BE_ID: 10002, TABLET_ID: 20877, MAX_VERSION: 3388, best_version: 3411 }],
    },
  },
  'REP-MISSING': {
    severity: 'warning',
    analyzer: replicas,
    fires: SCENARIOS['dead-backend'] as ScenarioData,
  },
  'SOURCE-UNAVAILABLE': {
    severity: 'info',
    analyzer: storage,
    fires: { ...healthy, missing: ['information_schema.be_tablets'] },
  },
  'STG-LARGE-PARTITIONS': {
    severity: 'info',
    analyzer: storage,
    fires: {
      ...healthy,
      partitions: patchRows(healthy.partitions, (r) => r.PARTITION_ID === 20512, { DATA_SIZE: 20 * 1024 ** 3 }),
    },
  },
  'STG-DISK-OFFLINE': {
    severity: 'warning',
    analyzer: disks,
    fires: {
      ...healthy,
      backendDisks: {
        ...healthy.backendDisks,
        '10001': [{ ...(healthy.backendDisks['10001']?.[0] as Row), State: 'OFFLINE' }],
      },
    },
  },
  'STG-CACHE-FULL': {
    severity: 'warning',
    analyzer: storage,
    fires: {
      ...sharedData,
      datacacheMetrics: patchRows(sharedData.datacacheMetrics, (r) => r.BE_ID === 10101, {
        DISK_USED_BYTES: 850000000000,
      }),
    },
  },
  'STG-AMPLIFICATION': {
    severity: 'critical',
    analyzer: storage,
    fires: {
      ...sharedData,
      partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 30012, { STORAGE_SIZE: 9 * 1024 ** 3 }),
    },
  },
  'CMP-CS-EMERGENCY': {
    severity: 'critical',
    analyzer: compaction,
    fires: sharedData,
  },
  'CMP-CS-CRITICAL': {
    severity: 'critical',
    analyzer: compaction,
    fires: {
      ...sharedData,
      partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 600 }),
    },
  },
  'CMP-CS-WARNING': {
    severity: 'warning',
    analyzer: compaction,
    fires: {
      ...sharedData,
      partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 150 }),
    },
  },
  'CMP-REJECT-RISK': {
    severity: 'critical',
    analyzer: compaction,
    fires: {
      ...sharedData,
      partitions: patchRows(sharedData.partitions, (r) => r.PARTITION_ID === 31544, { MAX_CS: 1700 }),
    },
  },
  'CMP-THREADS-LOW': {
    severity: 'critical',
    analyzer: compaction,
    fires: { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '2' }) },
  },
  'CMP-THREADS-HIGH': {
    severity: 'warning',
    analyzer: compaction,
    fires: { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '12' }) },
  },
  'CMP-TASK-STALLED': {
    severity: 'critical',
    analyzer: compaction,
    fires: lake(sharedData, { cloudNativeCompactions: [task({ PROGRESS: 20, RUNS: 7 })] }),
  },
  'CMP-TASK-SLOW': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, { cloudNativeCompactions: [task({ START_TIME: '2025-06-11 07:00:00' })] }),
  },
  'CMP-NODE-OVERLOAD': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, { cloudNativeCompactions: Array.from({ length: 9 }, (_, i) => task({ TABLET_ID: i })) }),
  },
  'CMP-SUCCESS-RATE-LOW': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 10 }, (_, i) =>
        task({ TABLET_ID: i, FINISH_TIME: '2025-06-11 10:05:00', PROGRESS: 100, STATUS: i < 2 ? 'io error' : '' }),
      ),
    }),
  },
  'CMP-DISABLED': {
    severity: 'critical',
    analyzer: compaction,
    fires: config(sharedData, 'lake_compaction_max_tasks', '0'),
  },
  'CMP-ADAPTIVE': {
    severity: 'info',
    analyzer: compaction,
    fires: sharedData,
  },
  'CMP-MAX-TASKS-LOW': {
    severity: 'critical',
    analyzer: compaction,
    fires: config(sharedData, 'lake_compaction_max_tasks', '10'),
  },
  'CMP-MAX-TASKS-HIGH': {
    severity: 'warning',
    analyzer: compaction,
    fires: config(sharedData, 'lake_compaction_max_tasks', '500'),
  },
  'CMP-PRESSURE-ELEVATED': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 18 }, (_, i) => task({ TABLET_ID: i, BE_ID: 10101 + (i % 3) })),
    }),
  },
  'CMP-PRESSURE-HIGH': {
    severity: 'critical',
    analyzer: compaction,
    fires: lake(sharedData, {
      cloudNativeCompactions: Array.from({ length: 27 }, (_, i) => task({ TABLET_ID: i, BE_ID: 10101 + (i % 3) })),
    }),
  },
  'CMP-TXN-STUCK': {
    severity: 'warning',
    analyzer: compaction,
    fires: sharedData,
  },
  'CMP-PUBLISH-STUCK': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
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
  },
  'CMP-TXN-FAILED': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
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
  },
  'CMP-PROFILE-QUEUE': {
    severity: 'warning',
    analyzer: compaction,
    fires: sharedData,
  },
  'CMP-PROFILE-REMOTE-READ': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
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
  },
  'CMP-PROFILE-REMOTE-WRITE': {
    severity: 'warning',
    analyzer: compaction,
    fires: lake(sharedData, {
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
  },
  'CMP-SN-ROWSET-WARN': {
    severity: 'warning',
    analyzer: compaction,
    fires: {
      ...healthy,
      beTabletsByBackend: patchRows(healthy.beTabletsByBackend, (r) => r.BE_ID === 10001, {
        max_rowsets: 150,
        over_100: 4,
      }),
    },
  },
  'CMP-SN-ROWSET-CRIT': {
    severity: 'critical',
    analyzer: compaction,
    fires: {
      ...healthy,
      beTabletsByBackend: patchRows(healthy.beTabletsByBackend, (r) => r.BE_ID === 10001, {
        max_rowsets: 700,
        over_100: 4,
        over_500: 1,
      }),
    },
  },
  'CMP-SN-CANDIDATE-SCORE': {
    severity: 'critical',
    analyzer: compaction,
    fires: {
      ...healthy,
      beCompactions: patchRows(healthy.beCompactions, (r) => r.BE_ID === 10002, { CANDIDATE_MAX_SCORE: 800 }),
    },
  },
  'CMP-SN-DELETE-EXPLOSION': {
    severity: 'warning',
    analyzer: compaction,
    fires: {
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
  },
  'ING-FAILURE-RATE-MODERATE': {
    severity: 'warning',
    analyzer: ingestion,
    fires: loads(
      healthy,
      Array.from({ length: 40 }, (_, i) => load(i, { STATE: 'CANCELLED', ERROR_MSG: 'too many filtered rows' })),
    ),
  },
  'ING-FAILURE-RATE-HIGH': {
    severity: 'critical',
    analyzer: ingestion,
    fires: SCENARIOS['load-failures'] as ScenarioData,
  },
  'ING-FREQUENT-FAILURES': {
    severity: 'warning',
    analyzer: ingestion,
    fires: SCENARIOS['load-failures'] as ScenarioData,
  },
  'ING-RECURRING-ERROR': {
    severity: 'warning',
    analyzer: ingestion,
    fires: SCENARIOS['load-failures'] as ScenarioData,
  },
  'ING-SLOW-LOADS': {
    severity: 'warning',
    analyzer: ingestion,
    fires: {
      ...healthy,
      loads: healthy.loads.map((r) =>
        r.TYPE === 'STREAM_LOAD' ? { ...r, LOAD_START_TIME: '2025-06-10 09:00:00' } : r,
      ),
    },
  },
  'ING-QUEUE-BUILDUP': {
    severity: 'warning',
    analyzer: ingestion,
    fires: loads(
      healthy,
      Array.from({ length: 6 }, (_, i) =>
        load(i, { STATE: 'PENDING', TYPE: 'BROKER', CREATE_TIME: '2025-06-11 10:14:00' }),
      ),
    ),
  },
  'ING-QUEUE-BACKLOG': {
    severity: 'critical',
    analyzer: ingestion,
    fires: loads(
      healthy,
      Array.from({ length: 11 }, (_, i) =>
        load(i, { STATE: 'QUEUEING', TYPE: 'INSERT', CREATE_TIME: '2025-06-11 10:14:00' }),
      ),
    ),
  },
  'ING-LONG-RUNNING': {
    severity: 'warning',
    analyzer: ingestion,
    fires: loads(healthy, [load(1, { STATE: 'LOADING', TYPE: 'BROKER', CREATE_TIME: '2025-06-11 07:00:00' })]),
  },
  'ING-FILTER-RATIO': {
    severity: 'info',
    analyzer: ingestion,
    fires: loads(healthy, [load(1, { TABLE_NAME: 'dirty', FILTERED_ROWS: 3000, CREATE_TIME: '2025-06-11 09:00:00' })]),
  },
  'ING-HIGH-FREQ-TABLES': {
    severity: 'warning',
    analyzer: ingestion,
    fires: loads(
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
  },
  'ING-IRREGULAR': {
    // Two bursty tables (three loads 5 s apart, then one after ~10 min) against one regular table.
    severity: 'warning',
    analyzer: ingestion,
    fires: loads(
      healthy,
      ['burst_a', 'burst_b'].flatMap((t, ti) =>
        ['10:00:00', '10:00:05', '10:00:10', '10:10:00'].map((at, i) =>
          load(ti * 10 + i, { TABLE_NAME: t, CREATE_TIME: `2025-06-11 ${at}`, LOAD_START_TIME: `2025-06-11 ${at}` }),
        ),
      ),
    ),
  },
  'ING-HIGH-VOLUME-TABLE': {
    // The healthy cluster itself loads order_items 288 times a day: silent once it loads 100.
    severity: 'info',
    analyzer: ingestion,
    fires: healthy,
    silent: quieterLoads,
  },
  'ING-HISTORY-UNAVAILABLE': {
    severity: 'info',
    analyzer: ingestion,
    fires: SCENARIOS['dead-backend'] as ScenarioData,
  },
  'RL-PAUSED': {
    severity: 'warning',
    analyzer: ingestion,
    fires: SCENARIOS['load-failures'] as ScenarioData,
  },
  'RL-CANCELLED': {
    severity: 'critical',
    analyzer: ingestion,
    fires: routine(healthy, { STATE: 'CANCELLED', OTHER_MSG: 'topic deleted' }),
  },
  'RL-UNSTABLE': {
    severity: 'warning',
    analyzer: ingestion,
    fires: routine(healthy, { STATE: 'UNSTABLE' }),
  },
  'RL-LAG': {
    severity: 'warning',
    analyzer: ingestion,
    fires: routine(healthy, { TIMESTAMP_PROGRESS: '{"0":"1749636000000"}' }),
  },
  'RL-ERROR-ROWS': {
    severity: 'warning',
    analyzer: ingestion,
    fires: routine(healthy, { STATISTICS: '{"errorRows":600,"totalRows":10000}' }),
  },
  'RL-STOPPED': {
    severity: 'info',
    analyzer: ingestion,
    fires: routine(healthy, { STATE: 'STOPPED' }),
  },
  'XM-HIGHFREQ-CS': {
    severity: 'MEDIUM',
    analyzer: comprehensive,
    fires: sharedData,
  },
  'XM-DISK-COMPACTION': {
    severity: 'HIGH',
    analyzer: comprehensive,
    fires: {
      ...backend(healthy, '10002', { MaxDiskUsedPct: '96.00 %' }),
      beCompactions: patchRows(healthy.beCompactions, (r) => r.BE_ID === 10002, { CANDIDATE_MAX_SCORE: 800 }),
    },
  },
  'XM-DISK-INGEST': {
    severity: 'HIGH',
    analyzer: comprehensive,
    fires: {
      ...(SCENARIOS['load-failures'] as ScenarioData),
      backends: (SCENARIOS['disk-full'] as ScenarioData).backends,
    },
  },
  'XM-QUEUE-COMPACTION': {
    severity: 'MEDIUM',
    analyzer: comprehensive,
    fires: loads(
      lake(sharedData, {
        cloudNativeCompactions: Array.from({ length: 27 }, (_, i) => task({ TABLET_ID: i, BE_ID: 10101 + (i % 3) })),
      }),
      Array.from({ length: 11 }, (_, i) =>
        load(i, { STATE: 'QUEUEING', TYPE: 'INSERT', CREATE_TIME: '2025-06-11 10:14:00' }),
      ),
    ),
  },
  'XM-DEADNODE-INGEST': {
    severity: 'HIGH',
    analyzer: comprehensive,
    fires: backend(SCENARIOS['load-failures'] as ScenarioData, '10002', { Alive: 'false' }),
  },
  'XM-THREADS-CS': {
    severity: 'MEDIUM',
    analyzer: comprehensive,
    fires: { ...sharedData, beConfigs: patchRows(sharedData.beConfigs, (r) => r.BE_ID === 10101, { VALUE: '2' }) },
  },
};

async function issuesOf(scenario: ScenarioData, analyzer: Analyzer) {
  const sim = await startSimulator({ scenario });
  const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
  try {
    return (await analyzer(executor)).issues;
  } finally {
    await executor.close();
    await sim.stop();
  }
}

/** The healthy cluster's issues, once per analyzer. */
const baseline = new Map<Analyzer, Promise<{ id: string }[]>>();
const healthyIssues = (analyzer: Analyzer) => {
  let issues = baseline.get(analyzer);
  if (!issues) {
    issues = issuesOf(healthy, analyzer);
    baseline.set(analyzer, issues);
  }
  return issues;
};

/** Quoted rule ids written in the package source, with how often each is written. */
function ruleIdLiterals(): Map<string, number> {
  const families = [...new Set(ALL_RULE_IDS.map((id) => id.split('-')[0]))].join('|');
  const literal = new RegExp(`'((?:${families})-[A-Z0-9-]+)'`, 'g');
  const src = fileURLToPath(new URL('../src', import.meta.url));
  const counts = new Map<string, number>();
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(join(src, file), 'utf8').matchAll(literal)) {
      const id = match[1] as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

describe('rule coverage', () => {
  it('every exported rule id has a case, and every case is an exported rule id', () => {
    const exported = [...ALL_RULE_IDS].sort();
    expect(new Set(exported).size).toBe(exported.length);
    expect(Object.keys(CASES).sort()).toEqual(exported);
  });

  it('every rule id is written once in the source, in its *_RULE_IDS object', () => {
    const counts = ruleIdLiterals();
    expect([...counts.keys()].sort()).toEqual([...ALL_RULE_IDS].sort());
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
  });

  it.each(ALL_RULE_IDS)('%s fires in its case and stays silent in the healthy cluster', async (id) => {
    const rule = CASES[id];
    if (!rule) throw new Error(`no case for exported rule id ${id}: add one to CASES`);
    const fired = await issuesOf(rule.fires, rule.analyzer);
    expect(fired.map((i) => i.id)).toContain(id);
    expect(fired.find((i) => i.id === id)?.severity).toBe(rule.severity);
    const quiet = rule.silent ? await issuesOf(rule.silent, rule.analyzer) : await healthyIssues(rule.analyzer);
    expect(quiet.map((i) => i.id)).not.toContain(id);
  });
});
