import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxState } from '../src/sandbox/data.js';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { rocketmqServer } from '../src/server.js';
import { INSTANCE_4X, INSTANCE_5X, INSTANCE_FAILED, settingsFor, startFake } from './helpers.js';

let fake: FakeVolcengine;
let conn: InMemoryConnection;

beforeAll(async () => {
  fake = await startFake();
  conn = await connectInMemory(rocketmqServer, { settings: settingsFor(fake, { allowWrite: true, maxRetries: 0 }) });
});
afterAll(async () => {
  await conn.close();
  await fake.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  Object.assign(fake.state, createSandboxState());
});

const call = (name: string, args: Record<string, unknown> = {}) => callTool(conn.client, name, args);

/** Every request the fake got was signed with the configured keys. */
function expectAllSigned() {
  expect(fake.requests.length).toBeGreaterThan(0);
  for (const r of fake.requests) expect(r.signature, r.action).toMatchObject({ ok: true });
}

async function expectBadInput(name: string, args: Record<string, unknown>, mention: string) {
  const out = await call(name, args);
  expect(out.isError).toBe(true);
  expect(out.text).toMatch(/^INVALID_ARGUMENT/);
  expect(out.text).toContain(mention);
  expect(out.structured).toBeUndefined();
  expect(fake.requests).toHaveLength(0);
}

async function expectUpstreamError(name: string, args: Record<string, unknown>, code: string, upstream: string) {
  const out = await call(name, args);
  expect(out.isError, out.text).toBe(true);
  expect(out.text).toMatch(new RegExp(`^${code}`));
  expect(out.text).toContain(upstream);
  expect(out.text).toMatch(/request id \d{14}[0-9A-F]{20}/);
}

const notFound = {
  status: 404,
  code: 'InvalidInstanceId.NotFound',
  message: 'The specified Instance ID does not exist.',
};

describe('DescribeRegions', () => {
  it('lists the regions, keeping the API field names (Describeption included)', async () => {
    const out = await call('DescribeRegions');
    expect(out.isError, out.text).toBe(false);
    const regions = out.structured?.Regions as Array<Record<string, string>>;
    expect(regions.map((r) => r.RegionId)).toContain('cn-beijing');
    expect(regions[0]).toMatchObject({ RegionStatus: 'Available', Describeption: '华北2（北京）' });
    expectAllSigned();
    expect(fake.requests[0]?.region).toBe('cn-beijing');
  });
  it('reports an upstream error', async () => {
    fake.failNext('DescribeRegions', { status: 500, code: 'InternalError', message: 'boom', codeN: 100014 });
    await expectUpstreamError('DescribeRegions', {}, 'UPSTREAM_ERROR', 'InternalError');
  });
  it('takes no arguments: unknown ones are dropped, not sent upstream', async () => {
    const out = await call('DescribeRegions', { RegionId: 'cn-shanghai' });
    expect(out.isError).toBe(false);
    expect(fake.requests[0]?.body).toBe('{}');
  });
});

describe('DescribeAvailabilityZones', () => {
  it('lists the zones of a region, signed for that region', async () => {
    const out = await call('DescribeAvailabilityZones', { RegionId: 'cn-shanghai' });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      RegionId: 'cn-shanghai',
      Zones: [{ ZoneId: 'cn-shanghai-a' }, { ZoneId: 'cn-shanghai-b' }],
    });
    expect(fake.requests[0]?.region).toBe('cn-shanghai');
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ RegionId: 'cn-shanghai' });
    expectAllSigned();
  });
  it('reports an upstream error', async () => {
    fake.failNext('DescribeAvailabilityZones', { status: 403, code: 'AccessDenied', message: 'denied', codeN: 100013 });
    await expectUpstreamError(
      'DescribeAvailabilityZones',
      { RegionId: 'cn-beijing' },
      'PERMISSION_DENIED',
      'AccessDenied',
    );
  });
  it('rejects a missing or malformed RegionId', async () => {
    await expectBadInput('DescribeAvailabilityZones', {}, 'RegionId');
    await expectBadInput('DescribeAvailabilityZones', { RegionId: 'Beijing!' }, 'RegionId');
  });
});

