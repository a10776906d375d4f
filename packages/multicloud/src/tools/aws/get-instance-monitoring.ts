import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { assertAvailable } from '../../providers/availability.js';
import { regionOf } from '../../providers/aws/clients.js';
import { awsModule } from '../../providers/aws/index.js';
import { AWS_METRIC_PERIOD_SECONDS, getInstanceMetrics } from '../../providers/aws/metrics.js';
import { awsInstanceIdInput, awsRegionInput } from './schemas.js';

export const AWS_MAX_HOURS = 72;

export const getAwsInstanceMonitoring = defineTool({
  name: 'get_aws_instance_monitoring',
  title: 'CloudWatch metrics of an EC2 instance',
  description: `CloudWatch metrics of one EC2 instance over the last hours (read only): CPUUtilization (%), NetworkIn/NetworkOut (bytes per period), DiskReadOps/DiskWriteOps (instance-store disks only), each as Average and Maximum per ${AWS_METRIC_PERIOD_SECONDS / 60}-minute period, oldest first. One GetMetricData call; hours 1–${AWS_MAX_HOURS}.`,
  access: 'read',
  toolset: 'aws',
  input: z.object({
    instance_id: awsInstanceIdInput,
    hours: z
      .number()
      .int()
      .min(1)
      .max(AWS_MAX_HOURS)
      .default(1)
      .describe(`How many past hours to read (1–${AWS_MAX_HOURS}, default 1)`),
    region: awsRegionInput,
  }),
  output: z.object({
    instanceId: z.string(),
    region: z.string(),
    periodSeconds: z.number(),
    start: z.string(),
    end: z.string(),
    series: z.array(
      z.object({
        metric: z.string(),
        stat: z.enum(['Average', 'Maximum']),
        unit: z.string(),
        status: z.string().nullable().describe('Complete, or PartialData when CloudWatch cut the series'),
        points: z.array(z.object({ timestamp: z.string(), value: z.number() })),
      }),
    ),
    messages: z.array(z.string()),
    requestId: z.string().nullable(),
  }),
  async handler({ instance_id: instanceId, hours, region }, ctx) {
    assertAvailable(ctx, awsModule);
    const where = regionOf(ctx, region);
    const result = await getInstanceMetrics(ctx, where, instanceId, hours);
    return {
      instanceId,
      region: where,
      periodSeconds: AWS_METRIC_PERIOD_SECONDS,
      start: result.start,
      end: result.end,
      series: result.series,
      messages: result.messages,
      requestId: result.requestId,
    };
  },
});
