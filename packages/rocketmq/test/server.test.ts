import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  callTool,
  connectInMemory,
  expectToolTable,
  runTransportContract,
  spawnBin,
  startHttp,
} from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRocketMQServer, rocketmqServer, rocketmqTools } from '../src/index.js';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { INSTANCE_4X, settingsFor, startFake } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
// Derived from the definitions: adding a tool changes no count here (the tool table states each one).
const READ_TOOLS = rocketmqTools.filter((tool) => tool.access === 'read').map((tool) => tool.name);
const WRITE_TOOLS = rocketmqTools.filter((tool) => tool.access !== 'read').map((tool) => tool.name);

describe('tool table', () => {
  it('declares every tool with its access and annotations', async () => {
    await expectToolTable(rocketmqServer, [
      { name: 'InspectionOverview', access: 'read' },
      { name: 'DescribeRegions', access: 'read' },
      { name: 'DescribeAvailabilityZones', access: 'read' },
      { name: 'DescribeInstances', access: 'read' },
      { name: 'DescribeInstanceDetail', access: 'read' },
      { name: 'DescribeTopics', access: 'read' },
      { name: 'DescribeGroups', access: 'read' },
      { name: 'GetInspectConfig', access: 'read' },
      { name: 'GetInstanceInspectResult', access: 'read' },
      { name: 'EnableInstanceInspect', access: 'write', idempotent: true },
      { name: 'ManualProcessResult', access: 'write', idempotent: true },
      { name: 'ManualTriggerInspect', access: 'write', idempotent: false },
    ]);
  });

  it('hides the write tools by default and names them in the instructions', async () => {
    const closed = await connectInMemory(rocketmqServer);
    try {
      const names = (await closed.client.listTools()).tools.map((t) => t.name);
      expect(WRITE_TOOLS.length).toBeGreaterThan(0);
      expect(names.sort()).toEqual([...READ_TOOLS].sort());
      for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
      const instructions = closed.client.getInstructions() ?? '';
      for (const name of WRITE_TOOLS) expect(instructions).toContain(name);
      const refused = await callTool(closed.client, 'EnableInstanceInspect', { InstanceId: INSTANCE_4X, Enable: true });
      expect(refused.isError).toBe(true);
    } finally {
      await closed.close();
    }
    const open = await connectInMemory(rocketmqServer, { settings: { allowWrite: true } });
    try {
      const names = (await open.client.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    } finally {
      await open.close();
    }
  });

  it('gives every tool parameter its constraints in the input schema', async () => {
    const conn = await connectInMemory(rocketmqServer, { settings: { allowWrite: true } });
    try {
      const tools = Object.fromEntries((await conn.client.listTools()).tools.map((t) => [t.name, t]));
      const props = (name: string) => tools[name]?.inputSchema.properties as Record<string, Record<string, unknown>>;
      expect(props('GetInspectConfig').PageSize).toMatchObject({ minimum: 1, maximum: 100 });
      expect(props('GetInstanceInspectResult').SortOrder).toMatchObject({ enum: ['ASC', 'DESC'] });
      expect(props('ManualTriggerInspect').Type).toMatchObject({ enum: ['cluster', 'topic', 'group'] });
      expect(tools.ManualTriggerInspect?.inputSchema.required).toEqual(['InstanceId', 'Type', 'InspectName']);
      expect(tools.EnableInstanceInspect?.inputSchema.required).toEqual(['InstanceId', 'Enable']);
    } finally {
      await conn.close();
    }
  });
});

describe('configuration', () => {
  it('lists tools without credentials and names the variables at call time', async () => {
    const conn = await connectInMemory(rocketmqServer, { settings: { credentialFile: '/nonexistent/credential' } });
    try {
      expect((await conn.client.listTools()).tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS].sort());
      const out = await callTool(conn.client, 'DescribeRegions');
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/^CREDENTIALS_MISSING/);
      expect(out.text).toContain('VOLCENGINE_ACCESS_KEY');
      expect(out.text).toContain('VOLCENGINE_SECRET_KEY');
    } finally {
      await conn.close();
    }
  });

  it("maps MCP_SERVER_AUTH=oauth to core's OAuth mode, which names what it is missing", async () => {
    const http = { MCP_SERVER_MODE: 'http', MCP_SERVER_AUTH: 'oauth' };
    await expect(createRocketMQServer({ env: http })).rejects.toThrow(/MCP_OAUTH_ISSUER.*missing/s);
    // Token mode puts Volcengine keys in Authorization, where OAuth tokens would go.
    await expect(
      createRocketMQServer({
        env: {
          ...http,
          MCP_OAUTH_ISSUER: 'https://idp.example.com',
          MCP_OAUTH_AUDIENCE: 'https://mcp.example.com/mcp',
          VOLCENGINE_CREDENTIAL_TYPE: 'token',
        },
      }),
    ).rejects.toThrow(/Authorization header/);
    const runtime = await createRocketMQServer({
      env: { ...http, MCP_OAUTH_ISSUER: 'https://idp.example.com', MCP_OAUTH_AUDIENCE: 'https://mcp.example.com/mcp' },
    });
    try {
      expect(runtime.settings.auth).toEqual(['api-key', 'oauth']);
    } finally {
      await runtime.close();
    }
  });

  it('refuses token credentials over stdio and a bad endpoint', async () => {
    await expect(createRocketMQServer({ env: { VOLCENGINE_CREDENTIAL_TYPE: 'token' } })).rejects.toThrow(/stdio/);
    await expect(createRocketMQServer({ env: { VOLCENGINE_ENDPOINT: 'ftp://x' } })).rejects.toThrow(/http or https/);
  });

  it("keeps the seed's variables: MCP_SERVER_MODE and MCP_SERVER_PORT", async () => {
    for (const mode of ['StreamableHTTP', 'streamable-http', 'SSE']) {
      const runtime = await createRocketMQServer({
        env: { MCP_SERVER_MODE: mode, MCP_SERVER_PORT: '18123', VOLCENGINE_CREDENTIAL_TYPE: 'token' },
      });
      try {
        expect(runtime.settings).toMatchObject({ port: 18123, credentialType: 'token' });
        expect(['http', 'sse']).toContain(runtime.settings.transport);
      } finally {
        await runtime.close();
      }
    }
  });

  it('signs with VOLCENGINE_REGION by default and with the RegionId argument when given', async () => {
    const fake = await startFake();
    const conn = await connectInMemory(rocketmqServer, {
      settings: settingsFor(fake),
      env: { VOLCENGINE_REGION: 'cn-guangzhou' },
    });
    try {
      await callTool(conn.client, 'DescribeInstances');
      await callTool(conn.client, 'DescribeInstanceDetail', { InstanceId: INSTANCE_4X, RegionId: 'cn-beijing' });
      expect(fake.requests.map((r) => r.region)).toEqual(['cn-guangzhou', 'cn-beijing']);
    } finally {
      await conn.close();
      await fake.stop();
    }
  });
});

