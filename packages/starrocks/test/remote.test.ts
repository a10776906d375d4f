import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@opsmcp/core';
import { freePort, type HttpTestServer, startHttp } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHandle } from '../src/agent/server.js';
import { startAgentFor } from '../src/remote/sandbox.js';
import { loadScenario, type Simulator, startSimulator } from '../src/sandbox/index.js';
import { starRocksServer } from '../src/server.js';
import { selfSignedCertificate } from './helpers.js';

const KEY = 'central-api-key-0123456789';
const AGENT_BIN = fileURLToPath(new URL('../dist/agent-bin.js', import.meta.url));

interface Site {
  sim: Simulator;
  agent: AgentHandle;
  token: string;
  password: string;
}

const dir = mkdtempSync(join(tmpdir(), 'sr-remote-test-'));
const tenantsPath = join(dir, 'tenants.json');
const sites: Record<string, Site> = {};
let central: HttpTestServer;
/** Every log line of the central server, parsed. */
const logLines: Record<string, unknown>[] = [];

async function startSite(scenario: string): Promise<Site> {
  const password = randomBytes(12).toString('hex');
  const sim = await startSimulator({ scenario: await loadScenario(scenario), user: 'agent', password });
  const token = randomBytes(32).toString('hex');
  const agent = await startAgentFor(sim, {
    user: 'agent',
    password,
    token,
    log: createLogger({ level: 'error', json: true }),
  });
  return { sim, agent, token, password };
}

type TenantEntry = { name: string; agent_url: string; agent_token: string; enabled?: boolean; api_key_sha256?: string };

function writeTenants(tenants: Record<string, TenantEntry>, path = tenantsPath): void {
  writeFileSync(path, JSON.stringify({ tenants }), { mode: 0o600 });
}

const baseTenants = (): Record<string, TenantEntry> => ({
  healthy_co: { name: 'Healthy Co', agent_url: sites.healthy!.agent.url, agent_token: sites.healthy!.token },
  full_co: { name: 'Full Co', agent_url: sites.full!.agent.url, agent_token: sites.full!.token },
});

