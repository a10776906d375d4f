import { type CollectOptions, collectSnapshot, type DiagnoseTarget } from './collect.js';
import { evaluateRules, verdictOf } from './rules.js';
import type { WorkloadSource } from './source.js';
import { DIAGNOSE_THRESHOLDS } from './thresholds.js';
import type { Finding, Verdict } from './types.js';

export type { DiagnoseTarget } from './collect.js';
export { WORKLOAD_RULES } from './rules.js';
export { kubeWorkloadSource, type WorkloadSource } from './source.js';
export { DIAGNOSE_THRESHOLDS } from './thresholds.js';
export { type Finding, FindingSchema, VERDICTS } from './types.js';

export interface WorkloadDiagnosis {
  target: DiagnoseTarget;
  verdict: Verdict;
  findings: Finding[];
  pods_total: number;
  pods_inspected: number;
  notes: string[];
}

/** Reads a workload through the source and judges it with every rule. */
export async function diagnoseWorkload(
  source: WorkloadSource,
  target: DiagnoseTarget,
  options: CollectOptions = {},
): Promise<WorkloadDiagnosis> {
  const { snapshot, notes } = await collectSnapshot(source, target, options);
  const findings = evaluateRules(snapshot, options.thresholds ?? DIAGNOSE_THRESHOLDS);
  return {
    target,
    verdict: verdictOf(findings),
    findings,
    pods_total: snapshot.pods.length,
    pods_inspected: snapshot.inspected.length,
    notes,
  };
}
