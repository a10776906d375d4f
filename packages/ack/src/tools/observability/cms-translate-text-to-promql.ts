import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, observability } from './common.js';
import { aiAnswer, aiQuestion, NaturalText } from './sls-common.js';

export const cmsTranslateTextToPromql = ackTool({
  name: 'cms_translate_text_to_promql',
  title: 'Translate a question into PromQL',
  description:
    "Asks SLS's AI tool text_to_promql to turn a question (e.g. 'CPU of the pods in namespace shop') into PromQL for the " +
    "cluster's metric store (as the original ack-mcp-server did). Run the result with query_prometheus; " +
    'query_prometheus_metric_guidance has tested queries.',
  access: 'read',
  input: z.object({ cluster_id: ClusterId, text: NaturalText.describe('The question, in any language') }),
  output: z.object({
    promql: z.string(),
    project: z.string(),
    metricstore: z.string(),
    request_id: z.string().nullable(),
  }),
  async handler(args, ctx) {
    const clients = await observability(ctx);
    const [region, accountId] = await Promise.all([clients.clusterRegion(args.cluster_id), clients.accountId()]);
    // The cluster's metrics live in the account's default CMS workspace project.
    const project = `workspace-default-cms-${accountId}-${region}`;
    const metricstore = `aliyun-prom-${args.cluster_id}`;
    const answer = await (await clients.sls(region, { ai: true })).callAiTools('text_to_promql', region, {
      project,
      metricstore,
      'sys.query': aiQuestion(args.text),
    });
    return { promql: aiAnswer(answer.text), project, metricstore, request_id: answer.requestId ?? null };
  },
});
