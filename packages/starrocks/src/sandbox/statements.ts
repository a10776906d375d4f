import { feTime } from './time.js';
import type { Row, ScenarioData } from './types.js';

export interface ResultSet {
  columns: string[];
  rows: Row[];
}

/** A MySQL error the simulator answers with, as StarRocks would (it uses 1064 for most analysis errors). */
export class SimulatedError extends Error {
  constructor(
    message: string,
    readonly errno = 1064,
  ) {
    super(message);
  }
}

/** Where a StarRocks version lists loads: information_schema.loads (3.3+ or the 3.1/3.2 layout), or SHOW LOAD before 3.1. */
type Layout = 'current' | 'legacy' | 'show_load';
type TableLayout = Exclude<Layout, 'show_load'>;

type Handler = (args: string[], scenario: ScenarioData) => ResultSet;
/** A statement template, its handler, and the information_schema.loads layout it needs (if any). */
type Template = [string, Handler, TableLayout?];

const LOAD_COLUMNS =
  'ID, LABEL, DB_NAME, TABLE_NAME, TYPE, STATE, PROGRESS, SCAN_ROWS, SCAN_BYTES, FILTERED_ROWS, UNSELECTED_ROWS, ' +
  'SINK_ROWS, CREATE_TIME, LOAD_START_TIME, LOAD_COMMIT_TIME, LOAD_FINISH_TIME, ERROR_MSG, TRACKING_SQL';
const HISTORY_COLUMNS = LOAD_COLUMNS.split(', ')
  .map((c) => `${c.toLowerCase()} AS ${c}`)
  .join(', ');
const RECENT = `SELECT ${LOAD_COLUMNS} FROM information_schema.loads WHERE CREATE_TIME >= DATE_SUB(NOW(), INTERVAL {int} HOUR)`;
const HISTORY_WHERE = 'create_time >= DATE_SUB(NOW(), INTERVAL {int} HOUR)';
const UNION =
  `(SELECT ${HISTORY_COLUMNS} FROM _statistics_.loads_history WHERE ${HISTORY_WHERE} UNION ALL ${RECENT} ` +
  `AND ID NOT IN (SELECT id FROM _statistics_.loads_history WHERE ${HISTORY_WHERE})) l`;
const RECENT_ONLY = `(${RECENT}) l`;
const SECONDS = 'TIMESTAMPDIFF(SECOND, LOAD_START_TIME, LOAD_FINISH_TIME)';
const SUMMARY =
  `SELECT DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG, COUNT(*) AS loads, SUM(${SECONDS}) AS load_seconds, ` +
  `MAX(${SECONDS}) AS max_load_s, SUM(SCAN_ROWS) AS scan_rows, SUM(SCAN_BYTES) AS scan_bytes, ` +
  'SUM(FILTERED_ROWS) AS filtered_rows, MIN(CREATE_TIME) AS first_create, MAX(CREATE_TIME) AS last_create FROM ';
const SUMMARY_GROUP = ' GROUP BY DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG';

const columnsOf = (rows: Row[], fallback: string[]) => (rows[0] ? Object.keys(rows[0]) : fallback);
const result = (rows: Row[], fallback: string[] = []): ResultSet => ({ columns: columnsOf(rows, fallback), rows });
const pick = (rows: Row[], columns: string[]): ResultSet => ({
  columns,
  rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))),
});
const cols = (list: string) => list.split(', ');

const nowMs = (s: ScenarioData) => feTime(s.now) ?? 0;
const inWindow = (s: ScenarioData, hours: string) => (row: Row) =>
  (feTime(row.CREATE_TIME) ?? 0) >= nowMs(s) - Number(hours) * 3_600_000;

const versionNumber = (s: ScenarioData) => {
  const [major = 0, minor = 0, patch = 0] = s.version.split(/[.-]/).map(Number);
  return major * 10_000 + minor * 100 + patch;
};
/** information_schema.loads by version: none before 3.1, the JOB_ID/DATABASE_NAME layout in 3.1/3.2. */
export const layoutOf = (s: ScenarioData): Layout =>
  versionNumber(s) < 30_100 ? 'show_load' : versionNumber(s) < 30_300 ? 'legacy' : 'current';
/** Sources older versions do not have: loads_history arrived in 3.3.6, information_schema.loads in 3.1. */
const missingByVersion = (s: ScenarioData) => [
  ...(versionNumber(s) < 30_306 ? ['_statistics_.loads_history'] : []),
  ...(layoutOf(s) === 'show_load' ? ['information_schema.loads'] : []),
];

