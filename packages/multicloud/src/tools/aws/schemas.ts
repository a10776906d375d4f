import { z } from 'zod';
import { instanceSummarySchema, regionInput } from '../../providers/schema.js';

export const awsRegionInput = regionInput('AWS', 'us-east-1');

export const awsInstanceIdInput = z
  .string()
  .trim()
  .regex(/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, 'an EC2 instance id such as i-0a1b2c3d4e5f60001')
  .describe('EC2 instance id (i- and 8 or 17 hex digits)');

/** An EC2 instance: the common summary plus EC2 details. */
export const awsInstanceSchema = z.object({
  summary: instanceSummarySchema,
  availabilityZone: z.string().nullable(),
  publicDnsName: z.string().nullable(),
  privateDnsName: z.string().nullable(),
  vpcId: z.string().nullable(),
  subnetId: z.string().nullable(),
  imageId: z.string().nullable(),
  keyName: z.string().nullable(),
  platform: z.string().nullable(),
  architecture: z.string().nullable(),
  stateReason: z.string().nullable(),
  securityGroups: z.array(z.object({ id: z.string(), name: z.string() })),
  blockDevices: z.array(
    z.object({
      device: z.string(),
      volumeId: z.string().nullable(),
      status: z.string().nullable(),
      deleteOnTermination: z.boolean().nullable(),
    }),
  ),
  monitoring: z.string().nullable().describe('CloudWatch detailed monitoring: enabled or disabled'),
  rootDeviceName: z.string().nullable(),
});
