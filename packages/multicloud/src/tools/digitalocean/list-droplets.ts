import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { DIGITALOCEAN_PAGING } from '../../providers/digitalocean/client.js';
import { digitaloceanClient, dropletView, dropletViewSchema } from '../../providers/digitalocean/droplets.js';
import { digitaloceanModule } from '../../providers/digitalocean/index.js';

export const listDigitalOceanDroplets = defineTool({
  name: 'list_digitalocean_droplets',
  title: 'List DigitalOcean droplets',
  description:
    'Lists every droplet of the DigitalOcean account (all pages, GPU droplets included), sorted by id: status, size, region, addresses and tags.',
  access: 'read',
  toolset: 'digitalocean',
  input: z.object({}),
  output: z.object({
    droplets: z.array(dropletViewSchema),
    count: z.number().int(),
    truncated: z.boolean().describe('True when the listing stopped at its bound before the last page'),
    note: z.string().optional(),
  }),
  async handler(_args, ctx) {
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const { items, truncated } = await client.listDroplets();
    return {
      droplets: items.map((d) => dropletView(d)),
      count: items.length,
      truncated,
      ...(truncated
        ? {
            note: `Only the first ${DIGITALOCEAN_PAGING.maxPages} pages of ${DIGITALOCEAN_PAGING.perPage} droplets were read; look droplets up by id or IP for the rest.`,
          }
        : {}),
    };
  },
});