const BATCH_TYPES = new Set(['BROKER', 'SPARK', 'INSERT']);
/** The load TYPE values StarRocks reports for stream loads. */
const STREAM_TYPES = ['STREAM_LOAD', 'PARALLEL_STREAM_LOAD', 'MERGE_COMMIT', 'MULTI_STATEMENT_STREAM_LOAD'];
/** Before 3.3 loads list only Broker, Spark and INSERT jobs, without table name, bytes or commit time. */
const batchLoads = (s: ScenarioData): Row[] =>
  s.loads
    .filter((r) => BATCH_TYPES.has(String(r.TYPE)))
    .map((r) => ({ ...r, TABLE_NAME: null, SCAN_BYTES: null, LOAD_COMMIT_TIME: null }));
const loadsOf = (s: ScenarioData) => (layoutOf(s) === 'current' ? s.loads : batchLoads(s));

/** SHOW output from information_schema-style rows: every cell a string, NULL as 'NULL'. */
const showRows = (rows: Row[], names: Record<string, string>): ResultSet => ({
  columns: Object.keys(names),
  rows: rows.map((r) =>
    Object.fromEntries(Object.entries(names).map(([show, is]) => [show, r[is] == null ? 'NULL' : String(r[is])])),
  ),
});

/** Final loads the FE has synced to `_statistics_.loads_history` (those finished over a minute ago). */
function history(s: ScenarioData): Row[] {
  if (s.loadsHistoryError) throw new SimulatedError(s.loadsHistoryError);
  return loadsOf(s).filter((r) => (feTime(r.LOAD_FINISH_TIME) ?? Number.POSITIVE_INFINITY) < nowMs(s) - 60_000);
}

function windowRows(s: ScenarioData, hours: string, withHistory: boolean): Row[] {
  const recent = loadsOf(s).filter(inWindow(s, hours));
  if (!withHistory) return recent;
  const synced = history(s).filter(inWindow(s, hours));
  const ids = new Set(synced.map((r) => r.ID));
  return [...synced, ...recent.filter((r) => !ids.has(r.ID))];
}

/** SQL aggregates: SUM and MAX skip NULLs and answer NULL when every input is NULL. */
const numbers = (values: unknown[]) => values.filter((v): v is number => typeof v === 'number');
const sqlSum = (values: unknown[]) => {
  const list = numbers(values);
  return list.length ? list.reduce((a, v) => a + v, 0) : null;
};
const sqlMax = (values: unknown[]) => {
  const list = numbers(values);
  return list.length ? list.reduce((a, v) => Math.max(a, v)) : null;
};
/** TIMESTAMPDIFF(SECOND, LOAD_START_TIME, LOAD_FINISH_TIME): NULL unless both ends are set. */
const loadSeconds = (r: Row) => {
  const start = feTime(r.LOAD_START_TIME);
  const finish = feTime(r.LOAD_FINISH_TIME);
  return start === undefined || finish === undefined ? null : Math.floor((finish - start) / 1000);
};
const sqlNumber = (value: unknown) => (value == null || value === '' ? null : Number(value));

/** The load summary statement evaluated over the window's rows: GROUP BY DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG. */
function summarize(rows: Row[]): ResultSet {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.DB_NAME, r.TABLE_NAME, r.TYPE, r.STATE, r.ERROR_MSG]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const out = [...groups.values()].map((group): Row => {
    const first = group[0] as Row;
    // FE datetimes sort as text: MIN and MAX are the first and last.
    const created = group
      .map((r) => r.CREATE_TIME)
      .filter((t): t is string => typeof t === 'string')
      .sort();
    const seconds = group.map(loadSeconds);
    const column = (name: string) => group.map((r) => sqlNumber(r[name]));
    return {
      DB_NAME: first.DB_NAME,
      TABLE_NAME: first.TABLE_NAME,
      TYPE: first.TYPE,
      STATE: first.STATE,
      ERROR_MSG: first.ERROR_MSG,
      loads: group.length,
      load_seconds: sqlSum(seconds),
      max_load_s: sqlMax(seconds),
      scan_rows: sqlSum(column('SCAN_ROWS')),
      scan_bytes: sqlSum(column('SCAN_BYTES')),
      filtered_rows: sqlSum(column('FILTERED_ROWS')),
      first_create: created[0] ?? null,
      last_create: created.at(-1) ?? null,
    };
  });
  return result(
    out,
    cols(
      'DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG, loads, load_seconds, max_load_s, scan_rows, scan_bytes, filtered_rows, first_create, last_create',
    ),
  );
}

