import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isoOf, parseTimeRange } from '../../observability/time.js';
import { ackTool } from '../context.js';
import { ClusterId, observability, TimeText } from './common.js';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export const queryControlplaneLogs = ackTool({
  name: 'query_controlplane_logs',
  title: 'Search control-plane component logs',
  description:
    'Searches the logs of a managed control-plane component (apiserver, kcm, scheduler, ccm …) collected to SLS for the cluster ' +
    '(project and enabled components from CheckControlPlaneLogEnable, logstore <component>-<cluster_id>), newest first. ' +
    'filter_pattern is an SLS search, e.g. error and not "watch chan".',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    component_name: z
      .string()
      .trim()
      .min(2)
      .max(40)
      .regex(/^[a-z][a-z0-9-]*$/, 'a component name such as apiserver, kcm, scheduler or ccm')
      .describe('Component: apiserver, kcm, scheduler, ccm (those enabled for the cluster)'),
    filter_pattern: z.string().trim().min(1).max(4000).optional().describe('SLS search (default *)'),
    start_time: TimeText.default('24h'),
    end_time: TimeText.optional(),
    limit: z.number().int().min(1).max(100).default(10).describe('Most entries (1–100)'),
  }),
  output: z.object({
    project: z.string(),
    logstore: z.string(),
    query: z.string(),
    from: z.string(),
    to: z.string(),
    entries: z.array(
      z.object({
        timestamp: z.string().nullable(),
        level: z.string().nullable(),
        component: z.string(),
        message: z.string().nullable(),
        source: z.string().nullable(),
        raw_log: z.record(z.string(), z.string()),
      }),
    ),
    total: z.number().int(),
    complete: z.boolean(),
    request_id: z.string().nullable(),
  }),
  async handler(args, ctx) {
    const { start, end } = parseTimeRange(args.start_time, args.end_time);
    const clients = await observability(ctx);
    const region = await clients.clusterRegion(args.cluster_id);
    const config = await clients.controlPlaneLogs(args.cluster_id);
    if (!config.components.includes(args.component_name)) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        config.components.length
          ? `Control-plane logs of "${args.component_name}" are not collected for cluster ${args.cluster_id}; enabled: ${config.components.join(', ')}.`
          : `No control-plane component logs are collected for cluster ${args.cluster_id}.`,
        { hint: 'Enable the component in the ACK console (Operations → Log Center → Control Plane Component Logs).' },
      );
    }
    const logstore = `${args.component_name}-${args.cluster_id}`;
    const query = args.filter_pattern ?? '*';
    const answer = await (await clients.sls(region)).getLogs({
      project: config.project,
      logstore,
      from: start,
      to: end,
      query,
      line: args.limit,
      reverse: true,
    });
    const entries = answer.rows.map((row) => {
      const seconds = Number(row.__time__);
      return {
        timestamp: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null,
        level: text(row.level) ?? text(row.severity),
        component: args.component_name,
        message: text(row.message) ?? text(row.msg) ?? text(row.log) ?? text(row.content),
        source: text(row.source) ?? text(row.logger),
        raw_log: row,
      };
    });
    return {
      project: config.project,
      logstore,
      query,
      from: isoOf(start),
      to: isoOf(end),
      entries,
      total: entries.length,
      complete: answer.complete,
      request_id: answer.requestId ?? null,
    };
  },
});
