import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, clusterLogProject, LogstoreName, observability } from './common.js';
import { aiAnswer, aiQuestion } from './sls-common.js';

export const slsDiagnoseQuery = ackTool({
  name: 'sls_diagnose_query',
  title: 'Explain a failing SLS query',
  description:
    "Asks SLS's AI tool diagnosis_sql why an SLS query failed (give the query and SLS' error message) and how to fix it.",
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    query: z.string().trim().min(1).max(8000).describe('The SLS query that failed'),
    error_message: z.string().trim().min(1).max(2000).describe('The error SLS returned for it'),
    logstore: LogstoreName.optional(),
  }),
  output: z.object({ diagnosis: z.string(), request_id: z.string().nullable() }),
  async handler(args, ctx) {
    const clients = await observability(ctx);
    const region = await clients.clusterRegion(args.cluster_id);
    const answer = await (await clients.sls(region, { ai: true })).callAiTools('diagnosis_sql', region, {
      project: clusterLogProject(args.cluster_id),
      logstore: args.logstore ?? 'k8s-event',
      'sys.query': aiQuestion(`帮我诊断下 ${args.query} 的日志查询语句,错误信息为 ${args.error_message}`),
    });
    return { diagnosis: aiAnswer(answer.text), request_id: answer.requestId ?? null };
  },
});