/** ORDER BY CREATE_TIME DESC. */
const newestFirst = (a: Row, b: Row) => (feTime(b.CREATE_TIME) ?? 0) - (feTime(a.CREATE_TIME) ?? 0);

/** The columns SHOW LOAD prints (before 3.1), each filled from the information_schema.loads column of a scenario row. */
const SHOW_LOAD: Record<string, string> = {
  JobId: 'ID',
  Label: 'LABEL',
  State: 'STATE',
  Progress: 'PROGRESS',
  Type: 'TYPE',
  ScanRows: 'SCAN_ROWS',
  FilteredRows: 'FILTERED_ROWS',
  UnselectedRows: 'UNSELECTED_ROWS',
  SinkRows: 'SINK_ROWS',
  CreateTime: 'CREATE_TIME',
  LoadStartTime: 'LOAD_START_TIME',
  LoadFinishTime: 'LOAD_FINISH_TIME',
  ErrorMsg: 'ERROR_MSG',
  TrackingSQL: 'TRACKING_SQL',
};

/** The columns SHOW ALL ROUTINE LOAD prints, each filled from the routine_load_jobs column of a scenario row. */
const SHOW_ROUTINE_LOAD: Record<string, string> = {
  Id: 'ID',
  Name: 'NAME',
  CreateTime: 'CREATE_TIME',
  PauseTime: 'PAUSE_TIME',
  EndTime: 'END_TIME',
  DbName: 'DB_NAME',
  TableName: 'TABLE_NAME',
  State: 'STATE',
  DataSourceType: 'DATA_SOURCE_TYPE',
  CurrentTaskNum: 'CURRENT_TASK_NUM',
  Statistic: 'STATISTICS',
  Progress: 'PROGRESS',
  TimestampProgress: 'TIMESTAMP_PROGRESS',
  LatestSourcePosition: 'LATEST_SOURCE_POSITION',
  ReasonOfStateChanged: 'REASONS_OF_STATE_CHANGED',
  ErrorLogUrls: 'ERROR_LOG_URLS',
  TrackingSQL: 'TRACKING_SQL',
  OtherMsg: 'OTHER_MSG',
};

