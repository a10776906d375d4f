import { INGESTION_RULE_IDS as ING } from './ingestion/rules.js';
import type { Issue, Level, Status } from './types.js';

export type ScoreKind = 'storage' | 'compaction' | 'ingestion' | 'comprehensive';

/** Level bands per result kind: the lowest score of EXCELLENT, GOOD and FAIR. */
const BANDS: Record<ScoreKind, [number, number, number]> = {
  storage: [85, 70, 50],
  compaction: [80, 60, 40],
  ingestion: [80, 60, 40],
  comprehensive: [85, 70, 50],
};
const ORDER: Level[] = ['EXCELLENT', 'GOOD', 'FAIR', 'POOR'];

export function statusOf(issues: readonly Issue[]): Status {
  if (issues.some((i) => i.severity === 'critical')) return 'CRITICAL';
  if (issues.some((i) => i.severity === 'warning')) return 'WARNING';
  return 'HEALTHY';
}

/**
 * The level for a score, capped by status: a CRITICAL result is never better than FAIR and a
 * WARNING result never better than GOOD, so "EXCELLENT with a critical issue" cannot happen.
 */
export function levelOf(kind: ScoreKind, score: number, status: Status): Level {
  const [excellent, good, fair] = BANDS[kind];
  const raw: Level = score >= excellent ? 'EXCELLENT' : score >= good ? 'GOOD' : score >= fair ? 'FAIR' : 'POOR';
  const cap: Level = status === 'CRITICAL' ? 'FAIR' : status === 'WARNING' ? 'GOOD' : 'EXCELLENT';
  return ORDER[Math.max(ORDER.indexOf(raw), ORDER.indexOf(cap))] as Level;
}

/**
 * Ingestion deducts per rule (these weights; other critical issues 15, other warnings 5); storage
 * and compaction 25 per critical and 10 per warning issue.
 */
const INGESTION_WEIGHTS: Record<string, number> = {
  [ING.FAILURE_RATE_HIGH]: 25,
  [ING.RL_CANCELLED]: 20,
  [ING.QUEUE_BACKLOG]: 20,
  [ING.FAILURE_RATE_MODERATE]: 10,
  [ING.RL_PAUSED]: 8,
  [ING.SLOW_LOADS]: 8,
};

export function scoreIssues(kind: ScoreKind, issues: readonly Issue[], extraDeduction = 0): number {
  let score = 100 - extraDeduction;
  for (const issue of issues) {
    if (issue.severity === 'info') continue;
    if (kind === 'ingestion') score -= INGESTION_WEIGHTS[issue.id] ?? (issue.severity === 'critical' ? 15 : 5);
    else score -= issue.severity === 'critical' ? 25 : 10;
  }
  return Math.max(0, Math.round(score));
}
