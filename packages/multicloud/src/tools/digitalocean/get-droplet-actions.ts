import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { digitaloceanClient } from '../../providers/digitalocean/droplets.js';
import { digitaloceanModule } from '../../providers/digitalocean/index.js';

export const getDigitalOceanDropletActions = defineTool({
  name: 'get_digitalocean_droplet_actions',
  title: 'DigitalOcean droplet action history',
  description:
    'Lists the actions of a droplet (power on/off, shutdown, reboot, resize, snapshot …), newest first, with their status (in-progress, completed, errored) and start and end times.',
  access: 'read',
  toolset: 'digitalocean',
  input: z.object({
    droplet_id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Droplet id (an integer)'),
    limit: z.number().int().min(1).max(1000).default(50).describe('Most actions to return (newest first), 1–1000'),
  }),
  output: z.object({
    dropletId: z.number().int(),
    actions: z.array(
      z.object({
        id: z.number().int(),
        type: z.string(),
        status: z.string().describe('in-progress, completed or errored'),
        startedAt: z.string().nullable(),
        completedAt: z.string().nullable(),
        region: z.string().nullable(),
      }),
    ),
    count: z.number().int(),
    total: z.number().int().nullable().describe('Actions the droplet has in all'),
    truncated: z.boolean().describe('True when more actions exist than were returned'),
  }),
  async handler({ droplet_id: dropletId, limit }, ctx) {
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const { items, truncated, total } = await client.listDropletActions(dropletId, limit);
    return {
      dropletId,
      actions: items.map((a) => ({
        id: a.id,
        type: a.type,
        status: a.status,
        startedAt: a.started_at ?? null,
        completedAt: a.completed_at ?? null,
        region: a.region_slug ?? null,
      })),
      count: items.length,
      total,
      truncated,
    };
  },
});
