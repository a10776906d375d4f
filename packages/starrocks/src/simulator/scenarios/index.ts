import { OpsError } from '@opsmcp/core';
import type { ScenarioData } from '../types.js';
import { compactionBacklog } from './compaction-backlog.js';
import { deadBackend } from './dead-backend.js';
import { diskFull } from './disk-full.js';
import { healthy } from './healthy.js';
import { loadFailures } from './load-failures.js';

export { SCENARIO_NAMES } from './names.js';

export const SCENARIOS: Readonly<Record<string, ScenarioData>> = {
  healthy,
  'disk-full': diskFull,
  'dead-backend': deadBackend,
  'compaction-backlog': compactionBacklog,
  'load-failures': loadFailures,
};

export function scenarioByName(name: string): ScenarioData {
  const scenario = SCENARIOS[name];
  if (!scenario) {
    throw new OpsError('INVALID_ARGUMENT', `Unknown sandbox scenario '${name}'`, {
      hint: `Use one of: ${Object.keys(SCENARIOS).join(', ')}`,
    });
  }
  return scenario;
}
