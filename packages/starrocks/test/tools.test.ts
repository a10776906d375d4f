import { execFile } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectInMemory,
  expectToolTable,
  type InMemoryConnection,
  runTransportContract,
  spawnBin,
  startHttp,
} from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starRocksServer, starRocksTools } from '../src/index.js';
import { type Simulator, startSimulator } from '../src/sandbox/index.js';
import { SCENARIOS } from '../src/sandbox/scenarios/index.js';
import { PASSWORD, USER } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const TOOL_NAMES = [
  'analyze_storage_health',
  'get_disk_usage',
  'get_tablet_distribution',
  'get_replica_status',
  'get_large_tables',
  'analyze_compaction_health',
  'get_compaction_status',
  'get_high_compaction_partitions',
  'get_compaction_history',
  'analyze_import_health',
  'get_load_jobs',
  'check_load_job_status',
  'get_failed_load_jobs',
  'analyze_ingestion_health',
  'get_stream_load_stats',
  'get_routine_load_jobs',
  'analyze_system_comprehensive',
  'read_query',
];

/** Arguments that make each tool do real work. */
const GOOD_ARGS: Record<string, Record<string, unknown>> = {
  get_large_tables: { limit: 2 },
  get_high_compaction_partitions: { limit: 10, minScore: 10 },
  get_compaction_history: { hours: 24 },
  get_load_jobs: { limit: 3, state: 'FINISHED' },
  check_load_job_status: { label: 'orders_backfill_20250610' },
  get_failed_load_jobs: { hours: 24, limit: 5 },
  analyze_ingestion_health: { hours: 12 },
  get_stream_load_stats: { hours: 6 },
  read_query: { sql: "SHOW PROC '/statistic'", limit: 2 },
};

/** Arguments each tool must refuse before anything is sent. */
const BAD_ARGS: [string, Record<string, unknown>][] = [
  ['get_large_tables', { limit: 0 }],
  ['get_large_tables', { limit: 201 }],
  ['get_high_compaction_partitions', { minScore: -1 }],
  ['get_high_compaction_partitions', { limit: 'ten' }],
  ['get_compaction_history', { hours: 0 }],
  ['get_compaction_history', { hours: 1.5 }],
  ['get_load_jobs', { state: 'DROPPED' }],
  ['check_load_job_status', {}],
  ['check_load_job_status', { label: "x' OR '1'='1" }],
  ['get_failed_load_jobs', { hours: 24, limit: 100_000 }],
  ['analyze_ingestion_health', { hours: 10_000 }],
  ['get_stream_load_stats', { hours: 'yesterday' }],
  ['read_query', {}],
  ['read_query', { sql: 'SELECT 1', limit: 5000 }],
];

