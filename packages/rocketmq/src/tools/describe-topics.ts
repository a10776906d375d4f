import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { InstanceId, InstancePage, Paging, RegionArg } from './schemas.js';

export const describeTopics = rocketmqTool({
  name: 'DescribeTopics',
  title: 'List topics of an instance',
  description:
    'Lists the topics of an instance with message type and queue count. MessageType: 0 normal, 1 transactional, ' +
    '2 partition-ordered, 3 globally ordered, 4 delayed. Use it to look into topics named in inspection results.',
  access: 'read',
  input: z.object({
    InstanceId,
    RegionId: RegionArg,
    ...Paging,
    TopicName: z.string().trim().min(1).max(128).optional().describe('Fuzzy match on the topic name'),
    MessageType: z
      .number()
      .int()
      .min(0)
      .max(4)
      .optional()
      .describe('0 normal, 1 transactional, 2 partition-ordered, 3 globally ordered, 4 delayed'),
    SortBy: z.enum(['CreateTime', 'QueueNumber']).optional().describe('Default CreateTime'),
    SortOrder: z.enum(['Asc', 'Desc']).optional().describe('Default Desc'),
  }),
  output: z.object({
    ...InstancePage,
    TopicsInfo: z.array(
      z.object({
        TopicName: z.string().optional(),
        Description: z.string().optional(),
        MessageType: z.number().optional(),
        QueueNumber: z.number().optional(),
        CreateTime: z.string().optional(),
      }),
    ),
  }),
  async handler({ RegionId, ...params }, ctx) {
    const { result } = await ctx.clients.api.call<{ InstanceId?: string; Total?: number; TopicsInfo?: unknown[] }>(
      'DescribeTopics',
      params,
      { region: RegionId },
    );
    return {
      InstanceId: result.InstanceId ?? params.InstanceId,
      Total: result.Total,
      TopicsInfo: (result.TopicsInfo ?? []) as never[],
    };
  },
});
