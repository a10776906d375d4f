import { z } from 'zod';
import { definePowerTool } from '../../power/define.js';
import { alibabaModule } from '../../providers/alibaba/index.js';
import type { PowerAction } from '../../providers/types.js';
import { alibabaRegionInput, ecsInstanceIdInput } from './schemas.js';

const input = z.object({ instance_id: ecsInstanceIdInput, region: alibabaRegionInput });

const target = (args: z.infer<typeof input>) => ({
  id: args.instance_id,
  ...(args.region ? { region: args.region } : {}),
});

/** An ECS power tool: the instance id and region; core adds the three confirmation fields. */
export const alibabaPowerTool = (action: PowerAction, name: string, title: string, description: string) =>
  definePowerTool({
    module: alibabaModule,
    action,
    name,
    title,
    description: `${description} Needs the triple confirmation (the instance's public IP or EIP — its instance id when it has none —, its name and the operation). ECS runs it asynchronously: the result carries the RequestId.`,
    toolset: 'alibaba',
    input,
    target,
  });
