import { randomBytes } from 'node:crypto';
import { type CheckResult, defineServer, isOpsError, readToolListings } from '@opsmcp/core';
import packageJson from '../package.json' with { type: 'json' };
import { createClients, openExecutor, parseStarRocksUrl, resolveConnection } from './context.js';
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
  createContext: ({ settings, cache }) => createClients(settings, cache),
  validate(settings) {
    if (settings.srUrl) parseStarRocksUrl(settings.srUrl);
  },
  health: () => ({ experts: starRocksTools.length }),

  async check(settings): Promise<CheckResult> {
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
