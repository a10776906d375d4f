import type { ClusterInfo } from './architecture.js';
import { parseDateTime } from './parse.js';
import { summarize } from './report.js';
import { levelOf, type ScoreKind, scoreIssues, statusOf } from './score.js';
import { SQL } from './sql.js';
import type { Diagnosis, Issue, Probe } from './types.js';

/** FE clock: datetime string (for comparing FE datetimes) and real epoch milliseconds. */
export interface Clock {
  nowMs: number | undefined;
  epochMs: number | undefined;
}

export async function readClock(probe: Probe): Promise<Clock> {
  const rows = await probe.optional(SQL.clock, 'FE clock');
  const row = rows?.[0];
  const epoch = Number(row?.epoch);
  return {
    nowMs: parseDateTime(row?.now),
    epochMs: Number.isFinite(epoch) ? epoch * 1000 : undefined,
  };
}

export function buildDiagnosis(
  tool: string,
  kind: ScoreKind,
  info: ClusterInfo,
  probe: Probe,
  issues: Issue[],
  metrics: Record<string, unknown>,
  extraDeduction = 0,
): Diagnosis {
  const all = [...issues, ...probe.degraded];
  const status = statusOf(all);
  const score = scoreIssues(kind, all, extraDeduction);
  return {
    tool,
    architecture: info.architecture,
    starrocks_version: info.version,
    generated_at: new Date().toISOString(),
    health_score: score,
    level: levelOf(kind, score, status),
    status,
    summary: summarize(all),
    issues: all,
    metrics,
    sources: probe.sources,
  };
}
