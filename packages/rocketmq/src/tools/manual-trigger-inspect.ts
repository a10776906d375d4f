import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { rocketmqTool } from './context.js';
import type { InstanceDetail } from './describe-instance-detail.js';
import { InstanceId, RegionArg, WriteOutput } from './schemas.js';

/** The documented rule of each type. */
const RULE_OF_TYPE = { cluster: 'queueInsufficient', topic: 'queueBalance', group: 'subscribeConsistency' } as const;

export const manualTriggerInspect = rocketmqTool({
  name: 'ManualTriggerInspect',
  title: 'Run one inspection rule now',
  description:
    'Runs one inspection rule of an instance now: cluster/queueInsufficient (queue capacity), ' +
    'topic/queueBalance (queue distribution) or group/subscribeConsistency (subscription consistency; ' +
    'not supported on 5.x instances). A rule can be triggered manually at most once every 15 minutes. ' +
    'Read the outcome later with GetInstanceInspectResult.',
  access: 'write',
  input: z
    .object({
      InstanceId,
      Type: z.enum(['cluster', 'topic', 'group']).describe('Rule type'),
      InspectName: z
        .enum(['queueInsufficient', 'queueBalance', 'subscribeConsistency'])
        .describe('Rule: queueInsufficient (cluster), queueBalance (topic), subscribeConsistency (group; not on 5.x)'),
      RegionId: RegionArg,
    })
    .refine((args) => RULE_OF_TYPE[args.Type] === args.InspectName, {
      message:
        'Type and InspectName do not match: cluster/queueInsufficient, topic/queueBalance, group/subscribeConsistency',
      path: ['InspectName'],
    }),
  output: z.object({ ...WriteOutput, Type: z.string(), InspectName: z.string() }),
  format: (o) =>
    `Inspection ${o.Type}/${o.InspectName} started on ${o.InstanceId}; read the findings with GetInstanceInspectResult in a few minutes.`,
  async handler({ InstanceId, Type, InspectName, RegionId }, ctx) {
    if (InspectName === 'subscribeConsistency') {
      const version = await instanceVersion(InstanceId, RegionId, ctx);
      if (version?.startsWith('5')) {
        throw new OpsError(
          'OPERATION_NOT_SUPPORTED',
          `${InstanceId} runs RocketMQ ${version}; 5.x instances do not support subscribeConsistency.`,
          {
            hint: 'Run cluster/queueInsufficient or topic/queueBalance instead.',
          },
        );
      }
    }
    const { requestId } = await ctx.clients.api.call(
      'ManualTriggerInspect',
      { InstanceId, Type, InspectName },
      { region: RegionId, write: true },
    );
    return { InstanceId, Type, InspectName, RequestId: requestId };
  },
});

/**
 * The instance's version, when it can be read. A missing instance fails the call; any other
 * failure leaves the decision to the API, which refuses unsupported rules itself.
 */
async function instanceVersion(
  InstanceId: string,
  region: string | undefined,
  ctx: Parameters<typeof manualTriggerInspect.handler>[1],
): Promise<string | undefined> {
  try {
    const { result } = await ctx.clients.api.call<InstanceDetail>('DescribeInstanceDetail', { InstanceId }, { region });
    return result.BasicInfo?.Version;
  } catch (error) {
    if (error instanceof OpsError && (error.code === 'RESOURCE_NOT_FOUND' || error.code === 'INVALID_CREDENTIALS'))
      throw error;
    ctx.log.warn('could not read the instance version before ManualTriggerInspect', {
      instanceId: InstanceId,
      code: error instanceof OpsError ? error.code : 'INTERNAL',
    });
    return undefined;
  }
}
