import type { OpsError } from '@opsmcp/core';
import { callTool, connectInMemory } from '@opsmcp/core/testing';
import { describe, expect, it, vi } from 'vitest';
import * as loadSql from '../src/diagnostics/sql.js';
import { SQL } from '../src/diagnostics/sql.js';
import { starRocksServer } from '../src/index.js';
import { createPoolExecutor } from '../src/pool-executor.js';
import { startSimulator } from '../src/sandbox/index.js';
import { PASSWORD, USER } from './helpers.js';

describe('item 5: abandoned work leaves the pool', () => {
  it('item 5: 10 calls on a pool of 2 against a 20 s statement all time out quickly, only 2 statements are sent and both are killed, and a call succeeds within 1 s of recovery', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    let stuck = true;
    sim.delayFor = (sql) => (stuck && sql === SQL.version ? 20_000 : undefined);
    const executor = createPoolExecutor({
      host: sim.host,
      port: sim.port,
      user: USER,
      password: PASSWORD,
      poolSize: 2,
      queryTimeoutMs: 30_000,
    });
    try {
      const started = Date.now();
      // Half end through the caller's signal (a tool call's timeout), half through their own timeout.
      const calls = Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? executor.query(SQL.version, { signal: AbortSignal.timeout(300) })
          : executor.query(SQL.version, { timeoutMs: 300 }),
      );
      const results = await Promise.allSettled(calls);
      const elapsed = Date.now() - started;
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as OpsError).code : 'ok'))).toEqual(
        Array(10).fill('TIMEOUT'),
      );
      expect(elapsed).toBeLessThan(3_000);
      // The 8 calls still waiting for a connection withdrew: their statements were never sent.
      expect(sim.statements.filter((s) => s === SQL.version).length).toBeLessThanOrEqual(2);
      // The statements that outlived their calls are killed on the server, over another connection.
      await vi.waitFor(() => expect(sim.kills.length).toBe(sim.statements.filter((s) => s === SQL.version).length), {
        timeout: 5_000,
      });

      stuck = false;
      const recovered = Date.now();
      expect(await executor.query(SQL.version, { timeoutMs: 1_000 })).toEqual([{ version: '3.3.8-0b35f6e' }]);
      expect(Date.now() - recovered).toBeLessThan(1_000);
    } finally {
      await executor.close();
      await sim.stop();
    }
  });

  it('item 5: a call cancelled while waiting for a connection never sends its statement', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD, delayMs: 400 });
    const executor = createPoolExecutor({
      host: sim.host,
      port: sim.port,
      user: USER,
      password: PASSWORD,
      poolSize: 1,
    });
    try {
      const first = executor.query(SQL.version);
      const controller = new AbortController();
      const second = executor.query(SQL.clock, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(second).rejects.toMatchObject({ code: 'TIMEOUT' });
      await first;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sim.statements).not.toContain(SQL.clock);
    } finally {
      await executor.close();
      await sim.stop();
    }
  });
});

describe('item 7: read_query results are bounded at the driver', () => {
  it('item 7: UNION, parenthesised, large-LIMIT and SHOW results stop at the row limit, say so, and are not read to the end', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    // ~10 MB in all: far more than the socket buffers hold, so a reader that stops early is seen.
    const total = 20_000;
    const state = `NORMAL ${'-'.repeat(500)}`;
    const rows = Array.from({ length: total }, (_, i) => ({ TabletId: String(10_000 + i), State: state }));
    const forms = [
      'SELECT TabletId, State FROM a UNION ALL SELECT TabletId, State FROM b',
      '(SELECT TabletId, State FROM a)',
      'SELECT TabletId, State FROM a LIMIT 1000000',
      'SHOW TABLET FROM sales.orders',
    ];
    for (const sql of forms) sim.fixedAnswers.set(sql, { columns: ['TabletId', 'State'], rows });
    const conn = await connectInMemory(starRocksServer, {
      settings: { srHost: sim.host, srPort: sim.port, srUser: USER, srPassword: PASSWORD },
    });
    try {
      for (const sql of forms) {
        const out = await callTool(conn.client, 'read_query', { sql, limit: 50 });
        expect(out.isError, `${sql}: ${out.text}`).toBe(false);
        expect(out.structured, sql).toMatchObject({ row_count: 50, truncated: true, truncated_by: 'rows' });
        expect((out.structured as { rows: unknown[] }).rows[49], sql).toEqual({ TabletId: '10049', State: state });
        expect(out.text, sql).toContain('truncated to 50');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(sim.lastRowsSent, sql).toBeLessThan(total);
      }
      // A result that fits is whole and not marked.
      const small = await callTool(conn.client, 'read_query', { sql: 'SHOW BACKENDS', limit: 50 });
      expect(small.structured).toMatchObject({ row_count: 3, truncated: false, truncated_by: null });
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it('item 7: a result larger than SR_READ_QUERY_MAX_BYTES is cut at the byte bound and says so', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    const wide = 'x'.repeat(4_096);
    sim.fixedAnswers.set('SHOW TABLET FROM sales.orders', {
      columns: ['TabletId', 'Detail'],
      rows: Array.from({ length: 500 }, (_, i) => ({ TabletId: String(i), Detail: wide })),
    });
    const conn = await connectInMemory(starRocksServer, {
      settings: {
        srHost: sim.host,
        srPort: sim.port,
        srUser: USER,
        srPassword: PASSWORD,
        srReadQueryMaxBytes: 65_536,
      },
    });
    try {
      const out = await callTool(conn.client, 'read_query', { sql: 'SHOW TABLET FROM sales.orders', limit: 1000 });
      expect(out.isError, out.text).toBe(false);
      const result = out.structured as { row_count: number; truncated: boolean; truncated_by: string };
      expect(result).toMatchObject({ truncated: true, truncated_by: 'bytes' });
      // 4 KiB per row: 15 rows fit in 64 KiB, the 16th does not.
      expect(result.row_count).toBe(15);
      expect(out.text).toContain('byte bound');
    } finally {
      await conn.close();
      await sim.stop();
    }
  });

  it('item 7: SR_READ_QUERY_MAX_ROWS caps a larger limit argument', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    sim.fixedAnswers.set('SHOW TABLET FROM sales.orders', {
      columns: ['TabletId'],
      rows: Array.from({ length: 100 }, (_, i) => ({ TabletId: String(i) })),
    });
    const conn = await connectInMemory(starRocksServer, {
      settings: { srHost: sim.host, srPort: sim.port, srUser: USER, srPassword: PASSWORD, srReadQueryMaxRows: 10 },
    });
    try {
      const out = await callTool(conn.client, 'read_query', { sql: 'SHOW TABLET FROM sales.orders', limit: 500 });
      expect(out.structured).toMatchObject({ row_count: 10, truncated: true, truncated_by: 'rows' });
    } finally {
      await conn.close();
      await sim.stop();
    }
  });
});

