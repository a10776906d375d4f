import { z } from 'zod';
import { formatDiagnosis, issueLines } from '../diagnostics/report.js';
import type { Diagnosis, Issue } from '../diagnostics/types.js';

export const architectureSchema = z.enum(['shared_nothing', 'shared_data']);
export const n = z.number().nullable();
export const s = z.string().nullable();
export const record = z.record(z.string(), z.unknown());

export const issueSchema = z.object({
  id: z.string().describe('Rule id, e.g. STG-DISK-CRITICAL'),
  severity: z.enum(['critical', 'warning', 'info']),
  message: z.string(),
  evidence: record,
  recommendation: z.string(),
});

export const sourceSchema = z.object({
  statement: z.string(),
  ok: z.boolean(),
  rows: z.number().optional(),
  ms: z.number(),
  error: z.string().optional(),
});

export const levelSchema = z.enum(['EXCELLENT', 'GOOD', 'FAIR', 'POOR']);
export const statusSchema = z.enum(['HEALTHY', 'WARNING', 'CRITICAL']);

/** The verdict fields every analysis opens with (after `tool`), the comprehensive one included. */
export const verdictFields = {
  architecture: architectureSchema,
  starrocks_version: s,
  generated_at: z.string(),
  health_score: z.number().int().min(0).max(100),
  level: levelSchema,
  status: statusSchema,
  summary: z.string(),
};

/** The closing fields of a get_* result: the rules that fired and the statement log. */
export const issuesAndSources = {
  issues: z.array(issueSchema),
  sources: z.array(sourceSchema),
};

export const diagnosisSchema = z.object({
  tool: z.string(),
  ...verdictFields,
  issues: z.array(issueSchema),
  metrics: record,
  sources: z.array(sourceSchema),
});

export const formatAnalysis = (d: Diagnosis) => formatDiagnosis(d);

/** Text for a get_* result: its issues first, then the rows as JSON (statement log left out). */
export function formatView(
  title: string,
  output: { issues?: Issue[]; truncated?: boolean } & Record<string, unknown>,
): string {
  const { sources: _sources, issues, ...rest } = output;
  const lines = [`## ${title}`];
  if (issues?.length) lines.push('', '### Issues', ...issueLines(issues));
  if (output.truncated) lines.push('', 'The list is truncated: raise `limit` to see more.');
  lines.push('', '```json', JSON.stringify(rest, null, 2), '```');
  return lines.join('\n');
}

export const limitSchema = (fallback: number, max: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`Most rows to return (1–${max}, default ${fallback})`);

export const hoursSchema = z
  .number()
  .int()
  .min(1)
  .max(720)
  .default(24)
  .describe('Time window in hours, on the FE clock (1–720, default 24)');
