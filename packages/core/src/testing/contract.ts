import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect as connectSocket, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../config.js';
import type { AnyServerDefinition } from '../definition.js';
import { createServer } from '../runtime.js';
import { callTool, connectInMemory, type HttpTestServer, spawnBin, startHttp } from './clients.js';

export interface TransportContractOptions {
  /** Settings every server in the suite gets (e.g. sandbox: true, or a fake endpoint). */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Headers every HTTP client sends (e.g. header credentials). */
  headers?: Record<string, string>;
  /** A cheap read tool and its arguments, called on every transport. */
  call?: { name: string; args?: Record<string, unknown> };
  /** Path of the built bin: adds the stdio-spawn case. */
  bin?: string;
  /** Args for the spawned bin (e.g. ['--sandbox']). */
  binArgs?: string[];
  /** How HTTP callers authenticate in the suite; API keys when not given. */
  auth?: ContractAuth;
}

/** How the contract's HTTP clients authenticate (e.g. OAuth: settings naming the issuer, tokens). */
export interface ContractAuth {
  /** Settings that turn the auth on, e.g. `{ auth: ['oauth'], oauthIssuer, oauthAudience }`. */
  settings: Record<string, unknown>;
  /** Headers of an authorized caller (e.g. `authorization: Bearer <token>`). */
  headers: Record<string, string>;
  /** Headers of a second authorized caller with another identity, for session isolation. */
  otherHeaders: Record<string, string>;
  /** Headers of a refused caller (a wrong key or a bad token). */
  rejectedHeaders: Record<string, string>;
  /** What the 401 answer's WWW-Authenticate must match. */
  challenge: RegExp;
}

const API_KEY = 'contract-test-key-0123456789';
const OTHER_API_KEY = 'contract-other-key-0123456789';

/** API keys, as servers use by default: a 401 names the key header, not an OAuth scheme. */
const API_KEY_AUTH: ContractAuth = {
  settings: { apiKey: [API_KEY, OTHER_API_KEY] },
  headers: { 'x-api-key': API_KEY },
  otherHeaders: { 'x-api-key': OTHER_API_KEY },
  rejectedHeaders: { 'x-api-key': 'wrong-key' },
  challenge: /^ApiKey realm="[^"]+", header="X-API-Key"$/,
};

/**
 * The transport contract every server package runs: each transport (stdio spawned, Streamable
 * HTTP stateful and stateless, legacy SSE) initializes, lists the tools and calls one; HTTP
 * rejects bad API keys, foreign Host and Origin headers and oversized bodies; /health answers;
 * sessions are isolated.
 */
