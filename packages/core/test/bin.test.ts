import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { callTool, runTransportContract, spawnBin, TEST_ENV } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

const outDir = join(import.meta.dirname, '.tmp');
const bin = join(outDir, 'test-bin.mjs');

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  // Bundle the test definition with core's source; dependencies stay external and resolve from core.
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures/test-bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bin,
    logLevel: 'silent',
  });
});

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...TEST_ENV, PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdin.end();
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI of a built bin', () => {
  it('--help lists every option, --version prints the version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('opsmcp-test 9.9.9');
    expect(help.stdout).toContain('--allow-write');
    expect(help.stdout).toContain('TEST_GREETING, LEGACY_GREETING');
    expect((await run(['--version'])).stdout.trim()).toBe('9.9.9');
  });

  it('--print-config shows effective settings with secrets redacted', async () => {
    const out = await run(['--print-config', '--greeting', 'hi'], {
      TEST_UPSTREAM_TOKEN: 'tok-secret-value',
      MCP_API_KEY: 'k-secret-0123456789',
    });
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout);
    expect(printed.greeting).toEqual({ value: 'hi', source: 'cli' });
    expect(printed.upstreamToken.value).toBe('[redacted]');
    expect(out.stdout).not.toContain('tok-secret-value');
    expect(out.stdout).not.toContain('k-secret-0123456789');
  });

  it('--check runs the doctor and exits 0 or 1', async () => {
    const ok = await run(['--check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('greeting is hello');
    const broken = await run(['--check', '--greeting', 'broken']);
    expect(broken.code).toBe(1);
  });

  it('fails at startup with the setting, env name and expectation', async () => {
    const bad = await run([], { MCP_PORT: 'abc' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('port (--port, env MCP_PORT)');
    expect(bad.stdout).toBe('');
    const combo = await run(['--header-credentials']);
    expect(combo.code).toBe(1);
    expect(combo.stderr).toContain('header credentials need the HTTP transport');
    const unknownTool = await run(['--tools', 'nope']);
    expect(unknownTool.stderr).toContain('Unknown tool name(s)');
  });

  it('serves a spawned stdio client; logs go to stderr only', async () => {
    const server = await spawnBin(bin, { env: { MCP_LOG_LEVEL: 'info' } });
    try {
      const out = await callTool(server.client, 'echo', { message: 'stdio' });
      expect(out.structured).toEqual({ text: 'hello stdio', repeat: 1 });
      expect(server.stderr()).toContain('"msg":"tool call"');
    } finally {
      await server.close();
    }
  }, 20_000);
});

describe('SIGTERM', () => {
  function startHttpBin(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [bin, '--transport', 'http', '--port', '0', '--shutdown-timeout-ms', '5000'],
        {
          env: { ...TEST_ENV, PATH: process.env.PATH ?? '' },
        },
      );
      let stderr = '';
      child.stderr.on('data', (c) => {
        stderr += c;
        const m = /"url":"(http:\/\/[^"]+)\/mcp"/.exec(stderr);
        if (m) resolve({ child, url: m[1] as string, stderr: () => stderr });
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
  }

  it('lets an in-flight call finish, refuses new work, then exits 0', async () => {
    const { child, url, stderr } = await startHttpBin();
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const inFlight = callTool(client, 'slow', { ms: 800 });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const newWork = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'late', version: '1' } },
      }),
    }).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(['refused', 503]).toContain(newWork);
    const out = await inFlight;
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toEqual({ waited: 800 });
    expect(await exited).toBe(0);
    expect(stderr()).toContain('draining in-flight calls');
  }, 20_000);
});

runTransportContract(testServer, { bin, call: { name: 'echo', args: { message: 'spawned' } } });
