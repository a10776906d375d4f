/**
 * The built `opsmcp-starrocks-agent` executable, spawned as a customer runs it. Needs
 * `dist/agent-bin.js` (tests run after the build).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_ENV } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { AGENT_VARIABLES } from '../src/agent/settings.js';
import { type Simulator, startSimulator } from '../src/sandbox/index.js';
import { PASSWORD, USER } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/agent-bin.js', import.meta.url));
const TOKEN = randomBytes(32).toString('hex');

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns the bin with only the given environment (and PATH), in `cwd`. */
function runBin(args: string[], env: Record<string, string>, cwd: string): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...TEST_ENV, ...(process.env.PATH ? { PATH: process.env.PATH } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(condition: () => boolean, what: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('opsmcp-starrocks-agent (built bin)', () => {
  let sim: Simulator;
  let dir: string;
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    expect(existsSync(BIN), `${BIN}: build the package first`).toBe(true);
    sim = await startSimulator({ scenario: 'healthy', user: USER, password: PASSWORD });
    dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
    dbEnv = { SR_HOST: sim.host, SR_PORT: String(sim.port), SR_USER: USER, SR_PASSWORD: PASSWORD };
  });
  afterAll(async () => {
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts, prints the endpoints, answers /health, and exits 0 on SIGTERM', async () => {
    const run = runBin([], { ...dbEnv, AGENT_TOKEN: TOKEN, AGENT_PORT: '0' }, dir);
    try {
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(run.stderr()), run.stderr);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1] as string;
      expect(run.stderr()).toContain(`${url}/health`);
      expect(run.stderr()).toContain(`${url}/test-connection`);
      const health = await fetch(`${url}/health`);
      expect(await health.json()).toEqual({ status: 'ok', version: packageJson.version });
      const tested = await fetch(`${url}/test-connection`, { headers: { 'x-agent-token': TOKEN } });
      expect(await tested.json()).toMatchObject({ ok: true, database_version: '3.3.8-0b35f6e' });
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    const logs = run
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'agent listening', tls: false }));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'request', path: '/health', status: 200 }));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'agent stopped' }));
    expect(run.stderr()).not.toContain(TOKEN);
    expect(run.stderr()).not.toContain(PASSWORD);
    expect(run.stdout()).toBe('');
  });

  it('--check prints the database version (exit 0) or the mapped error without the password (exit 1)', async () => {
    const ok = runBin(['--check'], { ...dbEnv, AGENT_TOKEN: TOKEN }, dir);
    expect(await ok.exited).toBe(0);
    expect(ok.stdout()).toMatch(/^StarRocks 3\.3\.8-0b35f6e at 127\.0\.0\.1:\d+ as diag \(\d+ ms\)\n$/);

    const wrong = 'wrong-password-0815';
    const bad = runBin(['--check'], { ...dbEnv, SR_PASSWORD: wrong, AGENT_TOKEN: TOKEN }, dir);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain("UPSTREAM_ERROR: StarRocks rejected the agent's own database credentials");
    expect(bad.stderr()).not.toContain(wrong);
  });

  it('--help lists every command, flag and environment variable; --version prints the version', async () => {
    const help = runBin(['--help'], {}, dir);
    expect(await help.exited).toBe(0);
    for (const variable of AGENT_VARIABLES) {
      expect(help.stdout()).toContain(variable.env);
      if (variable.flag) expect(help.stdout()).toContain(`--${variable.flag}`);
    }
    for (const word of ['init [dir]', '--force', '--check', '--env-file', '/execute-batch', 'X-Agent-Token']) {
      expect(help.stdout()).toContain(word);
    }
    const version = runBin(['--version'], {}, dir);
    expect(await version.exited).toBe(0);
    expect(version.stdout()).toBe(`${packageJson.version}\n`);
  });

  it('refuses to start with an AGENT_TOKEN shorter than 32 characters, without printing it', async () => {
    const short = 'tiny-secret-value-99';
    const run = runBin([], { ...dbEnv, AGENT_TOKEN: short, AGENT_PORT: '0' }, dir);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('AGENT_TOKEN is too short');
    expect(run.stderr()).not.toContain(short);
  });

  it('init writes a private .env that start reads from the current directory; real variables win over it', async () => {
    const home = mkdtempSync(join(dir, 'init-'));
    const init = runBin(['init'], {}, home);
    expect(await init.exited).toBe(0);
    const path = join(home, '.env');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const token = /^AGENT_TOKEN=([0-9a-f]{64})$/m.exec(readFileSync(path, 'utf8'))?.[1];
    expect(token).toBeDefined();
    expect(init.stdout()).toContain(`agent token: ${token}`);
    expect(init.stdout()).toMatch(/agent URL: +http:\/\/\S+:8080/);

    const again = runBin(['init'], {}, home);
    expect(await again.exited).toBe(1);
    expect(again.stderr()).toContain('already exists');
    expect(readFileSync(path, 'utf8')).toContain(`AGENT_TOKEN=${token}`);

    // The file names a port nothing listens on; the real SR_PORT overrides it.
    appendFileSync(path, `SR_HOST=${sim.host}\nSR_PORT=1\nSR_USER=${USER}\nSR_PASSWORD=${PASSWORD}\n`);
    const check = runBin(['--check'], { SR_PORT: String(sim.port) }, home);
    expect(await check.exited, check.stderr()).toBe(0);
    expect(check.stdout()).toContain('StarRocks 3.3.8-0b35f6e');
    const fromFile = runBin(['--check', '--env-file', path, '--sr-port', String(sim.port)], {}, dir);
    expect(await fromFile.exited, fromFile.stderr()).toBe(0);
  });
});
