import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InstanceId, InstancePage, Paging, RegionArg } from './schemas.js';

export const describeGroups = rocketmqTool({
  name: 'DescribeGroups',
  title: 'List consumer groups of an instance',
  description:
    'Lists the consumer groups of an instance. Use it to look into groups named in inspection results ' +
    '(for example a subscribeConsistency finding).',
  access: 'read',
  input: z.object({
    InstanceId,
    RegionId: RegionArg,
    ...Paging,
    GroupId: z.string().trim().min(1).max(128).optional().describe('Fuzzy match on the group ID'),
    GroupType: z.enum(['TCP']).optional().describe('Only TCP is documented (the default)'),
  }),
  output: z.object({
    ...InstancePage,
    GroupsInfo: z.array(
      z.object({
        GroupId: z.string().optional(),
        GroupType: z.string().optional(),
        Description: z.string().optional(),
      }),
    ),
  }),
  async handler({ RegionId, ...params }, ctx) {
    const { result } = await ctx.clients.api.call<{ Total?: number; GroupsInfo?: unknown[] }>(
      'DescribeGroups',
      params,
      {
        region: RegionId,
      },
    );
    return { InstanceId: params.InstanceId, Total: result.Total, GroupsInfo: (result.GroupsInfo ?? []) as never[] };
  },
});
