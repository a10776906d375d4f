import { z } from 'zod';
import { definePowerTool } from '../../power/define.js';
import type { PowerAction } from '../../providers/types.js';
import { vultrModule } from '../../providers/vultr/index.js';
import { VULTR_INSTANCE_ID } from '../../providers/vultr/instances.js';

const input = z.object({
  instance_id: z
    .string()
    .trim()
    .regex(VULTR_INSTANCE_ID, 'a Vultr instance id (UUID)')
    .describe('Vultr instance id (a UUID such as cb676a46-66fd-4dfb-b839-443f2e6c0b60); list_vultr_instances shows it'),
});

/** A Vultr power tool: the instance id; core adds the three confirmation fields. */
export const vultrPowerTool = (action: PowerAction, name: string, title: string, description: string) =>
  definePowerTool({
    module: vultrModule,
    action,
    name,
    title,
    description: `${description} Needs the triple confirmation (the instance's main IP, its label and the operation). Vultr answers at once and applies the change asynchronously; read the instance again to see its power status.`,
    toolset: 'vultr',
    input,
    target: (args: z.infer<typeof input>) => ({ id: args.instance_id.toLowerCase() }),
  });
