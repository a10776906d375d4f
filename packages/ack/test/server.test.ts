import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ToolTableRow } from '@opsmcp/core/testing';
import {
  callTool,
  connectInMemory,
  expectReadmeCoversServer,
  expectToolTable,
  inspectorCliPath,
  runInspectorCli,
  runTransportContract,
  spawnBin,
  startHttp,
} from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { ackServer, ackTools, createAckServer } from '../src/index.js';
import { PROD_CLUSTER_ID, PROD_DIAGNOSIS_ID, STAGING_CLUSTER_ID, startFake, TEST_KEY } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The cluster tools' intended access; tools other packages parts add are read from their definitions. */
const CLUSTER_TOOLS: ToolTableRow[] = [
  { name: 'list_clusters', access: 'read' },
  { name: 'describe_cluster', access: 'read' },
  { name: 'list_cluster_nodepools', access: 'read' },
  { name: 'list_cluster_nodes', access: 'read' },
  { name: 'list_cluster_tasks', access: 'read' },
  { name: 'describe_task_info', access: 'read' },
  { name: 'get_cluster_diagnosis_result', access: 'read' },
  { name: 'create_cluster_diagnosis', access: 'write', idempotent: false },
  { name: 'diagnose_resource', access: 'write', idempotent: false },
  { name: 'query_inspect_report', access: 'write', idempotent: false },
  { name: 'scale_nodepool', access: 'write', idempotent: false },
  { name: 'remove_nodepool_nodes', access: 'destructive', idempotent: false },
];

describe('tool table', () => {
  it('declares every tool with its access and annotations', async () => {
    const pinned = new Set(CLUSTER_TOOLS.map((row) => row.name));
    const others = ackTools
      .filter((tool) => !pinned.has(tool.name))
      .map((tool) => ({ name: tool.name, access: tool.access, idempotent: tool.idempotent }));
    await expectToolTable(ackServer, [...CLUSTER_TOOLS, ...others]);
  });

  it('puts the id patterns and bounds into the listed input schemas', async () => {
    const conn = await connectInMemory(ackServer, { settings: { allowWrite: true } });
    try {
      const tools = Object.fromEntries((await conn.client.listTools()).tools.map((t) => [t.name, t]));
      const props = (name: string) => tools[name]?.inputSchema.properties as Record<string, Record<string, unknown>>;
      expect(props('describe_cluster').cluster_id).toMatchObject({ pattern: '^c[a-z0-9]{32}$' });
      expect(props('list_cluster_nodepools').nodepool_id).toMatchObject({ pattern: '^np[a-z0-9]{32}$' });
      expect(props('list_clusters').page_size).toMatchObject({ minimum: 1, maximum: 500, default: 10 });
      expect(props('list_cluster_nodes').page_size).toMatchObject({ minimum: 1, maximum: 100 });
      expect(props('scale_nodepool').count).toMatchObject({ minimum: 1, maximum: 500 });
      expect(props('remove_nodepool_nodes').instance_ids).toMatchObject({ minItems: 1, maxItems: 100 });
      expect(props('remove_nodepool_nodes').release_node).toMatchObject({ default: false });
      expect(props('remove_nodepool_nodes').drain_node).toMatchObject({ default: true });
      expect(props('create_cluster_diagnosis').diagnosis_type).toMatchObject({
        enum: ['cluster', 'node', 'pod', 'network', 'ingress', 'memory', 'service'],
      });
      expect(tools.scale_nodepool?.inputSchema.required).toEqual(['cluster_id', 'nodepool_id', 'count']);
    } finally {
      await conn.close();
    }
  });

  it('names every tool, the write tools included, in the instructions', async () => {
    const conn = await connectInMemory(ackServer);
    try {
      const instructions = conn.client.getInstructions() ?? '';
      for (const row of CLUSTER_TOOLS.filter((r) => r.access !== 'read')) expect(instructions).toContain(row.name);
      for (const tool of ackServer.tools) expect(instructions).toContain(tool.name);
    } finally {
      await conn.close();
    }
  });
});