describe('sandbox', () => {
  it('serves simulated data through the signed client path and says so', async () => {
    const conn = await connectInMemory(rocketmqServer, { settings: { sandbox: true, allowWrite: true } });
    try {
      expect(conn.client.getInstructions()).toContain('simulated');
      const out = await callTool(conn.client, 'InspectionOverview');
      expect(out.isError, out.text).toBe(false);
      expect(out.text).toMatch(/^\[SANDBOX: simulated/);
      expect(out.structured).toMatchObject({ InstanceCount: 3 });
      const write = await callTool(conn.client, 'EnableInstanceInspect', { InstanceId: INSTANCE_4X, Enable: false });
      expect(write.isError, write.text).toBe(false);
    } finally {
      await conn.close();
    }
  });
});

describe('token mode over HTTP', () => {
  let fake: FakeVolcengine;
  let http: Awaited<ReturnType<typeof startHttp>>;
  const SESSIONS = 20;
  const keyOf = (i: number) => ({
    accessKeyId: `AKLTSESSION${String(i).padStart(4, '0')}`,
    secretAccessKey: `session-secret-${i}-${'x'.repeat(20)}`,
    sessionToken: `STS-session-${i}`,
  });
  const bearer = (i: number) => {
    const k = keyOf(i);
    const json = JSON.stringify({
      AccessKeyId: k.accessKeyId,
      SecretAccessKey: k.secretAccessKey,
      SessionToken: k.sessionToken,
    });
    return `Bearer ${Buffer.from(json).toString('base64')}`;
  };

  beforeAll(async () => {
    fake = await startFake({ keys: Array.from({ length: SESSIONS }, (_, i) => keyOf(i)) });
    http = await startHttp(rocketmqServer, {
      settings: {
        endpoint: fake.url,
        credentialType: 'token',
        // Server keys that must never be used in token mode.
        accessKey: 'AKLTSERVERKEY',
        secretKey: 'server-secret',
      },
    });
  });
  afterAll(async () => {
    await http.close();
    await fake.stop();
  });

  it('signs each upstream request with its own session keys, 20 sessions at once', async () => {
    const clients = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) => http.connect({ headers: { authorization: bearer(i) } })),
    );
    const outcomes = await Promise.all(
      clients.map((client, i) =>
        callTool(client, 'DescribeInstanceDetail', { InstanceId: INSTANCE_4X }).then((out) => ({ i, out })),
      ),
    );
    for (const { out } of outcomes) expect(out.isError, out.text).toBe(false);
    expect(fake.requests).toHaveLength(SESSIONS);
    for (const request of fake.requests) {
      expect(request.signature.ok, request.signature.reason).toBe(true);
      const i = Number(request.accessKeyId?.slice(-4));
      expect(request.headers['x-security-token']).toBe(`STS-session-${i}`);
    }
    expect(new Set(fake.requests.map((r) => r.accessKeyId)).size).toBe(SESSIONS);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('answers a tool call without credentials with CREDENTIALS_MISSING, sending nothing upstream', async () => {
    const before = fake.requests.length;
    const client = await http.connect();
    try {
      const text = await callTool(client, 'DescribeRegions').then(
        (out) => (out.isError ? out.text : 'no error'),
        (error: Error) => error.message,
      );
      expect(text).toContain('CREDENTIALS_MISSING');
      expect(text).toContain('Authorization: Bearer base64');
      expect(fake.requests.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

runTransportContract(rocketmqServer, {
  settings: { sandbox: true },
  call: { name: 'DescribeRegions' },
  bin: BIN,
  binArgs: ['--sandbox'],
});

describe('the built bin', () => {
  it('serves a stdio client against the fake endpoint with env credentials', async () => {
    const fake = await startFake();
    const spawned = await spawnBin(BIN, {
      env: {
        VOLCENGINE_ENDPOINT: fake.url,
        VOLCENGINE_ACCESS_KEY: 'AKLTTESTROCKETMQ0000000001',
        VOLCENGINE_SECRET_KEY: 'TestSecretKeyForTheFakeEndpoint0000000000==',
        VOLCENGINE_CREDENTIAL_FILE: '/nonexistent/credential',
        MCP_SERVER_MODE: 'stdio',
      },
    });
    try {
      const out = await callTool(spawned.client, 'GetInstanceInspectResult', {
        InstanceId: INSTANCE_4X,
        SortOrder: 'DESC',
      });
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ InstanceId: INSTANCE_4X, Total: 3 });
      expect(fake.requests[0]?.signature.ok).toBe(true);
      expect(spawned.stderr()).not.toContain('TestSecretKeyForTheFakeEndpoint');
    } finally {
      await spawned.close();
      await fake.stop();
    }
  }, 30_000);

  it('--check calls DescribeRegions with the configured keys and exits 0, or 1 with the reason', async () => {
    const fake = await startFake();
    const run = (secret: string) =>
      promisify(execFile)(process.execPath, [BIN, '--check'], {
        env: {
          PATH: process.env.PATH ?? '',
          VOLCENGINE_ENDPOINT: fake.url,
          VOLCENGINE_ACCESS_KEY: 'AKLTTESTROCKETMQ0000000001',
          VOLCENGINE_SECRET_KEY: secret,
          VOLCENGINE_CREDENTIAL_FILE: '/nonexistent/credential',
        },
      }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    try {
      const ok = await run('TestSecretKeyForTheFakeEndpoint0000000000==');
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toContain('DescribeRegions ok');
      const bad = await run('wrong-secret');
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('INVALID_CREDENTIALS');
      expect(bad.out).not.toContain('wrong-secret');
    } finally {
      await fake.stop();
    }
  }, 30_000);

  it('does not load @volcengine/openapi until the first API call', async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
      const { createRocketMQServer } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const runtime = await createRocketMQServer({ env: {} });
      const [, serverSide] = InMemoryTransport.createLinkedPair();
      await runtime.connect(serverSide, 'memory');
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@volcengine'));
      process.stdout.write(String(loaded.length));
      await runtime.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(stdout).toBe('0');
  });
});

describe('config files in the built bin', () => {
  it('reads a YAML and a JSON config file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'opsmcp-rocketmq-config-'));
    writeFileSync(join(dir, 'c.yaml'), 'region: cn-shanghai\nmax-retries: 1\n');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ VOLCENGINE_REGION: 'cn-guangzhou', maxRetries: 3 }));
    for (const [file, region, retries] of [
      ['c.yaml', 'cn-shanghai', 1],
      ['c.json', 'cn-guangzhou', 3],
    ] as const) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [BIN, '--config', join(dir, file), '--print-config'],
        {
          env: { PATH: process.env.PATH ?? '' },
        },
      );
      const printed = JSON.parse(stdout);
      expect(printed.region, file).toEqual({ value: region, source: 'file' });
      expect(printed.maxRetries, file).toEqual({ value: retries, source: 'file' });
    }
  });
});
