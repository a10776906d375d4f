import { type CacheFn, ConfigError, type Logger, OpsError } from '@opsmcp/core';
import type { StatementExecutor } from './executor.js';
import { createPoolExecutor } from './pool-executor.js';
import { type RemoteSettings, remoteExecutor } from './remote/central.js';

export interface ConnectionSettings {
  srHost?: string | undefined;
  srPort?: number | undefined;
  srUser?: string | undefined;
  srPassword?: string | undefined;
  srDatabase?: string | undefined;
  srUrl?: string | undefined;
  srPoolSize: number;
  srQueryTimeoutMs: number;
  /** read_query bounds; defaults apply when a caller builds settings without them. */
  srReadQueryMaxRows?: number | undefined;
  srReadQueryMaxBytes?: number | undefined;
  srReadQueryMaxChars?: number | undefined;
}

/** How much one read_query may read and how long its statement may be. */
export interface ReadQueryLimits {
  maxRows: number;
  maxBytes: number;
  maxChars: number;
}

export const READ_QUERY_DEFAULTS: ReadQueryLimits = { maxRows: 1000, maxBytes: 1_048_576, maxChars: 20_000 };

export interface ResolvedConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  queryTimeoutMs: number;
}

/**
 * `mysql://user:password@host:port/db` (STARROCKS_URL); explicit settings win over its parts.
 * A malformed URL is a ConfigError: the server checks it at startup, where an operator can fix it.
 */
export function parseStarRocksUrl(url: string): Partial<ResolvedConnection> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: it is never quoted back.
    throw new ConfigError('STARROCKS_URL is not a valid URL; use mysql://user:password@host:9030/database.');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'starrocks:') {
    throw new ConfigError(`STARROCKS_URL must start with mysql:// (got ${parsed.protocol}//).`);
  }
  const out: Partial<ResolvedConnection> = {};
  if (parsed.hostname) out.host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (parsed.port) out.port = Number(parsed.port);
  if (parsed.username) out.user = decodeURIComponent(parsed.username);
  if (parsed.password) out.password = decodeURIComponent(parsed.password);
  const db = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (db) out.database = db;
  return out;
}

export function resolveConnection(settings: ConnectionSettings): ResolvedConnection {
  const fromUrl = settings.srUrl ? parseStarRocksUrl(settings.srUrl) : {};
  const host = settings.srHost ?? fromUrl.host;
  const user = settings.srUser ?? fromUrl.user;
  const missing = [
    ...(host ? [] : ['SR_HOST (or STARROCKS_HOST / STARROCKS_URL)']),
    ...(user ? [] : ['SR_USER (or STARROCKS_USER / STARROCKS_URL)']),
  ];
  if (!host || !user) {
    throw new OpsError('CREDENTIALS_MISSING', `StarRocks connection settings missing: ${missing.join(', ')}`, {
      hint: 'Set them in the MCP client config env (SR_HOST, SR_USER, SR_PASSWORD, SR_PORT), or run with --sandbox to try simulated data.',
    });
  }
  return {
    host,
    port: settings.srPort ?? fromUrl.port ?? 9030,
    user,
    password: settings.srPassword ?? fromUrl.password ?? '',
    database: settings.srDatabase ?? fromUrl.database ?? 'information_schema',
    poolSize: settings.srPoolSize,
    queryTimeoutMs: settings.srQueryTimeoutMs,
  };
}

/** A pool executor for one connection target; the caller closes it. */
export function openExecutor(connection: ResolvedConnection): StatementExecutor {
  return createPoolExecutor({ ...connection, connectTimeoutMs: Math.min(10_000, connection.queryTimeoutMs) });
}

/** What every tool handler gets as `ctx.clients`: the executor, resolved on first use. */
export interface StarRocksClients {
  executor(): StatementExecutor;
  readQueryLimits(): ReadQueryLimits;
}

/** How much one read_query may read, from the settings (defaults when a caller built them without). */
function readQueryLimitsOf(settings: ConnectionSettings): ReadQueryLimits {
  return {
    maxRows: settings.srReadQueryMaxRows ?? READ_QUERY_DEFAULTS.maxRows,
    maxBytes: settings.srReadQueryMaxBytes ?? READ_QUERY_DEFAULTS.maxBytes,
    maxChars: settings.srReadQueryMaxChars ?? READ_QUERY_DEFAULTS.maxChars,
  };
}

/**
 * The clients of one call in remote mode: statements go to the agent of the call's tenant
 * (X-Tenant-ID), batched per turn of the event loop.
 */
export function createRemoteClients(
  settings: ConnectionSettings & RemoteSettings,
  init: { log: Logger; cache: CacheFn },
  tenantId: string | undefined,
): StarRocksClients {
  let executor: StatementExecutor | undefined;
  return {
    executor: () => {
      executor ??= remoteExecutor({ settings, ...init }, tenantId);
      return executor;
    },
    readQueryLimits: () => readQueryLimitsOf(settings),
  };
}

/**
 * The clients of one call. The pool behind the executor lives in the runtime's cache, one per
 * connection target (the key is hashed there, so the password in it never becomes a map key),
 * shared by every call and session, and closed when the runtime closes.
 */
export function createClients(settings: ConnectionSettings, cache: CacheFn): StarRocksClients {
  let executor: StatementExecutor | undefined;
  return {
    executor() {
      if (executor) return executor;
      const connection = resolveConnection(settings);
      const pool = () =>
        cache(['starrocks-pool', connection], () => openExecutor(connection), { close: (e) => e.close() });
      const created: StatementExecutor = {
        query: async (sql, options) => (await pool()).query(sql, options),
        queryBounded: async (sql, options) => (await pool()).queryBounded(sql, options),
        // The pool belongs to the runtime, not to one call.
        close: async () => {},
      };
      executor = created;
      return created;
    },
    readQueryLimits: () => readQueryLimitsOf(settings),
  };
}
