import { type CreateServerOptions, createServer } from '@opsmcp/core';
import { starRocksServer } from './server.js';

export { type ConnectionSettings, parseStarRocksUrl, resolveConnection, type StarRocksClients } from './context.js';
export type { QueryOptions, Row, StatementExecutor } from './executor.js';
export { createPoolExecutor, type PoolExecutorConfig } from './pool-executor.js';
export { starRocksServer, starRocksTools } from './server.js';
export {
  type GuardedStatement,
  type GuardOptions,
  guardReadStatement,
  loadSqlParser,
  SQL_GUARD_LIMITS,
} from './sql-guard.js';

/** A StarRocks MCP server runtime for embedding: `.connect(transport)`, `.close()`. */
export function createStarRocksServer(options?: CreateServerOptions) {
  return createServer(starRocksServer, options);
}
