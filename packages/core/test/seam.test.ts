import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/index.js';
import {
  callTool,
  connectInMemory,
  createMemoryLogger,
  expectToolTable,
  type InMemoryConnection,
} from '../src/testing/index.js';
import { deleted, slowSignals, testServer } from './fixtures/test-server.js';

let conn: InMemoryConnection | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

async function connect(options: Parameters<typeof connectInMemory>[1] = {}) {
  conn = await connectInMemory(testServer, options);
  return conn;
}

describe('tool seam', () => {
  it('derives the four annotations from access and gates write tools', async () => {
    await expectToolTable(testServer, [
      { name: 'echo', access: 'read' },
      { name: 'slow', access: 'read' },
      { name: 'whoami', access: 'read' },
      { name: 'leak', access: 'read' },
      { name: 'steps', access: 'read' },
      { name: 'fail', access: 'read' },
      { name: 'set_value', access: 'write', idempotent: true },
      { name: 'delete_thing', access: 'destructive' },
      { name: 'purge_thing', access: 'destructive' },
    ]);
    const { client } = await connect({ settings: { allowWrite: true } });
    const { tools } = await client.listTools();
    const del = tools.find((t) => t.name === 'delete_thing');
    expect(del?.annotations).toEqual({
      title: 'Delete thing',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tools.find((t) => t.name === 'set_value')?.annotations?.idempotentHint).toBe(true);
  });

  it('a tool table that disagrees with the tools fails', async () => {
    await expect(expectToolTable(testServer, [{ name: 'echo', access: 'write' }])).rejects.toThrow(
      /access read, table says write/,
    );
  });

  it('lists input constraints and output schema in JSON Schema', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'echo');
    expect(echo?.inputSchema).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string', minLength: 1, maxLength: 200 }, repeat: { minimum: 1, maximum: 5 } },
      required: ['message'],
    });
    expect(echo?.outputSchema).toMatchObject({ type: 'object', required: ['text', 'repeat'] });
  });

  it('returns structuredContent and the same JSON as text', async () => {
    const { client } = await connect();
    const out = await callTool(client, 'echo', { message: 'world', repeat: 2 });
    expect(out.isError).toBe(false);
    expect(out.structured).toEqual({ text: 'hello world hello world', repeat: 2 });
    expect(JSON.parse(out.text)).toEqual(out.structured);
  });

  it('refuses bad input with INVALID_ARGUMENT naming the field, without running the handler', async () => {
    const { client } = await connect({ settings: { allowWrite: true } });
    const before = deleted.length;
    const out = await callTool(client, 'delete_thing', { name: '', confirm: true });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^INVALID_ARGUMENT: Invalid arguments for delete_thing: name:/);
    expect(out.structured).toBeUndefined();
    expect(deleted.length).toBe(before);
    const tooBig = await callTool(client, 'echo', { message: 'x', repeat: 9 });
    expect(tooBig.text).toMatch(/INVALID_ARGUMENT.*repeat/);
  });

  it('maps OpsError to CODE: message with upstream facts and hint, never structuredContent', async () => {
    const { client } = await connect();
    const nf = await callTool(client, 'fail', { kind: 'not_found' });
    expect(nf.isError).toBe(true);
    expect(nf.text).toBe('RESOURCE_NOT_FOUND: Instance rmq-123 does not exist.\nHint: List instances first.');
    expect(nf.result.structuredContent).toBeUndefined();
    const up = await callTool(client, 'fail', { kind: 'upstream' });
    expect(up.text).toContain('UPSTREAM_ERROR: The provider failed.');
    expect(up.text).toContain('Upstream: code InternalError, HTTP 500, request id req-abc-123');
    expect(up.text).toContain('may be retried');
  });

  it('turns an unexpected exception into a generic INTERNAL and logs the detail', async () => {
    const memory = createMemoryLogger();
    const { client } = await connect({ logger: memory.log });
    const out = await callTool(client, 'fail', { kind: 'unexpected' });
    expect(out.text).toMatch(/^INTERNAL: fail failed unexpectedly\./);
    expect(out.text).not.toContain('hunter2');
    expect(out.text).not.toMatch(/at .*\.ts:\d+/);
    expect(memory.lines.some((l) => l.includes('hunter2') && l.includes('"level":"error"'))).toBe(true);
  });

  it('rejects output that does not match the output schema', async () => {
    const { client } = await connect();
    const out = await callTool(client, 'fail', { kind: 'bad_output' });
    expect(out.text).toMatch(/^INTERNAL: fail produced a result that does not match its output schema/);
  });

  it('logs one metrics line per call', async () => {
    const memory = createMemoryLogger('info');
    const { client } = await connect({ logger: memory.log });
    await callTool(client, 'echo', { message: 'a' });
    await callTool(client, 'fail', { kind: 'not_found' });
    const metrics = memory.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'tool call');
    expect(metrics).toHaveLength(2);
    expect(metrics[0]).toMatchObject({ tool: 'echo', status: 'ok' });
    expect(metrics[0].duration_ms).toBeTypeOf('number');
    expect(metrics[1]).toMatchObject({ tool: 'fail', status: 'error', error_code: 'RESOURCE_NOT_FOUND' });
  });
});

