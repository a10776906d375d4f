import { mapBounded, OpsError, type ToolContext } from '@opsmcp/core';
import { normalizeIp } from '../../power/ip.js';
import type { InstanceSummary, PowerAction, PowerResult } from '../types.js';
import { alibabaRegionOf, alibabaSearchRegions, callEcs, ecsClient, runtimeOf } from './client.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** ECS instance ids: `i-` then letters and digits (about 20 characters). */
export const ECS_INSTANCE_ID = /^i-[a-z0-9]{8,30}$/;

/** Pages of DescribeInstances followed at most (100 instances each). */
export const ECS_MAX_PAGES = 50;
const PAGE_SIZE = 100;

/** The SDK's camelCase instance model, the fields read here. */
interface EcsInstanceModel {
  instanceId?: string;
  instanceName?: string;
  hostName?: string;
  status?: string;
  instanceType?: string;
  cpu?: number;
  memory?: number;
  regionId?: string;
  zoneId?: string;
  creationTime?: string;
  startTime?: string;
  expiredTime?: string;
  instanceChargeType?: string;
  internetChargeType?: string;
  internetMaxBandwidthOut?: number;
  instanceNetworkType?: string;
  OSName?: string;
  OSNameEn?: string;
  osName?: string;
  osNameEn?: string;
  imageId?: string;
  stoppedMode?: string;
  deletionProtection?: boolean;
  publicIpAddress?: { ipAddress?: string[] };
  eipAddress?: { ipAddress?: string; allocationId?: string; bandwidth?: number };
  innerIpAddress?: { ipAddress?: string[] };
  vpcAttributes?: { vpcId?: string; vSwitchId?: string; privateIpAddress?: { ipAddress?: string[] } };
  securityGroupIds?: { securityGroupId?: string[] };
  operationLocks?: { lockReason?: Array<{ lockReason?: string; lockMsg?: string }> };
  tags?: { tag?: Array<{ tagKey?: string; tagValue?: string }> };
}

export interface AlibabaInstance {
  summary: InstanceSummary;
  hostName: string | null;
  zoneId: string | null;
  eip: { ip: string; allocationId: string | null; bandwidthMbps: number | null } | null;
  osName: string | null;
  imageId: string | null;
  vpcId: string | null;
  vSwitchId: string | null;
  networkType: string | null;
  securityGroupIds: string[];
  chargeType: string | null;
  internetChargeType: string | null;
  internetMaxBandwidthOutMbps: number | null;
  stoppedMode: string | null;
  deletionProtection: boolean | null;
  expiredTime: string | null;
  startTime: string | null;
  operationLocks: string[];
}

/** `2024-01-08T02:10Z` (ECS leaves out the seconds) as ISO 8601. */
function isoTime(value: string | undefined): string | null {
  if (!value) return null;
  const parsed = new Date(value.replace(/T(\d\d:\d\d)Z$/, 'T$1:00Z'));
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}

export function toAlibabaInstance(model: EcsInstanceModel, fallbackRegion: string): AlibabaInstance {
  const tags: Record<string, string> = {};
  for (const tag of model.tags?.tag ?? []) if (tag.tagKey) tags[tag.tagKey] = tag.tagValue ?? '';
  const eipIp = model.eipAddress?.ipAddress?.trim();
  // The EIP first: it is the address that stays with the instance.
  const publicIps = [...new Set([...(eipIp ? [eipIp] : []), ...(model.publicIpAddress?.ipAddress ?? [])])].map(
    normalizeIp,
  );
  const privateIps = [
    ...new Set([
      ...(model.vpcAttributes?.privateIpAddress?.ipAddress ?? []),
      ...(model.innerIpAddress?.ipAddress ?? []),
    ]),
  ];
  const state = model.status ?? 'Unknown';
  const locks = (model.operationLocks?.lockReason ?? []).map((l) => l.lockReason ?? l.lockMsg ?? 'locked');
  return {
    summary: {
      provider: 'alibaba',
      id: model.instanceId ?? '',
      name: model.instanceName ?? '',
      state,
      running: state === 'Running' ? true : state === 'Stopped' ? false : null,
      publicIps,
      privateIps,
      region: model.regionId ?? fallbackRegion,
      type: model.instanceType ?? null,
      vcpus: model.cpu ?? null,
      memoryMb: model.memory ?? null,
      tags,
      createdAt: isoTime(model.creationTime),
      ...(locks.length > 0 ? { locked: true } : {}),
    },
    hostName: model.hostName ?? null,
    zoneId: model.zoneId ?? null,
    eip: eipIp
      ? {
          ip: eipIp,
          allocationId: model.eipAddress?.allocationId || null,
          bandwidthMbps: model.eipAddress?.bandwidth ?? null,
        }
      : null,
    osName: model.OSNameEn ?? model.osNameEn ?? model.OSName ?? model.osName ?? null,
    imageId: model.imageId ?? null,
    vpcId: model.vpcAttributes?.vpcId || null,
    vSwitchId: model.vpcAttributes?.vSwitchId || null,
    networkType: model.instanceNetworkType ?? null,
    securityGroupIds: model.securityGroupIds?.securityGroupId ?? [],
    chargeType: model.instanceChargeType ?? null,
    internetChargeType: model.internetChargeType || null,
    internetMaxBandwidthOutMbps: model.internetMaxBandwidthOut ?? null,
    stoppedMode: model.stoppedMode ?? null,
    deletionProtection: model.deletionProtection ?? null,
    expiredTime: isoTime(model.expiredTime),
    startTime: isoTime(model.startTime),
    operationLocks: locks,
  };
}