export function runTransportContract(definition: AnyServerDefinition, options: TransportContractOptions = {}): void {
  const settings = options.settings ?? {};
  const headers = options.headers ?? {};
  const auth = options.auth ?? API_KEY_AUTH;
  const expectedTools = definition.tools.filter((t) => t.access === 'read').length;

  async function listAndCall(client: import('@modelcontextprotocol/sdk/client/index.js').Client) {
    const { tools } = await client.listTools();
    expect(tools.length).toBe(expectedTools);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.outputSchema?.type).toBe('object');
    }
    if (options.call) {
      const outcome = await callTool(client, options.call.name, options.call.args ?? {});
      expect(outcome.isError, outcome.text).toBe(false);
      expect(outcome.structured).toBeTypeOf('object');
    }
  }

  describe(`transport contract: ${definition.name}`, () => {
    it('in memory: initializes with instructions and lists the read tools', async () => {
      const conn = await connectInMemory(definition, { settings, ...(options.env ? { env: options.env } : {}) });
      try {
        expect(conn.client.getServerVersion()?.name).toBe(`opsmcp-${definition.name}`);
        // Read-only servers name their hidden write tools and the switch that shows them.
        if (definition.tools.some((t) => t.access !== 'read')) {
          expect(conn.client.getInstructions()).toContain('--allow-write');
        }
        await listAndCall(conn.client);
      } finally {
        await conn.close();
      }
    });

    if (options.bin) {
      const bin = options.bin;
      it('stdio: the built bin serves a spawned client, logs only to stderr', async () => {
        const spawned = await spawnBin(bin, {
          args: options.binArgs ?? [],
          ...(options.env ? { env: options.env } : {}),
        });
        try {
          await listAndCall(spawned.client);
          // The built bin lists the schemas the build wrote; they must be what the sources derive.
          const built = (await spawned.client.listTools()).tools;
          const fromSources = await connectInMemory(definition, {
            settings,
            ...(options.env ? { env: options.env } : {}),
          });
          try {
            const derived = new Map((await fromSources.client.listTools()).tools.map((t) => [t.name, t]));
            for (const tool of built) {
              expect(tool.inputSchema, tool.name).toEqual(derived.get(tool.name)?.inputSchema);
              expect(tool.outputSchema, tool.name).toEqual(derived.get(tool.name)?.outputSchema);
            }
          } finally {
            await fromSources.close();
          }
        } finally {
          await spawned.close();
        }
      }, 30_000);
    }

    for (const mode of ['stateful', 'stateless'] as const) {
      describe(`http ${mode}`, () => {
        let http: HttpTestServer;
        beforeAll(async () => {
          http = await startHttp(definition, {
            settings: { ...settings, ...auth.settings, stateless: mode === 'stateless' },
            ...(options.env ? { env: options.env } : {}),
          });
        });
        afterAll(async () => {
          await http.close();
        });

        it('serves /mcp to an authorized client', async () => {
          const client = await http.connect({ headers: { ...headers, ...auth.headers } });
          await listAndCall(client);
          await client.close();
        });

        it('answers /health: status and version to anyone, the rest only to an authorized caller', async () => {
          const stranger = await fetch(`${http.url}/health`);
          expect(stranger.status).toBe(200);
          expect(await stranger.json()).toEqual({ status: 'ok', version: definition.version });
          const res = await fetch(`${http.url}/health`, { headers: auth.headers });
          expect(res.status).toBe(200);
          const body = (await res.json()) as Record<string, unknown>;
          expect(body).toMatchObject({
            status: 'ok',
            service: `opsmcp-${definition.name}`,
            version: definition.version,
            readOnly: true,
            tools: expectedTools,
          });
          expect(body.uptime).toBeTypeOf('number');
          expect(String(body.transport)).toContain('http');
        });

        it('rejects missing or wrong credentials with 401 and WWW-Authenticate', async () => {
          for (const presented of [{}, auth.rejectedHeaders]) {
            const res = await fetch(`${http.url}/mcp`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                ...presented,
              },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
            });
            expect(res.status).toBe(401);
            expect(res.headers.get('www-authenticate')).toMatch(auth.challenge);
          }
        });

        it('rejects a foreign Host or Origin with 403 (DNS rebinding)', async () => {
          const { request } = await import('node:http');
          const status = (extra: Record<string, string>) =>
            new Promise<number>((resolve, reject) => {
              const req = request(
                `${http.url}/mcp`,
                { method: 'POST', headers: { 'content-type': 'application/json', ...auth.headers, ...extra } },
                (res) => {
                  res.resume();
                  resolve(res.statusCode ?? 0);
                },
              );
              req.on('error', reject);
              req.end('{}');
            });
          expect(await status({ host: 'attacker.example' })).toBe(403);
          expect(await status({ origin: 'http://attacker.example' })).toBe(403);
          // Strict Host parsing, and no origin trusted for being local.
          expect(await status({ host: '[::1]evil.example' })).toBe(403);
          expect(await status({ host: '127.0.0.1:evil' })).toBe(403);
          expect(await status({ origin: 'http://localhost:3000' })).toBe(403);
        });

        it('refuses batched tool calls and non-object arguments, running nothing', async () => {
          const post = (body: unknown) =>
            fetch(`${http.url}/mcp`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                ...auth.headers,
              },
              body: JSON.stringify(body),
            });
          const call = (id: number) => ({
            jsonrpc: '2.0',
            id,
            method: 'tools/call',
            params: { name: 'x', arguments: {} },
          });
          const batch = await post([call(1), call(2)]);
          expect(batch.status).toBe(400);
          expect(await batch.text()).toContain('tools/call cannot be batched');
          if (mode === 'stateless') {
            const bad = await post({
              jsonrpc: '2.0',
              id: 3,
              method: 'tools/call',
              params: { name: 'x', arguments: [] },
            });
            expect(await bad.text()).toContain('"code":-32602');
          }
        });

        it('rejects an oversized body with 413', async () => {
          const res = await fetch(`${http.url}/mcp`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth.headers },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(2_000_000) } }),
          });
          expect(res.status).toBe(413);
        });

        if (mode === 'stateful') {
          it("answers 404 to another caller that uses a session's id", async () => {
            const other = await startHttp(definition, {
              settings: { ...settings, ...auth.settings },
              ...(options.env ? { env: options.env } : {}),
            });
            try {
              const init = await fetch(`${other.url}/mcp`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  accept: 'application/json, text/event-stream',
                  ...auth.headers,
                  ...headers,
                },
                body: JSON.stringify({
                  jsonrpc: '2.0',
                  id: 1,
                  method: 'initialize',
                  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
                }),
              });
              await init.text();
              const id = init.headers.get('mcp-session-id') ?? '';
              expect(id).not.toBe('');
              const ping = (caller: Record<string, string>) =>
                fetch(`${other.url}/mcp`, {
                  method: 'POST',
                  headers: {
                    'content-type': 'application/json',
                    accept: 'application/json, text/event-stream',
                    ...caller,
                    'mcp-session-id': id,
                    'mcp-protocol-version': '2025-06-18',
                    ...headers,
                  },
                  body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
                }).then(async (r) => {
                  await r.text();
                  return r.status;
                });
              expect(await ping(auth.otherHeaders)).toBe(404);
              expect(await ping(auth.headers)).toBe(200);
            } finally {
              await other.close();
            }
          });

          it('keeps sessions apart and forgets closed ones', async () => {
            const a = await http.connect({ headers: { ...headers, ...auth.headers } });
            const b = await http.connect({ headers: { ...headers, ...auth.headers } });
            const before = http.handle.sessionCount();
            await a.close();
            await listAndCall(b);
            const res = await fetch(`${http.url}/mcp`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                ...auth.headers,
                'mcp-session-id': 'no-such-session',
              },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
            });
            expect(res.status).toBe(404);
            await b.close();
            expect(before).toBeGreaterThanOrEqual(2);
          });

          it('serves the legacy SSE transport at /sse', async () => {
            const client = await http.connect({ sse: true, headers: { ...headers, ...auth.headers } });
            await listAndCall(client);
            await client.close();
          });
        }
      });
    }

    describe('limits and startup checks', () => {
      const initialize = (key: string) =>
        fetch(`${limited.url}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'x-api-key': key,
            ...headers,
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'quota', version: '1' } },
          }),
        }).then(async (r) => {
          await r.text();
          return r.status;
        });
      let limited: HttpTestServer;
      beforeAll(async () => {
        limited = await startHttp(definition, {
          settings: {
            ...settings,
            apiKey: [API_KEY, OTHER_API_KEY],
            maxSessionsPerCaller: 2,
            idleConnectionTimeoutMs: 300,
            headersTimeoutMs: 400,
          },
          ...(options.env ? { env: options.env } : {}),
        });
      });
      afterAll(async () => {
        await limited.close();
      });

      it('closes connections that send no complete request, and still serves', async () => {
        const sockets = await Promise.all(
          Array.from(
            { length: 20 },
            () =>
              new Promise<Socket>((resolve, reject) => {
                const socket = connectSocket(limited.port, '127.0.0.1', () => resolve(socket));
                socket.on('error', reject);
              }),
          ),
        );
        sockets[0]?.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        await Promise.all(
          sockets.map(
            (s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve()))),
          ),
        );
        expect((await fetch(`${limited.url}/health`)).status).toBe(200);
      });

      it('bounds the sessions one caller may open; another caller still opens one', async () => {
        expect(await initialize(API_KEY)).toBe(200);
        expect(await initialize(API_KEY)).toBe(200);
        expect(await initialize(API_KEY)).toBe(429);
        expect(await initialize(OTHER_API_KEY)).toBe(200);
      });

      it('refuses an API key shorter than 16 characters, and never echoes a value in a config error', async () => {
        await expect(createServer(definition, { env: { MCP_API_KEY: 'short-key' } })).rejects.toBeInstanceOf(
          ConfigError,
        );
        const secretLike = 'hunter2-correct-horse-battery';
        const error = await resolveConfig(definition, { env: { MCP_PORT: secretLike } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain('MCP_PORT');
        expect((error as Error).message).not.toContain(secretLike);
      });

      if (options.bin) {
        const bin = options.bin;
        it('the built bin reads YAML and JSON config files', async () => {
          const dir = mkdtempSync(join(tmpdir(), 'opsmcp-contract-config-'));
          writeFileSync(join(dir, 'c.yaml'), 'log-level: warn\ntool-timeout-ms: 45000\n');
          writeFileSync(join(dir, 'c.json'), JSON.stringify({ MCP_LOG_LEVEL: 'error', toolTimeoutMs: 46000 }));
          for (const [file, level, timeout] of [
            ['c.yaml', 'warn', 45000],
            ['c.json', 'error', 46000],
          ] as const) {
            const { stdout } = await promisify(execFile)(
              process.execPath,
              [bin, '--config', join(dir, file), '--print-config'],
              { env: { PATH: process.env.PATH ?? '', ...(options.env ?? {}) } },
            );
            const printed = JSON.parse(stdout) as Record<string, { value: unknown; source: string }>;
            expect(printed.logLevel, file).toEqual({ value: level, source: 'file' });
            expect(printed.toolTimeoutMs, file).toEqual({ value: timeout, source: 'file' });
          }
        }, 30_000);
      }
    });
  });
}
