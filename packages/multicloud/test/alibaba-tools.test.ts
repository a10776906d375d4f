import { callTool } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAlibaba } from '../src/sandbox/alibaba-fake.js';
import {
  ALI_KEY,
  cloudSettings,
  connect,
  ECS_PRIVATE,
  ECS_PROD,
  ECS_SHANGHAI,
  ECS_STOPPED,
  ECS_TEST,
  startAlibaba,
} from './cloud-helpers.js';

let fake: FakeAlibaba;
let conn: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  fake = await startAlibaba();
  conn = await connect(cloudSettings({ alibaba: fake }));
});
afterAll(async () => {
  await conn.close();
  await fake.stop();
});
afterEach(() => {
  fake.requests.length = 0;
});

const call = (name: string, args: Record<string, unknown>) => callTool(conn.client, name, args);

describe('get_alibaba_instance_info', () => {
  it('reads an instance by id with InstanceIds as a JSON array in the default region', async () => {
    const r = await call('get_alibaba_instance_info', { ip_address_or_id: ECS_PROD });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      matchedBy: 'id',
      instance: {
        summary: {
          provider: 'alibaba',
          id: ECS_PROD,
          name: 'order-prod-01',
          state: 'Running',
          running: true,
          publicIps: ['203.0.113.40'],
          privateIps: ['172.16.10.21'],
          region: 'cn-hangzhou',
          type: 'ecs.g7.large',
          vcpus: 2,
          memoryMb: 8192,
          tags: { env: 'production', app: 'order' },
          createdAt: '2024-01-08T02:10:00.000Z',
        },
        zoneId: 'cn-hangzhou-h',
        eip: null,
      },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ action: 'DescribeInstances' });
    expect(fake.requests[0]?.params).toMatchObject({
      RegionId: 'cn-hangzhou',
      InstanceIds: JSON.stringify([ECS_PROD]),
    });
  });

  it('finds an EIP with the EipAddresses filter, searching every configured region', async () => {
    const r = await call('get_alibaba_instance_info', { ip_address_or_id: '203.0.113.45' });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      matchedBy: 'public_ip',
      regionsSearched: ['cn-hangzhou', 'cn-shanghai'],
      instance: {
        summary: { id: ECS_SHANGHAI, region: 'cn-shanghai' },
        eip: { ip: '203.0.113.45', bandwidthMbps: 20 },
      },
    });
    const filters = fake.requests
      .map(
        (q) =>
          `${q.params.RegionId} ${q.params.PublicIpAddresses ? `PublicIpAddresses=${q.params.PublicIpAddresses}` : `EipAddresses=${q.params.EipAddresses}`}`,
      )
      .sort();
    expect(filters).toEqual([
      'cn-hangzhou EipAddresses=["203.0.113.45"]',
      'cn-hangzhou PublicIpAddresses=["203.0.113.45"]',
      'cn-shanghai EipAddresses=["203.0.113.45"]',
      'cn-shanghai PublicIpAddresses=["203.0.113.45"]',
    ]);
  });

  it('shows the EIP first among the public IPs of a stopped instance', async () => {
    const r = await call('get_alibaba_instance_info', { ip_address_or_id: '203.0.113.41', region: 'cn-hangzhou' });
    expect(r.structured).toMatchObject({
      instance: { summary: { id: ECS_STOPPED, running: false, publicIps: ['203.0.113.41'] } },
    });
  });

  it('answers RESOURCE_NOT_FOUND for an unknown id and an unknown IP', async () => {
    const byId = await call('get_alibaba_instance_info', { ip_address_or_id: 'i-bp1doesnotexist000' });
    expect(byId.text).toContain('RESOURCE_NOT_FOUND');
    const byIp = await call('get_alibaba_instance_info', { ip_address_or_id: '192.0.2.200' });
    expect(byIp.text).toContain('RESOURCE_NOT_FOUND');
    expect(byIp.text).toContain('cn-hangzhou, cn-shanghai');
  });

  it('rejects bad input before sending anything', async () => {
    for (const args of [{ ip_address_or_id: 'order-prod-01' }, { ip_address_or_id: ECS_PROD, region: 'Hangzhou' }]) {
      const r = await call('get_alibaba_instance_info', args);
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('maps Forbidden.RAM to PERMISSION_DENIED with the RequestId', async () => {
    fake.failNext({
      action: 'DescribeInstances',
      status: 403,
      code: 'Forbidden.RAM',
      message: 'User not authorized to operate on the specified resource.',
    });
    const r = await call('get_alibaba_instance_info', { ip_address_or_id: ECS_PROD });
    expect(r.text).toContain('PERMISSION_DENIED');
    expect(r.text).toContain('Forbidden.RAM');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
  });

  it('maps a throttled read to RATE_LIMITED', async () => {
    fake.failNext({
      action: 'DescribeInstances',
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.',
    });
    const r = await call('get_alibaba_instance_info', { ip_address_or_id: ECS_PROD });
    expect(r.text).toContain('RATE_LIMITED');
  });
});

describe('list_alibaba_instances', () => {
  it('follows NextToken to the last page', async () => {
    const paged = await startAlibaba({ pageSizeCap: 2 });
    const c = await connect(cloudSettings({ alibaba: paged }));
    try {
      const r = await callTool(c.client, 'list_alibaba_instances', {});
      const out = r.structured as { instances: Array<{ id: string }>; totalCount: number; truncated: boolean };
      expect(out.instances.map((i) => i.id)).toEqual([ECS_PROD, ECS_STOPPED, ECS_TEST, ECS_PRIVATE]);
      expect(out).toMatchObject({ totalCount: 4, truncated: false });
      expect(paged.requests.map((q) => q.params.NextToken !== undefined)).toEqual([false, true]);
      expect(paged.requests[0]?.params.MaxResults).toBe('100');
    } finally {
      await c.close();
      await paged.stop();
    }
  });
});

describe('list_alibaba_instances errors', () => {
  it('maps an ECS error with its RequestId, and refuses a bad region unsent', async () => {
    fake.failNext({ action: 'DescribeInstances', status: 403, code: 'Forbidden.RAM', message: 'User not authorized.' });
    const r = await call('list_alibaba_instances', {});
    expect(r.text).toContain('PERMISSION_DENIED');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
    fake.requests.length = 0;
    const bad = await call('list_alibaba_instances', { region: 'cn hangzhou' });
    expect(bad.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('get_alibaba_instance_monitoring', () => {
  it('maps an unknown instance to RESOURCE_NOT_FOUND with the RequestId', async () => {
    const r = await call('get_alibaba_instance_monitoring', { instance_id: 'i-bp1doesnotexist000' });
    expect(r.text).toContain('RESOURCE_NOT_FOUND');
    expect(r.text).toContain('InvalidInstanceId.NotFound');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
  });

  it('reads DescribeInstanceMonitorData at 60 s for an hour, sorted oldest first', async () => {
    const r = await call('get_alibaba_instance_monitoring', { instance_id: ECS_PROD });
    expect(r.isError).toBe(false);
    const out = r.structured as { periodSeconds: number; points: Array<{ timestamp: string; cpuPercent: number }> };
    expect(out.periodSeconds).toBe(60);
    expect(out.points.length).toBeGreaterThanOrEqual(60);
    const times = out.points.map((p) => p.timestamp);
    expect(times).toEqual([...times].sort());
    expect(typeof out.points[0]?.cpuPercent).toBe('number');
    const q = fake.requests[0];
    expect(q?.action).toBe('DescribeInstanceMonitorData');
    expect(q?.params).toMatchObject({ InstanceId: ECS_PROD, Period: '60' });
    expect(Date.parse(q?.params.EndTime ?? '') - Date.parse(q?.params.StartTime ?? '')).toBe(3_600_000);
  });

  it('chooses a coarser period so a long range stays within 400 points', async () => {
    const r = await call('get_alibaba_instance_monitoring', { instance_id: ECS_PROD, hours: 48 });
    expect((r.structured as { periodSeconds: number }).periodSeconds).toBe(600);
    const r2 = await call('get_alibaba_instance_monitoring', { instance_id: ECS_PROD, hours: 200 });
    expect((r2.structured as { periodSeconds: number }).periodSeconds).toBe(3600);
  });

  it('refuses hours beyond 400 before sending anything', async () => {
    const r = await call('get_alibaba_instance_monitoring', { instance_id: ECS_PROD, hours: 401 });
    expect(r.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Alibaba credentials', () => {
  it('answers INVALID_CREDENTIALS for an unknown AccessKey id and for a wrong secret', async () => {
    for (const extra of [
      { alibabaAccessKeyId: 'LTAIunknownkey000001' },
      { alibabaAccessKeySecret: 'wrongSecret0123456789abcdef' },
    ]) {
      const c = await connect(cloudSettings({ alibaba: fake }, extra));
      try {
        const r = await callTool(c.client, 'list_alibaba_instances', {});
        expect(r.text).toContain('INVALID_CREDENTIALS');
        expect(r.text).not.toContain(ALI_KEY.accessKeySecret);
      } finally {
        await c.close();
      }
    }
  });
});
