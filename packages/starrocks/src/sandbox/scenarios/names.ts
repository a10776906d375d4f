/** Scenario names, kept apart from the data so settings and --help do not load the scenarios. */
export const SCENARIO_NAMES = ['healthy', 'disk-full', 'dead-backend', 'compaction-backlog', 'load-failures'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