const loadColumns = cols(LOAD_COLUMNS);
const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
const likeToRegExp = (pattern: string) =>
  new RegExp(
    `^${unquote(pattern)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    'i',
  );

/** Gaps between consecutive stream loads per table: the LAG() window the diagnostics send. */
function intervals(rows: Row[]): ResultSet {
  const byTable = new Map<string, { db: unknown; table: unknown; times: number[] }>();
  for (const r of rows.filter((x) => STREAM_TYPES.includes(String(x.TYPE)))) {
    const key = JSON.stringify([r.DB_NAME, r.TABLE_NAME]);
    const entry = byTable.get(key) ?? { db: r.DB_NAME, table: r.TABLE_NAME, times: [] };
    entry.times.push(feTime(r.CREATE_TIME) ?? 0);
    byTable.set(key, entry);
  }
  const out: Row[] = [];
  for (const { db, table, times } of byTable.values()) {
    const sorted = times.sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => (t - (sorted[i] ?? t)) / 1000);
    if (!gaps.length) continue;
    const mean = gaps.reduce((a, g) => a + g, 0) / gaps.length;
    const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length;
    out.push({
      DB_NAME: db,
      TABLE_NAME: table,
      intervals: gaps.length,
      mean_gap_s: mean,
      stddev_gap_s: Math.sqrt(variance),
    });
  }
  return result(out, cols('DB_NAME, TABLE_NAME, intervals, mean_gap_s, stddev_gap_s'));
}
const GAP =
  'TIMESTAMPDIFF(SECOND, LAG(CREATE_TIME) OVER (PARTITION BY DB_NAME, TABLE_NAME ORDER BY CREATE_TIME), CREATE_TIME)';
const INTERVALS = (from: string) =>
  'SELECT DB_NAME, TABLE_NAME, COUNT(*) AS intervals, AVG(gap_s) AS mean_gap_s, STDDEV_POP(gap_s) AS stddev_gap_s ' +
  `FROM (SELECT DB_NAME, TABLE_NAME, ${GAP} AS gap_s FROM ${from} ` +
  `WHERE TYPE IN (${STREAM_TYPES.map((t) => `'${t}'`).join(', ')})) g ` +
  'WHERE gap_s IS NOT NULL GROUP BY DB_NAME, TABLE_NAME';

const LEGACY_SELECT =
  'JOB_ID AS ID, LABEL, DATABASE_NAME AS DB_NAME, NULL AS TABLE_NAME, TYPE, STATE, PROGRESS, SCAN_ROWS, ' +
  'NULL AS SCAN_BYTES, FILTERED_ROWS, UNSELECTED_ROWS, SINK_ROWS, CREATE_TIME, LOAD_START_TIME, ' +
  'NULL AS LOAD_COMMIT_TIME, LOAD_FINISH_TIME, ERROR_MSG, TRACKING_SQL';

const cancelled = (rows: Row[], limit: string | undefined) =>
  pick(
    rows
      .filter((r) => r.STATE === 'CANCELLED')
      .sort(newestFirst)
      .slice(0, Number(limit)),
    loadColumns,
  );
const byLabel = (rows: Row[], match: (label: string) => boolean) =>
  pick(
    [...rows]
      .filter((r) => match(String(r.LABEL)))
      .sort(newestFirst)
      .slice(0, 1),
    loadColumns,
  );

/** The statements over information_schema.loads, in the layout they select from. */
function loadTemplates(layout: TableLayout, select: string): Template[] {
  const recentOnly = `(SELECT ${select} FROM information_schema.loads WHERE CREATE_TIME >= DATE_SUB(NOW(), INTERVAL {int} HOUR)) l`;
  const fromLoads = `SELECT ${select} FROM information_schema.loads`;
  return [
    [
      `${fromLoads} WHERE STATE NOT IN ('FINISHED', 'CANCELLED')`,
      (_, s) =>
        pick(
          loadsOf(s).filter((r) => r.STATE !== 'FINISHED' && r.STATE !== 'CANCELLED'),
          loadColumns,
        ),
      layout,
    ],
    [`${SUMMARY}${recentOnly}${SUMMARY_GROUP}`, ([h], s) => summarize(windowRows(s, h ?? '0', false)), layout],
    [
      `SELECT ${LOAD_COLUMNS} FROM ${recentOnly} WHERE STATE = 'CANCELLED' ORDER BY CREATE_TIME DESC LIMIT {int}`,
      ([h, limit], s) => cancelled(windowRows(s, h ?? '0', false), limit),
      layout,
    ],
    [
      `${fromLoads} ORDER BY CREATE_TIME DESC LIMIT {int}`,
      ([limit], s) => pick([...loadsOf(s)].sort(newestFirst).slice(0, Number(limit)), loadColumns),
      layout,
    ],
    [
      `${fromLoads} WHERE STATE IN ({list}) ORDER BY CREATE_TIME DESC LIMIT {int}`,
      ([list, limit], s) => {
        const states = new Set([...(list ?? '').matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => unquote(m[1] ?? '')));
        return pick(
          loadsOf(s)
            .filter((r) => states.has(String(r.STATE)))
            .sort(newestFirst)
            .slice(0, Number(limit)),
          loadColumns,
        );
      },
      layout,
    ],
    [
      `${fromLoads} WHERE LABEL = {str} ORDER BY CREATE_TIME DESC LIMIT 1`,
      ([label], s) => byLabel(loadsOf(s), (l) => l === unquote(label ?? '')),
      layout,
    ],
    [
      `${fromLoads} WHERE LABEL LIKE {str} ORDER BY CREATE_TIME DESC LIMIT 1`,
      ([pattern], s) => byLabel(loadsOf(s), (l) => likeToRegExp(pattern ?? '').test(l)),
      layout,
    ],
  ];
}

const LOAD_TEMPLATES: Template[] = [
  [
    'SELECT DB_NAME FROM information_schema.loads LIMIT 1',
    (_, s) => pick(loadsOf(s).slice(0, 1), ['DB_NAME']),
    'current',
  ],
  [
    'SELECT DATABASE_NAME FROM information_schema.loads LIMIT 1',
    (_, s) =>
      result(
        loadsOf(s)
          .slice(0, 1)
          .map((r) => ({ DATABASE_NAME: r.DB_NAME })),
        ['DATABASE_NAME'],
      ),
    'legacy',
  ],
  ...loadTemplates('current', LOAD_COLUMNS),
  ...loadTemplates('legacy', LEGACY_SELECT),
  [`${SUMMARY}${UNION}${SUMMARY_GROUP}`, ([h], s) => summarize(windowRows(s, h ?? '0', true)), 'current'],
  [
    `SELECT ${LOAD_COLUMNS} FROM ${UNION} WHERE STATE = 'CANCELLED' ORDER BY CREATE_TIME DESC LIMIT {int}`,
    ([h, , , limit], s) => cancelled(windowRows(s, h ?? '0', true), limit),
    'current',
  ],
  [INTERVALS(UNION), ([h], s) => intervals(windowRows(s, h ?? '0', true)), 'current'],
  [INTERVALS(RECENT_ONLY), ([h], s) => intervals(windowRows(s, h ?? '0', false)), 'current'],
  [
    `SELECT ${HISTORY_COLUMNS} FROM _statistics_.loads_history WHERE label = {str} ORDER BY create_time DESC LIMIT 1`,
    ([label], s) => byLabel(history(s), (l) => l === unquote(label ?? '')),
  ],
];

/** Statement templates: `{int}` is an integer, `{str}` a quoted string, `{list}` a list of quoted strings. */
const CATALOG: Template[] = [
  ['SELECT current_version() AS version', (_, s) => result([{ version: s.version }])],
  ['SELECT VERSION() AS version', () => result([{ version: '8.0.33' }])],
  [
    'SELECT NOW() AS now, UNIX_TIMESTAMP() AS epoch',
    (_, s) => result([{ now: s.now, epoch: Math.floor(nowMs(s) / 1000) }]),
  ],
  ['SELECT 1', () => result([{ 1: 1 }])],
  [
    'ADMIN SHOW FRONTEND CONFIG LIKE {str}',
    ([pattern], s) => {
      const re = likeToRegExp(pattern ?? '');
      return result(
        s.frontendConfig.filter((r) => re.test(String(r.Key))),
        cols('Key, AliasNames, Value, Type, IsMutable, Comment'),
      );
    },
  ],
  ['SHOW BACKENDS', (_, s) => result(s.backends, cols('BackendId, IP, Alive'))],
  ["SHOW PROC '/backends'", (_, s) => result(s.backends, cols('BackendId, IP, Alive'))],
  ['SHOW COMPUTE NODES', (_, s) => result(s.computeNodes, cols('ComputeNodeId, IP, Alive'))],
  [
    'SHOW DATABASES',
    (_, s) => result(s.statistic.filter((r) => r.DbId !== 'Total').map((r) => ({ Database: r.DbName }))),
  ],
  ["SHOW PROC '/statistic'", (_, s) => result(s.statistic)],
  [
    "SHOW PROC '/statistic/{int}'",
    ([id], s) => {
      const row = s.statisticByDb[id ?? ''] ?? {
        UnhealthyTablets: '[]',
        InconsistentTablets: '[]',
        CloningTablets: '[]',
        ErrorStateTablets: '[]',
      };
      return result([row]);
    },
  ],
  [
    "SHOW PROC '/backends/{int}'",
    ([id], s) => {
      const disks = s.backendDisks[id ?? ''];
      if (!disks) throw new SimulatedError(`Backend[${id}] does not exist.`);
      return result(disks);
    },
  ],
  ["SHOW PROC '/cluster_balance'", (_, s) => result(s.clusterBalance, cols('Item, Number'))],
  [
    "SHOW PROC '/compactions'",
    (_, s) => result(s.compactions, cols('Partition, TxnID, StartTime, CommitTime, FinishTime, Error, Profile')),
  ],
  [
    'SELECT BE_ID, COUNT(*) AS replicas, SUM(DATA_SIZE) AS data_bytes, MAX(NUM_ROWSET) AS max_rowsets, SUM(CASE WHEN NUM_ROWSET > 100 THEN 1 ELSE 0 END) AS over_100, SUM(CASE WHEN NUM_ROWSET > 500 THEN 1 ELSE 0 END) AS over_500 FROM information_schema.be_tablets GROUP BY BE_ID',
    (_, s) => result(s.beTabletsByBackend, cols('BE_ID, replicas, data_bytes, max_rowsets, over_100, over_500')),
  ],
  [
    'SELECT BE_ID, TABLE_ID, PARTITION_ID, TABLET_ID, NUM_ROWSET, NUM_VERSION, DATA_SIZE FROM information_schema.be_tablets ORDER BY NUM_ROWSET DESC LIMIT 20',
    (_, s) =>
      pick(s.beTabletsTop, cols('BE_ID, TABLE_ID, PARTITION_ID, TABLET_ID, NUM_ROWSET, NUM_VERSION, DATA_SIZE')),
  ],
  [
    'SELECT PARTITION_ID, MAX(c) - MIN(c) AS spread FROM (SELECT PARTITION_ID, BE_ID, COUNT(*) AS c FROM information_schema.be_tablets GROUP BY PARTITION_ID, BE_ID) t GROUP BY PARTITION_ID HAVING spread > 5 ORDER BY spread DESC LIMIT 20',
    (_, s) => result(s.partitionSpread, cols('PARTITION_ID, spread')),
  ],
  [
    'SELECT pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, t.PARTITION_ID, t.max_rowsets, t.avg_rowsets, t.replicas FROM (SELECT PARTITION_ID, MAX(NUM_ROWSET) AS max_rowsets, AVG(NUM_ROWSET) AS avg_rowsets, COUNT(*) AS replicas FROM information_schema.be_tablets GROUP BY PARTITION_ID) t JOIN information_schema.partitions_meta pm ON pm.PARTITION_ID = t.PARTITION_ID WHERE t.max_rowsets >= {int} ORDER BY t.max_rowsets DESC LIMIT {int}',
    ([min, limit], s) =>
      pick(
        s.rowsetsByPartition
          .filter((r) => Number(r.max_rowsets) >= Number(min))
          .sort((a, b) => Number(b.max_rowsets) - Number(a.max_rowsets))
          .slice(0, Number(limit)),
        cols('DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, max_rowsets, avg_rowsets, replicas'),
      ),
  ],
  [
    'SELECT t.BE_ID, t.TABLET_ID, t.MAX_VERSION, m.best_version FROM information_schema.be_tablets t JOIN (SELECT TABLET_ID, MAX(MAX_VERSION) AS best_version FROM information_schema.be_tablets GROUP BY TABLET_ID) m ON m.TABLET_ID = t.TABLET_ID WHERE m.best_version - t.MAX_VERSION > 10 ORDER BY m.best_version - t.MAX_VERSION DESC LIMIT 50',
    (_, s) => pick(s.replicaVersionLag ?? [], cols('BE_ID, TABLET_ID, MAX_VERSION, best_version')),
  ],
  [
    'SELECT pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, pm.PARTITION_ID, pm.BUCKETS * pm.REPLICATION_NUM AS expected, COUNT(t.TABLET_ID) AS reported FROM information_schema.partitions_meta pm LEFT JOIN information_schema.be_tablets t ON t.PARTITION_ID = pm.PARTITION_ID GROUP BY pm.DB_NAME, pm.TABLE_NAME, pm.PARTITION_NAME, pm.PARTITION_ID, pm.BUCKETS, pm.REPLICATION_NUM HAVING COUNT(t.TABLET_ID) < pm.BUCKETS * pm.REPLICATION_NUM ORDER BY pm.BUCKETS * pm.REPLICATION_NUM - COUNT(t.TABLET_ID) DESC LIMIT 50',
    (_, s) =>
      pick(s.missingReplicas ?? [], cols('DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, expected, reported')),
  ],
  [
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, DATA_SIZE, ROW_COUNT, BUCKETS, REPLICATION_NUM FROM information_schema.partitions_meta ORDER BY ROW_COUNT DESC LIMIT 200',
    (_, s) =>
      pick(
        [...s.partitions].sort((a, b) => Number(b.ROW_COUNT) - Number(a.ROW_COUNT)).slice(0, 200),
        cols('DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, DATA_SIZE, ROW_COUNT, BUCKETS, REPLICATION_NUM'),
      ),
  ],
  [
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, DATA_SIZE, STORAGE_SIZE FROM information_schema.partitions_meta ORDER BY STORAGE_SIZE DESC LIMIT 200',
    (_, s) =>
      pick(
        [...s.partitions].sort((a, b) => Number(b.STORAGE_SIZE) - Number(a.STORAGE_SIZE)).slice(0, 200),
        cols('DB_NAME, TABLE_NAME, PARTITION_NAME, DATA_SIZE, STORAGE_SIZE'),
      ),
  ],
  [
    'SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, MAX_CS, AVG_CS, P50_CS, ROW_COUNT, DATA_SIZE, BUCKETS, VISIBLE_VERSION_TIME FROM information_schema.partitions_meta WHERE MAX_CS >= {int} ORDER BY MAX_CS DESC LIMIT {int}',
    ([min, limit], s) =>
      pick(
        s.partitions
          .filter((r) => Number(r.MAX_CS) >= Number(min))
          .sort((a, b) => Number(b.MAX_CS) - Number(a.MAX_CS))
          .slice(0, Number(limit)),
        cols(
          'DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, MAX_CS, AVG_CS, P50_CS, ROW_COUNT, DATA_SIZE, BUCKETS, VISIBLE_VERSION_TIME',
        ),
      ),
  ],
  [
    "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, UPDATE_TIME FROM information_schema.tables WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('information_schema', '_statistics_', 'sys') ORDER BY DATA_LENGTH DESC LIMIT {int}",
    ([limit], s) =>
      pick(
        [...s.tables].sort((a, b) => Number(b.DATA_LENGTH) - Number(a.DATA_LENGTH)).slice(0, Number(limit)),
        cols('TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH, UPDATE_TIME'),
      ),
  ],
  ...[false, true].map(
    (storage): Template => [
      'SELECT DB_NAME, TABLE_NAME, COUNT(*) AS partitions, SUM(BUCKETS) AS buckets, MAX(REPLICATION_NUM) AS replication_num' +
        `${storage ? ', SUM(STORAGE_SIZE) AS storage_bytes' : ''} FROM information_schema.partitions_meta WHERE {pairs} ` +
        'GROUP BY DB_NAME, TABLE_NAME',
      ([pairs], s) => {
        const wanted = new Set(
          [...(pairs ?? '').matchAll(/DB_NAME = '((?:[^'\\]|\\.)*)' AND TABLE_NAME = '((?:[^'\\]|\\.)*)'/g)].map((m) =>
            JSON.stringify([unquote(m[1] ?? ''), unquote(m[2] ?? '')]),
          ),
        );
        const tables = new Map<string, Row[]>();
        for (const p of s.partitions.filter((r) => wanted.has(JSON.stringify([r.DB_NAME, r.TABLE_NAME])))) {
          const key = JSON.stringify([p.DB_NAME, p.TABLE_NAME]);
          tables.set(key, [...(tables.get(key) ?? []), p]);
        }
        return result(
          [...tables.values()].map((list) => ({
            DB_NAME: list[0]?.DB_NAME,
            TABLE_NAME: list[0]?.TABLE_NAME,
            partitions: list.length,
            buckets: list.reduce((a, p) => a + Number(p.BUCKETS), 0),
            replication_num: Math.max(...list.map((p) => Number(p.REPLICATION_NUM))),
            ...(storage ? { storage_bytes: list.reduce((a, p) => a + Number(p.STORAGE_SIZE), 0) } : {}),
          })),
          cols(`DB_NAME, TABLE_NAME, partitions, buckets, replication_num${storage ? ', storage_bytes' : ''}`),
        );
      },
    ],
  ),
  [
    'SELECT BE_ID, CANDIDATES_NUM, BASE_COMPACTION_CONCURRENCY, CUMULATIVE_COMPACTION_CONCURRENCY, LATEST_COMPACTION_SCORE, CANDIDATE_MAX_SCORE, MANUAL_COMPACTION_CONCURRENCY, MANUAL_COMPACTION_CANDIDATES_NUM FROM information_schema.be_compactions',
    (_, s) => result(s.beCompactions, cols('BE_ID, CANDIDATES_NUM, CANDIDATE_MAX_SCORE')),
  ],
  [
    "SELECT BE_ID, VALUE FROM information_schema.be_configs WHERE NAME = 'compact_threads'",
    (_, s) => pick(s.beConfigs, cols('BE_ID, VALUE')),
  ],
  [
    'SELECT BE_ID, TXN_ID, TABLET_ID, START_TIME, FINISH_TIME, PROGRESS, STATUS, RUNS, SKIPPED FROM information_schema.be_cloud_native_compactions',
    (_, s) =>
      pick(
        s.cloudNativeCompactions,
        cols('BE_ID, TXN_ID, TABLET_ID, START_TIME, FINISH_TIME, PROGRESS, STATUS, RUNS, SKIPPED'),
      ),
  ],
  [
    'SELECT BE_ID, STATUS, DISK_QUOTA_BYTES, DISK_USED_BYTES, MEM_QUOTA_BYTES, MEM_USED_BYTES FROM information_schema.be_datacache_metrics',
    (_, s) =>
      pick(
        s.datacacheMetrics,
        cols('BE_ID, STATUS, DISK_QUOTA_BYTES, DISK_USED_BYTES, MEM_QUOTA_BYTES, MEM_USED_BYTES'),
      ),
  ],
  [
    'SELECT TABLET_ID, TYPE, STATE, TABLET_STATUS, PRIORITY, MSG FROM information_schema.fe_tablet_schedules ORDER BY CREATE_TIME DESC LIMIT 50',
    (_, s) => pick(s.tabletSchedules, cols('TABLET_ID, TYPE, STATE, TABLET_STATUS, PRIORITY, MSG')),
  ],
  [
    'SELECT ID, NAME, DB_NAME, TABLE_NAME, STATE, DATA_SOURCE_TYPE, CURRENT_TASK_NUM, CREATE_TIME, PAUSE_TIME, END_TIME, STATISTICS, PROGRESS, TIMESTAMP_PROGRESS, LATEST_SOURCE_POSITION, REASONS_OF_STATE_CHANGED, ERROR_LOG_URLS, TRACKING_SQL, OTHER_MSG FROM information_schema.routine_load_jobs',
    (_, s) =>
      pick(
        s.routineLoadJobs,
        cols(
          'ID, NAME, DB_NAME, TABLE_NAME, STATE, DATA_SOURCE_TYPE, CURRENT_TASK_NUM, CREATE_TIME, PAUSE_TIME, END_TIME, STATISTICS, PROGRESS, TIMESTAMP_PROGRESS, LATEST_SOURCE_POSITION, REASONS_OF_STATE_CHANGED, ERROR_LOG_URLS, TRACKING_SQL, OTHER_MSG',
        ),
      ),
  ],
  ...LOAD_TEMPLATES,
  [
    "SHOW PROC '/routine_loads'",
    (_, s) =>
      result(
        s.routineLoadJobs.map((r) => ({
          Name: r.NAME,
          Id: String(r.ID),
          DbName: r.DB_NAME,
          Statistic: r.STATISTICS,
          TaskStatistic: '{}',
        })),
        cols('Name, Id, DbName, Statistic, TaskStatistic'),
      ),
  ],
  [
    'SHOW ALL ROUTINE LOAD FROM {ident}',
    ([db], s) =>
      showRows(
        s.routineLoadJobs.filter((r) => r.DB_NAME === db),
        SHOW_ROUTINE_LOAD,
      ),
  ],
  [
    'SHOW LOAD FROM {ident}',
    ([db], s) => {
      if (layoutOf(s) !== 'show_load') throw new SimulatedError('SHOW LOAD is answered only by the pre-3.1 variant');
      const jobs = batchLoads(s).filter((r) => r.DB_NAME === db);
      return showRows(
        jobs.map((r) => ({ ...r, ERROR_MSG: r.ERROR_MSG ? `type:LOAD_RUN_FAIL; msg:${r.ERROR_MSG}` : null })),
        SHOW_LOAD,
      );
    },
  ],
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER: Record<string, string> = {
  '{int}': '(\\d+)',
  '{str}': "'((?:[^'\\\\]|\\\\.)*)'",
  '{list}': "('(?:[^'\\\\]|\\\\.)*'(?:, '(?:[^'\\\\]|\\\\.)*')*)",
  '{ident}': '`((?:[^`]|``)*)`',
  '{pairs}':
    "(\\(DB_NAME = '(?:[^'\\\\]|\\\\.)*' AND TABLE_NAME = '(?:[^'\\\\]|\\\\.)*'\\)(?: OR \\(DB_NAME = '(?:[^'\\\\]|\\\\.)*' AND TABLE_NAME = '(?:[^'\\\\]|\\\\.)*'\\))*)",
};

const COMPILED = CATALOG.map(([template, handler, layout]) => {
  const source = template
    .split(/(\{int\}|\{str\}|\{list\}|\{ident\}|\{pairs\})/)
    .map((part) => PLACEHOLDER[part] ?? escapeRegExp(part))
    .join('');
  return { re: new RegExp(`^${source}$`, 'i'), handler, layout, ident: template.includes('{ident}') };
});

/** Whitespace-insensitive form of a statement. */
export function normalizeStatement(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
}

/** Answers one statement from the scenario, or throws a SimulatedError (ER_PARSE_ERROR for unknown ones). */
export function answer(sql: string, scenario: ScenarioData): ResultSet {
  const statement = normalizeStatement(sql);
  for (const family of [...(scenario.missing ?? []), ...missingByVersion(scenario)]) {
    if (statement.toLowerCase().includes(family.toLowerCase())) {
      throw new SimulatedError(`Getting analyzing error. Detail message: Unknown table '${family}'.`);
    }
  }
  for (const { re, handler, layout, ident } of COMPILED) {
    const match = re.exec(statement);
    if (!match) continue;
    if (layout && layout !== layoutOf(scenario)) {
      const column = layout === 'legacy' ? 'DATABASE_NAME' : 'DB_NAME';
      throw new SimulatedError(`Getting analyzing error. Detail message: Column '${column}' cannot be resolved.`);
    }
    const args = match.slice(1).map((a) => (ident ? a.replace(/``/g, '`') : a));
    return handler(args, scenario);
  }
  throw new SimulatedError(
    `Getting syntax error. Detail message: the StarRocks simulator does not know this statement: ${statement.slice(0, 200)}`,
  );
}
