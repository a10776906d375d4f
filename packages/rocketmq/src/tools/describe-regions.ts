import { z } from 'zod';
import { rocketmqTool } from './context.js';

export const describeRegions = rocketmqTool({
  name: 'DescribeRegions',
  title: 'List RocketMQ regions',
  description:
    'Lists the regions where this account can use Volcengine RocketMQ, with their status. ' +
    'Use it to pick a RegionId for the other tools or to plan multi-region deployments.',
  access: 'read',
  input: z.object({}),
  output: z.object({
    Regions: z.array(
      z.object({
        RegionId: z.string().optional(),
        RegionName: z.string().optional(),
        RegionStatus: z.string().optional().describe('Available or Unavailable'),
        // The API really spells it this way.
        Describeption: z.string().optional().describe('Region description'),
      }),
    ),
  }),
  async handler(_args, ctx) {
    const { result } = await ctx.clients.api.call<{ Regions?: unknown[] }>('DescribeRegions', {});
    return { Regions: (result.Regions ?? []) as never[] };
  },
});