export interface DescribeQuery {
  instanceIds?: string[];
  publicIpAddresses?: string[];
  eipAddresses?: string[];
}

/** DescribeInstances in one region with these filters, following NextToken to the end (bounded). */
export async function describeEcsInstances(
  ctx: AnyContext,
  region: string,
  query: DescribeQuery = {},
): Promise<{ instances: AlibabaInstance[]; truncated: boolean; totalCount: number | null; requestIds: string[] }> {
  const { client, models } = await ecsClient(ctx, region);
  const instances: AlibabaInstance[] = [];
  const requestIds: string[] = [];
  let totalCount: number | null = null;
  let nextToken: string | undefined;
  for (let page = 0; page < ECS_MAX_PAGES; page++) {
    const request = new models.DescribeInstancesRequest({
      regionId: region,
      maxResults: PAGE_SIZE,
      ...(query.instanceIds ? { instanceIds: JSON.stringify(query.instanceIds) } : {}),
      ...(query.publicIpAddresses ? { publicIpAddresses: JSON.stringify(query.publicIpAddresses) } : {}),
      ...(query.eipAddresses ? { eipAddresses: JSON.stringify(query.eipAddresses) } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    const response = await callEcs(ctx, `ECS DescribeInstances in ${region}`, true, () =>
      client.describeInstancesWithOptions(request, runtimeOf(ctx)),
    );
    const body = response.body;
    if (body?.requestId) requestIds.push(body.requestId);
    totalCount ??= body?.totalCount ?? null;
    for (const model of (body?.instances?.instance ?? []) as EcsInstanceModel[]) {
      instances.push(toAlibabaInstance(model, region));
    }
    nextToken = body?.nextToken || undefined;
    if (!nextToken) return { instances, truncated: false, totalCount, requestIds };
  }
  return { instances, truncated: true, totalCount, requestIds };
}

export async function getAlibabaInstance(ctx: AnyContext, id: string, region?: string): Promise<AlibabaInstance> {
  if (!ECS_INSTANCE_ID.test(id)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `"${id.slice(0, 40)}" is not an ECS instance id (i- and letters and digits).`,
    );
  }
  const where = alibabaRegionOf(ctx, region);
  const { instances } = await describeEcsInstances(ctx, where, { instanceIds: [id] });
  const found = instances.find((i) => i.summary.id === id);
  if (!found) throw new OpsError('RESOURCE_NOT_FOUND', `ECS instance ${id} was not found in ${where}.`);
  return found;
}

/** Instances whose public IP or EIP is `ip`, in one region or across ALIBABA_CLOUD_REGIONS concurrently. */
export async function findAlibabaByIp(ctx: AnyContext, ip: string, region?: string): Promise<AlibabaInstance[]> {
  const address = normalizeIp(ip);
  const regions = region ? [region] : alibabaSearchRegions(ctx);
  const searches = regions.flatMap((r) => [
    { region: r, query: { publicIpAddresses: [address] } },
    { region: r, query: { eipAddresses: [address] } },
  ]);
  const results = await mapBounded(searches, 8, (s) => describeEcsInstances(ctx, s.region, s.query));
  const byId = new Map<string, AlibabaInstance>();
  for (const r of results) for (const i of r.instances) byId.set(i.summary.id, i);
  return [...byId.values()];
}

/**
 * How a stopped instance is billed: KeepCharging keeps its resources (and a non-EIP public IP);
 * StopCharging may hand the public IP to someone else. Sent explicitly so the result never
 * depends on an account default.
 */
export const ECS_STOPPED_MODE = 'KeepCharging';

/** Start, Stop (forced for power_off, graceful for shutdown) or Reboot (graceful); sent once. */
export async function powerAlibabaInstance(
  ctx: AnyContext,
  id: string,
  action: PowerAction,
  region?: string,
): Promise<PowerResult> {
  const where = alibabaRegionOf(ctx, region);
  const { client, models } = await ecsClient(ctx, where);
  const runtime = runtimeOf(ctx);
  let requestId: string | undefined;
  if (action === 'power_on') {
    const response = await callEcs(ctx, `ECS StartInstance ${id}`, false, () =>
      client.startInstanceWithOptions(new models.StartInstanceRequest({ instanceId: id }), runtime),
    );
    requestId = response.body?.requestId;
  } else if (action === 'reboot') {
    const response = await callEcs(ctx, `ECS RebootInstance ${id}`, false, () =>
      client.rebootInstanceWithOptions(new models.RebootInstanceRequest({ instanceId: id, forceStop: false }), runtime),
    );
    requestId = response.body?.requestId;
  } else {
    const request = new models.StopInstanceRequest({
      instanceId: id,
      forceStop: action === 'power_off',
      stoppedMode: ECS_STOPPED_MODE,
    });
    const response = await callEcs(ctx, `ECS StopInstance ${id}`, false, () =>
      client.stopInstanceWithOptions(request, runtime),
    );
    requestId = response.body?.requestId;
  }
  return {
    status: 'submitted',
    provider: 'alibaba',
    instanceId: id,
    action,
    providerActionId: requestId ?? null,
    requestId: requestId ?? null,
  };
}
