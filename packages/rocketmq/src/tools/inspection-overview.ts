import { mapBounded, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import type { RocketMQClient } from '../volcengine/client.js';
import { rocketmqTool } from './context.js';
import type { InstanceDetail } from './describe-instance-detail.js';
import type { InspectResultPage } from './get-instance-inspect-result.js';
import { InstanceId, RegionArg } from './schemas.js';

/** How many instances are inspected at once, below the per-user API rate limits. */
const CONCURRENCY = 4;
/** Findings read per instance at most (pages of 100). */
const MAX_FINDINGS = 500;
const MAX_INSTANCES = 200;
const TOP_SUGGESTIONS = 5;
const LEVEL_RANK: Record<string, number> = { high: 3, medium: 2, low: 1 };

const LevelCounts = z.object({ high: z.number(), medium: z.number(), low: z.number(), other: z.number() });

const Suggestion = z.object({
  Suggestion: z.string(),
  Level: z.string(),
  InspectName: z.string(),
  Resource: z.array(z.string()),
  ResultId: z.string(),
});

const InstanceOverview = z.object({
  InstanceId: z.string(),
  InstanceName: z.string().optional(),
  InstanceStatus: z.string().optional(),
  Version: z.string().optional(),
  EnableInspect: z.boolean().optional().describe('Whether risk inspection is on'),
  InspectCnt: z.number().optional().describe('Rules inspected'),
  Unsolved: z.number().describe('Unsolved findings'),
  UnsolvedByLevel: LevelCounts,
  TopSuggestions: z.array(Suggestion).describe('Suggestions of the most severe, newest unsolved findings'),
  Truncated: z.boolean().optional().describe('More findings exist than were read'),
  Error: z.object({ Code: z.string(), Message: z.string() }).optional().describe('Why this instance could not be read'),
});

type Overview = z.infer<typeof InstanceOverview>;
type BasicInfo = InstanceDetail['BasicInfo'];

export const inspectionOverview = rocketmqTool({
  name: 'InspectionOverview',
  title: 'Risk inspection overview',
  description:
    'Summarises risk inspection for one instance (InstanceId) or for every instance of a region: whether ' +
    'inspection is on, unsolved findings counted by level (high, medium, low) and the top suggestions. ' +
    'Use it first when asked about the health or risks of RocketMQ; drill down with GetInstanceInspectResult.',
  access: 'read',
  input: z.object({
    InstanceId: InstanceId.optional().describe('One instance; omit to cover every instance of the region'),
    RegionId: RegionArg,
  }),
  output: z.object({
    RegionId: z.string(),
    InstanceCount: z.number(),
    InspectionDisabled: z.array(z.string()).describe('Instances with inspection off'),
    UnsolvedByLevel: LevelCounts,
    Instances: z.array(InstanceOverview),
    Truncated: z.boolean().optional().describe('The region has more instances than were read'),
  }),
  format: formatOverview,
  async handler({ InstanceId, RegionId }, ctx) {
    const api = ctx.clients.api;
    const region = RegionId ?? api.defaultRegion;
    let instances: BasicInfo[];
    let truncated = false;
    if (InstanceId) {
      const { result } = await api.call<InstanceDetail>('DescribeInstanceDetail', { InstanceId }, { region });
      instances = [{ ...result.BasicInfo, InstanceId }];
    } else {
      ({ instances, truncated } = await listInstances(api, region));
    }

    let done = 0;
    const overviews = await mapBounded(instances, CONCURRENCY, async (info) => {
      const overview = await overviewOf(api, region, info);
      done += 1;
      await ctx.progress(done, instances.length, `${info.InstanceId}`);
      return overview;
    });

    const total = { high: 0, medium: 0, low: 0, other: 0 };
    for (const o of overviews) {
      total.high += o.UnsolvedByLevel.high;
      total.medium += o.UnsolvedByLevel.medium;
      total.low += o.UnsolvedByLevel.low;
      total.other += o.UnsolvedByLevel.other;
    }
    return {
      RegionId: region,
      InstanceCount: overviews.length,
      InspectionDisabled: overviews.filter((o) => o.EnableInspect === false).map((o) => o.InstanceId),
      UnsolvedByLevel: total,
      Instances: overviews,
      ...(truncated ? { Truncated: true } : {}),
    };
  },
});

async function listInstances(
  api: RocketMQClient,
  region: string,
): Promise<{ instances: BasicInfo[]; truncated: boolean }> {
  const instances: BasicInfo[] = [];
  for (let page = 1; instances.length < MAX_INSTANCES; page++) {
    const { result } = await api.call<{ Total?: number; InstancesInfo?: BasicInfo[] }>(
      'DescribeInstances',
      { PageNumber: page, PageSize: 100 },
      { region },
    );
    const batch = result.InstancesInfo ?? [];
    instances.push(...batch);
    if (batch.length < 100 || instances.length >= (result.Total ?? 0)) return { instances, truncated: false };
  }
  return { instances: instances.slice(0, MAX_INSTANCES), truncated: true };
}

async function overviewOf(api: RocketMQClient, region: string, info: BasicInfo): Promise<Overview> {
  const InstanceId = info.InstanceId as string;
  const base = {
    InstanceId,
    InstanceName: info.InstanceName,
    InstanceStatus: info.InstanceStatus,
    Version: info.Version,
    EnableInspect: info.EnableInspect,
  };
  const counts = { high: 0, medium: 0, low: 0, other: 0 };
  try {
    const findings: InspectResultPage['Results'] = [];
    let inspectCnt: number | undefined;
    let total = 0;
    for (let page = 1; findings.length < MAX_FINDINGS; page++) {
      const { result } = await api.call<Partial<InspectResultPage>>(
        'GetInstanceInspectResult',
        { InstanceId, PageNumber: page, PageSize: 100, SortBy: 'TimeStamp', SortOrder: 'DESC' },
        { region },
      );
      const batch = result.Results ?? [];
      findings.push(...batch);
      inspectCnt = result.InspectCnt;
      total = result.Total ?? findings.length;
      if (batch.length < 100 || findings.length >= total) break;
    }
    const unsolved = findings.filter((f) => f.Status !== 'Solved');
    for (const f of unsolved) {
      const level = f.Level?.toLowerCase();
      if (level === 'high' || level === 'medium' || level === 'low') counts[level] += 1;
      else counts.other += 1;
    }
    return {
      ...base,
      InspectCnt: inspectCnt,
      Unsolved: unsolved.length,
      UnsolvedByLevel: counts,
      TopSuggestions: topSuggestions(unsolved),
      ...(findings.length < total ? { Truncated: true } : {}),
    };
  } catch (error) {
    const e = error instanceof OpsError ? error : new OpsError('INTERNAL', 'unexpected failure');
    return {
      ...base,
      Unsolved: 0,
      UnsolvedByLevel: counts,
      TopSuggestions: [],
      Error: { Code: e.upstream?.code ?? e.code, Message: e.message },
    };
  }
}

/** Most severe first, then newest; one entry per distinct suggestion text. */
function topSuggestions(unsolved: InspectResultPage['Results']): Overview['TopSuggestions'] {
  const ordered = [...unsolved].sort(
    (a, b) =>
      (LEVEL_RANK[b.Level?.toLowerCase() ?? ''] ?? 0) - (LEVEL_RANK[a.Level?.toLowerCase() ?? ''] ?? 0) ||
      Number(b.TimeStamp ?? 0) - Number(a.TimeStamp ?? 0),
  );
  const seen = new Set<string>();
  const out: Overview['TopSuggestions'] = [];
  for (const finding of ordered) {
    for (const text of finding.Suggestion ?? []) {
      if (seen.has(text) || out.length >= TOP_SUGGESTIONS) continue;
      seen.add(text);
      out.push({
        Suggestion: text,
        Level: finding.Level ?? 'unknown',
        InspectName: finding.InspectName ?? 'unknown',
        Resource: finding.Resource ?? [],
        ResultId: finding.ResultId ?? '',
      });
    }
  }
  return out;
}

function formatOverview(o: {
  RegionId: string;
  InstanceCount: number;
  InspectionDisabled: string[];
  UnsolvedByLevel: z.infer<typeof LevelCounts>;
  Instances: Overview[];
}): string {
  const lines = [
    `RocketMQ risk inspection in ${o.RegionId}: ${o.InstanceCount} instance(s); unsolved findings high ${o.UnsolvedByLevel.high}, medium ${o.UnsolvedByLevel.medium}, low ${o.UnsolvedByLevel.low}.`,
  ];
  if (o.InspectionDisabled.length) lines.push(`Inspection is off on: ${o.InspectionDisabled.join(', ')}.`);
  for (const i of o.Instances) {
    const head = `- ${i.InstanceId} (${i.InstanceName ?? 'unnamed'}, ${i.Version ?? '?'}, ${i.InstanceStatus ?? '?'}, inspection ${i.EnableInspect === false ? 'off' : 'on'})`;
    if (i.Error) {
      lines.push(`${head}: could not read findings: ${i.Error.Code}: ${i.Error.Message}`);
      continue;
    }
    lines.push(
      `${head}: ${i.Unsolved} unsolved (high ${i.UnsolvedByLevel.high}, medium ${i.UnsolvedByLevel.medium}, low ${i.UnsolvedByLevel.low})`,
    );
    for (const s of i.TopSuggestions) {
      lines.push(`    [${s.Level}] ${s.InspectName} on ${s.Resource.join(', ') || i.InstanceId}: ${s.Suggestion}`);
    }
  }
  lines.push('', JSON.stringify(o, null, 2));
  return lines.join('\n');
}
