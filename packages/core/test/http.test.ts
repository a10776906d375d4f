import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createServer, serveHttp } from '../src/index.js';
import { callTool, type HttpTestServer, runTransportContract, startHttp, TEST_ENV } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

runTransportContract(testServer, { call: { name: 'echo', args: { message: 'contract' } } });

let http: HttpTestServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

/** A raw request, so tests control every header (fetch would add Origin-less defaults). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('HTTP security', () => {
  it('answers CORS preflight and responses only for allowed origins', async () => {
    http = await startHttp(testServer, { settings: { allowedOrigins: ['https://console.example'] } });
    const ok = await raw(`${http.url}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://console.example', 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
    expect(String(ok.headers['access-control-allow-headers'])).toContain('mcp-session-id');
    expect(String(ok.headers['access-control-expose-headers'])).toContain('mcp-session-id');
    const other = await raw(`${http.url}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const noOrigin = await raw(`${http.url}/health`, {});
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts listed hosts besides loopback names, and rejects others', async () => {
    http = await startHttp(testServer, { settings: { allowedHosts: ['mcp.internal.example'] } });
    expect((await raw(`${http.url}/health`, { headers: { host: 'mcp.internal.example' } })).status).toBe(200);
    expect((await raw(`${http.url}/health`, { headers: { host: `localhost:${http.port}` } })).status).toBe(200);
    expect((await raw(`${http.url}/health`, { headers: { host: 'rebind.attacker.example' } })).status).toBe(403);
  });

  it('accepts the API key as Bearer too, and compares every configured key', async () => {
    http = await startHttp(testServer, { settings: { apiKey: ['first-key-aaaaaaaaaa', 'second-key-bbbbbbbbb'] } });
    const client = await http.connect({ headers: { authorization: 'Bearer second-key-bbbbbbbbb' } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const bad = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: 'Bearer third' },
      body: initialize,
    });
    expect(bad.status).toBe(401);
    // Not a Bearer challenge: OAuth clients would look for an authorization server there is not.
    expect(bad.headers['www-authenticate']).toBe('ApiKey realm="opsmcp-test", header="X-API-Key"');
    expect(JSON.parse(bad.body).message).toMatch(/needs an API key: send it in X-API-Key/);
    const metadata = await raw(`${http.url}/.well-known/oauth-protected-resource`, {});
    expect(metadata.status).toBe(404);
    // Where OAuth clients go next, they learn what to send instead.
    for (const path of ['/.well-known/oauth-authorization-server', '/register', '/.well-known/openid-configuration']) {
      const answer = await raw(`${http.url}${path}`, { method: path === '/register' ? 'POST' : 'GET' });
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body).message, path).toMatch(/does not use OAuth: send its API key in the X-API-Key/);
    }
  });

  it('reads the API key only from X-API-Key when Authorization carries Volcengine credentials', async () => {
    http = await startHttp(testServer, { settings: { apiKey: ['the-api-key-1234'], headerCredentials: true } });
    const asBearer = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: 'Bearer the-api-key-1234' },
      body: initialize,
    });
    expect(asBearer.status).toBe(401);
    expect(JSON.parse(asBearer.body).message).toContain('X-API-Key');
    const creds = Buffer.from(JSON.stringify({ AccessKeyId: 'AKVOLC', SecretAccessKey: 'SKVOLC' })).toString('base64');
    const client = await http.connect({
      headers: { 'x-api-key': 'the-api-key-1234', authorization: `Bearer ${creds}` },
    });
    // Two providers in one server: the request brought only Volcengine credentials.
    expect((await callTool(client, 'whoami', {})).structured).toMatchObject({
      volcengineAccessKeyId: 'AKVOLC',
      accessKeyId: null,
    });
  });

  it('refuses a non-loopback bind without an API key unless --allow-unauthenticated', async () => {
    const open = await createServer(testServer, { settings: { host: '0.0.0.0', port: 0 }, env: TEST_ENV });
    await expect(serveHttp(open)).rejects.toThrow(ConfigError);
    await expect(serveHttp(open)).rejects.toThrow(/Refusing to listen on 0.0.0.0 without an API key/);
    await open.close();
    const allowed = await createServer(testServer, {
      settings: { host: '0.0.0.0', port: 0, allowUnauthenticated: true },
      env: TEST_ENV,
    });
    const handle = await serveHttp(allowed);
    expect(handle.port).toBeGreaterThan(0);
    const health = await raw(`http://127.0.0.1:${handle.port}/health`, {});
    expect(health.status).toBe(200);
    await handle.close();
    await allowed.close();
  });

  it('answers 400 to a non-initialize request without a session, and a parse error for bad JSON', async () => {
    http = await startHttp(testServer);
    const noSession = await raw(`${http.url}/mcp`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    const badJson = await raw(`${http.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: '{not json' });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error.code).toBe(-32700);
  });

  it('caps open sessions with 503', async () => {
    http = await startHttp(testServer, { settings: { maxSessions: 2 } });
    await http.connect();
    await http.connect();
    const third = await raw(`${http.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: initialize });
    expect(third.status).toBe(503);
  });

  it('closes a session on DELETE and evicts idle ones', async () => {
    http = await startHttp(testServer, { settings: { sessionIdleMs: 1000 } });
    const server = http;
    const ping = (sessionId: string) =>
      raw(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...mcpHeaders, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
      });
    const open = async () => {
      const res = await raw(`${server.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: initialize });
      expect(res.status).toBe(200);
      return String(res.headers['mcp-session-id']);
    };

    const deleted = await open();
    expect(http.handle.sessionCount()).toBe(1);
    const del = await raw(`${http.url}/mcp`, {
      method: 'DELETE',
      headers: { 'mcp-session-id': deleted, 'mcp-protocol-version': '2025-06-18' },
    });
    expect(del.status).toBe(200);
    expect(http.handle.sessionCount()).toBe(0);
    expect((await ping(deleted)).status).toBe(404);

    const idle = await open();
    expect((await ping(idle)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2600));
    expect(http.handle.sessionCount()).toBe(0);
    expect((await ping(idle)).status).toBe(404);
  });

  it('reports extra health fields from the server', async () => {
    http = await startHttp(testServer, { settings: { stateless: true } });
    const health = JSON.parse((await raw(`${http.url}/health`, {})).body);
    expect(health).toMatchObject({ status: 'ok', transport: 'http-stateless', extra: 'field', readOnly: true });
  });
});

describe('header credentials', () => {
  it('refuses a call without credentials with CREDENTIALS_MISSING and no fallback', async () => {
    http = await startHttp(testServer, { settings: { headerCredentials: true } });
    const client = await http.connect();
    const out = await callTool(client, 'whoami', {});
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^CREDENTIALS_MISSING: .*carried none/);
    expect(out.text).toContain('X-Aliyun-Access-Key-Id');
  });

  for (const mode of ['stateful', 'stateless'] as const) {
    it(`50 concurrent ${mode} sessions with distinct credentials each see only their own`, async () => {
      http = await startHttp(testServer, { settings: { headerCredentials: true, stateless: mode === 'stateless' } });
      const server = http;
      const clients = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          server.connect({
            headers: {
              'x-aliyun-access-key-id': `AK-${i}`,
              'x-aliyun-access-key-secret': `SK-${i}`,
              'x-tenant-id': `tenant-${i}`,
            },
          }),
        ),
      );
      const results = await Promise.all(
        clients.flatMap((client, i) =>
          [0, 1, 2].map(async (round) => {
            const out = await callTool(client, 'whoami', { delayMs: (i * 7 + round * 13) % 25 });
            return { i, out };
          }),
        ),
      );
      for (const { i, out } of results) {
        expect(out.isError, out.text).toBe(false);
        expect(out.structured).toMatchObject({
          accessKeyId: `AK-${i}`,
          tenantId: `tenant-${i}`,
          contextAccessKeyId: `AK-${i}`,
        });
      }
      if (mode === 'stateful') {
        const sessions = new Set(results.map((r) => (r.out.structured as { sessionId: string }).sessionId));
        expect(sessions.size).toBe(50);
      }
    }, 60_000);
  }
});
