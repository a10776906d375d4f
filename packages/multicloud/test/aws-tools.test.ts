import { callTool } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAws } from '../src/sandbox/aws-fake.js';
import {
  AWS_DEV,
  AWS_EU,
  AWS_KEY,
  AWS_PRIVATE,
  AWS_PROD,
  AWS_STOPPED,
  cloudSettings,
  connect,
  startAws,
} from './cloud-helpers.js';

let fake: FakeAws;
let conn: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  fake = await startAws();
  conn = await connect(cloudSettings({ aws: fake }));
});
afterAll(async () => {
  await conn.close();
  await fake.stop();
});
afterEach(() => {
  fake.requests.length = 0;
});

const call = (name: string, args: Record<string, unknown>) => callTool(conn.client, name, args);

describe('get_aws_instance_info', () => {
  it('reads an instance by id with DescribeInstances InstanceId.1 in the default region', async () => {
    const r = await call('get_aws_instance_info', { ip_address_or_id: AWS_PROD });
    expect(r.isError).toBe(false);
    const instance = (r.structured as { instance: Record<string, unknown> }).instance;
    expect(instance.summary).toMatchObject({
      provider: 'aws',
      id: AWS_PROD,
      name: 'web-prod-01',
      state: 'running',
      running: true,
      publicIps: ['203.0.113.10'],
      region: 'us-east-1',
      type: 'm6i.large',
      vcpus: 2,
      tags: { Environment: 'production', Name: 'web-prod-01', Owner: 'platform-team' },
    });
    expect(instance.availabilityZone).toBe('us-east-1a');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ action: 'DescribeInstances', region: 'us-east-1' });
    expect(fake.requests[0]?.params['InstanceId.1']).toBe(AWS_PROD);
    expect(fake.requests[0]?.params.MaxResults).toBeUndefined();
  });

  it('finds an Elastic IP on a secondary interface in another region of AWS_REGIONS, both filters in every region', async () => {
    const r = await call('get_aws_instance_info', { ip_address_or_id: '198.51.100.77' });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      matchedBy: 'public_ip',
      regionsSearched: ['us-east-1', 'eu-west-1'],
      instance: { summary: { id: AWS_EU, region: 'eu-west-1', publicIps: ['198.51.100.77'] } },
    });
    const searches = fake.requests
      .map((q) => `${q.region} ${q.params['Filter.1.Name']}=${q.params['Filter.1.Value.1']}`)
      .sort();
    expect(searches).toEqual([
      'eu-west-1 ip-address=198.51.100.77',
      'eu-west-1 network-interface.addresses.association.public-ip=198.51.100.77',
      'us-east-1 ip-address=198.51.100.77',
      'us-east-1 network-interface.addresses.association.public-ip=198.51.100.77',
    ]);
  });

  it('searches only the region given', async () => {
    const r = await call('get_aws_instance_info', { ip_address_or_id: '203.0.113.12', region: 'us-east-1' });
    expect(r.structured).toMatchObject({ instance: { summary: { id: AWS_DEV } }, regionsSearched: ['us-east-1'] });
    expect(new Set(fake.requests.map((q) => q.region))).toEqual(new Set(['us-east-1']));
  });

  it('answers RESOURCE_NOT_FOUND with the upstream code and request id for an unknown id', async () => {
    const r = await call('get_aws_instance_info', { ip_address_or_id: 'i-0000000000000dead' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('RESOURCE_NOT_FOUND');
    expect(r.text).toContain('InvalidInstanceID.NotFound');
    expect(r.text).toContain(`request id ${fake.requests[0]?.requestId}`);
  });

  it('answers RESOURCE_NOT_FOUND naming the regions when no instance has the IP', async () => {
    const r = await call('get_aws_instance_info', { ip_address_or_id: '192.0.2.99' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /RESOURCE_NOT_FOUND: No EC2 instance has the public IP 192\.0\.2\.99 in us-east-1, eu-west-1/,
    );
  });

  it('rejects an identifier that is neither an id nor an IP, sending nothing', async () => {
    for (const bad of ['web-prod-01', 'i-XYZ', '']) {
      const r = await call('get_aws_instance_info', { ip_address_or_id: bad });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
    const badRegion = await call('get_aws_instance_info', { ip_address_or_id: AWS_PROD, region: 'US East' });
    expect(badRegion.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });

  it('maps UnauthorizedOperation to PERMISSION_DENIED and throttling to RATE_LIMITED with the request id', async () => {
    fake.failNext({
      action: 'DescribeInstances',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized',
    });
    const denied = await call('get_aws_instance_info', { ip_address_or_id: AWS_PROD });
    expect(denied.text).toContain('PERMISSION_DENIED');
    expect(denied.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
    fake.failNext({
      action: 'DescribeInstances',
      status: 400,
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    });
    const throttled = await call('get_aws_instance_info', { ip_address_or_id: AWS_PROD });
    expect(throttled.text).toContain('RATE_LIMITED');
  });
});

describe('list_aws_instances', () => {
  it('follows NextToken to the last page', async () => {
    const paged = await startAws({ pageSizeCap: 2 });
    const c = await connect(cloudSettings({ aws: paged }));
    try {
      const r = await callTool(c.client, 'list_aws_instances', {});
      expect(r.isError).toBe(false);
      const out = r.structured as { instances: Array<{ id: string }>; count: number; truncated: boolean };
      expect(out.instances.map((i) => i.id).sort()).toEqual([AWS_PROD, AWS_STOPPED, AWS_DEV, AWS_PRIVATE].sort());
      expect(out.truncated).toBe(false);
      expect(paged.requests.map((q) => q.params.NextToken !== undefined)).toEqual([false, true]);
      expect(paged.requests[0]?.params.MaxResults).toBe('1000');
    } finally {
      await c.close();
      await paged.stop();
    }
  });

  it('maps a throttled page to RATE_LIMITED with the request id, and refuses a bad region unsent', async () => {
    fake.failNext({
      action: 'DescribeInstances',
      status: 503,
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    });
    const r = await call('list_aws_instances', {});
    expect(r.text).toContain('RATE_LIMITED');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
    fake.requests.length = 0;
    const bad = await call('list_aws_instances', { region: 'us_east_1' });
    expect(bad.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });

  it('lists another region when asked', async () => {
    const r = await call('list_aws_instances', { region: 'eu-west-1' });
    expect((r.structured as { instances: Array<{ id: string }> }).instances.map((i) => i.id)).toEqual([AWS_EU]);
  });
});

describe('get_aws_instance_storage_info', () => {
  it('reads the volumes with one DescribeVolumes filtered by attachment', async () => {
    const r = await call('get_aws_instance_storage_info', { instance_id: AWS_PROD });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      instanceId: AWS_PROD,
      rootDeviceName: '/dev/xvda',
      totalSizeGiB: 530,
      volumes: [
        {
          device: '/dev/sdf',
          volumeId: 'vol-0a1b2c3d4e5f70002',
          volumeType: 'io2',
          sizeGiB: 500,
          iops: 10000,
          throughputMiBps: null,
        },
        {
          device: '/dev/xvda',
          volumeId: 'vol-0a1b2c3d4e5f70001',
          volumeType: 'gp3',
          sizeGiB: 30,
          iops: 3000,
          throughputMiBps: 125,
          encrypted: true,
        },
      ],
    });
    const volumeCalls = fake.requests.filter((q) => q.action === 'DescribeVolumes');
    expect(volumeCalls).toHaveLength(1);
    expect(volumeCalls[0]?.params).toMatchObject({
      'Filter.1.Name': 'attachment.instance-id',
      'Filter.1.Value.1': AWS_PROD,
    });
  });

  it('maps a DescribeVolumes failure with its request id', async () => {
    fake.failNext({
      action: 'DescribeVolumes',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    const r = await call('get_aws_instance_storage_info', { instance_id: AWS_PROD });
    expect(r.text).toContain('PERMISSION_DENIED');
    expect(r.text).toContain('ec2:DescribeVolumes');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
  });

  it('rejects a malformed id before sending anything', async () => {
    const r = await call('get_aws_instance_storage_info', { instance_id: 'vol-123' });
    expect(r.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('get_aws_instance_monitoring', () => {
  it('reads five metrics × Average/Maximum in one GetMetricData call, sorted oldest first', async () => {
    const r = await call('get_aws_instance_monitoring', { instance_id: AWS_PROD, hours: 3 });
    expect(r.isError).toBe(false);
    const out = r.structured as {
      periodSeconds: number;
      series: Array<{ metric: string; stat: string; points: Array<{ timestamp: string }> }>;
    };
    expect(out.periodSeconds).toBe(300);
    expect(out.series.map((s) => `${s.metric}/${s.stat}`)).toEqual([
      'CPUUtilization/Average',
      'CPUUtilization/Maximum',
      'NetworkIn/Average',
      'NetworkIn/Maximum',
      'NetworkOut/Average',
      'NetworkOut/Maximum',
      'DiskReadOps/Average',
      'DiskReadOps/Maximum',
      'DiskWriteOps/Average',
      'DiskWriteOps/Maximum',
    ]);
    for (const s of out.series) {
      expect(s.points.length).toBeGreaterThanOrEqual(35);
      const times = s.points.map((p) => p.timestamp);
      expect(times).toEqual([...times].sort());
    }
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]?.json;
    expect(body.MetricDataQueries).toHaveLength(10);
    expect(body.MetricDataQueries[0].MetricStat).toMatchObject({
      Metric: {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: AWS_PROD }],
      },
      Period: 300,
      Stat: 'Average',
    });
    expect(body.EndTime - body.StartTime).toBe(3 * 3600);
  });

  it('refuses hours outside 1–72 before sending anything', async () => {
    for (const hours of [0, 73, 1.5]) {
      const r = await call('get_aws_instance_monitoring', { instance_id: AWS_PROD, hours });
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a CloudWatch error with its request id', async () => {
    fake.failNext({ action: 'GetMetricData', status: 400, code: 'InvalidParameterValue', message: 'bad period' });
    const r = await call('get_aws_instance_monitoring', { instance_id: AWS_PROD });
    expect(r.text).toContain('INVALID_ARGUMENT');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
  });
});

describe('AWS credentials', () => {
  it('answers INVALID_CREDENTIALS for a key the endpoint does not know', async () => {
    const c = await connect(cloudSettings({ aws: fake }, { awsAccessKeyId: 'AKIAUNKNOWNKEY000001' }));
    try {
      const r = await callTool(c.client, 'list_aws_instances', {});
      expect(r.text).toContain('INVALID_CREDENTIALS');
      expect(r.text).toContain('AuthFailure');
    } finally {
      await c.close();
    }
  });

  it('answers INVALID_CREDENTIALS for a wrong secret (the signature does not verify)', async () => {
    const c = await connect(cloudSettings({ aws: fake }, { awsSecretAccessKey: 'wrong-secret-0123456789' }));
    try {
      const r = await callTool(c.client, 'list_aws_instances', {});
      expect(r.text).toContain('INVALID_CREDENTIALS');
      expect(r.text).toContain('SignatureDoesNotMatch');
      expect(r.text).not.toContain(AWS_KEY.secretAccessKey);
    } finally {
      await c.close();
    }
  });

  it('is absent without credentials: PROVIDER_NOT_AVAILABLE naming the variables, nothing sent', async () => {
    const c = await connect({ maxRetries: 0 });
    try {
      const r = await callTool(c.client, 'list_aws_instances', {});
      expect(r.text).toContain('PROVIDER_NOT_AVAILABLE');
      expect(r.text).toContain('AWS_ACCESS_KEY_ID');
    } finally {
      await c.close();
    }
    expect(fake.requests).toHaveLength(0);
  });
});