describe('configuration', () => {
  it("keeps the original server's variables: HTTP_PORT, MCP_AUTH_TOKEN, ALLOWED_ORIGINS, REGION_ID, ACCESS_KEY_ID", async () => {
    const runtime = await createAckServer({
      env: {
        HTTP_PORT: '18124',
        MCP_AUTH_TOKEN: 'token-0123456789abcdef',
        ALLOWED_ORIGINS: 'https://ops.example.com',
        REGION_ID: 'cn-shanghai',
        ACCESS_KEY_ID: 'LTAI5tFROMENV',
        ACCESS_KEY_SECRET: 'from-env-secret',
      },
    });
    try {
      expect(runtime.settings).toMatchObject({
        port: 18124,
        region: 'cn-shanghai',
        alibabaAccessKeyId: 'LTAI5tFROMENV',
      });
      expect(JSON.stringify(runtime.settings.apiKey)).toContain('token-0123456789abcdef');
      expect(JSON.stringify(runtime.settings.allowedOrigins)).toContain('https://ops.example.com');
    } finally {
      await runtime.close();
    }
  });

  it('refuses header credentials over stdio and a malformed CS endpoint', async () => {
    await expect(createAckServer({ env: { ACK_CREDENTIAL_SOURCE: 'headers' } })).rejects.toThrow(/stdio/i);
    await expect(createAckServer({ env: { ACK_CS_ENDPOINT: 'ftp://cs.example.com' } })).rejects.toThrow(
      /http or https/,
    );
  });

  it.each([
    ['ACK_SLS_ENDPOINT', 'ftp://sls.example.com', /ACK_SLS_ENDPOINT.*http or https/],
    ['ACK_ARMS_ENDPOINT', 'arms.example.com/api', /ACK_ARMS_ENDPOINT.*not a host/],
    ['ACK_STS_ENDPOINT', 'https://sts.example.com/path', /ACK_STS_ENDPOINT.*without path/],
    ['PROMETHEUS_HTTP_API', 'prometheus:9090', /PROMETHEUS_HTTP_API must be an http\(s\) URL/],
    ['PROMETHEUS_HTTP_API_MAP', 'c0123=http://ok:9090,just-a-url', /PROMETHEUS_HTTP_API_MAP entries must be/],
  ])('refuses a malformed %s at startup, naming it', async (name, value, message) => {
    await expect(createAckServer({ env: { [name]: value } })).rejects.toThrow(message);
  });

  it('a malformed endpoint or Prometheus URL error never repeats the password in it', async () => {
    for (const [name, value] of [
      ['ACK_SLS_ENDPOINT', 'https://user:hunter2-secret@sls.example.com/x'],
      ['PROMETHEUS_HTTP_API', 'http://admin:hunter2-secret@prometheus:9090'],
    ] as const) {
      const error = await createAckServer({ env: { [name]: value } }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain(name);
      expect(error?.message).not.toContain('hunter2-secret');
    }
  });

  it('lists tools without credentials and answers a call with CREDENTIALS_MISSING naming the variables', async () => {
    const conn = await connectInMemory(ackServer, {
      settings: { alibabaAccessKeyId: 'LTAI5tONLYHALF' },
    });
    try {
      expect((await conn.client.listTools()).tools.length).toBeGreaterThan(0);
      const out = await callTool(conn.client, 'list_clusters');
      expect(out.text).toMatch(/^CREDENTIALS_MISSING/);
      expect(out.text).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    } finally {
      await conn.close();
    }
  });
});

describe('sandbox', () => {
  it('serves the simulated clusters through the signed client path and says so', async () => {
    const conn = await connectInMemory(ackServer, { settings: { sandbox: true } });
    try {
      expect(conn.client.getInstructions()).toContain('simulated');
      const out = await callTool(conn.client, 'list_clusters');
      expect(out.isError, out.text).toBe(false);
      expect(out.text).toMatch(/^\[SANDBOX: simulated/);
      expect(out.structured).toMatchObject({ total_count: 2 });
    } finally {
      await conn.close();
    }
  });

  it('never shows the sandbox secret key or a header secret in any read tool result', async () => {
    const ARGS: Record<string, Record<string, unknown>> = {
      list_clusters: { page_size: 500 },
      describe_cluster: { cluster_id: STAGING_CLUSTER_ID },
      list_cluster_nodepools: { cluster_id: PROD_CLUSTER_ID },
      list_cluster_nodes: { cluster_id: PROD_CLUSTER_ID, page_size: 100 },
      list_cluster_tasks: { cluster_id: PROD_CLUSTER_ID },
      describe_task_info: { task_id: 'T-6751d0a1b2c3d40a3c000052' },
      get_cluster_diagnosis_result: { cluster_id: PROD_CLUSTER_ID, diagnosis_id: PROD_DIAGNOSIS_ID },
    };
    const headerSecret = 'header-secret-that-must-not-leak-0001';
    const http = await startHttp(ackServer, { settings: { sandbox: true } });
    try {
      const client = await http.connect({
        headers: { 'x-aliyun-access-key-id': 'LTAI5tHEADERKEY', 'x-aliyun-access-key-secret': headerSecret },
      });
      const health = (await (await fetch(`${http.url}/health`)).json()) as Record<string, unknown>;
      expect(JSON.stringify(health)).not.toContain(headerSecret);
      const readTools = ackTools.filter((t) => t.access === 'read').map((t) => t.name);
      for (const name of Object.keys(ARGS)) expect(readTools).toContain(name);
      const sandboxSecret = String(http.runtime.settings.alibabaAccessKeySecret ?? '');
      expect(sandboxSecret.length).toBeGreaterThan(16);
      for (const name of readTools) {
        const out = await callTool(client, name, ARGS[name] ?? {});
        if (ARGS[name]) expect(out.isError, `${name}: ${out.text}`).toBe(false);
        const everything = JSON.stringify(out.result);
        expect(everything, name).not.toContain(sandboxSecret);
        expect(everything, name).not.toContain(headerSecret);
      }
      await client.close();
    } finally {
      await http.close();
    }
  });
});

runTransportContract(ackServer, {
  settings: { sandbox: true },
  call: { name: 'list_clusters' },
  bin: BIN,
  binArgs: ['--sandbox'],
});

describe('the built bin', () => {
  const env = (fakeUrl: string, secret: string) => ({
    PATH: process.env.PATH ?? '',
    ACK_CS_ENDPOINT: fakeUrl,
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  });

  it('serves a stdio client against the fake CS API with env credentials', async () => {
    const fake = await startFake();
    const spawned = await spawnBin(BIN, { env: env(fake.url, TEST_KEY.accessKeySecret) });
    try {
      const out = await callTool(spawned.client, 'describe_cluster', { cluster_id: PROD_CLUSTER_ID });
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ cluster_id: PROD_CLUSTER_ID, name: 'prod-hz-01' });
      expect(fake.requests.every((r) => r.signature.ok)).toBe(true);
      expect(spawned.stderr()).not.toContain(TEST_KEY.accessKeySecret);
    } finally {
      await spawned.close();
      await fake.stop();
    }
  }, 30_000);

  it('--check calls DescribeClustersV1 with the configured keys and exits 0, or 1 with the reason', async () => {
    const fake = await startFake();
    const run = (secret: string) =>
      promisify(execFile)(process.execPath, [BIN, '--check'], { env: env(fake.url, secret) }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    try {
      const ok = await run(TEST_KEY.accessKeySecret);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toContain('DescribeClustersV1 ok: 2 cluster(s) visible');
      expect(fake.requests.at(-1)?.query).toEqual({ page_number: '1', page_size: '1' });
      const bad = await run('wrong-secret-value');
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('INVALID_CREDENTIALS');
      expect(bad.out).toMatch(/request id [0-9A-F-]{36}/);
      expect(bad.out).not.toContain('wrong-secret-value');
    } finally {
      await fake.stop();
    }
  }, 30_000);

  it('does not load the Alibaba Cloud SDK until the first CS call', async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
      const { createAckServer } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const runtime = await createAckServer({ env: {} });
      const [, serverSide] = InMemoryTransport.createLinkedPair();
      await runtime.connect(serverSide, 'memory');
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@alicloud'));
      process.stdout.write(String(loaded.length));
      await runtime.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(stdout).toBe('0');
  });
});

