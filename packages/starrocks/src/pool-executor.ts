import { OpsError } from '@opsmcp/core';
import type { FieldPacket, Pool, PoolConnection } from 'mysql2';
import {
  type BoundedQueryOptions,
  type BoundedResult,
  type QueryOptions,
  type Row,
  type StatementExecutor,
  sqlInt,
} from './executor.js';
import { Slots } from './slots.js';

/** Longest the KILL QUERY for an abandoned statement may take. */
const KILL_TIMEOUT_MS = 5_000;

export interface PoolExecutorConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database?: string;
  poolSize?: number;
  /** Per-statement timeout (SR_QUERY_TIMEOUT_MS). */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
}

interface MysqlError extends Error {
  code?: string;
  errno?: number;
  sqlState?: string;
  fatal?: boolean;
}

/** Socket-level failures: the server is not there (or went away while connecting). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);
/** A pooled connection that died while idle; a fresh one usually works. */
const CONNECTION_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN']);

/** mysql2's names for wire types that SQL spells differently (the others, DOUBLE, DATETIME …, are the same). */
const SQL_TYPE_NAMES: Record<string, string> = {
  TINY: 'TINYINT',
  SHORT: 'SMALLINT',
  LONG: 'INT',
  INT24: 'MEDIUMINT',
  LONGLONG: 'BIGINT',
  NEWDECIMAL: 'DECIMAL',
  NEWDATE: 'DATE',
  VAR_STRING: 'VARCHAR',
  STRING: 'CHAR',
  TINY_BLOB: 'TINYBLOB',
  MEDIUM_BLOB: 'MEDIUMBLOB',
  LONG_BLOB: 'LONGBLOB',
};

/** mysql2's map from wire type code to name, set when the driver is loaded. */
let wireTypeNames: Record<number, string> | undefined;

/** The SQL name of a column's type from its metadata (UNKNOWN for a code mysql2 does not name). */
function sqlTypeOf(field: FieldPacket): string {
  const code = field.columnType ?? field.type;
  const name = code === undefined ? undefined : wireTypeNames?.[code];
  return name ? (SQL_TYPE_NAMES[name] ?? name) : 'UNKNOWN';
}

/**
 * A StatementExecutor over one mysql2 pool (text protocol). mysql2 is imported on first use so
 * the server starts and lists its tools without loading the driver.
 */
