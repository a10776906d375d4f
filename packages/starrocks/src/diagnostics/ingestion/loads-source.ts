import { mapBounded } from '@opsmcp/core';
import type { Row } from '../../executor.js';
import { clusterInfo } from '../architecture.js';
import { type Clock, readClock } from '../common.js';
import { num, parseDateTime } from '../parse.js';
import {
  failedLoads,
  inFlightLoads,
  type LoadsLayout,
  loadByLabel,
  loadIntervals,
  loadSummary,
  recentLoads,
  SQL,
} from '../sql.js';
import type { Probe } from '../types.js';
import { INGESTION_RULE_IDS } from './rules.js';

const SYSTEM_DATABASES = new Set(['information_schema', '_statistics_', 'sys']);
/** Concurrent per-database statements (SHOW LOAD, SHOW ROUTINE LOAD). */
const PER_DATABASE_CONCURRENCY = 4;

/** SHOW LOAD columns -> information_schema.loads columns. */
export const SHOW_LOAD_COLUMNS: Record<string, string> = {
  JobId: 'ID',
  Label: 'LABEL',
  Type: 'TYPE',
  State: 'STATE',
  Progress: 'PROGRESS',
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

/** SHOW ROUTINE LOAD columns -> information_schema.routine_load_jobs columns. */
export const SHOW_ROUTINE_LOAD_COLUMNS: Record<string, string> = {
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

export const renameColumns = (row: Row, names: Record<string, string>): Row =>
  Object.fromEntries(Object.entries(names).map(([from, to]) => [to, row[from] ?? null]));

const loadSeconds = (r: Row) => {
  const start = parseDateTime(r.LOAD_START_TIME);
  const finish = parseDateTime(r.LOAD_FINISH_TIME);
  return start !== undefined && finish !== undefined ? (finish - start) / 1000 : 0;
};

/** The rows of `loadSummary` computed from load rows (SHOW LOAD has no GROUP BY). */
export function summarizeLoads(rows: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.DB_NAME, r.TABLE_NAME, r.TYPE, r.STATE, r.ERROR_MSG]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const sum = (g: Row[], f: (r: Row) => number) => g.reduce((a, r) => a + f(r), 0);
  return [...groups.values()].map((g) => {
    const first = g[0] as Row;
    const created = g.map((r) => String(r.CREATE_TIME)).sort();
    return {
      DB_NAME: first.DB_NAME,
      TABLE_NAME: first.TABLE_NAME,
      TYPE: first.TYPE,
      STATE: first.STATE,
      ERROR_MSG: first.ERROR_MSG,
      loads: g.length,
      load_seconds: sum(g, loadSeconds),
      max_load_s: g.reduce((a, r) => Math.max(a, loadSeconds(r)), 0),
      scan_rows: sum(g, (r) => num(r.SCAN_ROWS) ?? 0),
      scan_bytes: sum(g, (r) => num(r.SCAN_BYTES) ?? 0),
      filtered_rows: sum(g, (r) => num(r.FILTERED_ROWS) ?? 0),
      first_create: created[0],
      last_create: created.at(-1),
    };
  });
}

export const byCreateDesc = (a: Row, b: Row) =>
  (parseDateTime(b.CREATE_TIME) ?? 0) - (parseDateTime(a.CREATE_TIME) ?? 0);
const HISTORY_SECTION =
  'Load history (_statistics_.loads_history); results cover only the in-memory retention of information_schema.loads';

export type LabelSource =
  | 'loads_history'
  | 'information_schema.loads'
  | 'information_schema.loads (suffix match)'
  | 'SHOW LOAD';

/**
 * The statements of one tool call that read loads, in the layout this cluster has: the current
 * `information_schema.loads` (3.3+, `_statistics_.loads_history` from 3.3.6), the 3.1/3.2 layout
 * (`JOB_ID`, `DATABASE_NAME`; Broker and INSERT jobs only), or `SHOW LOAD FROM <db>` per database
 * before 3.1.
 */
export class LoadSource {
  private allLoads?: Promise<Row[]>;
  private clock?: Promise<Clock>;
  private noted = false;

  private constructor(
    readonly probe: Probe,
    readonly layout: LoadsLayout,
  ) {}

  static async open(probe: Probe): Promise<LoadSource> {
    return new LoadSource(probe, (await clusterInfo(probe.executor, probe.signal)).loads);
  }

  /** Summary rows (`loadSummary` columns) of the window; `history` says whether loads_history was read. */
  async window(hours: number): Promise<{ rows: Row[]; history: boolean }> {
    const { probe, layout } = this;
    if (layout === 'current') {
      const withHistory = await probe.optional(
        loadSummary(hours, true),
        HISTORY_SECTION,
        INGESTION_RULE_IDS.HISTORY_UNAVAILABLE,
      );
      if (withHistory) return { rows: withHistory, history: true };
      const recent = await probe.optional(loadSummary(hours, false), 'Recent loads (information_schema.loads)');
      return { rows: recent ?? [], history: false };
    }
    this.noteOlderVersion();
    if (layout === 'legacy') {
      const rows = await probe.optional(loadSummary(hours, false, layout), 'Recent loads (information_schema.loads)');
      return { rows: rows ?? [], history: false };
    }
    return { rows: summarizeLoads(await this.inWindow(hours)), history: false };
  }

  /** Gaps between stream loads per table (history when readable); older versions list no stream loads. */
  async intervals(hours: number): Promise<Row[] | undefined> {
    if (this.layout !== 'current') return [];
    return (
      (await this.probe.attempt(loadIntervals(hours, true))) ??
      this.probe.optional(loadIntervals(hours, false), 'Load intervals')
    );
  }

  async failed(hours: number, limit: number, history: boolean): Promise<Row[]> {
    if (this.layout === 'show_load') {
      return (await this.inWindow(hours))
        .filter((r) => r.STATE === 'CANCELLED')
        .sort(byCreateDesc)
        .slice(0, limit);
    }
    return this.probe.query(failedLoads(hours, limit, history, this.layout));
  }

  async recent(limit: number, states: readonly string[]): Promise<Row[]> {
    if (this.layout === 'show_load') {
      this.noteOlderVersion();
      return (await this.everything())
        .filter((r) => !states.length || states.includes(String(r.STATE)))
        .sort(byCreateDesc)
        .slice(0, limit);
    }
    return this.probe.query(recentLoads(limit, states, this.layout));
  }

  async inFlight(): Promise<Row[] | undefined> {
    if (this.layout === 'show_load') {
      return (await this.everything()).filter((r) => r.STATE !== 'FINISHED' && r.STATE !== 'CANCELLED');
    }
    return this.probe.optional(inFlightLoads(this.layout), 'Loads in flight');
  }

  /** Exact label first (history, then loads), then a suffix match: INSERT labels get prefixes. */
  async byLabel(label: string): Promise<{ row: Row | undefined; source: LabelSource | null }> {
    const { probe, layout } = this;
    if (layout === 'show_load') {
      this.noteOlderVersion();
      const all = await this.everything();
      const row = all.find((r) => r.LABEL === label) ?? all.find((r) => String(r.LABEL).endsWith(label));
      return { row, source: row ? 'SHOW LOAD' : null };
    }
    if (layout === 'current') {
      const row = (
        await probe.optional(loadByLabel(label, 'history'), 'Load history', INGESTION_RULE_IDS.HISTORY_UNAVAILABLE)
      )?.[0];
      if (row) return { row, source: 'loads_history' };
    } else {
      this.noteOlderVersion();
    }
    const exact = (await probe.query(loadByLabel(label, 'loads', layout)))[0];
    if (exact) return { row: exact, source: 'information_schema.loads' };
    const suffix = (await probe.query(loadByLabel(label, 'loads-suffix', layout)))[0];
    return { row: suffix, source: suffix ? 'information_schema.loads (suffix match)' : null };
  }

  /** Older versions keep no load history and list no stream loads: say so once. */
  private noteOlderVersion(): void {
    if (this.noted) return;
    this.noted = true;
    const where =
      this.layout === 'legacy'
        ? 'information_schema.loads (3.1/3.2 layout)'
        : 'SHOW LOAD (before 3.1, no information_schema.loads)';
    this.probe.skip(
      HISTORY_SECTION,
      `this version has no _statistics_.loads_history (3.3.6+); loads come from ${where}`,
      INGESTION_RULE_IDS.HISTORY_UNAVAILABLE,
    );
    this.probe.skip('Stream loads', `${where} lists only Broker, Spark and INSERT jobs`);
  }

  private async inWindow(hours: number): Promise<Row[]> {
    this.clock ??= readClock(this.probe);
    const [all, clock] = await Promise.all([this.everything(), this.clock]);
    const since = (clock.nowMs ?? Number.POSITIVE_INFINITY) - hours * 3_600_000;
    return all.filter((r) => (parseDateTime(r.CREATE_TIME) ?? 0) >= since);
  }

  /** `SHOW LOAD FROM <db>` for every user database, as information_schema.loads rows. */
  private everything(): Promise<Row[]> {
    this.allLoads ??= (async () => {
      const dbs = await userDatabases(this.probe, 'Databases (for SHOW LOAD)');
      const perDb = await mapBounded(dbs, PER_DATABASE_CONCURRENCY, (db) =>
        this.probe.optional(SQL.showLoad(db), `Loads of ${db} (SHOW LOAD)`),
      );
      return perDb.flatMap((rows, i) =>
        (rows ?? []).map((r) => ({
          ...renameColumns(r, SHOW_LOAD_COLUMNS),
          DB_NAME: dbs[i],
          TABLE_NAME: null,
          SCAN_BYTES: null,
          LOAD_COMMIT_TIME: null,
        })),
      );
    })();
    return this.allLoads;
  }
}

async function userDatabases(probe: Probe, section: string): Promise<string[]> {
  const rows = (await probe.optional(SQL.databases, section)) ?? [];
  return rows.map((r) => String(r.Database)).filter((db) => !SYSTEM_DATABASES.has(db));
}

/**
 * Routine-load jobs as information_schema.routine_load_jobs rows; where that table is missing,
 * `SHOW PROC '/routine_loads'` names the databases with jobs and `SHOW ALL ROUTINE LOAD FROM <db>`
 * lists them.
 */
export async function readRoutineJobs(probe: Probe): Promise<Row[] | undefined> {
  const rows = await probe.attempt(SQL.routineLoadJobs);
  if (rows) return rows;
  const list = await probe.optional(SQL.routineLoadList, 'Routine load jobs');
  if (!list) return undefined;
  const dbs = [...new Set(list.map((r) => String(r.DbName)))];
  const perDb = await mapBounded(dbs, PER_DATABASE_CONCURRENCY, (db) =>
    probe.optional(SQL.showRoutineLoad(db), `Routine loads of ${db}`),
  );
  return perDb.flatMap((jobs) => (jobs ?? []).map((r) => renameColumns(r, SHOW_ROUTINE_LOAD_COLUMNS)));
}
