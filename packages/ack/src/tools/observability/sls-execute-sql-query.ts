import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isoOf, parseTimeRange } from '../../observability/time.js';
import { ackTool } from '../context.js';
import { ClusterId, clusterLogProject, LogstoreName, observability, TimeText } from './common.js';

export const slsExecuteSqlQuery = ackTool({
  name: 'sls_execute_sql_query',
  title: 'Query cluster logs in SLS',
  description:
    "Runs an SLS search or SQL query (e.g. `type: Warning | SELECT reason, count(*) AS n GROUP BY reason`) on the cluster's log project " +
    'k8s-log-<cluster_id>, logstore k8s-event (Kubernetes events) by default. Rows come newest first, as SLS returns them (text fields).',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    query: z.string().trim().min(1).max(8000).describe('SLS query: a search, or search | SQL'),
    logstore: LogstoreName.optional(),
    from_time: TimeText.optional().describe('Start (default 1h)'),
    to_time: TimeText.optional().describe('End (default now)'),
    limit: z.number().int().min(1).max(100).optional().describe('Most rows (1–100, default 100)'),
  }),
  output: z.object({
    project: z.string(),
    logstore: z.string(),
    query: z.string(),
    from: z.string(),
    to: z.string(),
    rows: z.array(z.record(z.string(), z.string())),
    count: z.number().int(),
    complete: z.boolean().describe('False when SLS still reported Incomplete at the deadline: rows may be missing'),
    request_id: z.string().nullable(),
  }),
  async handler(args, ctx) {
    const { start, end } = parseTimeRange(args.from_time ?? '1h', args.to_time);
    const clients = await observability(ctx);
    const region = await clients.clusterRegion(args.cluster_id);
    const project = clusterLogProject(args.cluster_id);
    const logstore = args.logstore ?? 'k8s-event';
    const sls = await clients.sls(region);
    const answer = await sls.getLogs({
      project,
      logstore,
      from: start,
      to: end,
      query: args.query,
      line: args.limit ?? 100,
      reverse: true,
    });
    if (!answer.complete && answer.rows.length === 0) {
      throw new OpsError('TIMEOUT', `SLS did not finish the query on ${logstore} within API_TIMEOUT.`, {
        retryable: true,
        ...(answer.requestId ? { upstream: { requestId: answer.requestId } } : {}),
        hint: 'Narrow the time range or the query, or raise API_TIMEOUT.',
      });
    }
    return {
      project,
      logstore,
      query: args.query,
      from: isoOf(start),
      to: isoOf(end),
      rows: answer.rows,
      count: answer.rows.length,
      complete: answer.complete,
      request_id: answer.requestId ?? null,
    };
  },
});
