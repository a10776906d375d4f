import { request } from 'node:http';
import { connect as connectSocket, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createServer } from '../src/index.js';
import { callTool, type HttpTestServer, startHttp } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

const KEY_A = 'key-a-0123456789abcdef';
const KEY_B = 'key-b-0123456789abcdef';

let http: HttpTestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await http?.close();
  http = undefined;
});

function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = (id = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });

/** Opens a raw session over HTTP and returns its id. */
async function openSession(url: string, key: string): Promise<string> {
  const res = await raw(`${url}/mcp`, {
    method: 'POST',
    headers: { ...mcpHeaders, 'x-api-key': key },
    body: initialize(),
  });
  const id = res.headers['mcp-session-id'];
  if (res.status !== 200 || typeof id !== 'string') throw new Error(`initialize failed: ${res.status} ${res.body}`);
  return id;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

describe('HTTP availability limits', () => {
  it('closes connections that send nothing or send headers too slowly, and still serves a real client', async () => {
    http = await startHttp(testServer, {
      settings: { apiKey: [KEY_A], idleConnectionTimeoutMs: 300, headersTimeoutMs: 400, maxConnections: 60 },
    });
    const server = http;
    const idle = await Promise.all(Array.from({ length: 40 }, () => openSocket(server.port)));
    const slow = await Promise.all(Array.from({ length: 10 }, () => openSocket(server.port)));
    for (const s of slow) s.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closed = (s: Socket) =>
      new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
    const started = Date.now();
    await Promise.all([...idle, ...slow].map(closed));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await raw(`${server.url}/health`)).status).toBe(200);
    const client = await server.connect({ headers: { 'x-api-key': KEY_A } });
    expect((await callTool(client, 'echo', { message: 'still here' })).isError).toBe(false);
    await client.close();
  });

  it('bounds sessions per caller: one key at its quota, another still opens sessions', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A, KEY_B], maxSessionsPerCaller: 3 } });
    for (let i = 0; i < 3; i++) await openSession(http.url, KEY_A);
    const refused = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'x-api-key': KEY_A },
      body: initialize(),
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('most allowed (3)');
    expect(await openSession(http.url, KEY_B)).toBeTypeOf('string');
  });

  it('closes a session that made no request after initialize', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A], sessionInitIdleMs: 1000 } });
    await openSession(http.url, KEY_A);
    expect(http.handle.sessionCount()).toBe(1);
    await new Promise((r) => setTimeout(r, 1_800));
    expect(http.handle.sessionCount()).toBe(0);
  });

  it('refuses batched tool calls and batches beyond the bound, running nothing', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A], stateless: true, maxBatch: 4 } });
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'x' } },
    });
    const batched = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'x-api-key': KEY_A },
      body: JSON.stringify([call(1), call(2)]),
    });
    expect(batched.status).toBe(400);
    expect(batched.body).toContain('tools/call cannot be batched');
    const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });
    const tooLong = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'x-api-key': KEY_A },
      body: JSON.stringify([1, 2, 3, 4, 5].map(ping)),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toContain('at most 4 messages');
  });
});

describe('sessions belong to the caller that opened them', () => {
  it('another key cannot use, stream or delete a session whose id it learned (404), the owner still can', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A, KEY_B] } });
    const id = await openSession(http.url, KEY_A);
    const asB = { ...mcpHeaders, 'x-api-key': KEY_B, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    expect((await raw(`${http.url}/mcp`, { method: 'POST', headers: asB, body: ping })).status).toBe(404);
    expect((await raw(`${http.url}/mcp`, { method: 'DELETE', headers: asB })).status).toBe(404);
    expect(http.handle.sessionCount()).toBe(1);
    const asA = { ...asB, 'x-api-key': KEY_A };
    expect((await raw(`${http.url}/mcp`, { method: 'POST', headers: asA, body: ping })).status).toBe(200);
  });

  it('legacy SSE: another key cannot post messages into a stream', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A, KEY_B] } });
    const sessionId = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${http?.url}/sse`,
        { headers: { 'x-api-key': KEY_A, accept: 'text/event-stream' } },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const m = /sessionId=([\w-]+)/.exec(chunk);
            if (m) resolve(m[1] as string);
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    const post = (key: string) =>
      raw(`${http?.url}/messages?sessionId=${sessionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: initialize(7),
      });
    expect((await post(KEY_B)).status).toBe(404);
    expect((await post(KEY_A)).status).toBe(202);
  });
});