describe('the built bin under the MCP Inspector CLI', () => {
  const inspect = (args: string[]) => runInspectorCli(BIN, args);
  const readTools = ackTools.filter((tool) => tool.access === 'read').map((tool) => tool.name);

  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCliPath()), 'root devDependency @modelcontextprotocol/inspector').toBe(true);
    expect(existsSync(BIN), `${BIN}: build the package first`).toBe(true);
  });

  it('tools/list over --sandbox lists exactly the read tools, read-only', async () => {
    const listed = (await inspect(['--sandbox', '--method', 'tools/list'])) as {
      tools: Array<{ name: string; annotations?: { readOnlyHint?: boolean } }>;
    };
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual([...readTools].sort());
    for (const tool of listed.tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
  }, 40_000);

  it('tools/call list_clusters answers from the sandbox', async () => {
    const result = (await inspect(['--sandbox', '--method', 'tools/call', '--tool-name', 'list_clusters'])) as {
      isError?: boolean;
      structuredContent?: { clusters: Array<{ cluster_id: string }> };
    };
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent?.clusters.map((c) => c.cluster_id)).toEqual([PROD_CLUSTER_ID, STAGING_CLUSTER_ID]);
  }, 40_000);
});

it('the README documents every tool, flag and env variable', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(() => expectReadmeCoversServer(ackServer, readme)).not.toThrow();
});
