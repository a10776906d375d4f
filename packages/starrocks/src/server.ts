import { randomBytes } from 'node:crypto';
import { type CheckResult, defineServer, isOpsError, readToolListings } from '@opsmcp/core';
import packageJson from '../package.json' with { type: 'json' };
import { createClients, createRemoteClients, openExecutor, parseStarRocksUrl, resolveConnection } from './context.js';
import {
  admitTenant,
  checkAgents,
  countToolCall,
  serveRemoteEndpoints,
  tenantRegistry,
  validateRemoteSettings,
} from './remote/central.js';
import { starRocksSettings } from './settings.js';
import { compactionTools } from './tools/compaction.js';
import { analyzeSystemComprehensive } from './tools/comprehensive.js';
import { importTools, ingestionTools } from './tools/loads.js';
import { readQuery } from './tools/read-query.js';
import { storageTools } from './tools/storage.js';

export const starRocksTools = [
  ...storageTools,
  ...compactionTools,
  ...importTools,
  ...ingestionTools,
  analyzeSystemComprehensive,
  readQuery,
] as const;

const INSTRUCTIONS = `Diagnoses a StarRocks cluster over its MySQL protocol (FE port 9030), shared-nothing and shared-data alike.
Start with analyze_system_comprehensive for an overall picture, then the domain analyses (analyze_storage_health,
analyze_compaction_health, analyze_import_health, analyze_ingestion_health) and the get_* tools to drill down.
Every analyze_* result has a 0–100 health_score, a level, and issues with a rule id, severity, evidence and a
recommendation; sections the cluster cannot answer (older versions, missing privileges) appear as info issues.
read_query runs one read-only statement of your own (SELECT, SHOW, DESCRIBE, EXPLAIN, ADMIN SHOW).
Every tool is read-only.`;

export const starRocksServer = defineServer({
  name: 'starrocks',
  packageName: '@opsmcp/starrocks',
  version: packageJson.version,
  title: 'StarRocks diagnostics',
  instructions: INSTRUCTIONS,
  settings: starRocksSettings,
  coreSettings: {
    port: { default: 3000, env: ['PORT'] },
    apiKey: { env: ['API_KEY'] },
    allowedOrigins: { env: ['ALLOWED_ORIGINS'] },
  },
  tools: starRocksTools,
  // Written by the build next to the dist files; from sources the runtime derives them.
  listings: () => readToolListings(import.meta.url),
  createContext: ({ settings, cache, log, request }) =>
    settings.mode === 'remote'
      ? createRemoteClients(settings, { log, cache }, request.tenantId)
      : createClients(settings, cache),
  validate(settings) {
    if (settings.srUrl) parseStarRocksUrl(settings.srUrl);
    validateRemoteSettings(settings);
  },
  health: (settings) => ({ experts: starRocksTools.length, mode: settings.mode }),

  // Remote mode: the tenants file is read (and watched) from startup; a broken one stops it.
  async start(init) {
    if (init.settings.mode === 'remote') await tenantRegistry(init);
  },
  http: {
    admit: async (request, init) => (init.settings.mode === 'remote' ? admitTenant(request, init) : undefined),
    serve: async (request, init) => (init.settings.mode === 'remote' ? serveRemoteEndpoints(request, init) : undefined),
  },
  onToolCall(record, init) {
    if (init.settings.mode === 'remote') {
      countToolCall(record, init).catch((error: unknown) =>
        init.log.warn('tenant statistics not updated', { error: String(error) }),
      );
    }
  },

  async check(settings, _log, ctx): Promise<CheckResult> {
    if (settings.mode === 'remote') return checkAgents({ settings, log: ctx.log, cache: ctx.cache });
    let executor: ReturnType<typeof openExecutor> | undefined;
    try {
      const connection = resolveConnection(settings);
      executor = openExecutor(connection);
      const { clusterInfo } = await import('./diagnostics/architecture.js');
      const [row] = await executor.query('SELECT current_version() AS version');
      const info = await clusterInfo(executor);
      const architecture = info.architecture === 'shared_data' ? 'shared-data' : 'shared-nothing';
      const nodes = info.computeNodes ? `, ${info.computeNodes} compute node(s)` : '';
      return {
        ok: true,
        lines: [
          `StarRocks ${String(row?.version ?? 'unknown version')} (${architecture}${nodes}) at ${connection.host}:${connection.port}`,
        ],
      };
    } catch (error) {
      const message = isOpsError(error) ? `${error.code}: ${error.message}` : String(error);
      return { ok: false, lines: [message] };
    } finally {
      await executor?.close();
    }
  },

  async sandbox(settings, log) {
    if (settings.mode === 'remote') {
      const { startRemoteSandbox } = await import('./remote/sandbox.js');
      const remote = await startRemoteSandbox(settings.sandboxScenario, {
        log,
        statementTimeoutMs: settings.srQueryTimeoutMs,
      });
      for (const t of remote.tenants)
        log.info('sandbox tenant', { tenant: t.id, scenario: t.scenario, agent: t.agentUrl });
      return { settings: { tenantsConfig: remote.tenantsConfig }, notice: remote.notice, stop: remote.stop };
    }
    const { startSimulator, loadScenario } = await import('./sandbox/index.js');
    const scenario = await loadScenario(settings.sandboxScenario);
    const password = randomBytes(12).toString('hex');
    // A long-running sandbox keeps no statement log: it would grow with every call.
    const sim = await startSimulator({ scenario, user: 'sandbox', password, keepStatements: 0 });
    log.info('sandbox simulator listening', { host: sim.host, port: sim.port, scenario: scenario.name });
    return {
      settings: {
        srHost: sim.host,
        srPort: sim.port,
        srUser: 'sandbox',
        srPassword: password,
        srDatabase: 'information_schema',
        srUrl: undefined,
      },
      notice: `simulated StarRocks cluster, scenario "${scenario.name}": ${scenario.description}.`,
      async stop() {
        await sim.stop();
      },
    };
  },
});
