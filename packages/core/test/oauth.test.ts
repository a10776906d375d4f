/**
 * OAuth 2.1 resource-server mode against a real authorization server (oidc-provider on
 * 127.0.0.1): tokens it issues by client credentials for this server's resource, and tokens the
 * test crafts with jose against the same keys to prove each refusal.
 */
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { base64url, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { checkOAuthSettings } from '../src/http/auth.js';
import { ConfigError, createServer, defineServer, defineTool, printableConfig, resolveConfig } from '../src/index.js';
import {
  type ContractAuth,
  callTool,
  createMemoryLogger,
  freePort,
  type HttpTestServer,
  runTransportContract,
  startHttp,
  TEST_ENV,
} from '../src/testing/index.js';
import {
  CLIENTS,
  newSigningKey,
  READ_SCOPE,
  type SigningKey,
  startAuthorizationServer,
  type TestAuthorizationServer,
  WRITE_SCOPE,
} from './fixtures/oauth-provider.js';
import { testServer } from './fixtures/test-server.js';

/** What the write tools saved: a refused call must save nothing. */
const notes: string[] = [];

const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description: 'Returns the caller the server authenticated.',
  access: 'read',
  openWorld: false,
  input: z.object({}),
  output: z.object({ subject: z.string().nullable(), scopes: z.array(z.string()), via: z.string().nullable() }),
  handler: async (_args, ctx) => ({
    subject: ctx.request.principal?.subject ?? null,
    scopes: [...(ctx.request.principal?.scopes ?? [])],
    via: ctx.request.principal?.via ?? null,
  }),
});

const saveNote = defineTool({
  name: 'save_note',
  title: 'Save a note',
  description: 'Saves a note.',
  access: 'write',
  openWorld: false,
  input: z.object({ text: z.string().min(1).max(100).describe('The note') }),
  output: z.object({ saved: z.string() }),
  handler: async ({ text }) => {
    notes.push(text);
    return { saved: text };
  },
});

const dropNotes = defineTool({
  name: 'drop_notes',
  title: 'Drop all notes',
  description: 'Deletes every note.',
  access: 'destructive',
  openWorld: false,
  input: z.object({}),
  output: z.object({ dropped: z.number() }),
  confirm: () => ({ message: 'Deletes every saved note.' }),
  handler: async () => ({ dropped: notes.splice(0).length }),
});

const notesServer = defineServer({
  name: 'notes',
  packageName: '@opsmcp/notes-test',
  version: '1.0.0',
  title: 'Notes (OAuth test)',
  instructions: 'Saves notes.',
  settings: {},
  tools: [whoami, saveNote, dropNotes],
  createContext: () => ({}),
});

const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

let keyA: SigningKey;
let as: TestAuthorizationServer;

// The contract suite's settings and tokens, filled in once the authorization server runs.
const CONTRACT_AUDIENCE = 'https://mcp.contract.example/mcp';
const contractAuth: ContractAuth = {
  settings: {},
  headers: {},
  otherHeaders: {},
  rejectedHeaders: {},
  challenge:
    /^Bearer resource_metadata="https:\/\/mcp\.contract\.example\/\.well-known\/oauth-protected-resource\/mcp"/,
};

beforeAll(async () => {
  keyA = await newSigningKey('key-a');
  as = await startAuthorizationServer([keyA]);
  Object.assign(contractAuth.settings, {
    auth: ['oauth'],
    oauthIssuer: as.issuer,
    oauthAudience: CONTRACT_AUDIENCE,
  });
  contractAuth.headers.authorization = `Bearer ${await as.token('reader', { resource: CONTRACT_AUDIENCE })}`;
  contractAuth.otherHeaders.authorization = `Bearer ${await as.token('other-reader', { resource: CONTRACT_AUDIENCE })}`;
  contractAuth.rejectedHeaders.authorization = `Bearer ${await as.token('reader', { resource: 'https://another.example/mcp' })}`;
});
afterAll(async () => {
  await as?.close();
});

runTransportContract(testServer, { call: { name: 'echo', args: { message: 'contract' } }, auth: contractAuth });

