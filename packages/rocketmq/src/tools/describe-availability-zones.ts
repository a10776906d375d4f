import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { RegionId } from './schemas.js';

export const describeAvailabilityZones = rocketmqTool({
  name: 'DescribeAvailabilityZones',
  title: 'List RocketMQ availability zones',
  description:
    'Lists the availability zones of a region that support RocketMQ, with their status (Normal, Soldout, ' +
    'Unavailable). Use it when choosing where to create an instance or planning zone-level disaster recovery.',
  access: 'read',
  input: z.object({ RegionId }),
  output: z.object({
    RegionId: z.string(),
    Zones: z.array(
      z.object({
        ZoneId: z.string().optional(),
        ZoneName: z.string().optional(),
        Description: z.string().optional(),
        ZoneStatus: z.string().optional().describe('Normal, Soldout or Unavailable'),
      }),
    ),
  }),
  async handler(args, ctx) {
    // Signed for the asked region too: the credential scope is what selects the serving region.
    const { result } = await ctx.clients.api.call<{ RegionId?: string; Zones?: unknown[] }>(
      'DescribeAvailabilityZones',
      { RegionId: args.RegionId },
      { region: args.RegionId },
    );
    return { RegionId: result.RegionId ?? args.RegionId, Zones: (result.Zones ?? []) as never[] };
  },
});