describe('write gating and filters', () => {
  // Derived from the definitions, so adding a tool to the test server changes no list here.
  const readToolNames = testServer.tools.filter((t) => t.access === 'read').map((t) => t.name);
  const writeToolNames = testServer.tools.filter((t) => t.access !== 'read').map((t) => t.name);

  it('hides write tools by default, names them in the instructions, and refuses them with WRITE_DISABLED', async () => {
    const { client } = await connect();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(writeToolNames.length).toBeGreaterThan(0);
    expect(names.sort()).toEqual([...readToolNames].sort());
    const instructions = client.getInstructions() ?? '';
    expect(instructions).toContain(writeToolNames.join(', '));
    expect(instructions).toContain('--allow-write');
    const out = await callTool(client, 'set_value', { value: 'x' });
    expect(out.text).toMatch(/^WRITE_DISABLED:/);
  });

  it('exposes write tools with allowWrite', async () => {
    const { client } = await connect({ settings: { allowWrite: true } });
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.sort()).toEqual([...readToolNames, ...writeToolNames].sort());
    expect((await callTool(client, 'set_value', { value: 'x' })).structured).toEqual({ value: 'x' });
  });

  it('applies --tools and --disable-tools', async () => {
    const only = await connectInMemory(testServer, { argv: ['--tools', 'echo,slow'] });
    expect((await only.client.listTools()).tools.map((t) => t.name)).toEqual(['echo', 'slow']);
    await only.close();
    const without = await connectInMemory(testServer, { env: { MCP_DISABLE_TOOLS: 'echo' } });
    expect((await without.client.listTools()).tools.map((t) => t.name)).not.toContain('echo');
    await expect(callTool(without.client, 'echo', { message: 'a' })).rejects.toThrow(/Unknown tool: echo/);
    await without.close();
  });

  it('refuses an unknown tool name in the filters at startup', async () => {
    await expect(connectInMemory(testServer, { argv: ['--tools', 'echo,nope'] })).rejects.toThrow(ConfigError);
    await expect(connectInMemory(testServer, { argv: ['--disable-tools', 'nope'] })).rejects.toThrow(
      /Unknown tool name\(s\).*nope/,
    );
  });
});

describe('timeouts, cancellation and progress', () => {
  it('fails a call past MCP_TOOL_TIMEOUT_MS with TIMEOUT and aborts the handler', async () => {
    const { client } = await connect({ env: { MCP_TOOL_TIMEOUT_MS: '200' } });
    const started = Date.now();
    const out = await callTool(client, 'slow', { ms: 5000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.text).toMatch(/^TIMEOUT: slow did not finish within 200 ms/);
    expect(slowSignals.at(-1)?.aborted).toBe(true);
  });

  it('passes the client cancellation to the handler', async () => {
    const { client } = await connect();
    const controller = new AbortController();
    const pending = callTool(client, 'slow', { ms: 10_000 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    const signal = slowSignals.at(-1);
    expect(signal?.aborted).toBe(false);
    controller.abort('user pressed stop');
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(signal?.aborted).toBe(true);
  });

  it('sends progress notifications when the request carries a progress token', async () => {
    const { client } = await connect();
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const out = await callTool(client, 'steps', { count: 3 }, { onprogress: (p) => seen.push(p) });
    expect(out.structured).toEqual({ done: 3 });
    expect(seen).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('sends no progress without a token', async () => {
    const { client } = await connect();
    expect((await callTool(client, 'steps', { count: 2 })).structured).toEqual({ done: 2 });
  });
});

describe('sandbox', () => {
  it('says in the instructions and every result, text and structured, that the data is simulated', async () => {
    const { client } = await connect({ settings: { sandbox: true } });
    expect(client.getInstructions()).toContain('SANDBOX: simulated test data');
    const out = await callTool(client, 'echo', { message: 'x' });
    expect(out.text.split('\n')[0]).toBe('[SANDBOX: simulated test data]');
    // Clients that pass only structured content to the model still tell it.
    expect(out.structured).toEqual({
      text: 'simulated hello x',
      repeat: 1,
      sandbox_notice: 'SANDBOX: simulated test data',
    });
    expect(out.result._meta).toEqual({ 'opsmcp/sandbox': true });
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'echo');
    expect(echo?.outputSchema?.properties).toHaveProperty('sandbox_notice');
  });

  it('adds no notice outside the sandbox', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'echo')?.outputSchema?.properties).not.toHaveProperty('sandbox_notice');
  });
});
