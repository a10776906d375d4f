import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { parseStep } from '../../observability/prometheus.js';
import { parseTime } from '../../observability/time.js';
import { ackTool } from '../context.js';
import { ClusterId, observability, TimeText } from './common.js';
import { PromqlAnswerSchema, PromqlText, runPromql } from './promql.js';

export const StepText = z
  .union([
    z.number().positive().max(86_400),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?[smhd]?$/, 'a step is a duration such as 30s, 1m or 60'),
  ])
  .describe(
    'Range query resolution: seconds or 30s, 1m, 1h (default: about 300 points; raised when over 11,000 points)',
  );

export const queryPrometheus = ackTool({
  name: 'query_prometheus',
  title: 'Query Prometheus',
  description:
    "Runs PromQL against the cluster's Prometheus (its ARMS Managed Prometheus instance, or PROMETHEUS_HTTP_API*). " +
    'Without start_time it is an instant query (at end_time or now); with start_time a range query. ' +
    "The answer keeps Prometheus' shape (resultType, result with value or values), at most max_series series (a note says when cut). " +
    "Bad PromQL comes back as INVALID_ARGUMENT with Prometheus' message. query_prometheus_metric_guidance lists tested queries.",
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    promql: PromqlText,
    start_time: TimeText.optional().describe('Start of a range query: RFC 3339, unix seconds, or an age such as 1h'),
    end_time: TimeText.optional().describe('End of the range, or the time of an instant query (default now)'),
    step: StepText.optional(),
    max_series: z
      .number()
      .int()
      .min(1)
      .max(2000)
      .optional()
      .describe('Most series returned (default PROMETHEUS_MAX_SERIES, 200)'),
  }),
  output: PromqlAnswerSchema,
  async handler(args, ctx) {
    const now = Date.now();
    const start = args.start_time !== undefined ? parseTime(args.start_time, 'start_time', now) : undefined;
    const end = args.end_time !== undefined ? parseTime(args.end_time, 'end_time', now) : undefined;
    if (start !== undefined && !(start < (end ?? now / 1000))) {
      throw new OpsError('INVALID_ARGUMENT', 'start_time must be before end_time (or now).');
    }
    return runPromql(await observability(ctx), {
      clusterId: args.cluster_id,
      query: args.promql,
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : {}),
      ...(args.step !== undefined ? { step: parseStep(args.step) } : {}),
      maxSeries: args.max_series ?? ctx.settings.prometheusMaxSeries,
    });
  },
});
