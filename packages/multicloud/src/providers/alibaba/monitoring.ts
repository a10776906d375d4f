import { OpsError, type ToolContext } from '@opsmcp/core';
import { alibabaRegionOf, callEcs, ecsClient, runtimeOf } from './client.js';
import { ECS_INSTANCE_ID } from './instances.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** DescribeInstanceMonitorData answers at most 400 points per call, at one of these periods. */
export const ECS_MONITOR_PERIODS = [60, 600, 3600] as const;
export const ECS_MAX_POINTS = 400;
/** 400 hourly points: the longest range one call covers (ECS keeps 30 days). */
export const ECS_MAX_HOURS = 400;

/** The finest period that covers `hours` within 400 points. */
export function monitorPeriod(hours: number): (typeof ECS_MONITOR_PERIODS)[number] {
  for (const period of ECS_MONITOR_PERIODS) if ((hours * 3600) / period <= ECS_MAX_POINTS) return period;
  return 3600;
}

export interface EcsMonitorPoint {
  timestamp: string;
  cpuPercent: number | null;
  internetRxKbits: number | null;
  internetTxKbits: number | null;
  internetBandwidthKbps: number | null;
  intranetRxKbits: number | null;
  intranetTxKbits: number | null;
  intranetBandwidthKbps: number | null;
  iopsRead: number | null;
  iopsWrite: number | null;
  bpsRead: number | null;
  bpsWrite: number | null;
}

interface MonitorModel {
  timeStamp?: string;
  CPU?: number;
  internetRX?: number;
  internetTX?: number;
  internetBandwidth?: number;
  intranetRX?: number;
  intranetTX?: number;
  intranetBandwidth?: number;
  IOPSRead?: number;
  IOPSWrite?: number;
  BPSRead?: number;
  BPSWrite?: number;
}

/** `2024-03-08T10:00:00Z` as the API wants it (UTC, no milliseconds). */
const apiTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** The instance's CPU, network and disk metrics over the last `hours`, oldest first. */
export async function describeMonitorData(
  ctx: AnyContext,
  instanceId: string,
  hours: number,
  region?: string,
  now: Date = new Date(),
): Promise<{
  region: string;
  period: number;
  start: string;
  end: string;
  points: EcsMonitorPoint[];
  requestId: string | null;
}> {
  if (!ECS_INSTANCE_ID.test(instanceId)) {
    throw new OpsError('INVALID_ARGUMENT', `"${instanceId.slice(0, 40)}" is not an ECS instance id.`);
  }
  const where = alibabaRegionOf(ctx, region);
  const period = monitorPeriod(hours);
  const end = new Date(Math.floor(now.getTime() / (period * 1000)) * period * 1000);
  const start = new Date(end.getTime() - hours * 3_600_000);
  const { client, models } = await ecsClient(ctx, where);
  const request = new models.DescribeInstanceMonitorDataRequest({
    instanceId,
    startTime: apiTime(start),
    endTime: apiTime(end),
    period,
  });
  const response = await callEcs(ctx, `ECS DescribeInstanceMonitorData ${instanceId}`, true, () =>
    client.describeInstanceMonitorDataWithOptions(request, runtimeOf(ctx)),
  );
  const body = response.body;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const points = ((body?.monitorData?.instanceMonitorData ?? []) as MonitorModel[])
    .map((m) => ({
      timestamp: m.timeStamp ?? '',
      cpuPercent: num(m.CPU),
      internetRxKbits: num(m.internetRX),
      internetTxKbits: num(m.internetTX),
      internetBandwidthKbps: num(m.internetBandwidth),
      intranetRxKbits: num(m.intranetRX),
      intranetTxKbits: num(m.intranetTX),
      intranetBandwidthKbps: num(m.intranetBandwidth),
      iopsRead: num(m.IOPSRead),
      iopsWrite: num(m.IOPSWrite),
      bpsRead: num(m.BPSRead),
      bpsWrite: num(m.BPSWrite),
    }))
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return {
    region: where,
    period,
    start: apiTime(start),
    end: apiTime(end),
    points,
    requestId: body?.requestId ?? null,
  };
}