describe('numeric bounds', () => {
  it('refuses a PageNumber beyond its documented bound before anything is sent', async () => {
    await expectBadInput('DescribeInstances', { PageNumber: 2 ** 31 }, 'PageNumber');
  });
});

describe('DescribeInstances', () => {
  it('lists the instances of the region with filters and paging', async () => {
    const all = await call('DescribeInstances');
    expect(all.structured).toMatchObject({ RegionId: 'cn-beijing', Total: 3 });
    const named = await call('DescribeInstances', { InstanceName: 'order', PageSize: 5 });
    expect(named.structured?.InstancesInfo).toEqual([
      expect.objectContaining({ InstanceId: INSTANCE_4X, Version: '4.8', EnableInspect: true }),
    ]);
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({ PageNumber: 1, PageSize: 5, InstanceName: 'order' });
    const shanghai = await call('DescribeInstances', { RegionId: 'cn-shanghai' });
    expect(shanghai.structured).toMatchObject({ RegionId: 'cn-shanghai', Total: 0, InstancesInfo: [] });
    expectAllSigned();
  });
  it('reports throttling as RATE_LIMITED', async () => {
    fake.failNext('DescribeInstances', {
      status: 429,
      code: 'FlowLimitExceeded',
      message: 'Request Has Reached Service Limit',
    });
    await expectUpstreamError('DescribeInstances', {}, 'RATE_LIMITED', 'FlowLimitExceeded');
  });
  it('rejects bad paging and sort values', async () => {
    await expectBadInput('DescribeInstances', { PageSize: 101 }, 'PageSize');
    await expectBadInput('DescribeInstances', { PageNumber: 0 }, 'PageNumber');
    await expectBadInput('DescribeInstances', { SortOrder: 'sideways' }, 'SortOrder');
  });
});

describe('DescribeInstanceDetail', () => {
  it('shows an instance with its endpoints', async () => {
    const out = await call('DescribeInstanceDetail', { InstanceId: INSTANCE_5X });
    expect(out.structured).toMatchObject({
      BasicInfo: { InstanceId: INSTANCE_5X, Version: '5.x', EnableInspect: false },
      ConnectionInfo: [{ NetworkType: 'PrivateNetwork' }, { NetworkType: 'PublicNetwork' }],
      FileReservedTime: 48,
    });
    expectAllSigned();
  });
  it('maps a missing instance to RESOURCE_NOT_FOUND', async () => {
    await expectUpstreamError(
      'DescribeInstanceDetail',
      { InstanceId: 'rocketmq-doesnotexist' },
      'RESOURCE_NOT_FOUND',
      'InvalidInstanceId.NotFound',
    );
  });
  it('rejects a malformed InstanceId', async () => {
    await expectBadInput('DescribeInstanceDetail', { InstanceId: 'rocketmq/../x' }, 'InstanceId');
    await expectBadInput('DescribeInstanceDetail', {}, 'InstanceId');
  });
});

describe('DescribeTopics', () => {
  it('lists topics with filters', async () => {
    const out = await call('DescribeTopics', { InstanceId: INSTANCE_4X, MessageType: 4 });
    expect(out.structured).toMatchObject({
      InstanceId: INSTANCE_4X,
      Total: 1,
      TopicsInfo: [{ TopicName: 'order-timeout', QueueNumber: 4 }],
    });
    expectAllSigned();
  });
  it('reports an upstream error', async () => {
    fake.failNext('DescribeTopics', notFound);
    await expectUpstreamError(
      'DescribeTopics',
      { InstanceId: INSTANCE_4X },
      'RESOURCE_NOT_FOUND',
      'InvalidInstanceId.NotFound',
    );
  });
  it('rejects an out-of-range MessageType', async () => {
    await expectBadInput('DescribeTopics', { InstanceId: INSTANCE_4X, MessageType: 7 }, 'MessageType');
  });
});