describe('tool table', () => {
  it('has exactly the seed tools, all read-only', async () => {
    expect(starRocksTools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    await expectToolTable(
      starRocksServer,
      TOOL_NAMES.map((name) => ({ name, access: 'read' as const })),
    );
  });
});

describe('tools through an MCP client', () => {
  let sim: Simulator;
  let conn: InMemoryConnection;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    conn = await connectInMemory(starRocksServer, {
      settings: { srHost: sim.host, srPort: sim.port, srUser: USER, srPassword: PASSWORD },
    });
  });
  afterAll(async () => {
    await conn.close();
    await sim.stop();
  });

  it('every tool answers with structured content and a readable report', async () => {
    for (const name of TOOL_NAMES) {
      const out = await callTool(conn.client, name, GOOD_ARGS[name] ?? {});
      expect(out.isError, `${name}: ${out.text}`).toBe(false);
      expect(out.structured, name).toBeTypeOf('object');
      expect(out.text.length, name).toBeGreaterThan(20);
    }
  });

  it('analyze_* text puts the verdict and issues first', async () => {
    const out = await callTool(conn.client, 'analyze_import_health');
    expect(out.text.split('\n')[0]).toBe('## StarRocks import health: 100/100 EXCELLENT (HEALTHY)');
    expect(out.text.indexOf('### Issues')).toBeLessThan(out.text.indexOf('### Metrics'));
    expect(out.structured).toMatchObject({ health_score: 100, level: 'EXCELLENT', architecture: 'shared_nothing' });
  });

  it('get_* results carry a truncation marker', async () => {
    const out = await callTool(conn.client, 'get_large_tables', { limit: 2 });
    expect(out.structured).toMatchObject({ count: 2, truncated: true });
    expect(out.text).toContain('truncated');
  });

  it('read_query marks rows as untrusted and caps them', async () => {
    const out = await callTool(conn.client, 'read_query', { sql: 'SHOW BACKENDS', limit: 2 });
    expect(out.structured).toMatchObject({ kind: 'show', row_count: 2, truncated: true });
    expect(out.text).toMatch(/^Untrusted data returned by the database/);
  });

  it('read_query refuses writes with PERMISSION_DENIED and sends nothing', async () => {
    const before = sim.statementCount;
    const out = await callTool(conn.client, 'read_query', { sql: 'SELECT 1; DROP TABLE sales.orders' });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^PERMISSION_DENIED: .*2 statements/);
    expect(sim.statementCount).toBe(before);
  });

  it('bad input is INVALID_ARGUMENT and nothing reaches StarRocks', async () => {
    const before = sim.statementCount;
    for (const [name, args] of BAD_ARGS) {
      const out = await callTool(conn.client, name, args);
      expect(out.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(out.text, name).toMatch(/^INVALID_ARGUMENT/);
      expect(out.structured, name).toBeUndefined();
    }
    expect(sim.statementCount).toBe(before);
  });

  it('a statement StarRocks rejects is UPSTREAM_ERROR with the MySQL code', async () => {
    const out = await callTool(conn.client, 'read_query', { sql: 'SELECT * FROM information_schema.no_such_table' });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^UPSTREAM_ERROR: StarRocks error 1064/);
    expect(out.text).toContain('ER_PARSE_ERROR');
  });

  it('reports progress as each expert of the comprehensive analysis finishes', async () => {
    const progress: number[] = [];
    const out = await callTool(
      conn.client,
      'analyze_system_comprehensive',
      {},
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expect(out.isError).toBe(false);
    expect(progress).toEqual([0, 1, 2, 3]);
  });

  it('an unreachable cluster is PROVIDER_NOT_AVAILABLE for every tool, and calls recover after a restart', async () => {
    await sim.stop();
    try {
      for (const name of TOOL_NAMES) {
        const out = await callTool(conn.client, name, GOOD_ARGS[name] ?? {});
        expect(out.isError, name).toBe(true);
        expect(out.text, name).toMatch(new RegExp(`^PROVIDER_NOT_AVAILABLE: .*127\\.0\\.0\\.1:${sim.port}`));
      }
    } finally {
      await sim.start();
    }
    expect((await callTool(conn.client, 'get_disk_usage')).isError).toBe(false);
  });
});

