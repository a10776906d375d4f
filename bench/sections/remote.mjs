// StarRocks remote mode: the experts and the comprehensive analysis through a tenant's agent
// (both built bins, each in a process of its own), with the simulator delaying every statement
// as in the comprehensive section. Round trips to the agent are read from the central server's
// /admin/stats around each call: the statements an expert issues together travel in one batch,
// so the comprehensive analysis should cost at most one round trip per expert.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { childEnv } from '../lib/env.mjs';
import { startFakeBackend } from '../lib/fake-backends.mjs';
import { startHttpServer } from '../lib/http-server.mjs';
import { median } from '../lib/stats.mjs';
import { EXPERTS } from './comprehensive.mjs';

const TENANT = 'bench';
const COMPREHENSIVE = 'analyze_system_comprehensive';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the agent at ${url} did not answer /health within ${timeoutMs} ms`);
}

export async function measureRemote(server, { delayMs, runs }) {
  const agentBin = join(dirname(server.bin), 'agent-bin.js');
  const sim = await startFakeBackend('starrocks', { delayMs });
  const token = randomBytes(32).toString('hex');
  const apiKey = randomBytes(24).toString('hex');
  const agentPort = await freePort();
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const dir = mkdtempSync(join(tmpdir(), 'opsmcp-bench-tenants-'));
  const tenantsFile = join(dir, 'tenants.json');
  writeFileSync(
    tenantsFile,
    JSON.stringify({ tenants: { [TENANT]: { name: 'Benchmark', agent_url: agentUrl, agent_token: token } } }),
    { mode: 0o600 },
  );
  const { spawn } = await import('node:child_process');
  const agent = spawn(process.execPath, [agentBin], {
    env: childEnv({ ...sim.env, AGENT_PORT: String(agentPort), AGENT_TOKEN: token }),
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let central;
  try {
    await waitForHealth(agentUrl);
    central = await startHttpServer(
      process.execPath,
      [server.bin, '--mode', 'remote', '--transport', 'http', '--port', '0', '--tenants-config', tenantsFile],
      { env: childEnv({ MCP_API_KEY: apiKey }) },
    );
    const headers = { 'x-api-key': apiKey, 'x-tenant-id': TENANT, 'content-type': 'application/json' };
    const roundTrips = async () => {
      const stats = await (await fetch(`${central.base}/admin/stats`, { headers })).json();
      return stats.tenants.find((t) => t.tenant_id === TENANT).agent_round_trips;
    };
    const call = async (tool) => {
      const before = await roundTrips();
      const started = performance.now();
      const response = await fetch(`${central.base}/call-tool`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ tool, arguments: {} }),
      });
      const elapsed = performance.now() - started;
      const result = await response.json();
      if (result.isError) throw new Error(`${tool} through the agent: ${result.content?.[0]?.text}`);
      return { elapsed, roundTrips: (await roundTrips()) - before };
    };
    const tools = [...EXPERTS.map((e) => e.tool), COMPREHENSIVE];
    const times = new Map(tools.map((t) => [t, []]));
    const trips = new Map(tools.map((t) => [t, []]));
    // One unmeasured round warms the agent's pool and both processes' code paths.
    for (const tool of tools) await call(tool);
    for (let round = 0; round < runs; round++) {
      for (const tool of tools) {
        const { elapsed, roundTrips: n } = await call(tool);
        times.get(tool).push(elapsed);
        trips.get(tool).push(n);
      }
    }
    const comprehensiveRoundTrips = Math.max(...trips.get(COMPREHENSIVE));
    return {
      delayMs,
      runs,
      experts: EXPERTS.length,
      medianMs: Object.fromEntries(tools.map((t) => [t, median(times.get(t))])),
      roundTrips: Object.fromEntries(tools.map((t) => [t, Math.max(...trips.get(t))])),
      comprehensiveRoundTrips,
      roundTripsPerExpert: Number((comprehensiveRoundTrips / EXPERTS.length).toFixed(2)),
    };
  } finally {
    await central?.stop();
    agent.kill('SIGTERM');
    await new Promise((resolve) => (agent.exitCode !== null ? resolve() : agent.on('exit', resolve)));
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