async function rest(path: string, options: { tenant?: string; body?: unknown; key?: string | null } = {}) {
  const key = options.key === undefined ? KEY : options.key;
  const response = await fetch(`${central.url}${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(key ? { 'x-api-key': key } : {}),
      ...(options.tenant ? { 'x-tenant-id': options.tenant } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const callRest = async (tenant: string, tool: string, args: Record<string, unknown> = {}) =>
  (await rest('/call-tool', { tenant, body: { tool, arguments: args } })).body;

/** A result without what differs from run to run (timings, clocks). */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !/(^ms|_ms|duration|generated_at|checked_at|elapsed)$/i.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

const waitFor = async (check: () => Promise<boolean>, what: string, timeoutMs = 5_000) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  sites.healthy = await startSite('healthy');
  sites.full = await startSite('disk-full');
  writeTenants(baseTenants());
  central = await startHttp(starRocksServer, {
    settings: { mode: 'remote', tenantsConfig: tenantsPath, apiKey: [KEY], tenantsWatchIntervalMs: 100 },
    logger: createLogger({ level: 'info', json: true, write: (line) => logLines.push(JSON.parse(line)) }),
  });
});

afterAll(async () => {
  await central?.close();
  for (const site of Object.values(sites)) {
    await site.agent.close();
    await site.sim.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('remote mode: tenants', () => {
  it('answers 400 without X-Tenant-ID, 404 for an unknown tenant, on MCP and REST alike', async () => {
    expect(await rest('/tools')).toMatchObject({ status: 400, body: { error: 'tenant_required' } });
    expect(await rest('/tools', { tenant: 'nobody' })).toMatchObject({
      status: 404,
      body: { error: 'unknown_tenant' },
    });
    const mcp = await fetch(`${central.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-api-key': KEY },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    expect(mcp.status).toBe(400);
    await expect(central.connect({ headers: { 'x-api-key': KEY, 'x-tenant-id': 'nobody' } })).rejects.toThrow();
  });

  it("diagnoses each tenant's own cluster: 100 interleaved calls over both tenants, no cross-talk", async () => {
    const tools = [
      'analyze_storage_health',
      'analyze_compaction_health',
      'get_disk_usage',
      'analyze_system_comprehensive',
    ];
    const expected: Record<string, unknown> = {};
    for (const tenant of ['healthy_co', 'full_co']) {
      for (const tool of tools) {
        const result = await callRest(tenant, tool);
        expect(result.isError, `${tenant} ${tool}: ${JSON.stringify(result.content)}`).toBe(false);
        expected[`${tenant}/${tool}`] = stable(result.structuredContent);
      }
    }
    // The scenarios differ where it matters: only the full cluster has a critical disk.
    const diskIssues = (tenant: string) =>
      ((expected[`${tenant}/analyze_storage_health`] as { issues: { id: string; severity: string }[] }).issues ?? [])
        .filter((i) => i.id.startsWith('STG-DISK') && i.severity === 'critical')
        .map((i) => i.id);
    expect(diskIssues('full_co').length).toBeGreaterThan(0);
    expect(diskIssues('healthy_co')).toEqual([]);

    const calls = Array.from({ length: 100 }, (_, i) => ({
      tenant: i % 2 === 0 ? 'healthy_co' : 'full_co',
      tool: tools[Math.floor(i / 2) % tools.length] as string,
    }));
    const results = await Promise.all(calls.map((c) => callRest(c.tenant, c.tool)));
    results.forEach((result, i) => {
      const c = calls[i]!;
      expect(result.isError, `${c.tenant} ${c.tool}`).toBe(false);
      expect(stable(result.structuredContent), `${c.tenant} ${c.tool}`).toEqual(expected[`${c.tenant}/${c.tool}`]);
    });
  });

  it('gives the same comprehensive analysis through an agent as connected directly', async () => {
    const direct = await startHttp(starRocksServer, {
      settings: {
        srHost: sites.full!.sim.host,
        srPort: sites.full!.sim.port,
        srUser: 'agent',
        srPassword: sites.full!.password,
      },
    });
    try {
      const client = await direct.connect();
      const local = await client.callTool({ name: 'analyze_system_comprehensive', arguments: {} });
      const remote = await callRest('full_co', 'analyze_system_comprehensive');
      expect(stable(remote.structuredContent)).toEqual(stable(local.structuredContent));
    } finally {
      await direct.close();
    }
  });

  it('costs at most one agent round trip per expert for the comprehensive analysis', async () => {
    const before = (
      (await rest('/admin/stats')).body.tenants as { tenant_id: string; agent_round_trips: number }[]
    ).find((t) => t.tenant_id === 'healthy_co')!;
    await callRest('healthy_co', 'analyze_system_comprehensive');
    const after = (
      (await rest('/admin/stats')).body.tenants as { tenant_id: string; agent_round_trips: number }[]
    ).find((t) => t.tenant_id === 'healthy_co')!;
    // Storage, compaction and ingestion experts.
    expect(after.agent_round_trips - before.agent_round_trips).toBeLessThanOrEqual(3);
  });
});