describe('DescribeGroups', () => {
  it('lists groups with a fuzzy GroupId', async () => {
    const out = await call('DescribeGroups', { InstanceId: INSTANCE_4X, GroupId: 'order' });
    expect(out.structured).toMatchObject({
      InstanceId: INSTANCE_4X,
      Total: 1,
      GroupsInfo: [{ GroupId: 'GID_order_consumer', GroupType: 'TCP' }],
    });
    expectAllSigned();
  });
  it('reports an upstream error', async () => {
    fake.failNext('DescribeGroups', { status: 404, code: 'InvalidGroup_NotFound', message: 'no group' });
    await expectUpstreamError(
      'DescribeGroups',
      { InstanceId: INSTANCE_4X },
      'RESOURCE_NOT_FOUND',
      'InvalidGroup_NotFound',
    );
  });
  it('rejects an unknown GroupType', async () => {
    await expectBadInput('DescribeGroups', { InstanceId: INSTANCE_4X, GroupType: 'HTTP' }, 'GroupType');
  });
});

describe('GetInspectConfig', () => {
  it('shows the rules, TriggerLimit and honours Filters', async () => {
    const all = await call('GetInspectConfig', { InstanceId: INSTANCE_4X, PageNumber: 1, PageSize: 10 });
    expect(all.structured).toMatchObject({ InstanceId: INSTANCE_4X, Total: 3, TriggerLimit: 15 });
    const cluster = await call('GetInspectConfig', {
      InstanceId: INSTANCE_4X,
      PageNumber: 1,
      PageSize: 10,
      Filters: { ConfigType: 'cluster' },
    });
    expect(cluster.structured).toMatchObject({
      Total: 1,
      Configs: [{ Type: 'cluster', InspectName: 'queueInsufficient', Configurable: { Enable: true, Interval: 3600 } }],
    });
    expect(JSON.parse(fake.requests[1]?.body ?? '')).toEqual({
      InstanceId: INSTANCE_4X,
      PageNumber: 1,
      PageSize: 10,
      Filters: { ConfigType: 'cluster' },
    });
    expectAllSigned();
  });
  it('reports an upstream error', async () => {
    fake.failNext('GetInspectConfig', {
      status: 403,
      code: 'OperationDenied.AccountNotAuthorized',
      message: 'not authorized',
    });
    await expectUpstreamError(
      'GetInspectConfig',
      { InstanceId: INSTANCE_4X },
      'PERMISSION_DENIED',
      'OperationDenied.AccountNotAuthorized',
    );
  });
  it('rejects PageSize above 100 and non-string filter values', async () => {
    await expectBadInput('GetInspectConfig', { InstanceId: INSTANCE_4X, PageNumber: 1, PageSize: 500 }, 'PageSize');
    await expectBadInput('GetInspectConfig', { InstanceId: INSTANCE_4X, Filters: { ConfigType: 3 } }, 'Filters');
  });
});

describe('GetInstanceInspectResult', () => {
  it('lists findings newest first', async () => {
    const out = await call('GetInstanceInspectResult', {
      InstanceId: INSTANCE_4X,
      PageNumber: 1,
      PageSize: 10,
      SortBy: 'TimeStamp',
      SortOrder: 'DESC',
    });
    expect(out.structured).toMatchObject({ InstanceId: INSTANCE_4X, Total: 3, InspectCnt: 3, UnExpectedCnt: 3 });
    const results = out.structured?.Results as Array<{ TimeStamp: string; Level: string }>;
    expect(results.map((r) => r.Level)).toEqual(['medium', 'high', 'low']);
    expectAllSigned();
  });
  it('reports an upstream error', async () => {
    fake.failNext('GetInstanceInspectResult', {
      status: 400,
      code: 'InvalidParameter',
      message: 'The specified parameter PageSize is not valid.',
    });
    await expectUpstreamError(
      'GetInstanceInspectResult',
      { InstanceId: INSTANCE_4X },
      'UPSTREAM_ERROR',
      'InvalidParameter',
    );
  });
  it('rejects a lower-case SortOrder and an unknown SortBy', async () => {
    await expectBadInput('GetInstanceInspectResult', { InstanceId: INSTANCE_4X, SortOrder: 'desc' }, 'SortOrder');
    await expectBadInput('GetInstanceInspectResult', { InstanceId: INSTANCE_4X, SortBy: 'Level' }, 'SortBy');
  });
});

