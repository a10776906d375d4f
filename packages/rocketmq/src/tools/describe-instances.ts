import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InstanceInfo, Paging, RegionArg } from './schemas.js';

export const describeInstances = rocketmqTool({
  name: 'DescribeInstances',
  title: 'List RocketMQ instances',
  description:
    'Lists the RocketMQ instances of a region with their status, version (4.x or 5.x), capacity usage and ' +
    'whether risk inspection is on (EnableInspect). Filters narrow the list; InstanceId is an exact match ' +
    'and overrides the others. Start here to find instance IDs.',
  access: 'read',
  input: z.object({
    RegionId: RegionArg,
    ...Paging,
    InstanceId: z.string().trim().min(1).max(128).optional().describe('Exact instance ID'),
    InstanceName: z.string().trim().min(1).max(128).optional().describe('Fuzzy match on the name'),
    InstanceStatus: z.string().trim().min(1).max(64).optional().describe('e.g. Running'),
    Version: z.string().trim().min(1).max(16).optional().describe('e.g. 4.8 or 5.x'),
    ZoneId: z.string().trim().min(1).max(256).optional().describe('Zone ID; several comma-separated'),
    VpcId: z.string().trim().min(1).max(128).optional(),
    Spec: z.string().trim().min(1).max(128).optional().describe('Compute spec, e.g. rocketmq.n1.x2.small'),
    ProjectName: z.string().trim().min(1).max(128).optional(),
    ChargeType: z.enum(['PostPaid', 'PrePaid']).optional(),
    SortBy: z
      .enum(['InstanceName', 'InstanceStatus', 'CreateTime', 'UsedTopicNumber', 'UsedGroupNumber'])
      .optional()
      .describe('Default InstanceName'),
    SortOrder: z.enum(['Asc', 'Desc']).optional().describe('Default Desc'),
    TagFilters: z
      .array(z.object({ Key: z.string().min(1).max(128), Values: z.array(z.string().max(256)).max(20).optional() }))
      .max(20)
      .optional()
      .describe('Match instances carrying these tags'),
  }),
  output: z.object({
    RegionId: z.string(),
    Total: z.number().optional(),
    InstancesInfo: z.array(InstanceInfo),
  }),
  async handler({ RegionId, ...params }, ctx) {
    const region = RegionId ?? ctx.clients.api.defaultRegion;
    const { result } = await ctx.clients.api.call<{ Total?: number; InstancesInfo?: unknown[] }>(
      'DescribeInstances',
      params,
      { region },
    );
    return { RegionId: region, Total: result.Total, InstancesInfo: (result.InstancesInfo ?? []) as never[] };
  },
});