describe('what strangers learn', () => {
  it('/health without a valid key tells status and version only', async () => {
    http = await startHttp(testServer, { settings: { apiKey: [KEY_A] } });
    const stranger = JSON.parse((await raw(`${http.url}/health`)).body);
    expect(stranger).toEqual({ status: 'ok', version: '9.9.9' });
    const wrong = JSON.parse(
      (await raw(`${http.url}/health`, { headers: { 'x-api-key': 'not-the-key-at-all' } })).body,
    );
    expect(wrong).toEqual({ status: 'ok', version: '9.9.9' });
    const owner = JSON.parse((await raw(`${http.url}/health`, { headers: { 'x-api-key': KEY_A } })).body);
    expect(owner).toMatchObject({ readOnly: true, sessions: 0, extra: 'field' });
  });

  it('refuses an API key shorter than 16 characters at startup, without echoing it', async () => {
    const error = await createServer(testServer, { env: { MCP_API_KEY: 'short-key' } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('at least 16 characters');
    expect(error.message).not.toContain('short-key');
  });

  it('parses Host strictly: [::1]evil.com and 127.0.0.1:evil are refused', async () => {
    http = await startHttp(testServer, {});
    for (const host of ['[::1]evil.com', '127.0.0.1:evil', 'localhost:99999', '127.0.0.1 :80']) {
      expect((await raw(`${http.url}/health`, { headers: { host } })).status, host).toBe(403);
    }
    expect((await raw(`${http.url}/health`, { headers: { host: `[::1]:${http.port}` } })).status).toBe(200);
  });

  it('trusts no browser origin unless listed or its own, loopback ones included', async () => {
    http = await startHttp(testServer, {});
    const from = (origin: string) =>
      raw(`${http?.url}/mcp`, { method: 'POST', headers: { ...mcpHeaders, origin }, body: initialize() });
    expect((await from('http://localhost:3000')).status).toBe(403);
    expect((await from('http://127.0.0.1:5173')).status).toBe(403);
    // Its own origin (what Host names) can only be a page the server served, and it serves none.
    expect((await from(`http://127.0.0.1:${http.port}`)).status).toBe(200);
    expect((await from(`http://127.0.0.1:${http.port + 1}`)).status).toBe(403);
    await http.close();
    http = await startHttp(testServer, { settings: { allowedOrigins: ['http://localhost:3000'] } });
    expect((await from('http://localhost:3000')).status).toBe(200);
  });
});

describe('errors of tools that change things', () => {
  it('never say "may be retried": the outcome of a write that failed upstream is unknown', async () => {
    const { connectInMemory } = await import('../src/testing/index.js');
    const conn = await connectInMemory(testServer, { settings: { allowWrite: true } });
    try {
      const read = await callTool(conn.client, 'fail', { kind: 'upstream' });
      expect(read.text).toContain('the call may be retried');
      const write = await callTool(conn.client, 'set_value', { value: 'upstream-fails' });
      expect(write.text).toMatch(/^UPSTREAM_ERROR: The provider failed/);
      expect(write.text).toContain('request id req-write-1');
      expect(write.text).not.toContain('may be retried');
      expect(write.text).toContain('its outcome is unknown: check the current state before calling again');
    } finally {
      await conn.close();
    }
  });
});

describe('malformed calls', () => {
  it('answers tools/call with non-object arguments as invalid params (-32602) in one line', async () => {
    http = await startHttp(testServer, { settings: { stateless: true } });
    for (const args of [[], 'text', null, 5]) {
      const res = await raw(`${http.url}/mcp`, {
        method: 'POST',
        headers: mcpHeaders,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'echo', arguments: args },
        }),
      });
      const data = JSON.parse(/data: (.*)/.exec(res.body)?.[1] ?? '{}');
      expect(data.error, JSON.stringify(args)).toEqual({
        code: -32602,
        message: 'MCP error -32602: tools/call arguments must be a JSON object.',
      });
    }
  });
});

describe('drain', () => {
  it('/health answers 503 shutting_down while in-flight calls drain, and close() reports an aborted drain', async () => {
    http = await startHttp(testServer, { settings: { shutdownTimeoutMs: 300 } });
    const client = await http.connect();
    const pending = callTool(client, 'slow', { ms: 5_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const closing = http.handle.close();
    await new Promise((r) => setTimeout(r, 50));
    const health = await raw(`${http.url}/health`);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body).status).toBe('shutting_down');
    expect(await closing).toBe(false);
    await pending;
    http = undefined;
  });
});

describe('session ids name their replica', () => {
  it('hands out <replica>.<random> ids, the replica from MCP_REPLICA_ID', async () => {
    http = await startHttp(testServer, { env: { MCP_REPLICA_ID: 'replica-b' }, settings: { apiKey: [KEY_A] } });
    const id = await openSession(http.url, KEY_A);
    expect(id).toMatch(/^replica-b\.[0-9a-f-]{36}$/);
    await expect(createServer(testServer, { env: { MCP_REPLICA_ID: 'bad/replica' } })).rejects.toThrow(/replicaId/);
  });
});
