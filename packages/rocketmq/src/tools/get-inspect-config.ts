import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InspectConfig, InstanceId, InstancePage, Paging, RegionArg } from './schemas.js';

export const getInspectConfig = rocketmqTool({
  name: 'GetInspectConfig',
  title: 'Show inspection rules of an instance',
  description:
    'Shows the risk-inspection rules configured on an instance (type, name, on/off, interval, last manual ' +
    'trigger) and TriggerLimit, the minimum spacing of manual triggers (documented as 15 minutes). ' +
    'Filters narrows the rules, e.g. {"ConfigType":"cluster"} (cluster, topic or group). ' +
    'Rules cannot be changed through the API.',
  access: 'read',
  input: z.object({
    InstanceId,
    RegionId: RegionArg,
    ...Paging,
    Filters: z
      .record(z.string().min(1).max(64), z.string().max(256))
      .optional()
      .describe('Filter map of string values, e.g. {"ConfigType":"cluster"}'),
  }),
  output: z.object({
    ...InstancePage,
    TriggerLimit: z
      .number()
      .optional()
      .describe('Minimum spacing of manual triggers of one rule (documented as 15 minutes)'),
    Configs: z.array(InspectConfig),
  }),
  async handler({ RegionId, ...params }, ctx) {
    const { result } = await ctx.clients.api.call<{
      InstanceId?: string;
      Total?: number;
      TriggerLimit?: number;
      Configs?: unknown[];
    }>('GetInspectConfig', params, { region: RegionId });
    return {
      InstanceId: result.InstanceId ?? params.InstanceId,
      Total: result.Total,
      TriggerLimit: result.TriggerLimit,
      Configs: (result.Configs ?? []) as never[],
    };
  },
});
