import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { verifyAcs3Signature, verifySigV4Signature } from '@opsmcp/core/signing';
import { type RecordedRequest, type RecordingServer, startRecordingServer } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALI_KEY, AWS_KEY } from './cloud-helpers.js';

/**
 * The fakes trust core's verifiers; these tests show the verifiers accept what the real SDKs
 * send (so a fake that rejects a request rejects a genuinely wrong signature) and reject a
 * request altered after signing.
 */

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((request) => {
    if (request.headers['x-acs-action'])
      return {
        headers: { 'content-type': 'application/json' },
        body: { RequestId: 'R1', Instances: { Instance: [] } },
      };
    if (request.headers['x-amz-target']) {
      return {
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: { MetricDataResults: [], Messages: [] },
      };
    }
    return {
      headers: { 'content-type': 'text/xml' },
      body: '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet/></DescribeInstancesResponse>',
    };
  });
});
afterAll(async () => {
  await server.close();
});

const last = (): RecordedRequest => {
  const request = server.requests.at(-1);
  if (!request) throw new Error('no request recorded');
  return request;
};
const awsOptions = { accessKeyId: AWS_KEY.accessKeyId, secretAccessKey: AWS_KEY.secretAccessKey };
const awsClientConfig = {
  region: 'eu-west-1',
  endpoint: '',
  maxAttempts: 1,
  credentials: {
    accessKeyId: AWS_KEY.accessKeyId,
    secretAccessKey: AWS_KEY.secretAccessKey,
    sessionToken: 'session-token-123',
  },
};

describe('AWS SigV4', () => {
  it("accepts @aws-sdk/client-ec2's own request (with a session token) and rejects it tampered", async () => {
    const client = new EC2Client({ ...awsClientConfig, endpoint: server.url });
    await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'ip-address', Values: ['203.0.113.10'] }] }));
    client.destroy();
    const request = last();
    expect(request.body).toContain('Action=DescribeInstances');
    const options = {
      ...awsOptions,
      sessionToken: 'session-token-123',
      expectRegion: 'eu-west-1',
      expectService: 'ec2',
    };
    expect(verifySigV4Signature(request, options)).toMatchObject({ ok: true, accessKeyId: AWS_KEY.accessKeyId });
    const tampered = { ...request, rawBody: undefined, body: request.body.replace('203.0.113.10', '203.0.113.11') };
    expect(verifySigV4Signature(tampered, options).ok).toBe(false);
    expect(verifySigV4Signature(request, { ...options, secretAccessKey: 'another-secret' }).ok).toBe(false);
  });

  it("accepts @aws-sdk/client-cloudwatch's own JSON 1.0 request and rejects it tampered", async () => {
    const client = new CloudWatchClient({ ...awsClientConfig, endpoint: server.url });
    await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
              Period: 300,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    client.destroy();
    const request = last();
    expect(request.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricData');
    const options = { ...awsOptions, sessionToken: 'session-token-123', expectService: 'monitoring' };
    expect(verifySigV4Signature(request, options).ok).toBe(true);
    const tampered = {
      ...request,
      headers: { ...request.headers, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' },
    };
    expect(verifySigV4Signature(tampered, options).ok).toBe(false);
  });
});

describe('Alibaba ACS3', () => {
  it("accepts @alicloud/ecs20140526's own request and rejects it tampered", async () => {
    // Native ESM wraps the CommonJS exports in `default`; vitest unwraps one level.
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's CommonJS shape differs between Node and vitest
    const loaded = (await import('@alicloud/ecs20140526')) as unknown as Record<string, any>;
    const ecs = typeof loaded.default === 'function' ? loaded : loaded.default;
    const core = (await import('@alicloud/openapi-core')) as unknown as {
      $OpenApiUtil: { Config: new (m: object) => unknown };
    };
    const Client = ecs.default;
    const client = new Client(
      new core.$OpenApiUtil.Config({
        accessKeyId: ALI_KEY.accessKeyId,
        accessKeySecret: ALI_KEY.accessKeySecret,
        regionId: 'cn-hangzhou',
        endpoint: server.host,
        protocol: 'HTTP',
      }),
    );
    await client.describeInstancesWithOptions(
      new ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', publicIpAddresses: '["203.0.113.40"]' }),
      {},
    );
    const request = last();
    expect(request.headers['x-acs-action']).toBe('DescribeInstances');
    expect(request.query.PublicIpAddresses).toBe('["203.0.113.40"]');
    const options = {
      accessKeyId: ALI_KEY.accessKeyId,
      accessKeySecret: ALI_KEY.accessKeySecret,
      expectVersion: '2014-05-26',
    };
    expect(verifyAcs3Signature(request, options)).toMatchObject({ ok: true, accessKeyId: ALI_KEY.accessKeyId });
    const tamperedQuery = { ...request, url: request.url.replace('203.0.113.40', '203.0.113.41') };
    expect(verifyAcs3Signature(tamperedQuery, options).ok).toBe(false);
    const tamperedAction = { ...request, headers: { ...request.headers, 'x-acs-action': 'StopInstance' } };
    expect(verifyAcs3Signature(tamperedAction, options).ok).toBe(false);
  });
});
