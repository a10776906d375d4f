import { COMPACTION_RULE_IDS } from './compaction/rules.js';
import { CROSS_RULE_IDS } from './comprehensive.js';
import { INGESTION_RULE_IDS } from './ingestion/rules.js';
import { STORAGE_RULE_IDS } from './storage/rules.js';
import { PROBE_RULE_IDS } from './types.js';

/** Every rule id the diagnostics report, by the expert that defines it. */
export const RULE_IDS = {
  storage: STORAGE_RULE_IDS,
  compaction: COMPACTION_RULE_IDS,
  ingestion: INGESTION_RULE_IDS,
  cross: CROSS_RULE_IDS,
  probe: PROBE_RULE_IDS,
} as const;

type Values<T> = T[keyof T];
export type RuleId = Values<{ [K in keyof typeof RULE_IDS]: Values<(typeof RULE_IDS)[K]> }>;

/** Every rule id, once. */
export const ALL_RULE_IDS: readonly RuleId[] = Object.values(RULE_IDS).flatMap((ids) => Object.values(ids));