describe('item 6: read_query applies SR_READ_QUERY_MAX_CHARS', () => {
  it('item 6: a statement longer than the setting is INVALID_ARGUMENT and nothing is sent', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    const conn = await connectInMemory(starRocksServer, {
      settings: { srHost: sim.host, srPort: sim.port, srUser: USER, srPassword: PASSWORD, srReadQueryMaxChars: 100 },
    });
    try {
      const before = sim.statementCount;
      const out = await callTool(conn.client, 'read_query', { sql: `SELECT 1${' + 1'.repeat(50)}` });
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/^INVALID_ARGUMENT: .*208 characters; read_query accepts at most 100/);
      expect(sim.statementCount).toBe(before);
      const fits = await callTool(conn.client, 'read_query', { sql: 'SHOW BACKENDS' });
      expect(fits.isError, fits.text).toBe(false);
    } finally {
      await conn.close();
      await sim.stop();
    }
  });
});

describe('item 8: the simulator keeps a bounded ring of statements', () => {
  it('item 8: after 600 calls it holds only the most recent keepStatements entries', async () => {
    const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD, keepStatements: 50 });
    const executor = createPoolExecutor({
      host: sim.host,
      port: sim.port,
      user: USER,
      password: PASSWORD,
      poolSize: 4,
    });
    try {
      for (let i = 0; i < 600; i++) await executor.query(i === 599 ? SQL.clock : SQL.version);
      expect(sim.statementCount).toBe(600);
      expect(sim.statements).toHaveLength(50);
      expect(sim.statements.at(-1)).toBe(SQL.clock);
    } finally {
      await executor.close();
      await sim.stop();
    }
  });

  it('item 8: keepStatements 0 (what --sandbox uses) keeps none', async () => {
    const sim = await startSimulator({ scenario: 'healthy', keepStatements: 0 });
    const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
    try {
      for (let i = 0; i < 50; i++) await executor.query(SQL.version);
      expect(sim.statementCount).toBe(50);
      expect(sim.statements).toHaveLength(0);
    } finally {
      await executor.close();
      await sim.stop();
    }
  });
});

/** ORDER BY items that compute over aliases of the same SELECT (MySQL-family engines reject them). */
function orderByOverAliases(sql: string): string[] {
  const aliases = new Set([...sql.matchAll(/\bAS\s+`?(\w+)`?/gi)].map((m) => (m[1] as string).toLowerCase()));
  const found: string[] = [];
  for (const match of sql.matchAll(/ORDER BY (.+?)(?= LIMIT |\)|$)/gi)) {
    for (const item of (match[1] as string).split(',')) {
      const expression = item.replace(/\s+(?:ASC|DESC)\s*$/i, '').trim();
      if (!/[-+*/]/.test(expression)) continue;
      const names = expression.match(/[A-Za-z_][\w.]*/g) ?? [];
      if (names.some((name) => aliases.has(name.toLowerCase()))) found.push(expression);
    }
  }
  return found;
}

describe('diagnostics SQL', () => {
  it('ORDER BY never computes over aggregate aliases (item: MySQL-family engines reject it)', () => {
    const statements: string[] = [];
    for (const value of Object.values(SQL)) {
      if (typeof value === 'string') statements.push(value);
      else if (typeof value === 'function') {
        const fn = value as (...args: unknown[]) => string;
        const attempts: unknown[][] = [
          [10, 10],
          ['10', '10'],
          [[{ database: 'db', table: 't' }], true],
        ];
        for (const args of attempts) {
          try {
            statements.push(fn(...args));
            break;
          } catch {
            // the next argument shape
          }
        }
      }
    }
    statements.push(
      loadSql.loadsInWindow(24, true),
      loadSql.loadSummary(24, true),
      loadSql.loadIntervals(24, true),
      loadSql.failedLoads(24, 10, true),
      loadSql.recentLoads(10, ['FINISHED']),
    );
    expect(statements.length).toBeGreaterThan(30);
    expect(statements.some((s) => s.includes('ORDER BY pm.BUCKETS * pm.REPLICATION_NUM - COUNT(t.TABLET_ID)'))).toBe(
      true,
    );
    expect(statements.flatMap(orderByOverAliases)).toEqual([]);
    expect(orderByOverAliases('SELECT COUNT(*) AS b, 2 AS a FROM t ORDER BY a - b DESC')).toEqual(['a - b']);
  });
});
