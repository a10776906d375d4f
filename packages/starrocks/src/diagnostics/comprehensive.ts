import type { z } from 'zod';
import type { StatementExecutor } from '../executor.js';
import type { comprehensiveSchema, crossFindingSchema } from '../tools/comprehensive.js';
import { clusterInfo } from './architecture.js';
import { analyzeCompaction } from './compaction/analysis.js';
import { COMPACTION_RULE_IDS as CMP } from './compaction/rules.js';
import { analyzeIngestion } from './ingestion/analysis.js';
import { INGESTION_RULE_IDS as ING } from './ingestion/rules.js';
import { summarize } from './report.js';
import { levelOf, statusOf } from './score.js';
import { analyzeStorage } from './storage/analysis.js';
import { STORAGE_RULE_IDS as STG } from './storage/rules.js';
import type { Diagnosis, Issue } from './types.js';

export type CrossFinding = z.infer<typeof crossFindingSchema>;
export type ComprehensiveDiagnosis = z.infer<typeof comprehensiveSchema>;

/** Every cross-expert finding id, each defined once. */
export const CROSS_RULE_IDS = {
  DISK_COMPACTION: 'XM-DISK-COMPACTION',
  THREADS_CS: 'XM-THREADS-CS',
  DISK_INGEST: 'XM-DISK-INGEST',
  QUEUE_COMPACTION: 'XM-QUEUE-COMPACTION',
  HIGHFREQ_CS: 'XM-HIGHFREQ-CS',
  DEADNODE_INGEST: 'XM-DEADNODE-INGEST',
} as const;

/** The limits of the cross-expert findings and of the overall score. */
export const CROSS_THRESHOLDS = {
  /** XM-HIGHFREQ-CS: a hot partition's table is loaded more often than every this many seconds. */
  frequentLoadIntervalSeconds: 10,
  /** Points the overall score loses per cross-expert finding. */
  penaltyPerFinding: 10,
};

const XM = CROSS_RULE_IDS;

const has = (d: Diagnosis, ids: readonly string[], severity?: Issue['severity']) =>
  d.issues.filter((i) => ids.includes(i.id) && (!severity || i.severity === severity));
const nodeOf = (i: Issue) => String(i.evidence.node_id ?? '');

/** XM-* findings: what only two experts' results together show. */
export function crossFindings(storage: Diagnosis, compaction: Diagnosis, ingestion: Diagnosis): CrossFinding[] {
  const findings: CrossFinding[] = [];
  const diskCritical = has(storage, [STG.DISK_EMERGENCY, STG.DISK_CRITICAL, STG.DISK_LOW_FREE], 'critical');
  const csCritical = has(
    compaction,
    [CMP.CS_EMERGENCY, CMP.CS_CRITICAL, CMP.REJECT_RISK, CMP.SN_ROWSET_CRIT, CMP.SN_CANDIDATE_SCORE],
    'critical',
  );
  if (diskCritical.length && csCritical.length) {
    // Per-backend rules (shared-nothing) must hit the same backend; cluster-wide scores need not.
    const diskNodes = new Set(diskCritical.map(nodeOf));
    const related = csCritical.filter((i) => !nodeOf(i) || diskNodes.has(nodeOf(i)));
    if (related.length) {
      findings.push({
        id: XM.DISK_COMPACTION,
        impact: 'HIGH',
        explanation:
          'Disk pressure and a compaction backlog on the same nodes: compaction needs free space to rewrite rowsets, and the backlog keeps old versions on disk. Free space first, then compact.',
        involved_issue_ids: [...new Set([...diskCritical, ...related].map((i) => i.id))],
      });
    }
  }
  const threadsLow = has(compaction, [CMP.THREADS_LOW]);
  if (threadsLow.length && csCritical.length) {
    findings.push({
      id: XM.THREADS_CS,
      impact: 'MEDIUM',
      explanation: 'High compaction scores while compact_threads is below the recommendation: raise the threads first.',
      involved_issue_ids: [CMP.THREADS_LOW, ...new Set(csCritical.map((i) => i.id))],
    });
  }
  if (diskCritical.length && has(ingestion, [ING.FAILURE_RATE_HIGH]).length) {
    findings.push({
      id: XM.DISK_INGEST,
      impact: 'HIGH',
      explanation: 'Loads fail while a disk is critically full: loads touching that disk are rejected.',
      involved_issue_ids: [...new Set(diskCritical.map((i) => i.id)), ING.FAILURE_RATE_HIGH],
    });
  }
  if (has(ingestion, [ING.QUEUE_BACKLOG]).length && has(compaction, [CMP.PRESSURE_HIGH]).length) {
    findings.push({
      id: XM.QUEUE_COMPACTION,
      impact: 'MEDIUM',
      explanation: 'Loads queue up while compaction pressure is high: both compete for the same nodes.',
      involved_issue_ids: [ING.QUEUE_BACKLOG, CMP.PRESSURE_HIGH],
    });
  }
  const hot = (compaction.metrics.hot_partitions ?? []) as {
    database: string;
    table: string;
    partition: string;
    max_score: number;
  }[];
  const tables = (ingestion.metrics.tables ?? []) as { db: string; table: string; mean_interval_s: number | null }[];
  const hotAndFrequent = hot.filter((p) =>
    tables.some(
      (t) =>
        t.db === p.database &&
        t.table === p.table &&
        t.mean_interval_s !== null &&
        t.mean_interval_s < CROSS_THRESHOLDS.frequentLoadIntervalSeconds,
    ),
  );
  if (hotAndFrequent.length) {
    const p = hotAndFrequent[0] as (typeof hot)[number];
    const interval = tables.find((t) => t.db === p.database && t.table === p.table)?.mean_interval_s;
    findings.push({
      id: XM.HIGHFREQ_CS,
      impact: 'MEDIUM',
      explanation: `${p.database}.${p.table} is loaded every ${interval} s while ${p.partition} has compaction score ${p.max_score}: each load adds a version faster than compaction merges them. Batch the loads (>= 10 s apart, larger batches).`,
      involved_issue_ids: [CMP.CS_EMERGENCY, ING.HIGH_VOLUME_TABLE],
    });
  }
  if (
    has(storage, [STG.NODE_DEAD]).length &&
    has(ingestion, [ING.FAILURE_RATE_HIGH, ING.FAILURE_RATE_MODERATE]).length
  ) {
    const categories = ingestion.issues
      .filter((i) => i.id === ING.RECURRING_ERROR)
      .map((i) => String(i.evidence.category));
    if (categories.some((c) => c === 'replica_unavailable' || c === 'timeout')) {
      findings.push({
        id: XM.DEADNODE_INGEST,
        impact: 'HIGH',
        explanation: 'Loads fail with replica or timeout errors while a node is dead: restore the node.',
        involved_issue_ids: [STG.NODE_DEAD, ING.FAILURE_RATE_HIGH],
      });
    }
  }
  return findings;
}

