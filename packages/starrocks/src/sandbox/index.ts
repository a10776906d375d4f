export { loadScenario } from './scenarios/load.js';
export { SCENARIO_NAMES } from './scenarios/names.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.js';
export { answer, normalizeStatement } from './statements.js';
export type { ScenarioData } from './types.js';
