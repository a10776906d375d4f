import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { VULTR_PAGING } from '../../providers/vultr/client.js';
import { vultrModule } from '../../providers/vultr/index.js';
import { vultrClient, vultrInstanceView, vultrInstanceViewSchema } from '../../providers/vultr/instances.js';

export const listVultrInstances = defineTool({
  name: 'list_vultr_instances',
  title: 'List Vultr instances',
  description:
    'Lists every instance of the Vultr account (following the cursor through all pages): power status, subscription status, plan, region, addresses and tags.',
  access: 'read',
  toolset: 'vultr',
  input: z.object({}),
  output: z.object({
    instances: z.array(vultrInstanceViewSchema),
    count: z.number().int(),
    truncated: z.boolean().describe('True when the listing stopped at its bound before the last page'),
    note: z.string().optional(),
  }),
  async handler(_args, ctx) {
    const client = await vultrClient(ctx, vultrModule);
    const { items, truncated } = await client.listInstances();
    return {
      instances: items.map(vultrInstanceView),
      count: items.length,
      truncated,
      ...(truncated
        ? {
            note: `Only the first ${VULTR_PAGING.maxPages} pages of ${VULTR_PAGING.perPage} instances were read; look instances up by id or IP for the rest.`,
          }
        : {}),
    };
  },
});
