import { OpsError } from '@opsmcp/core';
import type { Pool, PoolConnection } from 'mysql2';
import type { QueryOptions, Row, StatementExecutor } from './executor.js';

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

  const connection = (pool: Pool) =>
    new Promise<PoolConnection>((resolve, reject) => {
      pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn)));
    });

  const runOnce = async (sql: string, timeoutMs: number, signal?: AbortSignal): Promise<Row[]> => {
    const pool = await getPool();
    const conn = await connection(pool);
    return new Promise<Row[]>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        // The statement cannot be interrupted on the wire; dropping the connection frees the caller.
        conn.destroy();
        reject(new OpsError('TIMEOUT', 'The StarRocks query was cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      conn.query({ sql, timeout: timeoutMs, rowsAsArray: false }, (error, rows) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        if (error) {
          if ((error as MysqlError).fatal) conn.destroy();
          else conn.release();
          reject(error);
          return;
        }
        conn.release();
        // A statement that returns no result set (never sent by this server) yields an OK packet.
        resolve(Array.isArray(rows) ? (rows as Row[]) : []);
      });
    });
  };

  return {
    async query(sql: string, options: QueryOptions = {}): Promise<Row[]> {
      if (closed) throw new OpsError('INTERNAL', 'The StarRocks executor is closed');
      if (options.signal?.aborted) throw new OpsError('TIMEOUT', 'The StarRocks query was cancelled');
      const timeoutMs = options.timeoutMs ?? defaultTimeout;
      try {
        return await runOnce(sql, timeoutMs, options.signal);
      } catch (error) {
        if (error instanceof OpsError) throw error;
        const e = error as MysqlError;
        // Statements here are read-only, so a retry on a fresh connection is always safe.
        if (CONNECTION_LOST.has(e.code ?? '') || /closed state/.test(e.message)) {
          try {
            return await runOnce(sql, timeoutMs, options.signal);
          } catch (retryError) {
            if (retryError instanceof OpsError) throw retryError;
            throw mapError(retryError as MysqlError, timeoutMs);
          }
        }
        throw mapError(e, timeoutMs);
      }
    },
    async close() {
      closed = true;
      if (!poolPromise) return;
      const pool = await poolPromise;
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    },
  };
}
