import { z } from 'zod';
import { instanceSummarySchema, regionInput } from '../../providers/schema.js';

export const alibabaRegionInput = regionInput('Alibaba Cloud', 'cn-hangzhou');

export const ecsInstanceIdInput = z
  .string()
  .trim()
  .regex(/^i-[a-z0-9]{8,30}$/, 'an ECS instance id such as i-bp1hx8u4m2v0c7x5k301')
  .describe('ECS instance id (i-…)');

/** An ECS instance: the common summary plus ECS details. */
export const alibabaInstanceSchema = z.object({
  summary: instanceSummarySchema,
  hostName: z.string().nullable(),
  zoneId: z.string().nullable(),
  eip: z
    .object({ ip: z.string(), allocationId: z.string().nullable(), bandwidthMbps: z.number().nullable() })
    .nullable(),
  osName: z.string().nullable(),
  imageId: z.string().nullable(),
  vpcId: z.string().nullable(),
  vSwitchId: z.string().nullable(),
  networkType: z.string().nullable(),
  securityGroupIds: z.array(z.string()),
  chargeType: z.string().nullable(),
  internetChargeType: z.string().nullable(),
  internetMaxBandwidthOutMbps: z.number().nullable(),
  stoppedMode: z.string().nullable(),
  deletionProtection: z.boolean().nullable(),
  expiredTime: z.string().nullable(),
  startTime: z.string().nullable(),
  operationLocks: z.array(z.string()),
});
