import type { DescribeVolumesCommandOutput } from '@aws-sdk/client-ec2';
import type { ToolContext } from '@opsmcp/core';
import { ec2Client } from './clients.js';
import { mapAwsError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

export interface AwsVolume {
  volumeId: string;
  device: string | null;
  volumeType: string | null;
  sizeGiB: number | null;
  iops: number | null;
  throughputMiBps: number | null;
  encrypted: boolean | null;
  state: string | null;
  attachmentState: string | null;
  deleteOnTermination: boolean | null;
  snapshotId: string | null;
  availabilityZone: string | null;
  createdAt: string | null;
}

const MAX_PAGES = 10;

/** The EBS volumes attached to one instance: one DescribeVolumes filtered by attachment (paged to the end). */
export async function describeInstanceVolumes(
  ctx: AnyContext,
  region: string,
  instanceId: string,
): Promise<{ volumes: AwsVolume[]; truncated: boolean; requestId: string | null }> {
  const client = await ec2Client(ctx, region);
  const { DescribeVolumesCommand } = await import('@aws-sdk/client-ec2');
  const volumes: AwsVolume[] = [];
  let requestId: string | null = null;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output: DescribeVolumesCommandOutput;
    try {
      output = await client.send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (error) {
      throw mapAwsError(error, `EC2 DescribeVolumes in ${region}`);
    }
    requestId ??= output.$metadata.requestId ?? null;
    for (const v of output.Volumes ?? []) {
      const attachment = v.Attachments?.find((a) => a.InstanceId === instanceId);
      volumes.push({
        volumeId: v.VolumeId ?? '',
        device: attachment?.Device ?? null,
        volumeType: v.VolumeType ?? null,
        sizeGiB: v.Size ?? null,
        iops: v.Iops ?? null,
        throughputMiBps: v.Throughput ?? null,
        encrypted: v.Encrypted ?? null,
        state: v.State ?? null,
        attachmentState: attachment?.State ?? null,
        deleteOnTermination: attachment?.DeleteOnTermination ?? null,
        snapshotId: v.SnapshotId || null,
        availabilityZone: v.AvailabilityZone ?? null,
        createdAt: v.CreateTime ? v.CreateTime.toISOString() : null,
      });
    }
    nextToken = output.NextToken || undefined;
    if (!nextToken) return { volumes: sortByDevice(volumes), truncated: false, requestId };
  }
  return { volumes: sortByDevice(volumes), truncated: true, requestId };
}

const sortByDevice = (volumes: AwsVolume[]) =>
  volumes.sort((a, b) => (a.device ?? '').localeCompare(b.device ?? '') || a.volumeId.localeCompare(b.volumeId));
