import { parseDateTime } from '../diagnostics/parse.js';
import type { Row } from '../executor.js';
import type { ScenarioData } from './types.js';

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

type Handler = (args: string[], scenario: ScenarioData) => ResultSet;

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

const nowMs = (s: ScenarioData) => parseDateTime(s.now) ?? 0;
const inWindow = (s: ScenarioData, hours: string) => (row: Row) =>
  (parseDateTime(row.CREATE_TIME) ?? 0) >= nowMs(s) - Number(hours) * 3_600_000;
const byCreateDesc = (a: Row, b: Row) => (parseDateTime(b.CREATE_TIME) ?? 0) - (parseDateTime(a.CREATE_TIME) ?? 0);

/** Final loads the FE has synced to `_statistics_.loads_history` (those finished over a minute ago). */
function history(s: ScenarioData): Row[] {
  if (s.loadsHistoryError) throw new SimulatedError(s.loadsHistoryError);
  return s.loads.filter((r) => (parseDateTime(r.LOAD_FINISH_TIME) ?? Number.POSITIVE_INFINITY) < nowMs(s) - 60_000);
}

function windowRows(s: ScenarioData, hours: string, withHistory: boolean): Row[] {
  const recent = s.loads.filter(inWindow(s, hours));
  if (!withHistory) return recent;
  const synced = history(s).filter(inWindow(s, hours));
  const ids = new Set(synced.map((r) => r.ID));
  return [...synced, ...recent.filter((r) => !ids.has(r.ID))];
}

function summarize(rows: Row[]): ResultSet {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.DB_NAME, r.TABLE_NAME, r.TYPE, r.STATE, r.ERROR_MSG]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const seconds = (r: Row) =>
    ((parseDateTime(r.LOAD_FINISH_TIME) ?? 0) - (parseDateTime(r.LOAD_START_TIME) ?? 0)) / 1000;
  const sum = (g: Row[], f: (r: Row) => number) => g.reduce((a, r) => a + f(r), 0);
  const times = (g: Row[]) => g.map((r) => String(r.CREATE_TIME)).sort();
  return {
    columns: cols(
      'DB_NAME, TABLE_NAME, TYPE, STATE, ERROR_MSG, loads, load_seconds, max_load_s, scan_rows, scan_bytes, filtered_rows, first_create, last_create',
    ),
    rows: [...groups.values()].map((g) => {
      const first = g[0] as Row;
      return {
        DB_NAME: first.DB_NAME,
        TABLE_NAME: first.TABLE_NAME,
        TYPE: first.TYPE,
        STATE: first.STATE,
        ERROR_MSG: first.ERROR_MSG,
        loads: g.length,
        load_seconds: sum(g, seconds),
        max_load_s: g.reduce((a, r) => Math.max(a, seconds(r)), 0),
        scan_rows: sum(g, (r) => Number(r.SCAN_ROWS ?? 0)),
        scan_bytes: sum(g, (r) => Number(r.SCAN_BYTES ?? 0)),
        filtered_rows: sum(g, (r) => Number(r.FILTERED_ROWS ?? 0)),
        first_create: times(g)[0],
        last_create: times(g).at(-1),
      };
    }),
  };
}

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