describe('remote mode: sessions, endpoints and audit', () => {
  it('keeps a session on its tenant: a request naming another tenant is refused', async () => {
    const client = await central.connect({ headers: { 'x-api-key': KEY, 'x-tenant-id': 'healthy_co' } });
    const sessionId = (client.transport as { sessionId?: string } | undefined)?.sessionId ?? '';
    const other = await fetch(`${central.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-api-key': KEY,
        'x-tenant-id': 'full_co',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'get_disk_usage', arguments: {} },
      }),
    });
    expect(other.status).toBe(403);
    const own = await client.callTool({ name: 'get_disk_usage', arguments: {} });
    expect(own.isError).toBeFalsy();
  });

  it('lists tenants without URLs or tokens, tests an agent, and counts calls per tenant', async () => {
    const tenants = await rest('/tenants');
    expect(tenants.status).toBe(200);
    expect(tenants.body.tenants).toEqual(
      expect.arrayContaining([
        { id: 'healthy_co', name: 'Healthy Co', enabled: true },
        { id: 'full_co', name: 'Full Co', enabled: true },
      ]),
    );
    const text = JSON.stringify(tenants.body);
    for (const site of Object.values(sites)) {
      expect(text).not.toContain(site.token);
      expect(text).not.toContain(site.agent.url);
    }
    expect((await rest('/tenants', { key: null })).status).toBe(401);

    const tested = await rest('/test-agent', { tenant: 'full_co' });
    expect(tested).toMatchObject({
      status: 200,
      body: { success: true, tenant: 'full_co', agent_status: 'healthy', database_version: expect.any(String) },
    });
    expect(typeof tested.body.latency_ms).toBe('number');
    expect((await rest('/test-agent')).status).toBe(400);

    const before = (await rest('/admin/stats')).body.tenants as {
      tenant_id: string;
      requests: number;
      errors: number;
    }[];
    await callRest('full_co', 'get_disk_usage');
    await callRest('full_co', 'read_query', { sql: 'DROP TABLE sales.orders' });
    const after = (await rest('/admin/stats')).body.tenants as {
      tenant_id: string;
      requests: number;
      errors: number;
    }[];
    const delta = (id: string, field: 'requests' | 'errors') =>
      (after.find((t) => t.tenant_id === id)?.[field] ?? 0) - (before.find((t) => t.tenant_id === id)?.[field] ?? 0);
    expect([delta('full_co', 'requests'), delta('full_co', 'errors')]).toEqual([2, 1]);
    expect(delta('healthy_co', 'requests')).toBe(0);
  });

  it('writes an audit line per tool call naming tenant, tool, duration and outcome, without results or tokens', async () => {
    logLines.length = 0;
    await callRest('healthy_co', 'get_disk_usage');
    const audit = logLines.filter((l) => l.msg === 'tool call');
    expect(audit).toEqual([
      expect.objectContaining({
        tenant: 'healthy_co',
        tool: 'get_disk_usage',
        status: 'ok',
        duration_ms: expect.any(Number),
        time: expect.any(String),
      }),
    ]);
    const all = JSON.stringify(logLines);
    for (const site of Object.values(sites)) {
      expect(all).not.toContain(site.token);
      expect(all).not.toContain(site.password);
    }
  });

  it('leaks neither tokens nor passwords through /health of the central server or the agents', async () => {
    const bodies = [
      await (await fetch(`${central.url}/health`)).text(),
      await (await fetch(`${central.url}/health`, { headers: { 'x-api-key': KEY } })).text(),
      ...(await Promise.all(Object.values(sites).map(async (s) => (await fetch(`${s.agent.url}/health`)).text()))),
    ];
    for (const body of bodies) {
      for (const site of Object.values(sites)) {
        expect(body).not.toContain(site.token);
        expect(body).not.toContain(site.password);
      }
      expect(body).not.toContain(KEY);
    }
    expect(JSON.parse(bodies[2] as string)).toEqual({ status: 'ok', version: expect.any(String) });
  });
});

describe('remote mode: agents failing', () => {
  /** A tenant whose "agent" is a plain HTTP server answering as told. */
  async function fakeAgent(
    handler: Parameters<typeof createHttpServer>[1] & object,
  ): Promise<{ url: string; server: Server }> {
    const server = createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  it('maps an agent that is down, answers garbage or refuses the token to clear errors for that tenant only', async () => {
    const garbage = await fakeAgent((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"results": "not a list"}');
    });
    const notJson = await fakeAgent((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    });
    const down = await fakeAgent(() => {});
    const downUrl = down.url;
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    const token = 'f'.repeat(64);
    writeTenants({
      ...baseTenants(),
      garbage_co: { name: 'Garbage', agent_url: garbage.url, agent_token: token },
      html_co: { name: 'HTML', agent_url: notJson.url, agent_token: token },
      down_co: { name: 'Down', agent_url: downUrl, agent_token: token },
      wrong_token_co: { name: 'Wrong token', agent_url: sites.healthy!.agent.url, agent_token: token },
    });
    try {
      await waitFor(async () => (await rest('/tools', { tenant: 'down_co' })).status === 200, 'the reload');
      const seenBefore = sites.healthy!.sim.statementCount;
      const code = async (tenant: string) => (await callRest(tenant, 'get_disk_usage')).error_code;
      expect(await code('garbage_co')).toBe('UPSTREAM_ERROR');
      expect(await code('html_co')).toBe('UPSTREAM_ERROR');
      expect(await code('down_co')).toBe('PROVIDER_NOT_AVAILABLE');
      expect(await code('wrong_token_co')).toBe('INVALID_CREDENTIALS');
      // The wrong token reached the agent, which executed nothing.
      expect(sites.healthy!.sim.statementCount).toBe(seenBefore);
      expect((await rest('/test-agent', { tenant: 'down_co' })).body).toMatchObject({
        success: false,
        agent_status: 'unreachable',
      });
      // Other tenants are unaffected and the server is up.
      expect((await callRest('healthy_co', 'get_disk_usage')).isError).toBe(false);
    } finally {
      writeTenants(baseTenants());
      garbage.server.close();
      notJson.server.close();
    }
    await waitFor(async () => (await rest('/tools', { tenant: 'down_co' })).status === 404, 'the reload back');
  });

  it('answers TIMEOUT for an agent that never answers', async () => {
    const silent = await fakeAgent(() => {});
    const slowPath = join(dir, 'slow-tenants.json');
    writeTenants({ slow_co: { name: 'Slow', agent_url: silent.url, agent_token: 'a'.repeat(64) } }, slowPath);
    const slow = await startHttp(starRocksServer, {
      settings: { mode: 'remote', tenantsConfig: slowPath, apiKey: [KEY], toolTimeoutMs: 1_000 },
    });
    try {
      const response = await fetch(`${slow.url}/call-tool`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'x-tenant-id': 'slow_co' },
        body: JSON.stringify({ tool: 'get_disk_usage', arguments: {} }),
      });
      expect(await response.json()).toMatchObject({ isError: true, error_code: 'TIMEOUT' });
    } finally {
      await slow.close();
      silent.server.closeAllConnections();
      silent.server.close();
    }
  });

  it('fails a call whose agent is killed mid-call, and works again once the agent is back', async () => {
    const site = sites.healthy!;
    const token = randomBytes(32).toString('hex');
    const port = await freePort();
    const spawnAgent = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [AGENT_BIN], {
        env: {
          PATH: process.env.PATH,
          SR_HOST: site.sim.host,
          SR_PORT: String(site.sim.port),
          SR_USER: 'agent',
          SR_PASSWORD: site.password,
          AGENT_PORT: String(port),
          AGENT_TOKEN: token,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true,
        'the agent',
      );
      return child;
    };
    writeTenants({
      ...baseTenants(),
      killed_co: { name: 'Killed', agent_url: `http://127.0.0.1:${port}`, agent_token: token },
    });
    let child = await spawnAgent();
    try {
      await waitFor(async () => (await rest('/tools', { tenant: 'killed_co' })).status === 200, 'the reload');
      expect((await callRest('killed_co', 'get_disk_usage')).isError).toBe(false);
      // Every statement now waits 2 s at the database: the agent dies while the call waits.
      site.sim.delayMs = 2_000;
      const pending = callRest('killed_co', 'get_disk_usage');
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGKILL');
      const failed = await pending;
      site.sim.delayMs = 0;
      expect(failed).toMatchObject({ isError: true });
      expect(['PROVIDER_NOT_AVAILABLE', 'UPSTREAM_ERROR']).toContain(failed.error_code);
      expect((await callRest('healthy_co', 'get_disk_usage')).isError).toBe(false);
      child = await spawnAgent();
      expect((await callRest('killed_co', 'get_disk_usage')).isError).toBe(false);
    } finally {
      site.sim.delayMs = 0;
      child.kill('SIGKILL');
      writeTenants(baseTenants());
    }
  });
});

