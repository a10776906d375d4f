import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTool, freePort, TEST_ENV } from '../src/testing/index.js';

// Replicas of a built server behind a real nginx, configured with the files users deploy
// (deploy/nginx/*.conf), only the ports changed.

const ROOT = join(import.meta.dirname, '../../..');
const outDir = join(import.meta.dirname, '.tmp');
const bin = join(outDir, 'scale-bin.mjs');
const children: ChildProcess[] = [];

function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: these tests need a real load balancer (.ci/run installs Debian nginx).');
  }
}

interface Replica {
  id: string;
  port: number;
  stderr: () => string;
}

function startReplica(id: string, extraArgs: string[]): Promise<Replica> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--transport', 'http', '--port', '0', ...extraArgs], {
      env: { ...TEST_ENV, PATH: process.env.PATH ?? '', MCP_REPLICA_ID: id, MCP_LOG_LEVEL: 'info' },
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
      const m = /"url":"http:\/\/127\.0\.0\.1:(\d+)\/mcp"/.exec(stderr);
      if (m) resolve({ id, port: Number(m[1]), stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`replica ${id} exited (${code}): ${stderr}`)));
  });
}

/** Starts nginx with a deploy/nginx config whose ports are mapped to the running replicas. */
async function startNginx(configFile: string, ports: Record<string, number>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'opsmcp-nginx-'));
  let site = readFileSync(join(ROOT, 'deploy/nginx', configFile), 'utf8');
  const listen = await freePort();
  for (const [from, to] of Object.entries(ports)) site = site.split(from).join(`127.0.0.1:${to}`);
  site = site.replace(/listen \d+;/, `listen 127.0.0.1:${listen};`);
  const conf = [
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    site,
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(nginxBinary(), ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stderr.on('data', (c) => {
    output += c;
  });
  // Ready when it answers; nginx says nothing on success.
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${listen}/health`);
      await res.text();
      return listen;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start: ${output}`);
}

async function connectThrough(port: number): Promise<Client> {
  const client = new Client({ name: 'through-nginx', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  return client;
}

const callsLogged = (replica: Replica) =>
  replica
    .stderr()
    .split('\n')
    .filter((line) => line.includes('"msg":"tool call"'));

/** Waits until the replicas' logs, which arrive through pipes after the answers, hold `total` call lines. */
async function untilCallsLogged(replicas: Replica[], total: number): Promise<void> {
  const until = Date.now() + 5_000;
  while (replicas.reduce((sum, r) => sum + callsLogged(r).length, 0) < total && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
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

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('scale-out behind nginx', () => {
  it('stateless: three replicas round-robin serve one client session, calls landing on every replica', async () => {
    const replicas = await Promise.all(
      ['replica-a', 'replica-b', 'replica-c'].map((id) => startReplica(id, ['--stateless'])),
    );
    const port = await startNginx('stateless.conf', {
      '127.0.0.1:9001': replicas[0]?.port ?? 0,
      '127.0.0.1:9002': replicas[1]?.port ?? 0,
      '127.0.0.1:9003': replicas[2]?.port ?? 0,
    } as Record<string, number>);
    const client = await connectThrough(port);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    for (let i = 0; i < 30; i++) {
      const out = await callTool(client, 'echo', { message: `call ${i}` });
      expect(out.isError, out.text).toBe(false);
    }
    await client.close();
    await untilCallsLogged(replicas, 30);
    const counts = replicas.map((r) => callsLogged(r).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    for (const count of counts) expect(count).toBeGreaterThan(0);
  }, 60_000);

  it('stateful: each session stays on the replica named in its id', async () => {
    const replicas = await Promise.all(['replica-a', 'replica-b', 'replica-c'].map((id) => startReplica(id, [])));
    const port = await startNginx('stateful.conf', {
      '127.0.0.1:9101': replicas[0]?.port ?? 0,
      '127.0.0.1:9102': replicas[1]?.port ?? 0,
      '127.0.0.1:9103': replicas[2]?.port ?? 0,
    } as Record<string, number>);
    const clients = await Promise.all(Array.from({ length: 6 }, () => connectThrough(port)));
    const sessions: string[] = [];
    for (const client of clients) {
      for (let i = 0; i < 5; i++) {
        const out = await callTool(client, 'whoami', {});
        expect(out.isError, out.text).toBe(false);
      }
      const id = (await callTool(client, 'whoami', {})).structured?.sessionId as string;
      sessions.push(id);
    }
    await untilCallsLogged(replicas, 36);
    // Round-robin spread the initialize requests, so more than one replica holds sessions.
    const owners = new Set(sessions.map((id) => id.split('.')[0]));
    expect(owners.size).toBeGreaterThan(1);
    for (const id of sessions) {
      const owner = replicas.find((r) => id.startsWith(`${r.id}.`));
      expect(owner, id).toBeDefined();
      const tag = createHash('sha256').update(id).digest('hex').slice(0, 12);
      for (const replica of replicas) {
        const mine = callsLogged(replica).filter((line) => line.includes(`"session":"${tag}"`)).length;
        expect(mine, `${id} on ${replica.id}`).toBe(replica === owner ? 6 : 0);
      }
    }
    for (const client of clients) await client.close();
  }, 60_000);
});
