import { z } from 'zod';
import type { ObservabilityClients } from '../../observability/clients.js';
import { chooseStep, PROMETHEUS_MAX_POINTS, type PrometheusSeries } from '../../observability/prometheus.js';
import { isoOf } from '../../observability/time.js';

export const PromqlText = z
  .string()
  .trim()
  .min(1)
  .max(8000)
  .describe('PromQL expression, e.g. sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"}[5m]))');

export const PrometheusSeriesSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]).optional().describe('Instant queries: [unix seconds, value]'),
  values: z
    .array(z.tuple([z.number(), z.string()]))
    .optional()
    .describe('Range queries: [unix seconds, value] pairs'),
});

export const PromqlAnswerSchema = z.object({
  resultType: z.enum(['vector', 'matrix', 'scalar', 'string']),
  result: z
    .array(PrometheusSeriesSchema)
    .describe('Series as Prometheus returns them (a scalar or string is one series with no labels)'),
  query: z.string(),
  mode: z.enum(['instant', 'range']),
  time: z.string().optional().describe('Evaluation time of an instant query (RFC 3339)'),
  start: z.string().optional(),
  end: z.string().optional(),
  step_seconds: z.number().optional(),
  series_total: z.number().int(),
  truncated: z.boolean(),
  notes: z.array(z.string()),
  prometheus: z.string().describe('How the Prometheus endpoint was found (ARMS instance or setting)'),
});
export type PromqlAnswer = z.infer<typeof PromqlAnswerSchema>;

export interface PromqlRequest {
  clusterId: string;
  query: string;
  /** Unix seconds; with a start, a range query. */
  start?: number;
  end?: number;
  step?: number;
  maxSeries: number;
}

/** Runs one PromQL query on a cluster's Prometheus, bounded to maxSeries, steps kept within Prometheus' limit. */
export async function runPromql(clients: ObservabilityClients, request: PromqlRequest): Promise<PromqlAnswer> {
  const { api, location } = await clients.prometheus(request.clusterId);
  const notes: string[] = [];
  let answer: Awaited<ReturnType<typeof api.instant>>;
  const base = { query: request.query, prometheus: `${location.source}` };
  let shape: Pick<PromqlAnswer, 'mode' | 'time' | 'start' | 'end' | 'step_seconds'>;
  if (request.start !== undefined) {
    const end = request.end ?? Date.now() / 1000;
    const { step, raisedFrom } = chooseStep(request.start, end, request.step);
    if (raisedFrom !== undefined) {
      notes.push(
        `step raised from ${raisedFrom}s to ${step}s: the range would have exceeded Prometheus' limit of ${PROMETHEUS_MAX_POINTS} points per series.`,
      );
    }
    answer = await api.range(request.query, request.start, end, step);
    shape = { mode: 'range', start: isoOf(request.start), end: isoOf(end), step_seconds: step };
  } else {
    const time = request.end;
    answer = await api.instant(request.query, time);
    shape = { mode: 'instant', ...(time !== undefined ? { time: isoOf(time) } : {}) };
  }
  for (const warning of answer.warnings) notes.push(`Prometheus warning: ${warning}`);
  const data = answer.data;
  const all: PrometheusSeries[] =
    Array.isArray(data.result) && (data.resultType === 'vector' || data.resultType === 'matrix')
      ? (data.result as PrometheusSeries[])
      : [{ metric: {}, value: data.result as [number, string] }];
  const kept = all.slice(0, request.maxSeries);
  if (kept.length < all.length) {
    notes.push(
      `${all.length} series matched; the first ${kept.length} are shown. Narrow the query (labels, topk, sum by) to see the rest.`,
    );
  }
  return {
    resultType: data.resultType,
    result: kept.map((s) => ({
      metric: s.metric ?? {},
      ...(s.value ? { value: [Number(s.value[0]), String(s.value[1])] as [number, string] } : {}),
      ...(s.values ? { values: s.values.map((v) => [Number(v[0]), String(v[1])] as [number, string]) } : {}),
    })),
    ...base,
    ...shape,
    series_total: all.length,
    truncated: kept.length < all.length,
    notes,
  };
}