const RANK = { critical: 0, warning: 1, info: 2 } as const;

/**
 * Runs the storage, compaction and ingestion experts concurrently (wall time ≈ the slowest),
 * reporting progress as each finishes, then adds the cross-expert findings and the overall score.
 */
export async function analyzeComprehensive(
  executor: StatementExecutor,
  options: { signal?: AbortSignal; onExpertDone?: (name: string, done: number, total: number) => void } = {},
): Promise<ComprehensiveDiagnosis> {
  const started = Date.now();
  const info = await clusterInfo(executor, options.signal);
  let done = 0;
  const track = <T>(name: string, run: Promise<T>) =>
    run.then((result) => {
      done += 1;
      options.onExpertDone?.(name, done, 3);
      return result;
    });
  const [storage, compaction, ingestion] = await Promise.all([
    track('storage', analyzeStorage(executor, options.signal)),
    track('compaction', analyzeCompaction(executor, options.signal)),
    track('ingestion', analyzeIngestion(executor, 24, 'analyze_ingestion_health', options.signal)),
  ]);
  const cross = crossFindings(storage, compaction, ingestion);
  const mean = (storage.health_score + compaction.health_score + ingestion.health_score) / 3;
  const score = Math.max(0, Math.round(mean - CROSS_THRESHOLDS.penaltyPerFinding * cross.length));
  const issues = [storage, compaction, ingestion].flatMap((d) => d.issues);
  const status = statusOf(issues);
  const expert = (d: Diagnosis) => ({
    health_score: d.health_score,
    level: d.level,
    status: d.status,
    issues: d.issues.length,
  });
  const recommendations = [
    ...cross.map((c) => ({
      source: 'cross_module',
      id: c.id,
      severity: c.impact === 'HIGH' ? 'critical' : 'warning',
      recommendation: c.explanation,
    })),
    ...[
      ...storage.issues.map((i) => ({ source: 'storage', i })),
      ...compaction.issues.map((i) => ({ source: 'compaction', i })),
      ...ingestion.issues.map((i) => ({ source: 'ingestion', i })),
    ]
      .filter((x) => x.i.severity !== 'info')
      .sort((a, b) => RANK[a.i.severity] - RANK[b.i.severity])
      .map((x) => ({ source: x.source, id: x.i.id, severity: x.i.severity, recommendation: x.i.recommendation })),
  ].map((r, index) => ({ order: index + 1, ...r }));
  return {
    tool: 'analyze_system_comprehensive',
    architecture: info.architecture,
    starrocks_version: info.version,
    generated_at: new Date().toISOString(),
    health_score: score,
    level: levelOf('comprehensive', score, status),
    status,
    summary: summarize(issues),
    experts: { storage: expert(storage), compaction: expert(compaction), ingestion: expert(ingestion) },
    cross_module: cross,
    issues,
    prioritized_recommendations: recommendations,
    metrics: { storage: storage.metrics, compaction: compaction.metrics, ingestion: ingestion.metrics },
    elapsed_ms: Date.now() - started,
  };
}
