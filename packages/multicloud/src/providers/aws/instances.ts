import type { DescribeInstancesCommandOutput, Filter, Instance } from '@aws-sdk/client-ec2';
import { mapBounded, OpsError, type ToolContext } from '@opsmcp/core';
import { normalizeIp } from '../../power/ip.js';
import type { InstanceSummary } from '../types.js';
import { ec2Client, regionOf, searchRegions } from './clients.js';
import { mapAwsError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** EC2 instance ids: `i-` and 8 or 17 hex digits. */
export const AWS_INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Pages of DescribeInstances followed at most (1,000 instances each). */
export const AWS_MAX_PAGES = 20;
const PAGE_SIZE = 1000;

/** An EC2 instance with the fields the tools show besides the summary. */
export interface AwsInstance {
  summary: InstanceSummary;
  availabilityZone: string | null;
  publicDnsName: string | null;
  privateDnsName: string | null;
  vpcId: string | null;
  subnetId: string | null;
  imageId: string | null;
  keyName: string | null;
  platform: string | null;
  architecture: string | null;
  stateReason: string | null;
  securityGroups: Array<{ id: string; name: string }>;
  blockDevices: Array<{
    device: string;
    volumeId: string | null;
    status: string | null;
    deleteOnTermination: boolean | null;
  }>;
  monitoring: string | null;
  rootDeviceName: string | null;
}

const STOPPED_STATES = new Set(['stopped', 'terminated']);

/** An SDK instance as the common summary plus the EC2 details. */
export function toAwsInstance(instance: Instance, region: string): AwsInstance {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  const publicIps = new Set<string>();
  const privateIps = new Set<string>();
  if (instance.PublicIpAddress) publicIps.add(normalizeIp(instance.PublicIpAddress));
  if (instance.PrivateIpAddress) privateIps.add(instance.PrivateIpAddress);
  for (const eni of instance.NetworkInterfaces ?? []) {
    for (const address of eni.PrivateIpAddresses ?? []) {
      if (address.PrivateIpAddress) privateIps.add(address.PrivateIpAddress);
      if (address.Association?.PublicIp) publicIps.add(normalizeIp(address.Association.PublicIp));
    }
    for (const v6 of eni.Ipv6Addresses ?? []) if (v6.Ipv6Address) publicIps.add(normalizeIp(v6.Ipv6Address));
  }
  const state = instance.State?.Name ?? 'unknown';
  const cores = instance.CpuOptions?.CoreCount;
  const threads = instance.CpuOptions?.ThreadsPerCore;
  return {
    summary: {
      provider: 'aws',
      id: instance.InstanceId ?? '',
      name: tags.Name ?? '',
      state,
      running: state === 'running' ? true : STOPPED_STATES.has(state) ? false : null,
      publicIps: [...publicIps],
      privateIps: [...privateIps],
      region,
      type: instance.InstanceType ?? null,
      vcpus: cores !== undefined ? cores * (threads ?? 1) : null,
      memoryMb: null,
      tags,
      createdAt: instance.LaunchTime ? instance.LaunchTime.toISOString() : null,
    },
    availabilityZone: instance.Placement?.AvailabilityZone ?? null,
    publicDnsName: instance.PublicDnsName || null,
    privateDnsName: instance.PrivateDnsName || null,
    vpcId: instance.VpcId ?? null,
    subnetId: instance.SubnetId ?? null,
    imageId: instance.ImageId ?? null,
    keyName: instance.KeyName ?? null,
    platform: instance.PlatformDetails ?? null,
    architecture: instance.Architecture ?? null,
    stateReason: instance.StateReason?.Message ?? (instance.StateTransitionReason || null),
    securityGroups: (instance.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? '', name: g.GroupName ?? '' })),
    blockDevices: (instance.BlockDeviceMappings ?? []).map((b) => ({
      device: b.DeviceName ?? '',
      volumeId: b.Ebs?.VolumeId ?? null,
      status: b.Ebs?.Status ?? null,
      deleteOnTermination: b.Ebs?.DeleteOnTermination ?? null,
    })),
    monitoring: instance.Monitoring?.State ?? null,
    rootDeviceName: instance.RootDeviceName ?? null,
  };
}

export interface AwsInstancePage {
  instances: AwsInstance[];
  /** True when more pages existed than AWS_MAX_PAGES. */
  truncated: boolean;
  requestIds: string[];
}

/** DescribeInstances with these filters (or ids), following NextToken to the end (bounded). */
export async function describeInstances(
  ctx: AnyContext,
  region: string,
  query: { filters?: Filter[]; instanceIds?: string[] },
): Promise<AwsInstancePage> {
  const client = await ec2Client(ctx, region);
  const { DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const instances: AwsInstance[] = [];
  const requestIds: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < AWS_MAX_PAGES; page++) {
    let output: DescribeInstancesCommandOutput;
    try {
      output = await client.send(
        new DescribeInstancesCommand({
          ...(query.filters ? { Filters: query.filters } : {}),
          ...(query.instanceIds ? { InstanceIds: query.instanceIds } : { MaxResults: PAGE_SIZE }),
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (error) {
      throw mapAwsError(error, `EC2 DescribeInstances in ${region}`);
    }
    if (output.$metadata.requestId) requestIds.push(output.$metadata.requestId);
    for (const reservation of output.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) instances.push(toAwsInstance(instance, region));
    }
    nextToken = output.NextToken || undefined;
    if (!nextToken) return { instances, truncated: false, requestIds };
  }
  return { instances, truncated: true, requestIds };
}

/** One instance by id; RESOURCE_NOT_FOUND when EC2 does not know it. */
export async function getAwsInstance(ctx: AnyContext, id: string, region?: string): Promise<AwsInstance> {
  if (!AWS_INSTANCE_ID.test(id)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `"${id.slice(0, 40)}" is not an EC2 instance id (i- and 8 or 17 hex digits).`,
    );
  }
  const where = regionOf(ctx, region);
  const { instances } = await describeInstances(ctx, where, { instanceIds: [id] });
  const found = instances.find((i) => i.summary.id === id);
  if (!found) throw new OpsError('RESOURCE_NOT_FOUND', `EC2 instance ${id} was not found in ${where}.`);
  return found;
}

/** The filters that find an instance by a public address: its primary public IP or any ENI association (EIPs, secondary ENIs). */
function ipFilters(ip: string): Filter[][] {
  if (ip.includes(':')) return [[{ Name: 'network-interface.ipv6-addresses.ipv6-address', Values: [ip] }]];
  return [
    [{ Name: 'ip-address', Values: [ip] }],
    [{ Name: 'network-interface.addresses.association.public-ip', Values: [ip] }],
  ];
}

/** Instances with this public IP in the given region, or across AWS_REGIONS concurrently. */
export async function findAwsByIp(ctx: AnyContext, ip: string, region?: string): Promise<AwsInstance[]> {
  const address = normalizeIp(ip);
  const regions = region ? [region] : searchRegions(ctx);
  const searches = regions.flatMap((r) => ipFilters(address).map((filters) => ({ region: r, filters })));
  const results = await mapBounded(searches, 8, (s) => describeInstances(ctx, s.region, { filters: s.filters }));
  const byId = new Map<string, AwsInstance>();
  for (const result of results) for (const instance of result.instances) byId.set(instance.summary.id, instance);
  return [...byId.values()];
}
