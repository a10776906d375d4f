import { connectInMemory, expectToolOutputsFreeOf } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { rocketmqServer } from '../src/index.js';
import { INSTANCE_4X, INSTANCE_5X } from './helpers.js';

describe('secrets in the sandbox', () => {
  it("no tool's result carries the sandbox's secret key", async () => {
    const conn = await connectInMemory(rocketmqServer, {
      settings: { sandbox: true, allowWrite: true },
    });
    try {
      const secretKey = conn.runtime.settings.secretKey;
      expect(secretKey).toBeTypeOf('string');
      const { called } = await expectToolOutputsFreeOf(
        conn.client,
        {
          DescribeRegions: {},
          DescribeAvailabilityZones: { RegionId: 'cn-beijing' },
          DescribeInstances: {},
          DescribeInstanceDetail: { InstanceId: INSTANCE_5X },
          DescribeTopics: { InstanceId: INSTANCE_4X },
          DescribeGroups: { InstanceId: INSTANCE_4X },
          GetInspectConfig: { InstanceId: INSTANCE_4X },
          GetInstanceInspectResult: { InstanceId: INSTANCE_4X },
          InspectionOverview: {},
          EnableInstanceInspect: { InstanceId: INSTANCE_5X, Enable: true },
          ManualProcessResult: { InstanceId: INSTANCE_4X, ResultId: '45e215e9fe104c849077c6dc1a2b3c4d' },
          ManualTriggerInspect: { InstanceId: INSTANCE_4X, Type: 'topic', InspectName: 'queueBalance' },
        },
        [secretKey as string],
      );
      expect(called).toEqual(expect.arrayContaining(rocketmqServer.tools.map((t) => t.name)));
    } finally {
      await conn.close();
    }
  });
});
