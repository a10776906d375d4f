import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineServer, type HttpRequestView, type ToolCallRecord } from '../src/index.js';
import { type HttpTestServer, startHttp } from '../src/testing/index.js';
import { deleted, testServer } from './fixtures/test-server.js';

const KEY = 'rest-test-key-0123456789';

let http: HttpTestServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});
beforeEach(() => {
  deleted.length = 0;
});

async function rest(
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const key = options.key === undefined ? KEY : options.key;
  const response = await fetch(`${http?.url}${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { 'x-api-key': key } : {}),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const toolNames = (body: Record<string, unknown>) => (body.tools as { name: string }[]).map((t) => t.name);

describe('REST endpoints', () => {
  it('GET /tools needs the API key and lists the read tools of a read-only server', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    expect((await rest('/tools', { key: null })).status).toBe(401);
    expect((await rest('/tools', { key: 'wrong-key-0123456789' })).status).toBe(401);
    const listed = await rest('/tools');
    expect(listed.status).toBe(200);
    expect(toolNames(listed.body)).toContain('echo');
    expect(toolNames(listed.body)).not.toContain('delete_thing');
  });

  it('POST /call-tool answers content, structuredContent and isError', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    const called = await rest('/call-tool', { body: { tool: 'echo', arguments: { message: 'over rest' } } });
    expect(called.status).toBe(200);
    expect(called.body.isError).toBe(false);
    expect(called.body.structuredContent).toMatchObject({ text: expect.stringContaining('over rest') });
    expect((called.body.content as { text: string }[])[0]?.text).toContain('over rest');
    const invalid = await rest('/call-tool', { body: { tool: 'echo', arguments: { message: 42 } } });
    expect(invalid.body).toMatchObject({ isError: true, error_code: 'INVALID_ARGUMENT' });
  });

  it('refuses a write tool on a read-only server with WRITE_DISABLED', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    const called = await rest('/call-tool', { body: { tool: 'delete_thing', arguments: { name: 'a' } } });
    expect(called.body).toMatchObject({ isError: true, error_code: 'WRITE_DISABLED' });
    expect(deleted).toEqual([]);
  });

  it('lists confirmation fields and answers CONFIRMATION_REQUIRED until they are given', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY], allowWrite: true } });
    const listed = (await rest('/tools')).body.tools as { name: string; inputSchema: { properties: object } }[];
    expect(Object.keys(listed.find((t) => t.name === 'delete_thing')?.inputSchema.properties ?? {})).toContain(
      'confirm',
    );
    const unconfirmed = await rest('/call-tool', { body: { tool: 'delete_thing', arguments: { name: 'a' } } });
    expect(unconfirmed.body).toMatchObject({ isError: true, error_code: 'CONFIRMATION_REQUIRED' });
    expect(deleted).toEqual([]);
    const wrongName = await rest('/call-tool', {
      body: { tool: 'purge_thing', arguments: { name: 'b', confirm_name: 'c' } },
    });
    expect(wrongName.body.error_code).toBe('CONFIRMATION_FAILED');
    expect(deleted).toEqual([]);
    const confirmed = await rest('/call-tool', {
      body: { tool: 'delete_thing', arguments: { name: 'a', confirm: true } },
    });
    expect(confirmed.body).toMatchObject({ isError: false, structuredContent: { deleted: 'a' } });
    expect(deleted).toEqual(['a']);
  });

  it('answers 404 for an unknown tool and 400 for a malformed body', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    expect(await rest('/call-tool', { body: { tool: 'nope' } })).toMatchObject({
      status: 404,
      body: { error: 'unknown_tool' },
    });
    expect((await rest('/call-tool', { body: { arguments: {} } })).status).toBe(400);
    expect((await rest('/call-tool', { body: { tool: 'echo', arguments: [1] } })).status).toBe(400);
    expect((await rest('/call-tool', { body: '[1, 2]' })).status).toBe(400);
  });

  it('answers 413 to a chunked body that grows past the limit, instead of dropping the connection', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY], maxBodyBytes: 1024 } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${http?.url}/call-tool`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`{"tool": "echo", "arguments": {"message": "${'x'.repeat(600)}`);
      req.write('x'.repeat(600));
      req.end('"}}');
    });
    expect(status).toBe(413);
  });

  it('applies the Origin check to REST requests', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    expect((await rest('/tools', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('refuses a request naming another tenant than its session', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY] } });
    const client = await http.connect({ headers: { 'x-api-key': KEY, 'x-tenant-id': 'tenant-a' } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const sessionId = (client.transport as { sessionId?: string } | undefined)?.sessionId ?? '';
    expect(sessionId).not.toBe('');
    const response = await fetch(`${http.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-api-key': KEY,
        'x-tenant-id': 'tenant-b',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(403);
    expect(JSON.stringify(await response.json())).toMatch(/belongs to tenant tenant-a/);
    // The session itself still serves its own tenant.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });
});

describe('server HTTP hooks', () => {
  const seen: { admitted: HttpRequestView[]; calls: ToolCallRecord[]; started: number } = {
    admitted: [],
    calls: [],
    started: 0,
  };
  const hooked = defineServer({
    ...testServer,
    start: async ({ cache }) => {
      seen.started++;
      await cache(['hooked-state'], () => ({ opened: true }));
    },
    http: {
      admit: async (request) => {
        seen.admitted.push(request);
        if (!request.tenantId) return { status: 400, body: { error: 'tenant_required', message: 'Send X-Tenant-ID.' } };
        if (request.tenantId === 'gone')
          return { status: 404, body: { error: 'unknown_tenant', message: 'No tenant gone.' } };
        return undefined;
      },
      serve: async (request, { cache }) => {
        if (request.path !== '/state') return undefined;
        const state = await cache(['hooked-state'], () => ({ opened: false }));
        return { status: 200, body: { state, tenant: request.tenantId ?? null } };
      },
    },
    onToolCall: (record) => {
      seen.calls.push(record);
    },
  });

  it('runs start once, admits or refuses MCP and REST requests, serves its own paths behind the key and records calls', async () => {
    http = await startHttp(hooked, { settings: { apiKey: [KEY] } });
    expect(seen.started).toBe(1);
    // Opened by start, so /state finds it rather than creating one.
    expect(await rest('/state', { headers: { 'x-tenant-id': 't1' } })).toEqual({
      status: 200,
      body: { state: { opened: true }, tenant: 't1' },
    });
    expect((await rest('/state', { key: null })).status).toBe(401);
    expect((await rest('/elsewhere')).status).toBe(404);

    expect(await rest('/tools')).toMatchObject({ status: 400, body: { error: 'tenant_required' } });
    expect(await rest('/tools', { headers: { 'x-tenant-id': 'gone' } })).toMatchObject({ status: 404 });
    expect((await rest('/tools', { headers: { 'x-tenant-id': 'bad tenant!' } })).status).toBe(400);
    const mcpRefused = await fetch(`${http.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-api-key': KEY },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(mcpRefused.status).toBe(400);
    expect(await mcpRefused.json()).toMatchObject({ jsonrpc: '2.0', error: { message: 'Send X-Tenant-ID.' } });

    // The key the request came in with, as its sha256: for a server's own rules per key.
    expect(seen.admitted.at(-1)?.apiKeySha256).toBe(createHash('sha256').update(KEY).digest('hex'));
    await rest('/call-tool', { headers: { 'x-tenant-id': 't1' }, body: { tool: 'echo', arguments: { message: 'x' } } });
    const client = await http.connect({ headers: { 'x-api-key': KEY, 'x-tenant-id': 't2' } });
    await client.callTool({ name: 'fail', arguments: { kind: 'upstream' } });
    expect(seen.calls.map((c) => [c.tool, c.tenantId, c.outcome])).toEqual([
      ['echo', 't1', 'ok'],
      ['fail', 't2', 'error'],
    ]);
    expect(seen.calls[1]?.errorCode).toBeDefined();
  });
});