/** A token the authorization server did not issue as such: claims and key chosen by the test. */
async function craft(
  claims: Record<string, unknown>,
  options: { key?: SigningKey; kid?: string; expiresIn?: number } = {},
): Promise<string> {
  const key = options.key ?? keyA;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: READ_SCOPE, client_id: 'reader', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'at+jwt' })
    .setIssuer((claims.iss as string | undefined) ?? as.issuer)
    .setSubject('crafted')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .sign(key.privateKey);
}

function post(url: string, headers: Record<string, string>, body = initialize) {
  return fetch(url, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body });
}

function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  return client.connect(transport).then(() => client);
}

describe('OAuth resource server: one issuer, one audience', () => {
  let http: HttpTestServer;
  let audience: string;
  const memory = createMemoryLogger('info');
  beforeAll(async () => {
    const port = await freePort();
    audience = `http://127.0.0.1:${port}/mcp`;
    http = await startHttp(notesServer, {
      settings: { port, allowWrite: true, auth: ['oauth'], oauthIssuer: as.issuer, oauthAudience: audience },
      logger: memory.log,
    });
  });
  afterAll(async () => {
    await http.close();
  });
  afterEach(() => {
    notes.length = 0;
  });

  it('serves the protected resource metadata at the root and path-suffixed well-known URLs', async () => {
    const expected = {
      resource: audience,
      authorization_servers: [as.issuer],
      scopes_supported: [READ_SCOPE, WRITE_SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: 'Notes (OAuth test)',
    };
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await fetch(`${http.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(expected);
    }
  });

  it('answers 401 without a token, pointing at the metadata, and the pointer resolves', async () => {
    const res = await post(http.handle.mcpUrl, {});
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toBe(
      `Bearer resource_metadata="http://127.0.0.1:${http.port}/.well-known/oauth-protected-resource/mcp"`,
    );
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] as string;
    expect(((await (await fetch(metadataUrl)).json()) as { resource: string }).resource).toBe(audience);
    expect(((await res.json()) as { message: string }).message).toContain(as.issuer);
  });

  it('lets a read token list and call the read tools only; a write call is PERMISSION_DENIED', async () => {
    const token = await as.token('reader', { resource: audience });
    const client = await connect(http.handle.mcpUrl, token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['whoami']);
      const me = await callTool(client, 'whoami');
      expect(me.structured).toEqual({ subject: 'reader', scopes: [READ_SCOPE], via: 'oauth' });
      const write = await callTool(client, 'save_note', { text: 'hi' });
      expect(write.isError).toBe(true);
      expect(write.text).toMatch(/^PERMISSION_DENIED/);
      expect(write.text).toContain(WRITE_SCOPE);
      const destructive = await callTool(client, 'drop_notes', { confirm: true });
      expect(destructive.text).toMatch(/^PERMISSION_DENIED/);
      expect(notes).toEqual([]);
    } finally {
      await client.close();
    }
    // The per-call log names the subject, never the token.
    const calls = memory.lines.filter((l) => l.includes('"tool call"'));
    expect(calls.some((l) => l.includes('"subject":"reader"') && l.includes('"tool":"whoami"'))).toBe(true);
    expect(memory.lines.join('\n')).not.toContain(token);
  });

  it('lets a write token with --allow-write see and call the write tools', async () => {
    const client = await connect(http.handle.mcpUrl, await as.token('writer', { resource: audience }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['drop_notes', 'save_note', 'whoami']);
      const saved = await callTool(client, 'save_note', { text: 'kept' });
      expect(saved.isError, saved.text).toBe(false);
      expect(notes).toEqual(['kept']);
      expect((await callTool(client, 'whoami')).structured).toMatchObject({
        subject: 'writer',
        scopes: [READ_SCOPE, WRITE_SCOPE],
      });
    } finally {
      await client.close();
    }
  });

  it('answers 403 insufficient_scope to a valid token without the read scope', async () => {
    const res = await post(http.handle.mcpUrl, {
      authorization: `Bearer ${await as.token('no-scope', { resource: audience })}`,
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer resource_metadata="[^"]+", error="insufficient_scope", scope="opsmcp:read"/,
    );
  });

  it('binds a session to its subject: another subject using its id gets 404', async () => {
    const reader = `Bearer ${await as.token('reader', { resource: audience })}`;
    const init = await post(http.handle.mcpUrl, { authorization: reader });
    await init.text();
    const id = init.headers.get('mcp-session-id') ?? '';
    expect(id).not.toBe('');
    const ping = async (authorization: string) => {
      const res = await post(
        http.handle.mcpUrl,
        { authorization, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      );
      await res.text();
      return res.status;
    };
    expect(await ping(`Bearer ${await as.token('other-reader', { resource: audience })}`)).toBe(404);
    // The same subject with a fresh token keeps its session.
    expect(await ping(`Bearer ${await as.token('reader', { resource: audience })}`)).toBe(200);
  });

  describe('refuses with 401 invalid_token, never echoing the token', () => {
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      [
        'a token the authorization server issued for another resource',
        () => as.token('writer', { resource: 'https://another.example/mcp' }),
        /issued for another resource/,
      ],
      ['an expired token', () => craft({ aud: audience }, { expiresIn: -120 }), /expired/],
      [
        'a token that is not valid yet',
        () => craft({ aud: audience, nbf: Math.floor(Date.now() / 1000) + 600 }),
        /not valid yet/,
      ],
      ['a token of another issuer', () => craft({ aud: audience, iss: 'http://127.0.0.1:9/other' }), /not issued by/],
      [
        'a token whose payload was changed after signing',
        async () => {
          const [header, , signature] = (await craft({ aud: audience })).split('.');
          const payload = base64url.encode(
            JSON.stringify({
              iss: as.issuer,
              aud: audience,
              sub: 'crafted',
              scope: `${READ_SCOPE} ${WRITE_SCOPE}`,
              exp: Math.floor(Date.now() / 1000) + 600,
            }),
          );
          return `${header}.${payload}.${signature}`;
        },
        /signature does not verify/,
      ],
      [
        'an unsigned token (alg none)',
        async () => {
          const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
          const payload = base64url.encode(
            JSON.stringify({ iss: as.issuer, aud: audience, sub: 'x', scope: READ_SCOPE, exp: 4102444800 }),
          );
          return `${header}.${payload}.`;
        },
        /accepted algorithm|well-formed/,
      ],
      [
        'a token signed HS256 with the public key as the secret',
        async () => {
          const secret = new TextEncoder().encode(JSON.stringify(keyA.publicJwk));
          return new SignJWT({ scope: READ_SCOPE })
            .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
            .setIssuer(as.issuer)
            .setAudience(audience)
            .setSubject('x')
            .setExpirationTime('10m')
            .sign(secret);
        },
        /accepted algorithm/,
      ],
      [
        'a token signed by a key the issuer does not publish',
        async () => craft({ aud: audience }, { key: await newSigningKey('key-stranger') }),
        /no signing key/,
      ],
      ['an opaque token without an introspection endpoint', async () => 'opaque-token-0123456789', /not a JWT/],
    ];
    for (const [title, make, reason] of cases) {
      it(title, async () => {
        const token = await make();
        const res = await post(http.handle.mcpUrl, { authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        const challenge = res.headers.get('www-authenticate') ?? '';
        expect(challenge).toMatch(/^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="/);
        expect(challenge).toMatch(reason);
        const body = await res.text();
        expect(body).toMatch(reason);
        expect(body + challenge).not.toContain(token);
      });
    }
  });
});

describe('OAuth: signing key rotation', () => {
  it('picks up a new key by its kid (after the refetch cooldown), and refuses old tokens once the key is gone', async () => {
    const keyB = await newSigningKey('key-b');
    const rotating = await startAuthorizationServer([keyA]);
    const audience = 'https://mcp.rotation.example/mcp';
    const http = await startHttp(notesServer, {
      settings: { auth: ['oauth'], oauthIssuer: rotating.issuer, oauthAudience: audience },
    });
    const realNow = Date.now.bind(Date);
    let offset = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    const status = async (token: string) => {
      const res = await post(http.handle.mcpUrl, { authorization: `Bearer ${token}` });
      await res.text();
      return res.status;
    };
    const jwksFetches = () => rotating.requests.filter((r) => r === 'GET /jwks').length;
    try {
      const oldToken = await rotating.token('reader', { resource: audience });
      expect(await status(oldToken)).toBe(200);
      expect(jwksFetches()).toBe(1);

      rotating.rotate([keyB, keyA]);
      const newToken = await rotating.token('reader', { resource: audience });
      expect(JSON.parse(Buffer.from(newToken.split('.')[0] as string, 'base64url').toString()).kid).toBe('key-b');
      // Within the cooldown an unknown kid does not refetch (a flood of bad kids cannot hammer the issuer).
      expect(await status(newToken)).toBe(401);
      expect(jwksFetches()).toBe(1);
      offset += 31_000;
      expect(await status(newToken)).toBe(200);
      expect(jwksFetches()).toBe(2);
      expect(await status(oldToken)).toBe(200);

      // The issuer drops the old key: once the cached key set is stale, old tokens are refused.
      rotating.rotate([keyB]);
      offset += 301_000;
      expect(await status(oldToken)).toBe(401);
      expect(await status(newToken)).toBe(200);
    } finally {
      clock.mockRestore();
      await http.close();
      await rotating.close();
    }
  });
});

describe('OAuth: clients', () => {
  it("the MCP SDK client's own OAuth flow (client credentials) obtains a token and connects", async () => {
    const port = await freePort();
    const audience = `http://127.0.0.1:${port}/mcp`;
    const http = await startHttp(notesServer, {
      settings: { port, allowWrite: true, auth: ['oauth'], oauthIssuer: as.issuer, oauthAudience: audience },
    });
    const before = as.requests.length;
    const client = new Client({ name: 'sdk-oauth', version: '1.0.0' });
    const authProvider = new ClientCredentialsProvider({
      clientId: 'writer',
      clientSecret: CLIENTS.writer.secret,
      scope: `${READ_SCOPE} ${WRITE_SCOPE}`,
      expectedIssuer: as.issuer,
    });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(audience), { authProvider }));
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('save_note');
      expect((await callTool(client, 'whoami')).structured).toMatchObject({ subject: 'writer', via: 'oauth' });
      // It found the authorization server through the 401's resource_metadata and asked it for a token.
      expect(as.requests.slice(before)).toContain('POST /token');
      expect(authProvider.tokens()?.access_token).toBeTruthy();
    } finally {
      await client.close();
      await http.close();
    }
  });

  it('validates opaque tokens by introspection, with the audience checked', async () => {
    const audience = 'https://mcp.opaque.example/mcp';
    const http = await startHttp(notesServer, {
      settings: {
        auth: ['oauth'],
        oauthIssuer: as.issuer,
        oauthAudience: audience,
        oauthIntrospectionUrl: `${as.issuer}/token/introspection`,
        oauthClientId: 'mcp-server',
        oauthClientSecret: CLIENTS['mcp-server'].secret,
      },
    });
    try {
      const opaque = await as.token('opaque-client', { resource: audience });
      expect(opaque.split('.').length).not.toBe(3);
      const before = as.requests.filter((r) => r === 'POST /token/introspection').length;
      const client = await connect(http.handle.mcpUrl, opaque);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami']);
      expect((await callTool(client, 'whoami')).structured).toMatchObject({ subject: 'opaque-client', via: 'oauth' });
      await client.close();
      // One introspection for the whole session: answers are cached for a short while.
      expect(as.requests.filter((r) => r === 'POST /token/introspection').length - before).toBe(1);

      const elsewhere = await as.token('opaque-client', { resource: 'https://another.example/mcp' });
      const refused = await post(http.handle.mcpUrl, { authorization: `Bearer ${elsewhere}` });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token".*another resource/);
      const unknown = await post(http.handle.mcpUrl, { authorization: 'Bearer not-a-token-the-issuer-knows' });
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toMatch(/not active/);
    } finally {
      await http.close();
    }
  });

  it("answers 503 when introspection refuses the server's own client credentials", async () => {
    const audience = 'https://mcp.opaque.example/mcp';
    const http = await startHttp(notesServer, {
      settings: {
        auth: ['oauth'],
        oauthIssuer: as.issuer,
        oauthAudience: audience,
        oauthIntrospectionUrl: `${as.issuer}/token/introspection`,
        oauthClientId: 'mcp-server',
        oauthClientSecret: 'a-wrong-secret-0123456789',
      },
    });
    try {
      const res = await post(http.handle.mcpUrl, {
        authorization: `Bearer ${await as.token('opaque-client', { resource: audience })}`,
      });
      expect(res.status).toBe(503);
      expect(await res.text()).not.toContain('a-wrong-secret');
    } finally {
      await http.close();
    }
  });

  it('with --auth api-key,oauth accepts an API key or a token, and challenges with Bearer', async () => {
    const audience = 'https://mcp.both.example/mcp';
    const key = 'script-key-0123456789abcdef';
    const http = await startHttp(notesServer, {
      settings: { auth: ['api-key', 'oauth'], apiKey: [key], oauthIssuer: as.issuer, oauthAudience: audience },
    });
    try {
      const scripted = await http.connect({ headers: { 'x-api-key': key } });
      expect((await callTool(scripted, 'whoami')).structured).toMatchObject({ via: 'api-key' });
      const asBearer = await http.connect({ headers: { authorization: `Bearer ${key}` } });
      expect((await callTool(asBearer, 'whoami')).structured).toMatchObject({ via: 'api-key' });
      const user = await connect(http.handle.mcpUrl, await as.token('reader', { resource: audience }));
      expect((await callTool(user, 'whoami')).structured).toMatchObject({ subject: 'reader', via: 'oauth' });
      await user.close();
      const none = await post(http.handle.mcpUrl, { 'x-api-key': 'wrong-key-0123456789' });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
      expect(((await none.json()) as { message: string }).message).toContain('API key');
    } finally {
      await http.close();
    }
  });

  it('in API-key-only mode answers 401 with an ApiKey challenge and serves no OAuth metadata', async () => {
    const http = await startHttp(notesServer, { settings: { apiKey: ['only-a-key-0123456789'] } });
    try {
      const res = await post(http.handle.mcpUrl, {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('ApiKey realm="opsmcp-notes", header="X-API-Key"');
      expect(((await res.json()) as { message: string }).message).toMatch(
        /needs an API key.*X-API-Key.*does not use OAuth/,
      );
      for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
        expect((await fetch(`${http.url}${path}`)).status).toBe(404);
      }
    } finally {
      await http.close();
    }
  });
});

