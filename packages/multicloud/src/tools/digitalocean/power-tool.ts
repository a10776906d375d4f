import { z } from 'zod';
import { definePowerTool } from '../../power/define.js';
import { digitaloceanModule } from '../../providers/digitalocean/index.js';
import type { PowerAction } from '../../providers/types.js';

const input = z.object({
  droplet_id: z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('Droplet id (an integer, e.g. 401234567); list_digitalocean_droplets shows it'),
  wait: z
    .boolean()
    .default(false)
    .describe('Wait (up to 45 s, with progress) until DigitalOcean reports the action completed or errored'),
});

const target = (args: z.infer<typeof input>) => ({ id: String(args.droplet_id), wait: args.wait });

/** A DigitalOcean power tool: the droplet id and `wait`; core adds the three confirmation fields. */
export const digitaloceanPowerTool = (action: PowerAction, name: string, title: string, description: string) =>
  definePowerTool({
    module: digitaloceanModule,
    action,
    name,
    title,
    description: `${description} Needs the triple confirmation (the droplet's public IP, its name and the operation). The action runs asynchronously: the result carries DigitalOcean's action id, and wait=true follows it to the end.`,
    toolset: 'digitalocean',
    input,
    target,
  });