describe('remote mode: the tenants file', () => {
  it('reloads on change: a new tenant is served, a disabled one refused, a broken file keeps the tenants in force', async () => {
    writeTenants({
      ...baseTenants(),
      new_co: { name: 'New', agent_url: sites.full!.agent.url, agent_token: sites.full!.token },
    });
    await waitFor(async () => (await rest('/tools', { tenant: 'new_co' })).status === 200, 'new_co');
    expect((await callRest('new_co', 'get_disk_usage')).isError).toBe(false);

    writeTenants({
      ...baseTenants(),
      new_co: { name: 'New', agent_url: sites.full!.agent.url, agent_token: sites.full!.token, enabled: false },
    });
    await waitFor(async () => (await rest('/tools', { tenant: 'new_co' })).status === 404, 'new_co disabled');

    logLines.length = 0;
    writeFileSync(tenantsPath, '{"tenants": {"x": {"name": ');
    await waitFor(async () => logLines.some((l) => String(l.msg).includes('not reloaded')), 'the refusal');
    expect((await rest('/tools', { tenant: 'healthy_co' })).status).toBe(200);
    expect((await rest('/tools', { tenant: 'new_co' })).status).toBe(404);
    writeTenants(baseTenants());
    await waitFor(async () => logLines.some((l) => l.msg === 'tenants reloaded'), 'the fixed file');
  });

  it('reloads on SIGHUP', async () => {
    const path = join(dir, 'hup-tenants.json');
    writeTenants(baseTenants(), path);
    const hup = await startHttp(starRocksServer, {
      settings: { mode: 'remote', tenantsConfig: path, apiKey: [KEY], tenantsWatchIntervalMs: 60_000 },
    });
    try {
      writeTenants(
        { ...baseTenants(), hup_co: { name: 'Hup', agent_url: sites.full!.agent.url, agent_token: sites.full!.token } },
        path,
      );
      const status = async () =>
        (await fetch(`${hup.url}/tools`, { headers: { 'x-api-key': KEY, 'x-tenant-id': 'hup_co' } })).status;
      expect(await status()).toBe(404);
      process.kill(process.pid, 'SIGHUP');
      await waitFor(async () => (await status()) === 200, 'the SIGHUP reload');
    } finally {
      await hup.close();
    }
  });

  it('warns when the tenants file, which holds the agent tokens, is readable by other users', async () => {
    const path = join(dir, 'open-tenants.json');
    writeTenants(baseTenants(), path);
    chmodSync(path, 0o644);
    const lines: Record<string, unknown>[] = [];
    const open = await startHttp(starRocksServer, {
      settings: { mode: 'remote', tenantsConfig: path, apiKey: [KEY] },
      logger: createLogger({ level: 'info', json: true, write: (line) => lines.push(JSON.parse(line)) }),
    });
    await open.close();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/readable by other users/), file: path }),
    );
    expect(lines.filter((l) => l.level === 'warn' && /readable/.test(String(l.msg)))).toHaveLength(1);
  });

  it('refuses to start on a broken tenants file, naming the tenant and the field, without quoting tokens', async () => {
    const path = join(dir, 'bad-tenants.json');
    const shortToken = 'short-secret-token';
    writeFileSync(
      path,
      JSON.stringify({
        tenants: {
          ok_co: { name: 'OK', agent_url: 'http://127.0.0.1:1', agent_token: 'b'.repeat(64) },
          bad_co: { name: 'Bad', agent_url: 'ftp://x', agent_token: shortToken },
        },
      }),
    );
    const error = await startHttp(starRocksServer, {
      settings: { mode: 'remote', tenantsConfig: path, apiKey: [KEY] },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/tenant bad_co: agent_url must start with http/);
    expect(error?.message).toMatch(/tenant bad_co: agent_token must be at least 32 characters/);
    expect(error?.message).not.toContain(shortToken);
  });

  it('lets a key bound to a tenant act only for that tenant and not read other tenants', async () => {
    const path = join(dir, 'keyed-tenants.json');
    const tenantKey = 'tenant-only-key-0123456789';
    const { createHash } = await import('node:crypto');
    writeTenants(
      {
        ...baseTenants(),
        keyed_co: {
          name: 'Keyed',
          agent_url: sites.full!.agent.url,
          agent_token: sites.full!.token,
          api_key_sha256: createHash('sha256').update(tenantKey).digest('hex'),
        },
      },
      path,
    );
    const keyed = await startHttp(starRocksServer, {
      settings: { mode: 'remote', tenantsConfig: path, apiKey: [KEY, tenantKey] },
    });
    try {
      const get = async (p: string, key: string, tenant?: string) =>
        (
          await fetch(`${keyed.url}${p}`, {
            headers: { 'x-api-key': key, ...(tenant ? { 'x-tenant-id': tenant } : {}) },
          })
        ).status;
      expect(await get('/tools', tenantKey, 'keyed_co')).toBe(200);
      expect(await get('/tools', KEY, 'keyed_co')).toBe(403);
      expect(await get('/tools', tenantKey, 'healthy_co')).toBe(403);
      expect(await get('/tenants', tenantKey)).toBe(403);
      expect(await get('/tenants', KEY)).toBe(200);
    } finally {
      await keyed.close();
    }
  });
});

