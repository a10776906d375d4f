export { SCENARIO_NAMES, SCENARIOS, scenarioByName } from './scenarios/index.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.js';
export { answer, normalizeStatement } from './statements.js';
export type { ScenarioData } from './types.js';
