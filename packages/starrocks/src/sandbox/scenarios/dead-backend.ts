import type { ScenarioData } from '../types.js';
import { type BackendSpec, backend, clusterBalance, disk, statisticRow } from './common.js';
import { healthy } from './healthy.js';

const common = { total: '1.968 TB', dataTotal: '1.905 TB' };
const BACKENDS: BackendSpec[] = [
  {
    ...common,
    id: 10001,
    ip: '10.0.1.11',
    tablets: 7331,
    dataUsed: '824.039 GB',
    avail: '1.101 TB',
    usedPct: '44.07 %',
    dataUsedPct: '42.23 %',
    memUsedPct: '47.90 %',
    cpuUsedPct: '31.2 %',
  },
  {
    ...common,
    id: 10002,
    ip: '10.0.1.12',
    tablets: 7332,
    dataUsed: '827.606 GB',
    avail: '1.097 TB',
    usedPct: '44.28 %',
    dataUsedPct: '42.43 %',
    memUsedPct: '48.35 %',
    cpuUsedPct: '33.0 %',
  },
  {
    ...common,
    id: 10003,
    ip: '10.0.1.13',
    tablets: 7331,
    dataUsed: '822.568 GB',
    avail: '1.102 TB',
    usedPct: '44.02 %',
    dataUsedPct: '42.17 %',
    memUsedPct: '46.81 %',
    cpuUsedPct: '30.4 %',
  },
  {
    ...common,
    id: 10004,
    ip: '10.0.1.14',
    alive: false,
    lastHeartbeat: '2025-06-11 09:50:12',
    tablets: 2258,
    dataUsed: '682.118 GB',
    avail: '1.239 TB',
    usedPct: '37.04 %',
    dataUsedPct: '34.97 %',
    memUsedPct: '0.00 %',
    cpuUsedPct: '0.0 %',
    errMsg: 'java.net.ConnectException: Connection refused (Connection refused)',
  },
];

const ids = (first: number, count: number, step = 3) =>
  `[${Array.from({ length: count }, (_, i) => first + i * step).join(', ')}]`;

/** Scenario 3: BE 10004 died 25 minutes ago; its replicas are being re-cloned. */
export const deadBackend: ScenarioData = {
  ...healthy,
  name: 'dead-backend',
  description: 'Shared-nothing cluster with BE 10004 dead and 2258 unhealthy tablets being repaired',
  backends: BACKENDS.map(backend),
  backendDisks: Object.fromEntries(BACKENDS.map((b) => [String(b.id), [disk(b, '60.000 GB')]])),
  statistic: [
    statisticRow('10005', '_statistics_', [10, 40, 40, 130, 270, 1, 0, 0, 0]),
    statisticRow('10112', 'sales', [12, 730, 745, 5960, 17880, 1845, 0, 64, 0]),
    statisticRow('10240', 'web', [4, 366, 366, 2034, 6102, 412, 0, 0, 0]),
    statisticRow('Total', '3', [26, 1136, 1151, 8124, 24252, 2258, 0, 64, 0]),
  ],
  statisticByDb: {
    '10005': { UnhealthyTablets: '[24511]', InconsistentTablets: '[]', CloningTablets: '[]', ErrorStateTablets: '[]' },
    '10112': {
      UnhealthyTablets: ids(20871, 1845),
      InconsistentTablets: '[]',
      CloningTablets: ids(20871, 64),
      ErrorStateTablets: '[]',
    },
    '10240': {
      UnhealthyTablets: ids(24601, 412),
      InconsistentTablets: '[]',
      CloningTablets: '[]',
      ErrorStateTablets: '[]',
    },
  },
  clusterBalance: clusterBalance(2194, 64),
  tabletSchedules: [
    {
      TABLET_ID: 20871,
      TYPE: 'REPAIR',
      PRIORITY: 'HIGH',
      STATE: 'RUNNING',
      TABLET_STATUS: 'REPLICA_MISSING',
      CREATE_TIME: 1749635112.4,
      MSG: '',
    },
    {
      TABLET_ID: 24511,
      TYPE: 'REPAIR',
      PRIORITY: 'NORMAL',
      STATE: 'PENDING',
      TABLET_STATUS: 'REPLICA_MISSING',
      CREATE_TIME: 1749635112.4,
      MSG: 'unable to find source replica',
    },
  ],
  beTabletsByBackend: [
    { BE_ID: 10001, replicas: 7331, data_bytes: 884805010452, max_rowsets: 16, over_100: 0, over_500: 0 },
    { BE_ID: 10002, replicas: 7332, data_bytes: 888635047538, max_rowsets: 14, over_100: 0, over_500: 0 },
    { BE_ID: 10003, replicas: 7331, data_bytes: 883225536229, max_rowsets: 17, over_100: 0, over_500: 0 },
  ],
  // BE 10004 held about a quarter of each partition's replicas; be_tablets no longer lists them.
  missingReplicas: [
    ['sales', 'orders', 'p20250610', 20512, 48, 37],
    ['sales', 'orders', 'p20250611', 20531, 48, 38],
    ['web', 'clicks', 'p20250610', 24410, 18, 14],
  ].map(([db, table, partition, id, expected, reported]) => ({
    DB_NAME: db,
    TABLE_NAME: table,
    PARTITION_NAME: partition,
    PARTITION_ID: id,
    expected,
    reported,
  })),
  loadsHistoryError: 'Backend node not found. Check if any backend node is down.',
};