describe('missing settings and a broken cluster', () => {
  it('lists tools without a database and names the missing settings at call time', async () => {
    const conn = await connectInMemory(starRocksServer);
    try {
      const { tools } = await conn.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(starRocksTools.map((t) => t.name).sort());
      const out = await callTool(conn.client, 'analyze_storage_health');
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/^CREDENTIALS_MISSING: .*SR_HOST.*SR_USER/);
    } finally {
      await conn.close();
    }
  });

  it('accepts STARROCKS_URL and the STARROCKS_* aliases', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: 'p@ss/word' });
    const conn = await connectInMemory(starRocksServer, {
      env: {
        STARROCKS_URL: `mysql://${USER}:${encodeURIComponent('p@ss/word')}@127.0.0.1:${sim.port}/information_schema`,
      },
    });
    try {
      const out = await callTool(conn.client, 'get_large_tables', { limit: 1 });
      expect(out.isError, out.text).toBe(false);
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it('a wrong password is INVALID_CREDENTIALS', async () => {
    const sim = await startSimulator({ user: USER, password: PASSWORD });
    const conn = await connectInMemory(starRocksServer, {
      env: {
        STARROCKS_HOST: '127.0.0.1',
        STARROCKS_PORT: String(sim.port),
        STARROCKS_USER: USER,
        STARROCKS_PASSWORD: 'nope',
      },
    });
    try {
      const out = await callTool(conn.client, 'get_disk_usage');
      expect(out.text).toMatch(/^INVALID_CREDENTIALS/);
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it('degrades a section the cluster cannot answer and fails get_* tools that need it', async () => {
    const scenario = {
      ...SCENARIOS.healthy,
      name: 'old',
      missing: ['information_schema.tables', 'routine_load_jobs', "'/routine_loads'"],
    } as never;
    const sim = await startSimulator({ scenario, user: USER, password: PASSWORD });
    const conn = await connectInMemory(starRocksServer, {
      settings: { srHost: sim.host, srPort: sim.port, srUser: USER, srPassword: PASSWORD },
    });
    try {
      const analysis = await callTool(conn.client, 'analyze_import_health');
      expect(analysis.isError).toBe(false);
      expect(analysis.structured?.issues).toContainEqual(
        expect.objectContaining({ id: 'SOURCE-UNAVAILABLE', severity: 'info' }),
      );
      const tables = await callTool(conn.client, 'get_large_tables');
      expect(tables.isError).toBe(true);
      expect(tables.text).toMatch(/^UPSTREAM_ERROR: .*Unknown table/);
    } finally {
      await conn.close();
      await sim.stop();
    }
  });
});

describe('sandbox', () => {
  it('serves simulated data and says so', async () => {
    const conn = await connectInMemory(starRocksServer, { settings: { sandbox: true, sandboxScenario: 'disk-full' } });
    try {
      const out = await callTool(conn.client, 'analyze_storage_health');
      expect(out.isError).toBe(false);
      expect(out.text).toMatch(/^\[SANDBOX: simulated StarRocks cluster, scenario "disk-full"/);
      expect(out.structured).toMatchObject({ health_score: 65 });
      expect(conn.client.getInstructions()).toContain('SANDBOX');
    } finally {
      await conn.close();
    }
  });
});

describe('HTTP with the seed variables (PORT, API_KEY) through /sse', () => {
  it('serves the legacy SSE endpoint to a client with X-API-Key, and /health counts the experts', async () => {
    const http = await startHttp(starRocksServer, {
      settings: { sandbox: true },
      env: { API_KEY: 'original-style-api-key-0123456789' },
    });
    try {
      const denied = await fetch(`${http.url}/sse`, { headers: { accept: 'text/event-stream' } });
      expect(denied.status).toBe(401);
      await denied.body?.cancel();
      const client = await http.connect({ sse: true, headers: { 'X-API-Key': 'original-style-api-key-0123456789' } });
      const out = await callTool(client, 'analyze_system_comprehensive');
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ health_score: 100 });
      const health = (await (
        await fetch(`${http.url}/health`, { headers: { 'X-API-Key': 'original-style-api-key-0123456789' } })
      ).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ experts: starRocksTools.length, tools: starRocksTools.length });
    } finally {
      await http.close();
    }
  });
});

describe('the built bin', () => {
  it('serves a spawned stdio client from the sandbox', async () => {
    const spawned = await spawnBin(BIN, { args: ['--sandbox', '--sandbox-scenario', 'load-failures'] });
    try {
      const out = await callTool(spawned.client, 'analyze_ingestion_health', { hours: 24 });
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ health_score: 52, status: 'CRITICAL' });
      expect(out.text).toContain('RL-PAUSED');
    } finally {
      await spawned.close();
    }
  }, 30_000);
});

/** Runs the built bin with `--check` against SR_* env only (no .env: the working directory is the temp dir). */
async function check(port: number): Promise<{ code: number | null; stdout: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SR|STARROCKS)_/.test(k)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--check'],
      {
        cwd: tmpdir(),
        timeout: 20_000,
        env: { ...env, SR_HOST: '127.0.0.1', SR_PORT: String(port), SR_USER: USER, SR_PASSWORD: PASSWORD },
      },
      (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
    );
  });
}

describe('--check with the built bin', () => {
  it('prints the version and the architecture and exits 0', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    try {
      const { code, stdout } = await check(sim.port);
      expect(stdout).toContain(`StarRocks 3.3.8-0b35f6e (shared-nothing) at 127.0.0.1:${sim.port}`);
      expect(code).toBe(0);
    } finally {
      await sim.stop();
    }
  }, 30_000);

  it('exits 1 naming the unreachable FE when nothing listens on the port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { code, stdout } = await check(port);
    expect(stdout).toContain(`PROVIDER_NOT_AVAILABLE: StarRocks FE at 127.0.0.1:${port} is not reachable`);
    expect(code).toBe(1);
  }, 30_000);
});

runTransportContract(starRocksServer, {
  settings: { sandbox: true },
  call: { name: 'get_disk_usage' },
  bin: BIN,
  binArgs: ['--sandbox'],
});
