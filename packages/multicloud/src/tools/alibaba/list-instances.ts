import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { alibabaRegionOf } from '../../providers/alibaba/client.js';
import { alibabaModule } from '../../providers/alibaba/index.js';
import { describeEcsInstances, ECS_MAX_PAGES } from '../../providers/alibaba/instances.js';
import { assertAvailable } from '../../providers/availability.js';
import { instanceSummarySchema } from '../../providers/schema.js';
import { alibabaRegionInput } from './schemas.js';

export const listAlibabaInstances = defineTool({
  name: 'list_alibaba_instances',
  title: 'List Alibaba Cloud ECS instances',
  description: `Lists the ECS instances of one region, every page (NextToken; at most ${ECS_MAX_PAGES * 100} instances, the result says when it was cut): id, name, status, type, vCPUs, memory, public IPs and EIPs, private IPs, tags.`,
  access: 'read',
  toolset: 'alibaba',
  input: z.object({ region: alibabaRegionInput }),
  output: z.object({
    region: z.string(),
    count: z.number(),
    totalCount: z.number().nullable().describe('What ECS reported as the total'),
    instances: z.array(instanceSummarySchema.extend({ zoneId: z.string().nullable() })),
    truncated: z.boolean(),
    note: z.string().optional(),
  }),
  async handler({ region }, ctx) {
    assertAvailable(ctx, alibabaModule);
    const where = alibabaRegionOf(ctx, region);
    const page = await describeEcsInstances(ctx, where);
    return {
      region: where,
      count: page.instances.length,
      totalCount: page.totalCount,
      instances: page.instances.map((i) => ({ ...i.summary, zoneId: i.zoneId })),
      truncated: page.truncated,
      ...(page.truncated
        ? { note: `Only the first ${ECS_MAX_PAGES * 100} instances were read; use the ECS console for the rest.` }
        : {}),
    };
  },
});
