import type { ScenarioData } from '../types.js';
import { compactionBacklog } from './compaction-backlog.js';
import { deadBackend } from './dead-backend.js';
import { diskFull } from './disk-full.js';
import { healthy } from './healthy.js';
import { loadFailures } from './load-failures.js';
import type { ScenarioName } from './names.js';

export { SCENARIO_NAMES } from './names.js';

/** Every scenario, built at once: for tests that compare them (the sandbox uses loadScenario). */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioData>> = {
  healthy,
  'disk-full': diskFull,
  'dead-backend': deadBackend,
  'compaction-backlog': compactionBacklog,
  'load-failures': loadFailures,
};
