import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@opsmcp/core';
import { createMemoryLogger, freePort } from '@opsmcp/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { initAgent } from '../src/agent/init.js';
import { type AgentHandle, type AgentSettings, resolveAgentSettings, startAgent } from '../src/agent/server.js';
import { SQL } from '../src/diagnostics/sql.js';
import { type Simulator, startSimulator } from '../src/sandbox/index.js';
import { PASSWORD, selfSignedCertificate, USER } from './helpers.js';

const TOKEN = randomBytes(32).toString('hex');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface TestAgent {
  agent: AgentHandle;
  settings: AgentSettings;
  /** The agent's log lines (JSON). */
  lines: string[];
  call(path: string, init?: { method?: string; body?: unknown; token?: string | null; raw?: string }): Promise<Reply>;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected field by field.
  json: any;
}

async function agentFor(
  db: { host: string; port: number },
  env: Record<string, string> = {},
  options: { shutdownGraceMs?: number; headersTimeoutMs?: number } = {},
): Promise<TestAgent> {
  const settings = resolveAgentSettings({
    SR_HOST: db.host,
    SR_PORT: String(db.port),
    SR_USER: USER,
    SR_PASSWORD: PASSWORD,
    AGENT_PORT: '0',
    AGENT_TOKEN: TOKEN,
    ...env,
  });
  const { log, lines } = createMemoryLogger('info');
  const agent = await startAgent(settings, { log, ...options });
  cleanups.push(() => agent.close());
  const call: TestAgent['call'] = async (path, init = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = init.token === undefined ? TOKEN : init.token;
    if (token !== null) headers['x-agent-token'] = token;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const response = await fetch(`${agent.url}${path}`, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
  return { agent, settings, lines, call };
}

async function simulator(options: { port?: number } = {}): Promise<Simulator> {
  const sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD, ...options });
  cleanups.push(() => sim.stop());
  return sim;
}

