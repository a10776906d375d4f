import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, clusterLogProject, LogstoreName, observability } from './common.js';
import { aiAnswer, aiQuestion, NaturalText } from './sls-common.js';

export const slsTranslateTextToSqlQuery = ackTool({
  name: 'sls_translate_text_to_sql_query',
  title: 'Translate a question into an SLS query',
  description:
    "Asks SLS's AI tool text_to_sql to turn a question (e.g. 'warning events of the last hour by reason') into an SLS query " +
    "for the cluster's log project (logstore k8s-event by default). Run the result with sls_execute_sql_query.",
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    text: NaturalText.describe('The question, in any language'),
    logstore: LogstoreName.optional(),
  }),
  output: z.object({ query: z.string(), project: z.string(), logstore: z.string(), request_id: z.string().nullable() }),
  async handler(args, ctx) {
    const clients = await observability(ctx);
    const region = await clients.clusterRegion(args.cluster_id);
    const project = clusterLogProject(args.cluster_id);
    const logstore = args.logstore ?? 'k8s-event';
    const answer = await (await clients.sls(region, { ai: true })).callAiTools('text_to_sql', region, {
      project,
      logstore,
      'sys.query': aiQuestion(args.text),
    });
    return { query: aiAnswer(answer.text), project, logstore, request_id: answer.requestId ?? null };
  },
});
