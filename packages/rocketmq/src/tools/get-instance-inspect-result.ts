import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InspectResult, InstanceId, Paging, RegionArg } from './schemas.js';

export const inspectResultOutput = z.object({
  InstanceId: z.string(),
  Total: z.number().optional().describe('Number of abnormal findings'),
  InspectCnt: z.number().optional().describe('Number of rules inspected'),
  UnExpectedCnt: z.number().optional().describe('Number of abnormal findings detected'),
  Results: z.array(InspectResult),
});

export type InspectResultPage = z.infer<typeof inspectResultOutput>;

export const getInstanceInspectResult = rocketmqTool({
  name: 'GetInstanceInspectResult',
  title: 'Show inspection findings of an instance',
  description:
    'Lists the abnormal findings of risk inspection on an instance, page by page: rule, level (low, medium, ' +
    'high), time, status (unSolved or Solved), affected topics or groups and suggested fixes. Healthy rules ' +
    'produce no findings. Sort by TimeStamp with SortOrder DESC for the newest first. A finding that was ' +
    'handled can be closed with ManualProcessResult.',
  access: 'read',
  input: z.object({
    InstanceId,
    RegionId: RegionArg,
    ...Paging,
    SortBy: z.enum(['TimeStamp']).optional().describe('Only TimeStamp'),
    SortOrder: z.enum(['ASC', 'DESC']).optional().describe('ASC (API default) or DESC'),
  }),
  output: inspectResultOutput,
  async handler({ RegionId, ...params }, ctx) {
    const { result } = await ctx.clients.api.call<Partial<InspectResultPage>>('GetInstanceInspectResult', params, {
      region: RegionId,
    });
    return { ...result, InstanceId: result.InstanceId ?? params.InstanceId, Results: result.Results ?? [] };
  },
});