describe('remote mode: sandbox', () => {
  it('serves two simulated tenants of different scenarios through their agents, and cleans up on close', async () => {
    const sandbox = await startHttp(starRocksServer, { settings: { sandbox: true, mode: 'remote', apiKey: [KEY] } });
    let tenantsFile = '';
    try {
      const get = async (path: string, tenant?: string, body?: unknown) => {
        const response = await fetch(`${sandbox.url}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: {
            'x-api-key': KEY,
            ...(tenant ? { 'x-tenant-id': tenant } : {}),
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return (await response.json()) as Record<string, unknown>;
      };
      expect((await get('/tenants')).tenants).toEqual([
        expect.objectContaining({ id: 'acme', enabled: true }),
        expect.objectContaining({ id: 'globex', enabled: true }),
      ]);
      tenantsFile = String(sandbox.runtime.settings.tenantsConfig);
      const scores = await Promise.all(
        ['acme', 'globex'].map(async (tenant) => {
          const result = await get('/call-tool', tenant, { tool: 'analyze_storage_health', arguments: {} });
          expect(result.isError).toBe(false);
          expect((result.structuredContent as { sandbox_notice: string }).sandbox_notice).toMatch(/tenant acme/);
          return (result.structuredContent as { health_score: number }).health_score;
        }),
      );
      // acme runs the healthy scenario, globex the disk-full one.
      expect(scores[0]).toBeGreaterThan(scores[1] as number);
    } finally {
      await sandbox.close();
    }
    const { existsSync } = await import('node:fs');
    expect(tenantsFile).not.toBe('');
    expect(existsSync(tenantsFile)).toBe(false);
  });

  it('refuses remote mode over stdio and without a tenants file', async () => {
    const { createServer } = await import('@opsmcp/core');
    await expect(
      createServer(starRocksServer, { settings: { mode: 'remote', tenantsConfig: tenantsPath } }),
    ).rejects.toThrow(/add --transport http/);
    await expect(createServer(starRocksServer, { settings: { mode: 'remote', transport: 'http' } })).rejects.toThrow(
      /needs TENANTS_CONFIG/,
    );
  });
});

describe('remote mode: an agent on HTTPS', () => {
  const CENTRAL_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

  /** The built central server in a process of its own (NODE_EXTRA_CA_CERTS is read at process start). */
  async function spawnCentral(tenantsFile: string, extraEnv: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [CENTRAL_BIN, '--mode', 'remote', '--transport', 'http', '--port', '0', '--tenants-config', tenantsFile],
      { env: { PATH: process.env.PATH, MCP_API_KEY: KEY, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        seen += chunk;
        const match = /"url":"(http:\/\/[^"]+)\/mcp"/.exec(seen);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`the central server exited (${code}): ${seen.slice(-500)}`)));
    });
    return { url, child };
  }

  it("reaches it once the central server trusts the agent's certificate, and says how to trust it before", async () => {
    const { cert, key } = selfSignedCertificate(mkdtempSync(join(dir, 'tls-')));
    const site = sites.full!;
    const token = randomBytes(32).toString('hex');
    const agent = await startAgentFor(site.sim, {
      user: 'agent',
      password: site.password,
      token,
      tls: { cert, key },
      log: createLogger({ level: 'error', json: true }),
    });
    const tlsTenants = join(dir, 'tls-tenants.json');
    writeTenants({ tls_co: { name: 'TLS', agent_url: agent.url, agent_token: token } }, tlsTenants);
    const testAgent = async (url: string) =>
      (await (
        await fetch(`${url}/test-agent`, { headers: { 'x-api-key': KEY, 'x-tenant-id': 'tls_co' } })
      ).json()) as Record<string, unknown>;
    const untrusting = await spawnCentral(tlsTenants, {});
    const trusting = await spawnCentral(tlsTenants, { NODE_EXTRA_CA_CERTS: cert });
    try {
      expect(agent.url).toMatch(/^https:/);
      const refused = await testAgent(untrusting.url);
      expect(refused).toMatchObject({ success: false, agent_status: 'unreachable' });
      expect(JSON.stringify(refused.error)).toMatch(/certificate this server does not trust.*NODE_EXTRA_CA_CERTS/);
      expect(await testAgent(trusting.url)).toMatchObject({ success: true, agent_status: 'healthy' });
    } finally {
      untrusting.child.kill('SIGTERM');
      trusting.child.kill('SIGTERM');
      await agent.close();
    }
  });
});
