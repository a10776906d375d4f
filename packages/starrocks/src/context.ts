import { OpsError } from '@opsmcp/core';
import type { StatementExecutor } from './executor.js';
import { createPoolExecutor } from './pool-executor.js';

export interface ConnectionSettings {
  srHost?: string | undefined;
  srPort?: number | undefined;
  srUser?: string | undefined;
  srPassword?: string | undefined;
  srDatabase?: string | undefined;
  srUrl?: string | undefined;
  srPoolSize: number;
  srQueryTimeoutMs: number;
}

export interface ResolvedConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  queryTimeoutMs: number;
}

/** `mysql://user:password@host:port/db` (STARROCKS_URL); explicit settings win over its parts. */
export function parseStarRocksUrl(url: string): Partial<ResolvedConnection> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OpsError('INVALID_ARGUMENT', 'STARROCKS_URL is not a valid URL', {
      hint: 'Use mysql://user:password@host:9030/database',
    });
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'starrocks:') {
    throw new OpsError('INVALID_ARGUMENT', `STARROCKS_URL must start with mysql:// (got ${parsed.protocol}//)`);
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

/** One pool per connection target, shared by every request and session of the process. */
const executors = new Map<string, StatementExecutor>();

const keyOf = (c: ResolvedConnection) =>
  JSON.stringify([c.host, c.port, c.user, c.password, c.database, c.poolSize, c.queryTimeoutMs]);

export function executorFor(connection: ResolvedConnection): StatementExecutor {
  const key = keyOf(connection);
  let executor = executors.get(key);
  if (!executor) {
    executor = createPoolExecutor({ ...connection, connectTimeoutMs: Math.min(10_000, connection.queryTimeoutMs) });
    executors.set(key, executor);
  }
  return executor;
}

/** Closes the pools to one endpoint (sandbox shutdown) or all of them. */
export async function closeExecutors(endpoint?: { host: string; port: number }): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const [key, executor] of executors) {
    const [host, port] = JSON.parse(key) as [string, number];
    if (endpoint && (host !== endpoint.host || port !== endpoint.port)) continue;
    executors.delete(key);
    closing.push(executor.close());
  }
  await Promise.all(closing);
}

/** What every tool handler gets as `ctx.clients`: the executor, resolved on first use. */
export interface StarRocksClients {
  executor(): StatementExecutor;
}

export function createClients(settings: ConnectionSettings): StarRocksClients {
  let executor: StatementExecutor | undefined;
  return {
    executor() {
      executor ??= executorFor(resolveConnection(settings));
      return executor;
    },
  };
}
