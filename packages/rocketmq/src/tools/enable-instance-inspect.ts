import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InstanceId, RegionArg, WriteOutput } from './schemas.js';

export const enableInstanceInspect = rocketmqTool({
  name: 'EnableInstanceInspect',
  title: 'Turn risk inspection on or off',
  description:
    'Turns risk inspection of an instance on (Enable true) or off (Enable false). The change applies ' +
    'asynchronously, within about a minute; DescribeInstanceDetail shows it as EnableInspect.',
  access: 'write',
  idempotent: true,
  input: z.object({
    InstanceId,
    Enable: z.boolean().describe('true turns inspection on, false turns it off'),
    RegionId: RegionArg,
  }),
  output: z.object({ ...WriteOutput, Enable: z.boolean() }),
  format: (o) =>
    `Risk inspection of ${o.InstanceId} turned ${o.Enable ? 'on' : 'off'} (applies within about a minute).`,
  async handler({ InstanceId, Enable, RegionId }, ctx) {
    const { requestId } = await ctx.clients.api.call(
      'EnableInstanceInspect',
      { InstanceId, Enable },
      { region: RegionId, write: true },
    );
    return { InstanceId, Enable, RequestId: requestId };
  },
});
