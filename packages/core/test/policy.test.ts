import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  alibabaProvider,
  ConfigError,
  createServer,
  defineServer,
  defineTool,
  helpText,
  volcengineProvider,
} from '../src/index.js';
import {
  callTool,
  connectInMemory,
  createMemoryLogger,
  type InMemoryConnection,
  TEST_ENV,
} from '../src/testing/index.js';
import { deleted, testServer } from './fixtures/test-server.js';

let conn: InMemoryConnection | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

async function connect(options: Parameters<typeof connectInMemory>[1] = {}) {
  conn = await connectInMemory(testServer, options);
  return conn;
}

describe('confirmation policy', () => {
  it('asks through elicitation with the plan, its details and warnings, and runs on accept', async () => {
    const asked: string[] = [];
    const { client } = await connect({
      settings: { allowWrite: true },
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const out = await callTool(client, 'delete_thing', { name: 'db-1' });
    expect(asked).toEqual([
      'Delete db-1.\n- name: db-1\n- reversible: false\nWarning: Deleted things cannot be restored.',
    ]);
    expect(out.structured).toEqual({ deleted: 'db-1' });
    expect(deleted).toContain('db-1');
  });

  it.each([
    ['decline', { action: 'decline' as const }, /declined/],
    ['cancel', { action: 'cancel' as const }, /cancelled/],
    ['accept without confirm', { action: 'accept' as const, content: { confirm: false } }, /did not confirm/],
  ])('never executes when the user answers %s, even with confirmation arguments', async (_label, answer, said) => {
    const { client } = await connect({ settings: { allowWrite: true }, onElicit: () => answer });
    const before = deleted.length;
    const out = await callTool(client, 'delete_thing', { name: 'db-2', confirm: true });
    expect(out.text).toMatch(/^CONFIRMATION_FAILED:/);
    expect(out.text).toMatch(said);
    expect(deleted.length).toBe(before);
  });

  it('never executes when the elicitation itself fails', async () => {
    const { client } = await connect({
      settings: { allowWrite: true },
      onElicit: () => {
        throw new Error('the client window was closed');
      },
    });
    const before = deleted.length;
    const out = await callTool(client, 'delete_thing', { name: 'db-2b' });
    expect(out.text).toMatch(/^CONFIRMATION_FAILED: Asking the user for confirmation failed/);
    expect(deleted.length).toBe(before);
  });

  it('lists the confirmation fields only to clients that cannot ask their user', async () => {
    const plain = await connectInMemory(testServer, { settings: { allowWrite: true } });
    const asking = await connectInMemory(testServer, {
      settings: { allowWrite: true },
      onElicit: () => ({ action: 'decline' }),
    });
    try {
      const plainTools = (await plain.client.listTools()).tools;
      const askingTools = (await asking.client.listTools()).tools;
      const props = (tools: typeof plainTools, name: string) =>
        Object.keys(tools.find((t) => t.name === name)?.inputSchema.properties ?? {});
      expect(props(plainTools, 'delete_thing')).toEqual(['name', 'confirm']);
      expect(props(plainTools, 'purge_thing')).toEqual(['name', 'confirm_name']);
      expect(props(askingTools, 'delete_thing')).toEqual(['name']);
      expect(props(plainTools, 'set_value')).toEqual(['value']);
      expect(props(plainTools, 'echo')).toEqual(['message', 'repeat']);
    } finally {
      await plain.close();
      await asking.close();
    }
  });

  it('without elicitation answers CONFIRMATION_REQUIRED with the plan, then runs with confirm=true', async () => {
    const { client } = await connect({ settings: { allowWrite: true } });
    const before = deleted.length;
    const refused = await callTool(client, 'delete_thing', { name: 'db-3' });
    expect(refused.text).toMatch(/^CONFIRMATION_REQUIRED: Delete db-3\.\n- name: db-3/);
    expect(refused.text).toContain('Warning: Deleted things cannot be restored.');
    expect(refused.text).toContain('call again with confirm=true');
    const notTrue = await callTool(client, 'delete_thing', { name: 'db-3', confirm: false });
    expect(notTrue.text).toMatch(/^CONFIRMATION_REQUIRED/);
    const malformed = await callTool(client, 'delete_thing', { name: 'db-3', confirm: 'yes' });
    expect(malformed.text).toMatch(/^CONFIRMATION_FAILED: The confirmation fields are malformed: confirm/);
    expect(deleted.length).toBe(before);
    const ok = await callTool(client, 'delete_thing', { name: 'db-3', confirm: true });
    expect(ok.structured).toEqual({ deleted: 'db-3' });
  });

  it("checks a tool's stricter confirmation fields, with a reason per wrong field", async () => {
    const { client } = await connect({ settings: { allowWrite: true } });
    const before = deleted.length;
    const missing = await callTool(client, 'purge_thing', { name: 'vm-7' });
    expect(missing.text).toMatch(/^CONFIRMATION_REQUIRED: Purge vm-7\./);
    expect(missing.text).toContain('confirm_name="vm-7"');
    // core's standard field does not confirm a tool that asks for more
    const standard = await callTool(client, 'purge_thing', { name: 'vm-7', confirm: true });
    expect(standard.text).toMatch(/^CONFIRMATION_REQUIRED/);
    const wrong = await callTool(client, 'purge_thing', { name: 'vm-7', confirm_name: 'vm-8' });
    expect(wrong.text).toMatch(
      /^CONFIRMATION_FAILED: The confirmation does not match: confirm_name "vm-8" is not the name/,
    );
    expect(deleted.length).toBe(before);
    const ok = await callTool(client, 'purge_thing', { name: 'vm-7', confirm_name: ' vm-7 ' });
    expect(ok.structured).toEqual({ purged: 'vm-7' });
  });

  it('MCP_CONFIRM adds confirmation to write tools by word or by name', async () => {
    for (const rule of ['write', 'set_value']) {
      const c = await connectInMemory(testServer, { settings: { allowWrite: true }, env: { MCP_CONFIRM: rule } });
      try {
        const refused = await callTool(c.client, 'set_value', { value: 'x' });
        expect(refused.text).toMatch(/^CONFIRMATION_REQUIRED: Run set_value \(Set value\) with \{"value":"x"\}\./);
        expect((await callTool(c.client, 'set_value', { value: 'x', confirm: true })).structured).toEqual({
          value: 'x',
        });
      } finally {
        await c.close();
      }
    }
  });

  it('an unknown MCP_CONFIRM rule is a startup error', async () => {
    await expect(createServer(testServer, { env: { MCP_CONFIRM: 'write,delete_everything' } })).rejects.toThrow(
      /Unknown confirmation rule\(s\) in --confirm \(MCP_CONFIRM\): delete_everything/,
    );
  });

  it('with --confirm-elicitation-only no argument confirms: only a person answering can', async () => {
    const { client } = await connect({ settings: { allowWrite: true, confirmElicitationOnly: true } });
    const { tools } = await client.listTools();
    expect(Object.keys(tools.find((t) => t.name === 'delete_thing')?.inputSchema.properties ?? {})).toEqual(['name']);
    const before = deleted.length;
    const out = await callTool(client, 'delete_thing', { name: 'db-4', confirm: true });
    expect(out.text).toMatch(/^CONFIRMATION_REQUIRED: Delete db-4\./);
    expect(out.text).toContain('does not support elicitation');
    expect(deleted.length).toBe(before);
  });

  it('a destructive tool without confirm() fails at startup', async () => {
    const bare = defineTool({
      name: 'drop_all',
      title: 'Drop all',
      description: 'Drops everything.',
      access: 'destructive',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      handler: async () => ({ ok: true }),
    });
    const broken = defineServer({ ...testServer, tools: [...testServer.tools, bare] });
    await expect(createServer(broken, {})).rejects.toThrow(/destructive tool drop_all declares no confirm\(\)/);
  });
});

describe('output redaction', () => {
  it("masks the server's secret settings, the call's credentials and the tool's own redaction in text and structure", async () => {
    const secret = 'sk-live-0123456789abcdef';
    const token = 'upstream-token-ABCDEFGH';
    const { client } = await connect({
      settings: { upstreamToken: token, alibabaAccessKeyId: 'LTAIexample', alibabaAccessKeySecret: secret },
    });
    const out = await callTool(client, 'leak', {});
    expect(out.isError).toBe(false);
    const everything = JSON.stringify(out.result);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('hunter22');
    expect(out.structured).toEqual({ token: '[redacted]', secret: '[redacted]', note: 'password=*** rest' });
    expect(out.text).toBe('token=[redacted] secret=[redacted] note=password=*** rest');
  });

  it('masks secrets in error results too', async () => {
    const token = 'upstream-token-IJKLMNOP';
    const { client } = await connect({ settings: { upstreamToken: token } });
    const out = await callTool(client, 'echo', { message: token });
    expect(out.isError).toBe(false);
    expect(out.text).not.toContain(token);
  });
});

describe('credential providers', () => {
  it("env mode reads each provider's own settings, including the seeds' aliases", async () => {
    const { client } = await connect({
      env: { ACCESS_KEY_ID: 'LTAI-alias', ACCESS_SECRET_KEY: 'alias-secret-123', VOLCENGINE_ACCESS_KEY: 'AKLT-v' },
      settings: { secretKey: 'volc-secret-123' },
    });
    const out = await callTool(client, 'whoami', {});
    expect(out.structured).toMatchObject({ accessKeyId: 'LTAI-alias', volcengineAccessKeyId: 'AKLT-v' });
  });

  it('half a key pair is CREDENTIALS_MISSING naming the missing variable; none means the default chain', async () => {
    await expect(alibabaProvider.fromEnv({ alibabaAccessKeyId: 'LTAI-half' })).rejects.toThrow(
      /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/,
    );
    expect(await alibabaProvider.fromEnv({})).toEqual({ kind: 'default_chain' });
    await expect(volcengineProvider.fromEnv({ secretKey: 'half-secret' })).rejects.toThrow(
      /VOLCENGINE_ACCESS_KEY is not set/,
    );
  });

  it('per-request mode is refused over stdio at startup', async () => {
    await expect(
      createServer(testServer, { settings: { headerCredentials: true, transport: 'stdio' } }),
    ).rejects.toThrow(ConfigError);
  });

  it('a provider whose settings the server did not spread in is a startup error', async () => {
    const { alibabaAccessKeySecret: _, ...partial } = testServer.settings;
    const broken = defineServer({ ...testServer, settings: partial });
    await expect(createServer(broken, {})).rejects.toThrow(
      /alibaba credential provider's settings \(alibabaAccessKeySecret\)/,
    );
  });
});

describe('runtime cache and lifecycle', () => {
  it('creates one value per key, shares it, and closes everything on close()', async () => {
    const closed: string[] = [];
    let created = 0;
    const runtime = await createServer(testServer, {});
    const make = () => runtime.cache.get('k', () => ({ n: ++created }), { close: (v) => void closed.push(`k${v.n}`) });
    const [a, b] = await Promise.all([make(), make()]);
    expect(a).toBe(b);
    expect(created).toBe(1);
    await runtime.close();
    expect(closed).toEqual(['k1']);
    await expect(runtime.cache.get('k', () => 1)).rejects.toThrow(/shutting down/);
  });

  it('expires values by their ttl and closes the expired one', async () => {
    const runtime = await createServer(testServer, {});
    const closed: number[] = [];
    let n = 0;
    const get = () =>
      runtime.cache.get('t', () => ++n, { ttlMs: (v) => (v === 1 ? 0 : 60_000), close: (v) => void closed.push(v) });
    expect(await get()).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    await runtime.close();
    expect(closed).toEqual([1, 2]);
  });

  it('does not cache a failed creation', async () => {
    const runtime = await createServer(testServer, {});
    let calls = 0;
    const get = () =>
      runtime.cache.get('f', () => {
        calls++;
        if (calls === 1) throw new Error('first try fails');
        return 'ok';
      });
    await expect(get()).rejects.toThrow('first try fails');
    expect(await get()).toBe('ok');
    await runtime.close();
  });

  it('calls the definition dispose() once, however often close() is called', async () => {
    let disposed = 0;
    const server = defineServer({ ...testServer, dispose: async () => void disposed++ });
    const runtime = await createServer(server, {});
    await Promise.all([runtime.close(), runtime.close()]);
    expect(disposed).toBe(1);
  });
});

describe('embedding API', () => {
  it('rejects an unknown settings key instead of ignoring it', async () => {
    await expect(createServer(testServer, { settings: { sandbx: true } as never })).rejects.toThrow(
      /Unknown setting\(s\) "sandbx"/,
    );
  });

  it('reads no environment unless given one', async () => {
    process.env.TEST_GREETING = 'from-process-env';
    try {
      const implicit = await createServer(testServer, {});
      expect(implicit.settings.greeting).toBe('hello');
      await implicit.close();
      const explicit = await createServer(testServer, { env: process.env });
      expect(explicit.settings.greeting).toBe('from-process-env');
      await explicit.close();
    } finally {
      delete process.env.TEST_GREETING;
    }
  });
});

describe('cancellation', () => {
  it('logs a client-cancelled call as cancelled with code CANCELLED', async () => {
    const { log, lines } = createMemoryLogger('info');
    const { client } = await connect({ logger: log, env: TEST_ENV });
    const controller = new AbortController();
    const pending = callTool(client, 'slow', { ms: 5_000 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'tool call' && l.tool === 'slow');
    expect(line).toMatchObject({ status: 'cancelled', error_code: 'CANCELLED' });
  });
});

describe('toolsets', () => {
  const grouped = defineServer({
    ...testServer,
    toolsets: { basic: 'Echo and friends', admin: 'Things that change' },
    tools: testServer.tools.map((t) => ({ ...t, toolset: t.access === 'read' ? 'basic' : 'admin' })),
  });

  it('--toolsets exposes only the named groups, and --help lists them', async () => {
    const c = await connectInMemory(grouped, { settings: { allowWrite: true }, env: { MCP_TOOLSETS: 'admin' } });
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      const admin = grouped.tools.filter((t) => t.toolset === 'admin').map((t) => t.name);
      expect(admin.length).toBeGreaterThan(0);
      expect(names.sort()).toEqual(admin.sort());
    } finally {
      await c.close();
    }
    expect(helpText(grouped)).toMatch(
      /Toolsets \(--toolsets\):\n {2}basic +Echo and friends\n {2}admin +Things that change/,
    );
    expect(helpText(grouped)).toContain('env: MCP_TOOLSETS');
  });

  it('an unknown toolset is a startup error, and so is a tool in none', async () => {
    await expect(createServer(grouped, { settings: { toolsets: ['nope'] } })).rejects.toThrow(
      /Unknown toolset\(s\) in --toolsets \(MCP_TOOLSETS\): nope. Known toolsets: basic, admin/,
    );
    const echo = testServer.tools.find((t) => t.name === 'echo');
    if (!echo) throw new Error('fixture lost echo');
    const stray = defineServer({
      ...grouped,
      tools: [...grouped.tools, { ...echo, name: 'stray', toolset: undefined }],
    });
    await expect(createServer(stray, {})).rejects.toThrow(/tool stray names no toolset/);
  });
});

describe('per-tool timeout', () => {
  it('a tool that declares timeoutMs gets it instead of MCP_TOOL_TIMEOUT_MS', async () => {
    const slowTool = testServer.tools.find((t) => t.name === 'slow');
    if (!slowTool) throw new Error('fixture lost slow');
    const patient = defineServer({
      ...testServer,
      tools: [...testServer.tools.filter((t) => t !== slowTool), { ...slowTool, timeoutMs: () => 2_000 }],
    });
    const c = await connectInMemory(patient, { settings: { toolTimeoutMs: 100 } });
    try {
      const out = await callTool(c.client, 'slow', { ms: 300 });
      expect(out.isError, out.text).toBe(false);
      const echo = await connectInMemory(testServer, { settings: { toolTimeoutMs: 100 } });
      try {
        const cut = await callTool(echo.client, 'slow', { ms: 300 });
        expect(cut.text).toMatch(/^TIMEOUT: slow did not finish within 100 ms/);
      } finally {
        await echo.close();
      }
    } finally {
      await c.close();
    }
  });
});

describe('--check', () => {
  it("runs the doctor with a tool call's context and scrubs the secrets it met from its lines", async () => {
    const token = 'upstream-token-QRSTUVWX';
    const secret = 'check-secret-0123456789';
    const server = defineServer({
      ...testServer,
      check: async (_settings, _log, ctx) => {
        const c = await ctx.credentials<{ kind: string; accessKeySecret?: string }>('alibaba');
        const cached = await ctx.cache('probe', () => 'made once');
        return { ok: true, lines: [`token ${token}`, `secret ${c.accessKeySecret}`, cached] };
      },
    });
    const runtime = await createServer(server, {
      settings: { upstreamToken: token, alibabaAccessKeyId: 'LTAIcheck', alibabaAccessKeySecret: secret },
    });
    try {
      expect(await runtime.runCheck()).toEqual({
        ok: true,
        lines: ['token [redacted]', 'secret [redacted]', 'made once'],
      });
    } finally {
      await runtime.close();
    }
  });
});