/** Statement templates: `{int}` is an integer, `{str}` a quoted string, `{list}` a list of quoted strings. */
const CATALOG: [string, Handler][] = [
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
  [
    "SELECT ID, LABEL, DB_NAME, TABLE_NAME, TYPE, STATE, CREATE_TIME, LOAD_START_TIME FROM information_schema.loads WHERE STATE NOT IN ('FINISHED', 'CANCELLED')",
    (_, s) =>
      pick(
        s.loads.filter((r) => r.STATE !== 'FINISHED' && r.STATE !== 'CANCELLED'),
        cols('ID, LABEL, DB_NAME, TABLE_NAME, TYPE, STATE, CREATE_TIME, LOAD_START_TIME'),
      ),
  ],
  [`${SUMMARY}${UNION}${SUMMARY_GROUP}`, ([h], s) => summarize(windowRows(s, h ?? '0', true))],
  [`${SUMMARY}${RECENT_ONLY}${SUMMARY_GROUP}`, ([h], s) => summarize(windowRows(s, h ?? '0', false))],
  [
    `SELECT ${LOAD_COLUMNS} FROM ${UNION} WHERE STATE = 'CANCELLED' ORDER BY CREATE_TIME DESC LIMIT {int}`,
    ([h, , , limit], s) =>
      pick(
        windowRows(s, h ?? '0', true)
          .filter((r) => r.STATE === 'CANCELLED')
          .sort(byCreateDesc)
          .slice(0, Number(limit)),
        loadColumns,
      ),
  ],
  [
    `SELECT ${LOAD_COLUMNS} FROM ${RECENT_ONLY} WHERE STATE = 'CANCELLED' ORDER BY CREATE_TIME DESC LIMIT {int}`,
    ([h, limit], s) =>
      pick(
        windowRows(s, h ?? '0', false)
          .filter((r) => r.STATE === 'CANCELLED')
          .sort(byCreateDesc)
          .slice(0, Number(limit)),
        loadColumns,
      ),
  ],
  [
    `SELECT ${LOAD_COLUMNS} FROM information_schema.loads ORDER BY CREATE_TIME DESC LIMIT {int}`,
    ([limit], s) => pick([...s.loads].sort(byCreateDesc).slice(0, Number(limit)), loadColumns),
  ],
  [
    `SELECT ${LOAD_COLUMNS} FROM information_schema.loads WHERE STATE IN ({list}) ORDER BY CREATE_TIME DESC LIMIT {int}`,
    ([list, limit], s) => {
      const states = new Set([...(list ?? '').matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => unquote(m[1] ?? '')));
      return pick(
        s.loads
          .filter((r) => states.has(String(r.STATE)))
          .sort(byCreateDesc)
          .slice(0, Number(limit)),
        loadColumns,
      );
    },
  ],
  [
    `SELECT ${HISTORY_COLUMNS} FROM _statistics_.loads_history WHERE label = {str} ORDER BY create_time DESC LIMIT 1`,
    ([label], s) =>
      pick(
        history(s).filter((r) => r.LABEL === unquote(label ?? '')),
        loadColumns,
      ),
  ],
  [
    `SELECT ${LOAD_COLUMNS} FROM information_schema.loads WHERE LABEL = {str} ORDER BY CREATE_TIME DESC LIMIT 1`,
    ([label], s) =>
      pick(
        s.loads.filter((r) => r.LABEL === unquote(label ?? '')),
        loadColumns,
      ),
  ],
  [
    `SELECT ${LOAD_COLUMNS} FROM information_schema.loads WHERE LABEL LIKE {str} ORDER BY CREATE_TIME DESC LIMIT 1`,
    ([pattern], s) => {
      const re = likeToRegExp(pattern ?? '');
      return pick(
        [...s.loads]
          .filter((r) => re.test(String(r.LABEL)))
          .sort(byCreateDesc)
          .slice(0, 1),
        loadColumns,
      );
    },
  ],
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER: Record<string, string> = {
  '{int}': '(\\d+)',
  '{str}': "'((?:[^'\\\\]|\\\\.)*)'",
  '{list}': "('(?:[^'\\\\]|\\\\.)*'(?:, '(?:[^'\\\\]|\\\\.)*')*)",
};

const COMPILED = CATALOG.map(([template, handler]) => {
  const source = template
    .split(/(\{int\}|\{str\}|\{list\})/)
    .map((part) => PLACEHOLDER[part] ?? escapeRegExp(part))
    .join('');
  return { re: new RegExp(`^${source}$`, 'i'), handler };
});

/** Whitespace-insensitive form of a statement. */
export function normalizeStatement(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
}

/** Answers one statement from the scenario, or throws a SimulatedError (ER_PARSE_ERROR for unknown ones). */
export function answer(sql: string, scenario: ScenarioData): ResultSet {
  const statement = normalizeStatement(sql);
  for (const family of scenario.missing ?? []) {
    if (statement.toLowerCase().includes(family.toLowerCase())) {
      throw new SimulatedError(`Getting analyzing error. Detail message: Unknown table '${family}'.`);
    }
  }
  for (const { re, handler } of COMPILED) {
    const match = re.exec(statement);
    if (match) return handler(match.slice(1), scenario);
  }
  throw new SimulatedError(
    `Getting syntax error. Detail message: the StarRocks simulator does not know this statement: ${statement.slice(0, 200)}`,
  );
}