describe('InspectionOverview', () => {
  it('summarises every instance of the region concurrently', async () => {
    const progress: number[] = [];
    const out = await callTool(conn.client, 'InspectionOverview', {}, { onprogress: (p) => progress.push(p.progress) });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      RegionId: 'cn-beijing',
      InstanceCount: 3,
      InspectionDisabled: [INSTANCE_5X],
      UnsolvedByLevel: { high: 2, medium: 2, low: 1, other: 0 },
    });
    type Row = { InstanceId: string; TopSuggestions: Array<{ Level: string }> };
    const instances = (out.structured?.Instances ?? []) as Row[];
    const byId = Object.fromEntries(instances.map((i) => [i.InstanceId, i]));
    expect(byId[INSTANCE_4X]).toMatchObject({ Unsolved: 2, UnsolvedByLevel: { high: 1, medium: 1, low: 0 } });
    expect(byId[INSTANCE_4X]?.TopSuggestions[0]?.Level).toBe('high');
    expect(byId[INSTANCE_5X]).toMatchObject({ EnableInspect: false, Unsolved: 0 });
    expect(byId[INSTANCE_FAILED]).toMatchObject({ InstanceStatus: 'Failed', Unsolved: 3 });
    expect(out.text).toContain('Inspection is off on: rocketmq-cnngc3e21b8a7d40');
    expect(progress).toHaveLength(3);
    expectAllSigned();
  });
  it('covers one instance, and keeps going when one instance fails', async () => {
    const one = await call('InspectionOverview', { InstanceId: INSTANCE_4X });
    expect(one.structured).toMatchObject({ InstanceCount: 1, UnsolvedByLevel: { high: 1, medium: 1, low: 0 } });
    fake.failNext('GetInstanceInspectResult', { status: 403, code: 'AccessDenied', message: 'denied' });
    const partial = await call('InspectionOverview', {});
    expect(partial.isError).toBe(false);
    const errors = ((partial.structured?.Instances ?? []) as Array<{ Error?: { Code: string } }>).filter(
      (i) => i.Error,
    );
    expect(errors).toEqual([expect.objectContaining({ Error: { Code: 'AccessDenied', Message: expect.any(String) } })]);
  });
  it('reports a failing instance list as an error', async () => {
    fake.failNext('DescribeInstances', { status: 401, code: 'InvalidAccessKey', message: 'bad key', codeN: 100009 });
    await expectUpstreamError('InspectionOverview', {}, 'INVALID_CREDENTIALS', 'InvalidAccessKey');
  });
  it('rejects a malformed RegionId', async () => {
    await expectBadInput('InspectionOverview', { RegionId: 'CN BEIJING' }, 'RegionId');
  });
});

describe('EnableInstanceInspect', () => {
  it('turns inspection on', async () => {
    const out = await call('EnableInstanceInspect', { InstanceId: INSTANCE_5X, Enable: true });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      InstanceId: INSTANCE_5X,
      Enable: true,
      RequestId: expect.stringMatching(/^\d{14}/),
    });
    expect(out.text).toContain('turned on');
    expect(fake.state.instances.find((i) => i.info.InstanceId === INSTANCE_5X)?.info.EnableInspect).toBe(true);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ InstanceId: INSTANCE_5X, Enable: true });
    expectAllSigned();
  });
  it('reports AccessDenied and does not retry', async () => {
    fake.failNext('EnableInstanceInspect', {
      status: 403,
      code: 'AccessDenied',
      message: 'User is not authorized',
      codeN: 100013,
    });
    await expectUpstreamError(
      'EnableInstanceInspect',
      { InstanceId: INSTANCE_4X, Enable: false },
      'PERMISSION_DENIED',
      'AccessDenied',
    );
    expect(fake.requests).toHaveLength(1);
  });
  it('rejects a string Enable', async () => {
    await expectBadInput('EnableInstanceInspect', { InstanceId: INSTANCE_4X, Enable: 'yes' }, 'Enable');
  });
});

