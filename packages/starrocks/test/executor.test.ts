import { OpsError } from '@opsmcp/core';
import { freePort } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { analyzeComprehensive, analyzeStorage, clusterInfo } from '../src/diagnostics/index.js';
import { SQL } from '../src/diagnostics/sql.js';
import { createPoolExecutor } from '../src/pool-executor.js';
import { startSimulator } from '../src/sandbox/index.js';
import { SCENARIOS } from '../src/sandbox/scenarios/index.js';
import { cluster, PASSWORD, USER } from './helpers.js';

const failure = async (run: () => Promise<unknown>): Promise<OpsError> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof OpsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

describe('pool executor against the simulator', async () => {
  const { sim, executor } = await cluster('healthy');

  it('answers the real statements as strings (SHOW) and numbers (information_schema)', async () => {
    const [backend] = await executor.query(SQL.backends);
    expect(backend).toMatchObject({ BackendId: '10001', Alive: 'true', MaxDiskUsedPct: '47.71 %' });
    const [tablets] = await executor.query(SQL.tabletsByBackend);
    expect(tablets).toMatchObject({ BE_ID: 10001, replicas: 8084 });
    expect(await executor.query('SELECT VERSION() AS version')).toEqual([{ version: '8.0.33' }]);
  });

  it('answers SET like StarRocks (mysql2 routes it to stmt_prepare)', async () => {
    expect(await executor.query('SET query_timeout = 60')).toEqual([]);
  });

  it('an unknown statement is an UPSTREAM_ERROR carrying the MySQL code, so SQL drift fails', async () => {
    const error = await failure(() => executor.query('SELECT * FROM information_schema.backends'));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.upstream?.code).toBe('ER_PARSE_ERROR');
    expect(error.message).toContain('1064');
  });

  it('replaces a dropped connection transparently after a restart on the same port', async () => {
    expect(await executor.query(SQL.version)).toHaveLength(1);
    const port = sim.port;
    await sim.stop();
    expect((await failure(() => executor.query(SQL.version))).code).toBe('PROVIDER_NOT_AVAILABLE');
    await sim.start();
    expect(sim.port).toBe(port);
    expect(await executor.query(SQL.version)).toEqual([{ version: '3.3.8-0b35f6e' }]);
  });

  it('a statement past its timeout fails with TIMEOUT, and the next call still works', async () => {
    sim.delayMs = 500;
    try {
      const error = await failure(() => executor.query(SQL.version, { timeoutMs: 100 }));
      expect(error.code).toBe('TIMEOUT');
    } finally {
      sim.delayMs = 0;
    }
    expect(await executor.query(SQL.version)).toHaveLength(1);
  });

  it('an aborted signal cancels the statement', async () => {
    sim.delayMs = 500;
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await failure(() => executor.query(SQL.version, { signal: controller.signal }));
      expect(error.code).toBe('TIMEOUT');
    } finally {
      sim.delayMs = 0;
    }
  });
});

describe('connection failures', () => {
  it('wrong password -> INVALID_CREDENTIALS', async () => {
    const sim = await startSimulator({ user: USER, password: PASSWORD });
    const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: USER, password: 'wrong' });
    try {
      const error = await failure(() => executor.query(SQL.version));
      expect(error.code).toBe('INVALID_CREDENTIALS');
      expect(error.message).not.toContain('wrong');
    } finally {
      await executor.close();
      await sim.stop();
    }
  });

  it('nothing listening -> PROVIDER_NOT_AVAILABLE naming host:port', async () => {
    const port = await freePort();
    const executor = createPoolExecutor({ host: '127.0.0.1', port, user: USER, connectTimeoutMs: 2000 });
    try {
      const error = await failure(() => executor.query(SQL.version));
      expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
      expect(error.message).toContain(`127.0.0.1:${port}`);
    } finally {
      await executor.close();
    }
  });
});

describe('architecture detection and degradation', () => {
  it('detects both architectures once per executor', async () => {
    for (const [name, expected] of [
      ['healthy', 'shared_nothing'],
      ['compaction-backlog', 'shared_data'],
    ] as const) {
      const sim = await startSimulator({ scenario: name });
      const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
      try {
        const info = await clusterInfo(executor);
        expect(info).toMatchObject({ architecture: expected, version: '3.3.8-0b35f6e', detectedBy: 'run_mode' });
        await clusterInfo(executor);
        expect(sim.statements.filter((s) => s === SQL.runMode)).toHaveLength(1);
      } finally {
        await executor.close();
        await sim.stop();
      }
    }
  });

  it('a source the cluster does not have degrades its section with an info issue', async () => {
    const scenario = { ...SCENARIOS.healthy, name: 'old', missing: ['partitions_meta', 'be_tablets'] } as never;
    const sim = await startSimulator({ scenario });
    const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
    try {
      const d = await analyzeStorage(executor);
      expect(d.issues.map((i) => [i.id, i.severity])).toEqual([
        ['SOURCE-UNAVAILABLE', 'info'],
        ['SOURCE-UNAVAILABLE', 'info'],
      ]);
      expect(d.health_score).toBe(100);
      expect(d.sources.filter((s) => !s.ok)).toHaveLength(2);
    } finally {
      await executor.close();
      await sim.stop();
    }
  });

  it('runs the experts concurrently: wall time well under the sum of their statements', async () => {
    const delayMs = 150;
    const { sim, executor } = await cluster('compaction-backlog', { delayMs });
    await clusterInfo(executor);
    const before = sim.statementCount;
    const finished: string[] = [];
    const started = Date.now();
    const d = await analyzeComprehensive(executor, { onExpertDone: (name) => finished.push(name) });
    const wall = Date.now() - started;
    const statements = sim.statementCount - before;
    expect(finished.sort()).toEqual(['compaction', 'ingestion', 'storage']);
    expect(d.health_score).toBe(74);
    // The three experts' statements overlap at the server: proof of concurrency that does not
    // depend on how busy the machine is.
    expect(sim.maxInFlight).toBeGreaterThanOrEqual(3);
    // Sequentially every statement would wait its delay in turn; concurrently far less.
    expect(statements * delayMs).toBeGreaterThan(2000);
    expect(wall).toBeLessThan((statements * delayMs) / 2);
  });
});
