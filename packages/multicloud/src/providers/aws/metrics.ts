import type { GetMetricDataCommandOutput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ToolContext } from '@opsmcp/core';
import { cloudwatchClient } from './clients.js';
import { mapAwsError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** The EC2 metrics read, with their CloudWatch units. */
export const AWS_METRICS = [
  { id: 'cpu', name: 'CPUUtilization', unit: 'Percent' },
  { id: 'netin', name: 'NetworkIn', unit: 'Bytes' },
  { id: 'netout', name: 'NetworkOut', unit: 'Bytes' },
  { id: 'diskreadops', name: 'DiskReadOps', unit: 'Count' },
  { id: 'diskwriteops', name: 'DiskWriteOps', unit: 'Count' },
] as const;
export const AWS_STATS = ['Average', 'Maximum'] as const;

/** Basic monitoring publishes every 5 minutes; one point per 5 minutes is what it can give. */
export const AWS_METRIC_PERIOD_SECONDS = 300;
const MAX_PAGES = 10;

export interface AwsMetricSeries {
  metric: string;
  stat: (typeof AWS_STATS)[number];
  unit: string;
  status: string | null;
  points: Array<{ timestamp: string; value: number }>;
}

/** One GetMetricData call for five metrics × two statistics over the last `hours`; series sorted by time. */
export async function getInstanceMetrics(
  ctx: AnyContext,
  region: string,
  instanceId: string,
  hours: number,
  now: Date = new Date(),
): Promise<{ start: string; end: string; series: AwsMetricSeries[]; messages: string[]; requestId: string | null }> {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - hours * 3_600_000);
  const queries: MetricDataQuery[] = AWS_METRICS.flatMap((m) =>
    AWS_STATS.map((stat) => ({
      Id: `${m.id}_${stat.toLowerCase()}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/EC2', MetricName: m.name, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
        Period: AWS_METRIC_PERIOD_SECONDS,
        Stat: stat,
      },
      ReturnData: true,
    })),
  );
  const client = await cloudwatchClient(ctx, region);
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const points = new Map<string, Array<{ timestamp: string; value: number }>>();
  const status = new Map<string, string>();
  const messages: string[] = [];
  let requestId: string | null = null;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output: GetMetricDataCommandOutput;
    try {
      output = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (error) {
      throw mapAwsError(error, `CloudWatch GetMetricData in ${region}`);
    }
    requestId ??= output.$metadata.requestId ?? null;
    for (const result of output.MetricDataResults ?? []) {
      const id = result.Id ?? '';
      const list = points.get(id) ?? [];
      (result.Timestamps ?? []).forEach((t, i) => {
        const value = result.Values?.[i];
        if (value !== undefined) list.push({ timestamp: t.toISOString(), value });
      });
      points.set(id, list);
      if (result.StatusCode) status.set(id, result.StatusCode);
    }
    for (const m of output.Messages ?? []) if (m.Value) messages.push(`${m.Code ?? ''} ${m.Value}`.trim());
    nextToken = output.NextToken || undefined;
    if (!nextToken) break;
    if (page === MAX_PAGES - 1) messages.push('More data points existed than were read; narrow the time range.');
  }
  const series = AWS_METRICS.flatMap((m) =>
    AWS_STATS.map((stat) => {
      const id = `${m.id}_${stat.toLowerCase()}`;
      return {
        metric: m.name,
        stat,
        unit: m.unit,
        status: status.get(id) ?? null,
        points: (points.get(id) ?? []).sort((a, b) => a.timestamp.localeCompare(b.timestamp)),
      };
    }),
  );
  return { start: start.toISOString(), end: end.toISOString(), series, messages, requestId };
}
