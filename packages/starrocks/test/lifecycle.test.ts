import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@opsmcp/core';
import { describe, expect, it } from 'vitest';
import { createStarRocksServer } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// An embedding application: it creates the server from the built package, calls a tool that
// opens the connection pool, closes the runtime and then does nothing more. It must exit by
// itself: a pool socket or timer left behind would keep it alive.
const EMBEDDING_SCRIPT = `
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createStarRocksServer } from '@opsmcp/starrocks';

const runtime = await createStarRocksServer({ settings: { sandbox: true, logLevel: 'error' } });
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
const server = await runtime.connect(serverSide);
const client = new Client({ name: 'embedder', version: '1.0.0' });
await client.connect(clientSide);
const result = await client.callTool({ name: 'get_disk_usage', arguments: {} });
await client.close();
await server.close();
await runtime.close();
// When the event loop has nothing left, say what it held; a socket left open would keep it alive.
process.once('beforeExit', () => {
  const handles = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
  process.stdout.write(JSON.stringify({ isError: result.isError === true, handles }) + '\\n');
});
`;

describe('lifecycle', () => {
  it('an embedding process exits by itself after runtime.close(), with no socket left open', async () => {
    const script = `${packageDir}/.embedding-check.mjs`;
    writeFileSync(script, EMBEDDING_SCRIPT);
    const child = spawn(process.execPath, [script], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, `did not exit by itself within 15 s; stderr: ${stderr}`).toBe(0);
    const report = JSON.parse(stdout.trim()) as { isError: boolean; handles: string[] };
    expect(report.isError).toBe(false);
    expect(report.handles.filter((h) => /TCP|Socket|Timeout/i.test(h))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('a malformed STARROCKS_URL stops startup with a ConfigError that does not quote it', async () => {
    const url = 'mysql//diag:s3cret-pass@fe:9030';
    const error = await createStarRocksServer({ env: { STARROCKS_URL: url } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('STARROCKS_URL');
    expect(error.message).not.toContain('s3cret-pass');
  });
});