describe('agent endpoints against the simulator', async () => {
  const sim = await simulator();
  const { agent, call, lines } = await agentFor(sim);

  it('GET /health needs no token and answers only status and version', async () => {
    const reply = await call('/health', { token: null });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok', version: packageJson.version });
    expect(reply.text).not.toContain(TOKEN);
    expect(reply.text).not.toContain(PASSWORD);
    expect(agent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(agent.port).toBeGreaterThan(0);
  });

  it('a missing or wrong X-Agent-Token is 401 INVALID_CREDENTIALS and nothing reaches the database', async () => {
    const before = sim.statementCount;
    // The real token with its last character changed.
    const almost = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('0') ? '1' : '0'}`;
    for (const token of [null, 'wrong', almost]) {
      for (const [path, body] of [
        ['/execute-sql', { sql: 'SHOW BACKENDS' }],
        ['/execute-batch', { statements: ['SHOW BACKENDS'] }],
        ['/test-connection', undefined],
      ] as const) {
        const reply = await call(path, { token, body });
        expect(reply.status, `${path} with ${token}`).toBe(401);
        expect(reply.json.error.code).toBe('INVALID_CREDENTIALS');
        expect(reply.text).not.toContain(TOKEN);
      }
    }
    expect(sim.statementCount).toBe(before);
  });

  it('an unknown path is 404 and a wrong method 405', async () => {
    expect((await call('/nope')).status).toBe(404);
    const reply = await call('/execute-sql', { method: 'GET' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
    expect(reply.json.error.code).toBe('OPERATION_NOT_SUPPORTED');
  });

  it('/test-connection answers the database version and a duration, by GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const reply = await call('/test-connection', { method });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ ok: true, database_version: '3.3.8-0b35f6e', duration_ms: expect.any(Number) });
    }
    expect(sim.statements.at(-1)).toBe('SELECT current_version() AS version');
  });

  it('/execute-sql returns typed columns, rows keyed by column, row_count and duration', async () => {
    const reply = await call('/execute-sql', { body: { sql: SQL.topRowsetTablets } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.columns).toEqual([
      { name: 'BE_ID', type: 'BIGINT' },
      { name: 'TABLE_ID', type: 'BIGINT' },
      { name: 'PARTITION_ID', type: 'BIGINT' },
      { name: 'TABLET_ID', type: 'BIGINT' },
      { name: 'NUM_ROWSET', type: 'BIGINT' },
      { name: 'NUM_VERSION', type: 'BIGINT' },
      { name: 'DATA_SIZE', type: 'BIGINT' },
    ]);
    expect(reply.json.row_count).toBe(reply.json.rows.length);
    expect(reply.json.row_count).toBeGreaterThan(0);
    expect(reply.json.rows[0]).toEqual({
      BE_ID: expect.any(Number),
      TABLE_ID: expect.any(Number),
      PARTITION_ID: expect.any(Number),
      TABLET_ID: expect.any(Number),
      NUM_ROWSET: expect.any(Number),
      NUM_VERSION: expect.any(Number),
      DATA_SIZE: expect.any(Number),
    });
    expect(reply.json.duration_ms).toEqual(expect.any(Number));
    expect(reply.json.truncated).toBe(false);
    // A statement with its own LIMIT is sent as it came.
    expect(sim.statements.at(-1)).toBe(SQL.topRowsetTablets);

    const show = await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } });
    expect(show.json.columns[0]).toEqual({ name: 'BackendId', type: 'VARCHAR' });
    expect(show.json.rows[0]).toMatchObject({ BackendId: '10001', Alive: 'true' });
  });

  it('max_rows cuts the result and says truncated "rows"', async () => {
    const reply = await call('/execute-sql', { body: { sql: 'SHOW BACKENDS', max_rows: 2 } });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ row_count: 2, truncated: 'rows' });
  });

  it('runs a bare SELECT as written and stops reading at max_rows', async () => {
    sim.fixedAnswers.set('SELECT n FROM numbers', {
      columns: ['n'],
      rows: Array.from({ length: 10 }, (_, n) => ({ n })),
    });
    const reply = await call('/execute-sql', { body: { sql: 'SELECT n FROM numbers', max_rows: 5 } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.rows).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    expect(reply.json.truncated).toBe('rows');
    expect(sim.statements).toContain('SELECT n FROM numbers');
    // The statement stopped at the bound is killed on the server, over a connection of its own.
    const killed = () => sim.statements.at(-1)?.startsWith('KILL QUERY') === true;
    for (let i = 0; i < 100 && !killed(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.statements.at(-1)).toMatch(/^KILL QUERY \d+$/);
  });

  it('the guard refuses writes, SET, INTO OUTFILE, two statements and FILES() with 403 and sends nothing', async () => {
    const before = sim.statementCount;
    const cases: [string, RegExp][] = [
      ['DROP TABLE sales.orders', /DROP is not a read statement/],
      ['INSERT INTO t VALUES (1)', /INSERT is not a read statement/],
      ['SET GLOBAL query_timeout = 1', /SET changes session or global state/],
      ["SELECT * FROM t INTO OUTFILE '/tmp/x'", /INTO OUTFILE writes files/],
      ['SELECT 1; SELECT 2', /2 statements were sent|multiple statements/],
      ["SELECT * FROM FILES('path' = 's3://bucket/x')", /FILES\(\) reads files/],
    ];
    for (const [sql, reason] of cases) {
      const reply = await call('/execute-sql', { body: { sql } });
      expect(reply.status, sql).toBe(403);
      expect(reply.json.error.code).toBe('PERMISSION_DENIED');
      expect(reply.json.error.message).toMatch(reason);
    }
    expect(sim.statementCount).toBe(before);
  });

  it('a batch with one refused statement is 403 naming its index, and nothing runs', async () => {
    const before = sim.statementCount;
    const reply = await call('/execute-batch', {
      body: { statements: ['SHOW BACKENDS', SQL.topRowsetTablets, 'DELETE FROM t WHERE 1 = 1'] },
    });
    expect(reply.status).toBe(403);
    expect(reply.json.error.code).toBe('PERMISSION_DENIED');
    expect(reply.json.error.message).toMatch(/^statements\[2\] was refused, nothing ran: .*DELETE/);
    expect(sim.statementCount).toBe(before);
  });

  it('a batch keeps request order; a database error is that entry ok:false with its MySQL code', async () => {
    const reply = await call('/execute-batch', {
      body: {
        statements: ['SHOW BACKENDS', 'SELECT * FROM information_schema.not_there LIMIT 1', SQL.topRowsetTablets],
      },
    });
    expect(reply.status, reply.text).toBe(200);
    const [first, second, third] = reply.json.results;
    expect(first).toMatchObject({ ok: true, truncated: false });
    expect(first.columns[0]).toEqual({ name: 'BackendId', type: 'VARCHAR' });
    expect(second).toEqual({
      ok: false,
      error: { code: 'UPSTREAM_ERROR', message: expect.stringContaining('1064'), upstream_code: 'ER_PARSE_ERROR' },
    });
    expect(third).toMatchObject({ ok: true, columns: expect.arrayContaining([{ name: 'BE_ID', type: 'BIGINT' }]) });
    expect(reply.json.duration_ms).toEqual(expect.any(Number));
  });

  it('bad bodies are 400 INVALID_ARGUMENT', async () => {
    const bad = [
      { raw: '{not json' },
      { body: {} },
      { body: { sql: '' } },
      { body: { sql: 'SHOW BACKENDS', max_rows: 0 } },
      { body: { sql: 'SHOW BACKENDS', timeout_ms: 'soon' } },
    ];
    for (const init of bad) {
      const reply = await call('/execute-sql', init);
      expect(reply.status, JSON.stringify(init)).toBe(400);
      expect(reply.json.error.code).toBe('INVALID_ARGUMENT');
    }
    const tooMany = await call('/execute-batch', { body: { statements: Array(65).fill('SHOW BACKENDS') } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toContain('statements');
    const empty = await call('/execute-batch', { body: { statements: [] } });
    expect(empty.status).toBe(400);
  });

  it('logs one JSON line per request without SQL text, rows, token or password', () => {
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(10);
    expect(requests).toContainEqual(
      expect.objectContaining({ path: '/execute-batch', status: 200, statements: 3, duration_ms: expect.any(Number) }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ path: '/execute-sql', status: 403, code: 'PERMISSION_DENIED' }),
    );
    const all = lines.join('\n');
    for (const secret of [TOKEN, PASSWORD, 'SHOW BACKENDS', 'information_schema.be_tablets', '10001']) {
      expect(all).not.toContain(secret);
    }
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({
        msg: 'agent listening',
        url: agent.url,
        tls: false,
        database: `${sim.host}:${sim.port}`,
      }),
    );
  });
});

describe('agent limits', async () => {
  const sim = await simulator();
  const { call } = await agentFor(sim, {
    AGENT_MAX_CONCURRENCY: '1',
    AGENT_MAX_QUEUE: '1',
    AGENT_MAX_BODY_BYTES: '2048',
    AGENT_MAX_RESULT_BYTES: '1024',
    AGENT_STATEMENT_TIMEOUT_MS: '400',
    AGENT_MAX_STATEMENT_CHARS: '500',
  });

  it('a body larger than AGENT_MAX_BODY_BYTES is 413 INVALID_ARGUMENT', async () => {
    const reply = await call('/execute-sql', { body: { sql: `SELECT '${'x'.repeat(4000)}' AS x` } });
    expect(reply.status).toBe(413);
    expect(reply.json.error.code).toBe('INVALID_ARGUMENT');
    expect(reply.json.error.message).toContain('2048');
  });

  it('a statement longer than AGENT_MAX_STATEMENT_CHARS is 400', async () => {
    const reply = await call('/execute-sql', { body: { sql: `SELECT 1${' + 1'.repeat(200)} AS x` } });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain('at most 500');
  });

  it('more data than AGENT_MAX_RESULT_BYTES is cut and says truncated "bytes"', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ name: `table_${String(i).padStart(14, '0')}` }));
    sim.fixedAnswers.set('SELECT name FROM big LIMIT 500', { columns: ['name'], rows });
    const reply = await call('/execute-sql', { body: { sql: 'SELECT name FROM big LIMIT 500' } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.truncated).toBe('bytes');
    expect(reply.json.row_count).toBeGreaterThan(0);
    expect(reply.json.row_count).toBeLessThan(200);
    expect(reply.json.rows[0]).toEqual({ name: 'table_00000000000000' });
  });

  it("a statement past the timeout is 504 TIMEOUT; the caller's timeout_ms is capped at AGENT_STATEMENT_TIMEOUT_MS", async () => {
    sim.delayFor = (sql) => (sql.includes('/compactions') ? 3_000 : undefined);
    try {
      const started = Date.now();
      const reply = await call('/execute-sql', { body: { sql: "SHOW PROC '/compactions'", timeout_ms: 60_000 } });
      expect(reply.status).toBe(504);
      expect(reply.json.error.code).toBe('TIMEOUT');
      expect(reply.json.error.message).toContain('400 ms');
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      sim.delayFor = undefined;
    }
    expect((await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } })).status).toBe(200);
  });

  it('beyond AGENT_MAX_CONCURRENCY + AGENT_MAX_QUEUE statements a request is 429 RATE_LIMITED', async () => {
    // A batch larger than the whole capacity is refused at once, before anything runs.
    const before = sim.statementCount;
    const whole = await call('/execute-batch', { body: { statements: Array(3).fill('SHOW BACKENDS') } });
    expect(whole.status).toBe(429);
    expect(whole.json.error.code).toBe('RATE_LIMITED');
    expect(whole.headers.get('retry-after')).toBe('1');
    expect(sim.statementCount).toBe(before);

    // One statement running and one waiting fill it: the next request is refused.
    // The busy batch holds both places for two delays (its statements run one after the other),
    // and each delay stays under the 400 ms statement timeout of this agent.
    sim.delayFor = (sql) => (sql === "SHOW PROC '/backends'" ? 300 : undefined);
    try {
      const busy = call('/execute-batch', { body: { statements: ["SHOW PROC '/backends'", "SHOW PROC '/backends'"] } });
      const until = Date.now() + 2_000;
      while (sim.statementCount === before && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      const refused = await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } });
      expect(refused.status).toBe(429);
      const done = await busy;
      expect(done.status).toBe(200);
      expect(done.json.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
      expect(sim.maxInFlight).toBe(1);
    } finally {
      sim.delayFor = undefined;
    }
    expect((await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } })).status).toBe(200);
  });
});

describe('agent and the database', () => {
  it('database down is 503 PROVIDER_NOT_AVAILABLE', async () => {
    const { call } = await agentFor({ host: '127.0.0.1', port: await freePort() });
    const reply = await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } });
    expect(reply.status).toBe(503);
    expect(reply.json.error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect((await call('/test-connection')).status).toBe(503);
    const batch = await call('/execute-batch', { body: { statements: ['SHOW BACKENDS'] } });
    expect(batch.status).toBe(200);
    expect(batch.json.results[0]).toMatchObject({ ok: false, error: { code: 'PROVIDER_NOT_AVAILABLE' } });
  });

  it('after the database restarts on the same port the next call works', async () => {
    const first = await simulator();
    const port = first.port;
    const { call } = await agentFor(first);
    expect((await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } })).status).toBe(200);
    await first.stop();
    const second = await simulator({ port });
    const reply = await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } });
    expect(reply.status, reply.text).toBe(200);
    expect(second.statements).toContain('SHOW BACKENDS');
  });

  it("a wrong database password is 502 UPSTREAM_ERROR naming the agent's own credentials, without the password", async () => {
    const sim = await simulator();
    const wrong = 'not-the-password-4711';
    const { call, lines } = await agentFor(sim, { SR_PASSWORD: wrong });
    for (const reply of [
      await call('/execute-sql', { body: { sql: 'SHOW BACKENDS' } }),
      await call('/test-connection'),
    ]) {
      expect(reply.status).toBe(502);
      expect(reply.json.error.code).toBe('UPSTREAM_ERROR');
      expect(reply.json.error.upstream_code).toBe('ER_ACCESS_DENIED_ERROR');
      expect(reply.json.error.message).toContain("agent's own database credentials");
      expect(reply.text).not.toContain(wrong);
    }
    expect(lines.join('\n')).not.toContain(wrong);
  });

  it('a caller that hangs up cancels its statement on the database', async () => {
    const sim = await simulator();
    const { agent, lines } = await agentFor(sim);
    sim.delayFor = (sql) => (sql === "SHOW PROC '/backends'" ? 5_000 : undefined);
    const controller = new AbortController();
    const pending = fetch(`${agent.url}/execute-sql`, {
      method: 'POST',
      headers: { 'x-agent-token': TOKEN },
      body: JSON.stringify({ sql: "SHOW PROC '/backends'" }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    const until = Date.now() + 2_000;
    while (!sim.statements.includes("SHOW PROC '/backends'") && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await pending).toBe('aborted');
    while (sim.kills.length === 0 && Date.now() < until + 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(sim.kills).toHaveLength(1);
    await expect.poll(() => lines.some((l) => l.includes('"caller_closed":true'))).toBe(true);
  });

  it('a bind beyond loopback is logged as a warning naming the address', async () => {
    const sim = await simulator();
    const { agent, lines, call } = await agentFor(sim, { AGENT_HOST: '0.0.0.0' });
    expect(agent.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.level === 'warn');
    expect(warning?.msg).toContain('AGENT_HOST is 0.0.0.0');
    expect(warning?.msg).toContain('serve HTTPS');
    expect((await fetch(`http://127.0.0.1:${agent.port}/health`)).status).toBe(200);
    expect((await call('/health', { token: null })).status).toBe(200);
  });

  it('close() lets a request in flight finish, then stops accepting', async () => {
    const sim = await simulator();
    const { agent, call } = await agentFor(sim);
    sim.delayFor = (sql) => (sql === "SHOW PROC '/backends'" ? 300 : undefined);
    const inFlight = call('/execute-sql', { body: { sql: "SHOW PROC '/backends'" } });
    const until = Date.now() + 2_000;
    while (!sim.statements.includes("SHOW PROC '/backends'") && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    await agent.close();
    expect((await inFlight).status).toBe(200);
    await expect(fetch(`${agent.url}/health`)).rejects.toThrow();
  });
});

describe('agent settings', () => {
  const base = { SR_HOST: 'fe.internal', SR_USER: 'diag', AGENT_TOKEN: TOKEN };

  it('defaults every optional setting', () => {
    expect(resolveAgentSettings(base)).toEqual({
      srHost: 'fe.internal',
      srPort: 9030,
      srUser: 'diag',
      srPassword: '',
      srDatabase: 'information_schema',
      host: '127.0.0.1',
      port: 8080,
      token: TOKEN,
      statementTimeoutMs: 30_000,
      maxConcurrency: 8,
      maxQueue: 64,
      maxResultBytes: 8 * 1_048_576,
      maxRows: 100_000,
      maxBodyBytes: 1_048_576,
      maxStatementChars: 20_000,
    });
  });

  it('an AGENT_TOKEN shorter than 32 characters is refused without printing it', () => {
    const short = 'short-secret-token-1234';
    let error: unknown;
    try {
      resolveAgentSettings({ ...base, AGENT_TOKEN: short });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('AGENT_TOKEN is too short');
    expect((error as Error).message).not.toContain(short);
  });

  it('every invalid or missing value is named', () => {
    const message = (env: Record<string, string>) => {
      try {
        resolveAgentSettings(env);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(message({})).toMatch(/SR_HOST is required[\s\S]*SR_USER is required[\s\S]*AGENT_TOKEN is required/);
    expect(message({ ...base, SR_PORT: 'abc' })).toContain("SR_PORT must be an integer from 1 to 65535, got 'abc'");
    expect(message({ ...base, AGENT_MAX_CONCURRENCY: '0' })).toContain('AGENT_MAX_CONCURRENCY');
    expect(message({ ...base, AGENT_MAX_RESULT_BYTES: '1.5' })).toContain('AGENT_MAX_RESULT_BYTES');
    expect(message({ ...base, AGENT_TLS_CERT: '/x.pem' })).toContain('AGENT_TLS_CERT and AGENT_TLS_KEY go together');
    expect(message({ ...base, AGENT_TOKEN: `${TOKEN} x` })).toContain('printable ASCII');
  });
});

describe('agent init', () => {
  it('writes .env with mode 0600 and a 64-hex token, and refuses to overwrite without force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-init-'));
    try {
      const result = initAgent(join(dir, 'agent'));
      expect(result.token).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(result.path).mode & 0o777).toBe(0o600);
      const text = readFileSync(result.path, 'utf8');
      expect(text).toContain(`\nAGENT_TOKEN=${result.token}\n`);
      expect(text).toMatch(/\nSR_HOST=\n/);
      expect(text).toMatch(/\nSR_USER=\n/);
      expect(text).toContain('# AGENT_PORT=8080');
      expect(text).toContain('# AGENT_MAX_QUEUE=64');
      expect(result.instructions).toContain(result.token);
      expect(result.instructions).toMatch(/http:\/\/\S+:8080/);

      expect(() => initAgent(join(dir, 'agent'))).toThrow(/already exists/);
      expect(readFileSync(result.path, 'utf8')).toBe(text);
      const again = initAgent(join(dir, 'agent'), { force: true });
      expect(again.token).not.toBe(result.token);
      expect(statSync(again.path).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agent connections', () => {
  it('cuts off a client that never finishes sending its request headers', async () => {
    const sim = await simulator();
    const { agent } = await agentFor(sim, {}, { headersTimeoutMs: 300 });
    const { connect } = await import('node:net');
    const socket = connect(agent.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = Date.now();
    socket.write('POST /execute-sql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Agent-To');
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      socket.once('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('agent over TLS', () => {
  it('serves https with a self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { cert, key } = selfSignedCertificate(dir);
    const sim = await simulator();
    const { agent, lines } = await agentFor(sim, { AGENT_TLS_CERT: cert, AGENT_TLS_KEY: key });
    expect(agent.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          `${agent.url}${path}`,
          { ca: readFileSync(cert), headers: { 'x-agent-token': TOKEN } },
          (res) => {
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await get('/health')).toEqual({
      status: 200,
      body: JSON.stringify({ status: 'ok', version: packageJson.version }),
    });
    const tested = await get('/test-connection');
    expect(tested.status).toBe(200);
    expect(JSON.parse(tested.body).database_version).toBe('3.3.8-0b35f6e');
    expect(lines.some((l) => l.includes('"tls":true'))).toBe(true);
  });
});
