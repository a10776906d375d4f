import { parse, setting } from '@opsmcp/core';
import { z } from 'zod';
import { SCENARIO_NAMES, type ScenarioName } from './sandbox/scenarios/names.js';

/** StarRocks connection settings; SR_* names (those of the original StarRocks MCP server) are canonical, STARROCKS_* are aliases. */
export const starRocksSettings = {
  srHost: setting({
    schema: parse.string(),
    flag: 'sr-host',
    env: ['SR_HOST', 'STARROCKS_HOST'],
    description: 'StarRocks FE host (MySQL protocol)',
  }),
  srPort: setting({
    schema: parse.integer(1, 65535),
    flag: 'sr-port',
    env: ['SR_PORT', 'STARROCKS_PORT'],
    description: 'StarRocks FE query port (default 9030)',
  }),
  srUser: setting({
    schema: parse.string(),
    flag: 'sr-user',
    env: ['SR_USER', 'STARROCKS_USER'],
    description: 'StarRocks user (cluster_admin or OPERATE privilege sees every diagnostic source)',
  }),
  srPassword: setting({
    schema: z.string(),
    flag: 'sr-password',
    env: ['SR_PASSWORD', 'STARROCKS_PASSWORD'],
    secret: true,
    description: 'Password of the StarRocks user (empty when unset)',
  }),
  srDatabase: setting({
    schema: parse.string(),
    flag: 'sr-database',
    env: ['SR_DATABASE', 'STARROCKS_DB'],
    description: 'Default database (default information_schema)',
  }),
  srUrl: setting({
    schema: parse.string(),
    flag: 'sr-url',
    env: ['STARROCKS_URL', 'SR_URL'],
    secret: true,
    valueName: 'mysql://user:password@host:port/db',
    description: 'Connection URL; SR_HOST, SR_PORT, SR_USER, SR_PASSWORD and SR_DATABASE override its parts',
  }),
  srPoolSize: setting({
    schema: parse.integer(1, 64),
    flag: 'sr-pool-size',
    env: ['SR_POOL_SIZE'],
    default: 16,
    description:
      'Most connections in the mysql2 pool (opened on demand): the comprehensive analysis runs ~13 statements at once',
  }),
  srQueryTimeoutMs: setting({
    schema: parse.integer(100, 3_600_000),
    flag: 'sr-query-timeout-ms',
    env: ['SR_QUERY_TIMEOUT_MS'],
    default: 30_000,
    description: 'Longest a single StarRocks statement may run before it fails with TIMEOUT',
  }),
  srReadQueryMaxRows: setting({
    schema: parse.integer(1, 1000),
    flag: 'sr-read-query-max-rows',
    env: ['SR_READ_QUERY_MAX_ROWS'],
    default: 1000,
    description: 'Most rows read_query returns, whatever its limit argument; the statement is stopped beyond them',
  }),
  srReadQueryMaxBytes: setting({
    schema: parse.integer(1024, 67_108_864),
    flag: 'sr-read-query-max-bytes',
    env: ['SR_READ_QUERY_MAX_BYTES'],
    default: 1_048_576,
    description: 'Most bytes of row data read_query reads; the statement is stopped beyond them',
  }),
  srReadQueryMaxChars: setting({
    schema: parse.integer(100, 100_000),
    flag: 'sr-read-query-max-chars',
    env: ['SR_READ_QUERY_MAX_CHARS'],
    default: 20_000,
    description: 'Longest statement read_query accepts (characters); longer is INVALID_ARGUMENT',
  }),
  mode: setting({
    schema: z.enum(['local', 'remote']),
    flag: 'mode',
    env: ['STARROCKS_MODE'],
    default: 'local' as 'local' | 'remote',
    valueName: 'local|remote',
    description:
      'local: connect to StarRocks directly (SR_*); remote: run every statement through the agent of the tenant named by X-Tenant-ID (TENANTS_CONFIG, HTTP only)',
  }),
  tenantsConfig: setting({
    schema: parse.string(),
    flag: 'tenants-config',
    env: ['TENANTS_CONFIG'],
    valueName: 'path',
    description:
      'Remote mode: the tenants file ({"tenants": {"<id>": {"name", "agent_url", "agent_token", "enabled"}}}); reloaded on SIGHUP and when it changes',
  }),
  tenantsWatchIntervalMs: setting({
    schema: parse.integer(50, 60_000),
    flag: 'tenants-watch-interval-ms',
    env: ['TENANTS_WATCH_INTERVAL_MS'],
    default: 1_000,
    description: 'Remote mode: how often the tenants file is checked for changes',
  }),
  sandboxScenario: setting({
    schema: z.enum(SCENARIO_NAMES),
    flag: 'sandbox-scenario',
    env: ['SR_SANDBOX_SCENARIO'],
    default: 'healthy' as ScenarioName,
    valueName: SCENARIO_NAMES.join('|'),
    description: 'Simulated cluster served by --sandbox',
  }),
};
