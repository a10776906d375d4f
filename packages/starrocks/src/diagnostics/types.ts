import type { z } from 'zod';
import { isStatementRejection, type Row, type StatementExecutor } from '../executor.js';
import type {
  architectureSchema,
  diagnosisSchema,
  issueSchema,
  levelSchema,
  sourceSchema,
  statusSchema,
} from '../tools/schemas.js';

/** A rule that fired: id (one of the *_RULE_IDS), severity, message, evidence and recommendation. */
export type Issue = z.infer<typeof issueSchema>;
export type Severity = Issue['severity'];
export type Architecture = z.infer<typeof architectureSchema>;
export type Level = z.infer<typeof levelSchema>;
export type Status = z.infer<typeof statusSchema>;
/** One statement run for a result, so an operator sees what was read and what failed. */
export type SourceRecord = z.infer<typeof sourceSchema>;
/** The result of an analyze_* expert: verdict, issues, headline metrics and the statement log. */
export type Diagnosis = z.infer<typeof diagnosisSchema>;

/** Rule ids of the probe itself: a section the cluster could not answer. */
export const PROBE_RULE_IDS = {
  SOURCE_UNAVAILABLE: 'SOURCE-UNAVAILABLE',
} as const;

/**
 * Runs the statements of one analysis and records each. `optional` turns a statement the
 * cluster rejects (older version, missing privilege) into an `info` issue for that section;
 * connection-level failures (unreachable, timeout, bad credentials) still fail the tool.
 */
export class Probe {
  readonly sources: SourceRecord[] = [];
  readonly degraded: Issue[] = [];

  constructor(
    readonly executor: StatementExecutor,
    readonly signal?: AbortSignal,
  ) {}

  async query(sql: string): Promise<Row[]> {
    const started = Date.now();
    try {
      const rows = await this.executor.query(sql, this.signal ? { signal: this.signal } : {});
      this.sources.push({ statement: sql, ok: true, rows: rows.length, ms: Date.now() - started });
      return rows;
    } catch (error) {
      this.sources.push({
        statement: sql,
        ok: false,
        ms: Date.now() - started,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }

  /** Rows, or undefined when StarRocks rejects the statement (recorded in sources, no issue): for fallbacks. */
  async attempt(sql: string): Promise<Row[] | undefined> {
    return (await this.rowsOrRejection(sql)).rows;
  }

  /** Rows, or undefined (plus an info issue naming the section) when StarRocks rejects the statement. */
  async optional(
    sql: string,
    section: string,
    id: string = PROBE_RULE_IDS.SOURCE_UNAVAILABLE,
  ): Promise<Row[] | undefined> {
    const { rows, rejection } = await this.rowsOrRejection(sql);
    if (rejection)
      this.skip(section, `StarRocks rejected the statement (${rejection})`, id, { statement: sql, error: rejection });
    return rows;
  }

  private async rowsOrRejection(sql: string): Promise<{ rows?: Row[]; rejection?: string }> {
    try {
      return { rows: await this.query(sql) };
    } catch (error) {
      if (!isStatementRejection(error)) throw error;
      return { rejection: error.message };
    }
  }

  /** Records a section this cluster cannot answer as an info issue. */
  skip(
    section: string,
    reason: string,
    id: string = PROBE_RULE_IDS.SOURCE_UNAVAILABLE,
    evidence: Record<string, unknown> = { reason },
  ): void {
    this.degraded.push({
      id,
      severity: 'info',
      message: `${section} skipped: ${reason}`,
      evidence,
      recommendation:
        'The cluster version may not have this source, or the user lacks the privilege (cluster_admin / OPERATE); the rest of the analysis is unaffected.',
    });
  }
}
