import type { WorkloadRule } from './facts.js';
import { containerCreate, crashLoop, imagePull, oomKilled, probeFailing } from './rules/containers.js';
import { createFailed, jobFailed, rolloutStuck, workloadUnavailable } from './rules/controllers.js';
import { evicted, nodeNotReady, nodePressure } from './rules/nodes.js';
import { unboundClaim, unschedulable } from './rules/scheduling.js';
import { DIAGNOSE_THRESHOLDS, type DiagnoseThresholds } from './thresholds.js';
import type { Finding, Severity, Verdict, WorkloadSnapshot } from './types.js';

/**
 * The diagnosis rules, one family per file under rules/. Each rule is a pure function of a
 * snapshot (fetched objects, events, logs, metrics) and the thresholds; its id is written once,
 * in its definition, and stamped on every finding it makes.
 */
export type { WorkloadRule } from './facts.js';
export { eventTime, exitCodeMeaning, logHint } from './facts.js';
export { imagePullCause } from './rules/containers.js';
export { newestReplicaSet } from './rules/controllers.js';
export { parseSchedulingMessage, type SchedulingReason } from './rules/scheduling.js';

/** Every rule, in the order findings are reported. */
export const WORKLOAD_RULES: readonly WorkloadRule[] = [
  rolloutStuck,
  jobFailed,
  createFailed,
  workloadUnavailable,
  oomKilled,
  crashLoop,
  imagePull,
  containerCreate,
  unschedulable,
  unboundClaim,
  probeFailing,
  evicted,
  nodeNotReady,
  nodePressure,
];

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Runs every rule on the snapshot; findings sorted by severity, then rule order. */
export function evaluateRules(
  snapshot: WorkloadSnapshot,
  thresholds: DiagnoseThresholds = DIAGNOSE_THRESHOLDS,
): Finding[] {
  const findings = WORKLOAD_RULES.flatMap((rule) => rule.evaluate(snapshot, thresholds));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** failing with any critical finding, degraded with a warning, healthy otherwise. */
export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'critical')) return 'failing';
  if (findings.some((f) => f.severity === 'warning')) return 'degraded';
  return 'healthy';
}