export function createPoolExecutor(config: PoolExecutorConfig): StatementExecutor {
  const endpoint = `${config.host}:${config.port}`;
  const defaultTimeout = config.queryTimeoutMs ?? 30_000;
  let poolPromise: Promise<Pool> | undefined;
  let closed = false;

  const getPool = () => {
    poolPromise ??= import('mysql2').then(({ default: mysql }) => {
      wireTypeNames ??= mysql.Types as unknown as Record<number, string>;
      return mysql.createPool({
        host: config.host,
        port: config.port,
        user: config.user,
        password: config.password ?? '',
        database: config.database,
        connectionLimit: config.poolSize ?? 16,
        connectTimeout: config.connectTimeoutMs ?? 10_000,
        // Datetimes stay FE-local strings; windows are computed in SQL on the FE clock.
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
        enableKeepAlive: true,
        multipleStatements: false,
      });
    });
    return poolPromise;
  };

  const mapError = (error: MysqlError, timeoutMs: number): OpsError => {
    const code = error.code ?? '';
    if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
      return new OpsError('TIMEOUT', `StarRocks did not answer within ${timeoutMs} ms`, {
        hint: 'Raise SR_QUERY_TIMEOUT_MS or retry when the cluster is less busy.',
        cause: error,
      });
    }
    if (UNREACHABLE.has(code) || (code === 'ECONNRESET' && !error.errno)) {
      return new OpsError('PROVIDER_NOT_AVAILABLE', `StarRocks FE at ${endpoint} is not reachable (${code})`, {
        hint: 'Check SR_HOST / SR_PORT (the FE MySQL port, 9030 by default) and that the FE is running.',
        cause: error,
      });
    }
    if (code === 'ER_ACCESS_DENIED_ERROR' || error.errno === 1045) {
      return new OpsError('INVALID_CREDENTIALS', `StarRocks rejected user '${config.user}' at ${endpoint}`, {
        hint: 'Check SR_USER and SR_PASSWORD.',
        upstream: { code: code || 'ER_ACCESS_DENIED_ERROR' },
        cause: error,
      });
    }
    if (error.errno !== undefined && error.sqlState !== undefined) {
      return new OpsError('UPSTREAM_ERROR', `StarRocks error ${error.errno}: ${error.message}`, {
        upstream: { code: code || String(error.errno) },
        retryable: false,
        cause: error,
      });
    }
    return new OpsError('PROVIDER_NOT_AVAILABLE', `Connection to StarRocks at ${endpoint} failed: ${error.message}`, {
      cause: error,
    });
  };

  const slots = new Slots(config.poolSize ?? 16);
  /** KILL QUERY statements in flight, awaited by close(). */
  const kills = new Set<Promise<void>>();

  /**
   * Stops a statement that outlived its call on the server, over a connection of its own (the
   * pool's may all be busy, and the statement's connection is already dropped). Best effort: a
   * statement that finished meanwhile makes KILL fail, which changes nothing.
   */
  const killQuery = (threadId: number | null | undefined) => {
    if (typeof threadId !== 'number') return;
    const kill = import('mysql2')
      .then(
        ({ default: mysql }) =>
          new Promise<void>((resolve) => {
            const killer = mysql.createConnection({
              host: config.host,
              port: config.port,
              user: config.user,
              password: config.password ?? '',
              connectTimeout: KILL_TIMEOUT_MS,
            });
            const done = () => {
              clearTimeout(timer);
              killer.destroy();
              resolve();
            };
            const timer = setTimeout(done, KILL_TIMEOUT_MS);
            killer.on('error', done);
            killer.query(`KILL QUERY ${sqlInt(threadId)}`, done);
          }),
      )
      .catch(() => undefined)
      .finally(() => kills.delete(kill));
    kills.add(kill);
  };

  /** A connection from the pool; if the call ends first, it is handed back as soon as it arrives. */
  const connection = (pool: Pool, signal: AbortSignal, aborted: () => Error, answered: () => void) =>
    new Promise<PoolConnection>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      signal.addEventListener('abort', onAbort, { once: true });
      pool.getConnection((error, conn) => {
        signal.removeEventListener('abort', onAbort);
        answered();
        if (error) return reject(error);
        // Never send a statement whose call has already ended.
        if (signal.aborted) {
          conn.release();
          return reject(aborted());
        }
        resolve(conn);
      });
    });

  /** Reads the result row by row; with bounds, stops the statement at the first row beyond them. */
  const runOn = (
    conn: PoolConnection,
    sql: string,
    signal: AbortSignal,
    aborted: () => Error,
    bounds?: { maxRows: number; maxBytes: number },
  ) =>
    new Promise<BoundedResult>((resolve, reject) => {
      const rows: Row[] = [];
      let columns: string[] | undefined;
      let columnTypes: string[] = [];
      let bytes = 0;
      let settled = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        conn.removeListener('error', onConnectionError);
        settle();
      };
      // Without a callback, mysql2 reports a connection that closed while idle on the connection
      // itself ("closed state"), not on the query.
      const onConnectionError = (error: MysqlError) =>
        finish(() => {
          conn.destroy();
          reject(error);
        });
      conn.on('error', onConnectionError);
      // The statement may still run on the server: drop the connection and kill it there.
      const stop = () => {
        const threadId = conn.threadId;
        conn.destroy();
        killQuery(threadId);
      };
      const onAbort = () =>
        finish(() => {
          stop();
          reject(aborted());
        });
      signal.addEventListener('abort', onAbort, { once: true });
      const query = conn.query({ sql, rowsAsArray: false });
      query.on('fields', (fields?: FieldPacket[]) => {
        if (fields) {
          columns = fields.map((f) => f.name);
          columnTypes = fields.map(sqlTypeOf);
        }
      });
      query.on('result', (row: Row) => {
        // No fields: an OK packet (a statement without a result set), not a row.
        if (settled || !columns) return;
        if (bounds) {
          const size = rowBytes(row);
          const cut = rows.length >= bounds.maxRows ? 'rows' : bytes + size > bounds.maxBytes ? 'bytes' : undefined;
          if (cut) {
            const kept = columns;
            finish(() => {
              stop();
              resolve({ columns: kept, columnTypes, rows, truncated: cut });
            });
            return;
          }
          bytes += size;
        }
        rows.push(row);
      });
      query.on('error', (error: MysqlError) =>
        finish(() => {
          if (error.fatal) conn.destroy();
          else conn.release();
          reject(error);
        }),
      );
      query.on('end', () =>
        finish(() => {
          conn.release();
          resolve({ columns: columns ?? [], columnTypes, rows, truncated: false });
        }),
      );
    });

  /** One attempt: a slot, a connection, the statement; the timeout covers all three. */
  const runOnce = async (
    sql: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    bounds?: { maxRows: number; maxBytes: number },
  ): Promise<BoundedResult> => {
    const controller = new AbortController();
    let reason: 'timeout' | 'cancelled' | undefined;
    const aborted = () =>
      reason === 'timeout'
        ? new OpsError('TIMEOUT', `StarRocks did not answer within ${timeoutMs} ms`, {
            hint: 'Raise SR_QUERY_TIMEOUT_MS or retry when the cluster is less busy.',
          })
        : new OpsError('TIMEOUT', 'The StarRocks query was cancelled');
    const timer = setTimeout(() => {
      reason ??= 'timeout';
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => {
      reason ??= 'cancelled';
      controller.abort();
    };
    if (signal?.aborted) onCallerAbort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      // Waiting for a slot is withdrawn when the call ends: abandoned calls never reach the pool.
      const release = await slots.acquire(controller.signal).catch(() => {
        throw aborted();
      });
      // While mysql2 is still opening a connection for this call, the slot stays taken: the
      // connection arrives later and goes straight back to the pool, then the slot is freed.
      let poolAnswered = true;
      let left = false;
      try {
        const pool = await getPool();
        poolAnswered = false;
        const conn = await connection(pool, controller.signal, aborted, () => {
          if (left) release();
          else poolAnswered = true;
        });
        return await runOn(conn, sql, controller.signal, aborted, bounds);
      } finally {
        if (poolAnswered) release();
        else left = true;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  };

  const run = async (sql: string, options: QueryOptions, bounds?: { maxRows: number; maxBytes: number }) => {
    if (closed) throw new OpsError('INTERNAL', 'The StarRocks executor is closed');
    if (options.signal?.aborted) throw new OpsError('TIMEOUT', 'The StarRocks query was cancelled');
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    try {
      return await runOnce(sql, timeoutMs, options.signal, bounds);
    } catch (error) {
      if (error instanceof OpsError) throw error;
      const e = error as MysqlError;
      // Statements here are read-only, so a retry on a fresh connection is always safe.
      if (CONNECTION_LOST.has(e.code ?? '') || /closed state/.test(e.message)) {
        try {
          return await runOnce(sql, timeoutMs, options.signal, bounds);
        } catch (retryError) {
          if (retryError instanceof OpsError) throw retryError;
          throw mapError(retryError as MysqlError, timeoutMs);
        }
      }
      throw mapError(e, timeoutMs);
    }
  };

  return {
    async query(sql: string, options: QueryOptions = {}): Promise<Row[]> {
      return (await run(sql, options)).rows;
    },
    async queryBounded(sql: string, options: BoundedQueryOptions): Promise<BoundedResult> {
      return run(sql, options, { maxRows: options.maxRows, maxBytes: options.maxBytes });
    },
    async close() {
      closed = true;
      await Promise.all([...kills]);
      if (!poolPromise) return;
      const pool = await poolPromise;
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    },
  };
}

/** Size of a row's values as they would be sent on (strings as UTF-8). */
function rowBytes(row: Row): number {
  let size = 0;
  for (const value of Object.values(row)) {
    if (value == null) size += 1;
    else if (typeof value === 'string') size += Buffer.byteLength(value);
    else if (Buffer.isBuffer(value)) size += value.length;
    else size += 8;
  }
  return size;
}
