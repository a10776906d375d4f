import { z } from 'zod';
import { rocketmqTool } from './context.js';
import { ChargeDetail, InstanceId, InstanceInfo, RegionArg } from './schemas.js';

export const instanceDetailOutput = z.object({
  BasicInfo: InstanceInfo,
  ConnectionInfo: z
    .array(
      z.object({
        EndpointType: z.string().optional().describe('e.g. TCP'),
        NetworkType: z.string().optional().describe('e.g. PrivateNetwork'),
        InternalEndpoint: z.string().optional(),
        PublicEndpoint: z.string().optional(),
        EndpointAddressIP: z.string().optional(),
      }),
    )
    .optional(),
  ChargeDetail: ChargeDetail.optional(),
  FileReservedTime: z.number().optional().describe('Message retention, hours'),
});

export type InstanceDetail = z.infer<typeof instanceDetailOutput>;

export const describeInstanceDetail = rocketmqTool({
  name: 'DescribeInstanceDetail',
  title: 'Show a RocketMQ instance',
  description:
    'Shows one instance: status, version (4.x or 5.x), specs, capacity usage, whether risk inspection is on, ' +
    'network endpoints (name server addresses) and billing.',
  access: 'read',
  input: z.object({ InstanceId, RegionId: RegionArg }),
  output: instanceDetailOutput,
  async handler({ InstanceId, RegionId }, ctx) {
    const { result } = await ctx.clients.api.call<InstanceDetail>(
      'DescribeInstanceDetail',
      { InstanceId },
      { region: RegionId },
    );
    return { ...result, BasicInfo: result.BasicInfo ?? {} };
  },
});
