import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InstanceId, RegionArg, WriteOutput } from './schemas.js';

export const manualProcessResult = rocketmqTool({
  name: 'ManualProcessResult',
  title: 'Mark an inspection finding as solved',
  description:
    'Marks one inspection finding (ResultId from GetInstanceInspectResult) as Solved after it was handled or ' +
    "judged harmless. It only changes the finding's status; nothing changes on the brokers.",
  access: 'write',
  idempotent: true,
  input: z.object({
    InstanceId,
    ResultId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_-]+$/, 'a ResultId from GetInstanceInspectResult')
      .describe('Finding ID from GetInstanceInspectResult'),
    RegionId: RegionArg,
  }),
  output: z.object({ ...WriteOutput, ResultId: z.string(), Status: z.literal('Solved') }),
  format: (o) => `Finding ${o.ResultId} of ${o.InstanceId} is marked Solved.`,
  async handler({ InstanceId, ResultId, RegionId }, ctx) {
    const { requestId } = await ctx.clients.api.call(
      'ManualProcessResult',
      { InstanceId, ResultId },
      { region: RegionId, write: true },
    );
    return { InstanceId, ResultId, Status: 'Solved' as const, RequestId: requestId };
  },
});
