import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { alibabaModule } from '../../providers/alibaba/index.js';
import { describeMonitorData, ECS_MAX_HOURS } from '../../providers/alibaba/monitoring.js';
import { assertAvailable } from '../../providers/availability.js';
import { alibabaRegionInput, ecsInstanceIdInput } from './schemas.js';

export const getAlibabaInstanceMonitoring = defineTool({
  name: 'get_alibaba_instance_monitoring',
  title: 'Metrics of an Alibaba Cloud ECS instance',
  description: `ECS monitoring data of one instance over the last hours (DescribeInstanceMonitorData): CPU %, public and internal traffic (kbit) and bandwidth (kbit/s), disk IOPS and bytes/s, oldest first. The period is the finest of 60 s, 600 s or 3600 s that stays within ECS's 400 points per call; hours 1–${ECS_MAX_HOURS}.`,
  access: 'read',
  toolset: 'alibaba',
  input: z.object({
    instance_id: ecsInstanceIdInput,
    region: alibabaRegionInput,
    hours: z
      .number()
      .int()
      .min(1)
      .max(ECS_MAX_HOURS)
      .default(1)
      .describe(`How many past hours to read (1–${ECS_MAX_HOURS}, default 1)`),
  }),
  output: z.object({
    instanceId: z.string(),
    region: z.string(),
    periodSeconds: z.number(),
    start: z.string(),
    end: z.string(),
    points: z.array(
      z.object({
        timestamp: z.string(),
        cpuPercent: z.number().nullable(),
        internetRxKbits: z.number().nullable(),
        internetTxKbits: z.number().nullable(),
        internetBandwidthKbps: z.number().nullable(),
        intranetRxKbits: z.number().nullable(),
        intranetTxKbits: z.number().nullable(),
        intranetBandwidthKbps: z.number().nullable(),
        iopsRead: z.number().nullable(),
        iopsWrite: z.number().nullable(),
        bpsRead: z.number().nullable(),
        bpsWrite: z.number().nullable(),
      }),
    ),
    requestId: z.string().nullable(),
  }),
  async handler({ instance_id: instanceId, region, hours }, ctx) {
    assertAvailable(ctx, alibabaModule);
    const result = await describeMonitorData(ctx, instanceId, hours, region);
    return {
      instanceId,
      region: result.region,
      periodSeconds: result.period,
      start: result.start,
      end: result.end,
      points: result.points,
      requestId: result.requestId,
    };
  },
});