describe('OAuth settings', () => {
  const http = { transport: 'http', port: 0 };
  const create = (settings: Record<string, unknown>, definition = notesServer) =>
    createServer(definition, { settings, env: TEST_ENV, logger: createMemoryLogger().log });

  it('names what is missing or wrong at startup', async () => {
    await expect(create({ ...http, auth: ['oauth'] })).rejects.toThrow(ConfigError);
    await expect(create({ ...http, auth: ['oauth'] })).rejects.toThrow(
      /MCP_OAUTH_ISSUER.*missing[\s\S]*MCP_OAUTH_AUDIENCE.*missing/,
    );
    const base = {
      ...http,
      auth: ['oauth'],
      oauthIssuer: 'https://idp.example.com',
      oauthAudience: 'https://mcp.example.com/mcp',
    };
    await expect(create({ ...base, oauthIssuer: 'http://idp.example.com' })).rejects.toThrow(/https URL/);
    await expect(create({ ...base, oauthIntrospectionUrl: 'https://idp.example.com/introspect' })).rejects.toThrow(
      /needs MCP_OAUTH_CLIENT_ID[\s\S]*needs MCP_OAUTH_CLIENT_SECRET/,
    );
    await expect(create({ ...base, headerCredentials: true }, testServer)).rejects.toThrow(/Authorization header/);
    await expect(resolveConfig(notesServer, { env: { MCP_AUTH: 'none,oauth' } })).rejects.toThrow(/cannot be combined/);
    // Stdio has no HTTP auth: nothing to check there.
    const stdio = await create({ auth: ['oauth'] });
    await stdio.close();
  });

  it('reads MCP_AUTH as a list and redacts the client secret in --print-config', async () => {
    const config = await resolveConfig(notesServer, {
      env: {
        MCP_AUTH: 'api-key, OAuth',
        MCP_OAUTH_ISSUER: 'https://idp.example.com',
        MCP_OAUTH_CLIENT_SECRET: 'the-introspection-secret',
      },
    });
    expect(config.settings.auth).toEqual(['api-key', 'oauth']);
    const printed = printableConfig(config);
    expect(printed.oauthClientSecret?.value).not.toBe('the-introspection-secret');
    expect(printed.oauthIssuer).toEqual({ value: 'https://idp.example.com', source: 'env:MCP_OAUTH_ISSUER' });
    expect(printed.oauthScopesRead?.value).toBe(READ_SCOPE);
  });

  it('--check reaches the metadata and the signing keys, and says when it cannot', async () => {
    const { log } = createMemoryLogger();
    const good = await checkOAuthSettings(
      {
        ...(await resolveConfig(notesServer)).settings,
        oauthIssuer: as.issuer,
        oauthAudience: 'https://mcp.example.com/mcp',
        oauthIntrospectionUrl: `${as.issuer}/token/introspection`,
        oauthClientId: 'mcp-server',
        oauthClientSecret: CLIENTS['mcp-server'].secret,
      },
      log,
    );
    expect(good.ok, good.lines.join('\n')).toBe(true);
    expect(good.lines.join('\n')).toMatch(/metadata ok[\s\S]*signing keys ok: 1[\s\S]*key-a[\s\S]*introspection ok/);
    const bad = await checkOAuthSettings(
      {
        ...(await resolveConfig(notesServer)).settings,
        oauthIssuer: 'http://127.0.0.1:9',
        oauthAudience: 'https://mcp.example.com/mcp',
      },
      log,
    );
    expect(bad.ok).toBe(false);
    expect(bad.lines.join('\n')).toMatch(/oauth: FAILED: no authorization server metadata for http:\/\/127\.0\.0\.1:9/);
  });

  it("--check prints the OAuth lines before the server's own check, and fails when OAuth does", async () => {
    const { runCli } = await import('../src/index.js');
    const run = async (issuer: string) => {
      const printed: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
      const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await runCli(testServer, {
          argv: [
            '--auth',
            'oauth',
            '--oauth-issuer',
            issuer,
            '--oauth-audience',
            'https://mcp.example.com/mcp',
            '--check',
          ],
          env: { ...TEST_ENV, MCP_LOG_LEVEL: 'error' },
        });
        return { lines: printed.join(''), exitCode: process.exitCode };
      } finally {
        write.mockRestore();
        errors.mockRestore();
        process.exitCode = 0;
      }
    };
    const good = await run(as.issuer);
    expect(good.exitCode).toBe(0);
    expect(good.lines).toMatch(/oauth: issuer .* metadata ok[\s\S]*oauth: signing keys ok[\s\S]*greeting is hello/);
    const bad = await run('http://127.0.0.1:9');
    expect(bad.exitCode).toBe(1);
    expect(bad.lines).toMatch(/oauth: FAILED[\s\S]*greeting is hello/);
  });

  it('lets a non-loopback bind start with OAuth and no API key', async () => {
    const runtime = await create({
      transport: 'http',
      host: '0.0.0.0',
      port: 0,
      auth: ['oauth'],
      oauthIssuer: as.issuer,
      oauthAudience: 'https://mcp.example.com/mcp',
    });
    const { serveHttp } = await import('../src/index.js');
    const handle = await serveHttp(runtime);
    try {
      const res = await fetch(`http://127.0.0.1:${handle.port}/mcp`, {
        method: 'POST',
        headers: mcpHeaders,
        body: initialize,
      });
      expect(res.status).toBe(401);
    } finally {
      await handle.close();
      await runtime.close();
    }
  });
});
