import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { assertAvailable } from '../../providers/availability.js';
import { regionOf } from '../../providers/aws/clients.js';
import { awsModule, getAwsInstance } from '../../providers/aws/index.js';
import { describeInstanceVolumes } from '../../providers/aws/volumes.js';
import { awsInstanceIdInput, awsRegionInput } from './schemas.js';

export const getAwsInstanceStorageInfo = defineTool({
  name: 'get_aws_instance_storage_info',
  title: 'EBS volumes of an EC2 instance',
  description:
    'Lists the EBS volumes attached to one EC2 instance (read only): device, volume id, type, size in GiB, IOPS, throughput, encryption, state and delete-on-termination. Instance-store disks are not EBS volumes and are not listed.',
  access: 'read',
  toolset: 'aws',
  input: z.object({ instance_id: awsInstanceIdInput, region: awsRegionInput }),
  output: z.object({
    instanceId: z.string(),
    region: z.string(),
    rootDeviceName: z.string().nullable(),
    volumes: z.array(
      z.object({
        volumeId: z.string(),
        device: z.string().nullable(),
        volumeType: z.string().nullable(),
        sizeGiB: z.number().nullable(),
        iops: z.number().nullable(),
        throughputMiBps: z.number().nullable().describe('gp3 only; null for types without a throughput setting'),
        encrypted: z.boolean().nullable(),
        state: z.string().nullable(),
        attachmentState: z.string().nullable(),
        deleteOnTermination: z.boolean().nullable(),
        snapshotId: z.string().nullable(),
        availabilityZone: z.string().nullable(),
        createdAt: z.string().nullable(),
      }),
    ),
    totalSizeGiB: z.number(),
    truncated: z.boolean(),
    requestId: z.string().nullable(),
  }),
  async handler({ instance_id: instanceId, region }, ctx) {
    assertAvailable(ctx, awsModule);
    const where = regionOf(ctx, region);
    const instance = await getAwsInstance(ctx, instanceId, where);
    const { volumes, truncated, requestId } = await describeInstanceVolumes(ctx, where, instanceId);
    return {
      instanceId,
      region: where,
      rootDeviceName: instance.rootDeviceName,
      volumes,
      totalSizeGiB: volumes.reduce((sum, v) => sum + (v.sizeGiB ?? 0), 0),
      truncated,
      requestId,
    };
  },
});