describe('ManualProcessResult', () => {
  it('marks a finding solved', async () => {
    const out = await call('ManualProcessResult', {
      InstanceId: INSTANCE_4X,
      ResultId: '45e215e9fe104c849077c6dc1a2b3c4d',
    });
    expect(out.structured).toMatchObject({
      InstanceId: INSTANCE_4X,
      ResultId: '45e215e9fe104c849077c6dc1a2b3c4d',
      Status: 'Solved',
    });
    const finding = fake.state.instances[0]?.results.find((r) => r.ResultId === '45e215e9fe104c849077c6dc1a2b3c4d');
    expect(finding?.Status).toBe('Solved');
    expectAllSigned();
  });
  it('reports an unknown ResultId from upstream', async () => {
    await expectUpstreamError(
      'ManualProcessResult',
      { InstanceId: INSTANCE_4X, ResultId: 'ffff' },
      'UPSTREAM_ERROR',
      'InvalidParameter',
    );
  });
  it('rejects a missing ResultId', async () => {
    await expectBadInput('ManualProcessResult', { InstanceId: INSTANCE_4X }, 'ResultId');
  });
});

describe('ManualTriggerInspect', () => {
  it('triggers a rule on a 4.x instance without a version lookup', async () => {
    const out = await call('ManualTriggerInspect', {
      InstanceId: INSTANCE_4X,
      Type: 'topic',
      InspectName: 'queueBalance',
    });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ InstanceId: INSTANCE_4X, Type: 'topic', InspectName: 'queueBalance' });
    expect(fake.requests.map((r) => r.action)).toEqual(['ManualTriggerInspect']);
    expectAllSigned();
  });
  it('checks the version before subscribeConsistency: allowed on 4.x', async () => {
    const out = await call('ManualTriggerInspect', {
      InstanceId: INSTANCE_4X,
      Type: 'group',
      InspectName: 'subscribeConsistency',
    });
    expect(out.isError, out.text).toBe(false);
    expect(fake.requests.map((r) => r.action)).toEqual(['DescribeInstanceDetail', 'ManualTriggerInspect']);
  });
  it('refuses subscribeConsistency on a 5.x instance before calling the API', async () => {
    const out = await call('ManualTriggerInspect', {
      InstanceId: INSTANCE_5X,
      Type: 'group',
      InspectName: 'subscribeConsistency',
    });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^OPERATION_NOT_SUPPORTED/);
    expect(fake.requests.map((r) => r.action)).toEqual(['DescribeInstanceDetail']);
  });
  it('passes on the API refusal for an instance that is not running', async () => {
    await expectUpstreamError(
      'ManualTriggerInspect',
      { InstanceId: INSTANCE_FAILED, Type: 'cluster', InspectName: 'queueInsufficient' },
      'UPSTREAM_ERROR',
      'OperationDenied.InvalidInstanceStatus',
    );
  });
  it('rejects unknown rules and mismatched Type/InspectName', async () => {
    await expectBadInput(
      'ManualTriggerInspect',
      { InstanceId: INSTANCE_4X, Type: 'cluster', InspectName: 'diskFull' },
      'InspectName',
    );
    await expectBadInput(
      'ManualTriggerInspect',
      { InstanceId: INSTANCE_4X, Type: 'cluster', InspectName: 'queueBalance' },
      'do not match',
    );
  });
});
