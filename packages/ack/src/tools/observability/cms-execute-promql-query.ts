import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, observability } from './common.js';
import { PromqlAnswerSchema, PromqlText, runPromql } from './promql.js';

const UnixSeconds = z.number().int().min(0).max(4_102_444_800);

export const cmsExecutePromqlQuery = ackTool({
  name: 'cms_execute_promql_query',
  title: 'Run PromQL (original name)',
  description:
    "The original ack-mcp-server's name for a range PromQL query over the last hour (or from_timestamp–to_timestamp, unix seconds). " +
    'Runs through the same path as query_prometheus, which takes more time formats.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    query: PromqlText,
    from_timestamp: UnixSeconds.optional().describe('Start, unix seconds (default now - 3600)'),
    to_timestamp: UnixSeconds.optional().describe('End, unix seconds (default now)'),
  }),
  output: PromqlAnswerSchema,
  async handler(args, ctx) {
    const to = args.to_timestamp ?? Math.floor(Date.now() / 1000);
    const from = args.from_timestamp ?? to - 3600;
    if (!(from < to)) throw new OpsError('INVALID_ARGUMENT', 'from_timestamp must be before to_timestamp.');
    return runPromql(await observability(ctx), {
      clusterId: args.cluster_id,
      query: args.query,
      start: from,
      end: to,
      maxSeries: ctx.settings.prometheusMaxSeries,
    });
  },
});
