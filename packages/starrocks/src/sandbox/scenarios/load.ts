import { OpsError } from '@opsmcp/core';
import type { ScenarioData } from '../types.js';
import { SCENARIO_NAMES, type ScenarioName } from './names.js';

/** One module per scenario, imported on demand: the sandbox builds only the cluster it serves. */
const MODULES: Record<ScenarioName, () => Promise<ScenarioData>> = {
  healthy: async () => (await import('./healthy.js')).healthy,
  'disk-full': async () => (await import('./disk-full.js')).diskFull,
  'dead-backend': async () => (await import('./dead-backend.js')).deadBackend,
  'compaction-backlog': async () => (await import('./compaction-backlog.js')).compactionBacklog,
  'load-failures': async () => (await import('./load-failures.js')).loadFailures,
};

export async function loadScenario(name: string): Promise<ScenarioData> {
  const load = MODULES[name as ScenarioName];
  if (!load) {
    throw new OpsError('INVALID_ARGUMENT', `Unknown sandbox scenario '${name}'`, {
      hint: `Use one of: ${SCENARIO_NAMES.join(', ')}`,
    });
  }
  return load();
}
