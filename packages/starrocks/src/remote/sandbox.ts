import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@opsmcp/core';
import { type AgentHandle, resolveAgentSettings, startAgent } from '../agent/server.js';
import { loadScenario, type Simulator, startSimulator } from '../sandbox/index.js';
import type { ScenarioName } from '../sandbox/scenarios/names.js';

export interface RemoteSandbox {
  /** The generated tenants file (mode 0600, in a temporary folder removed by stop()). */
  tenantsConfig: string;
  tenants: { id: string; name: string; scenario: string; agentUrl: string }[];
  notice: string;
  stop(): Promise<void>;
}

/** An agent on a free loopback port in front of a simulated cluster. */
export function startAgentFor(
  sim: Simulator,
  options: {
    user: string;
    password: string;
    token: string;
    statementTimeoutMs?: number;
    /** PEM files: the agent then serves HTTPS. */
    tls?: { cert: string; key: string };
    log: Logger;
  },
): Promise<AgentHandle> {
  return startAgent(
    resolveAgentSettings({
      SR_HOST: sim.host,
      SR_PORT: String(sim.port),
      SR_USER: options.user,
      SR_PASSWORD: options.password,
      AGENT_HOST: '127.0.0.1',
      AGENT_PORT: '0',
      AGENT_TOKEN: options.token,
      ...(options.statementTimeoutMs ? { AGENT_STATEMENT_TIMEOUT_MS: String(options.statementTimeoutMs) } : {}),
      ...(options.tls ? { AGENT_TLS_CERT: options.tls.cert, AGENT_TLS_KEY: options.tls.key } : {}),
    }),
    { log: options.log },
  );
}

/**
 * Remote mode with nothing to install: two simulated clusters of different scenarios, an agent
 * in front of each, and a tenants file naming both, so one central server diagnoses two
 * tenants side by side.
 */
export async function startRemoteSandbox(
  first: ScenarioName,
  options: { log: Logger; statementTimeoutMs: number },
): Promise<RemoteSandbox> {
  const second: ScenarioName = first === 'disk-full' ? 'healthy' : 'disk-full';
  const plan = [
    { id: 'acme', name: 'Acme Corp', scenario: first },
    { id: 'globex', name: 'Globex Inc', scenario: second },
  ];
  const simulators: Simulator[] = [];
  const agents: AgentHandle[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'opsmcp-starrocks-tenants-'));
  const stop = async () => {
    await Promise.allSettled(agents.map((a) => a.close()));
    await Promise.allSettled(simulators.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tenants: RemoteSandbox['tenants'] = [];
    const entries: Record<string, unknown> = {};
    const descriptions: string[] = [];
    for (const t of plan) {
      const scenario = await loadScenario(t.scenario);
      const password = randomBytes(12).toString('hex');
      // A long-running sandbox keeps no statement log: it would grow with every call.
      const sim = await startSimulator({ scenario, user: 'sandbox', password, keepStatements: 0 });
      simulators.push(sim);
      const token = randomBytes(32).toString('hex');
      const agent = await startAgentFor(sim, {
        user: 'sandbox',
        password,
        token,
        statementTimeoutMs: options.statementTimeoutMs,
        log: options.log.child({ agent: t.id }),
      });
      agents.push(agent);
      entries[t.id] = {
        name: t.name,
        agent_url: agent.url,
        agent_token: token,
        enabled: true,
        description: `Simulated cluster, scenario "${scenario.name}"`,
      };
      tenants.push({ id: t.id, name: t.name, scenario: scenario.name, agentUrl: agent.url });
      descriptions.push(`tenant ${t.id} (${scenario.name}: ${scenario.description})`);
    }
    const tenantsConfig = join(dir, 'tenants-config.json');
    writeFileSync(tenantsConfig, `${JSON.stringify({ tenants: entries }, null, 2)}\n`, { mode: 0o600 });
    return {
      tenantsConfig,
      tenants,
      notice: `two simulated StarRocks clusters, each behind its own agent; send X-Tenant-ID: ${descriptions.join('; ')}.`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
