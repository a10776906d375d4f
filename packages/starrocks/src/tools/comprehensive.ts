import { z } from 'zod';
import { analyzeComprehensive } from '../diagnostics/comprehensive.js';
import { issueLines } from '../diagnostics/report.js';
import { starRocksTool } from './define.js';
import { issueSchema, levelSchema, record, statusSchema, verdictFields } from './schemas.js';

const expertSchema = z.object({
  health_score: z.number(),
  level: levelSchema,
  status: statusSchema,
  issues: z.number(),
});

/** A finding that needs two experts' results together. */
export const crossFindingSchema = z.object({
  id: z.string(),
  impact: z.enum(['HIGH', 'MEDIUM']),
  explanation: z.string(),
  involved_issue_ids: z.array(z.string()),
});

export const comprehensiveSchema = z.object({
  tool: z.literal('analyze_system_comprehensive'),
  ...verdictFields,
  experts: z.object({ storage: expertSchema, compaction: expertSchema, ingestion: expertSchema }),
  cross_module: z.array(crossFindingSchema),
  issues: z.array(issueSchema),
  prioritized_recommendations: z.array(
    z.object({
      order: z.number(),
      source: z.string(),
      id: z.string(),
      severity: z.string(),
      recommendation: z.string(),
    }),
  ),
  metrics: record,
  elapsed_ms: z.number(),
});

export const analyzeSystemComprehensive = starRocksTool({
  name: 'analyze_system_comprehensive',
  title: 'Analyze the whole system',
  description:
    'Runs the storage, compaction and ingestion experts in parallel, adds cross-expert findings (e.g. disk pressure together with a compaction backlog on the same nodes, frequent loads into a partition with a high compaction score) and an overall 0–100 score with prioritized recommendations. Reports progress as each expert finishes.',
  access: 'read',
  input: z.object({}),
  output: comprehensiveSchema,
  format: (d) =>
    [
      `## StarRocks system: ${d.health_score}/100 ${d.level} (${d.status})`,
      `storage ${d.experts.storage.health_score}, compaction ${d.experts.compaction.health_score}, ingestion ${d.experts.ingestion.health_score} (${d.architecture.replace('_', '-')}${d.starrocks_version ? `, StarRocks ${d.starrocks_version}` : ''})`,
      '',
      '### Cross-expert findings',
      ...(d.cross_module.length
        ? d.cross_module.map((c) => `- **${c.id}** (${c.impact}): ${c.explanation}`)
        : ['None.']),
      '',
      '### Issues',
      ...issueLines(d.issues),
      '',
      '### What to do first',
      ...(d.prioritized_recommendations.length
        ? d.prioritized_recommendations.slice(0, 5).map((r) => `${r.order}. [${r.id}] ${r.recommendation}`)
        : ['Nothing to do.']),
    ].join('\n'),
  handler: async (_args, ctx) => {
    await ctx.progress(0, 3, 'storage, compaction and ingestion experts started');
    return analyzeComprehensive(ctx.clients.executor(), {
      signal: ctx.signal,
      onExpertDone: (name, done, total) => void ctx.progress(done, total, `${name} expert finished`).catch(() => {}),
    });
  },
});
