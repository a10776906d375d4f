import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpsError } from '@opsmcp/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { parseEndpoint } from '../src/volcengine/endpoint.js';
import { clientFor, INSTANCE_4X, KEYS, startFake } from './helpers.js';

let fake: FakeVolcengine | undefined;
let raw: Server | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  if (raw) {
    raw.closeAllConnections();
    await new Promise((r) => raw?.close(r));
    raw = undefined;
  }
});

async function failure(promise: Promise<unknown>): Promise<OpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpsError);
  return error as OpsError;
}

describe('parseEndpoint', () => {
  it('takes a host (HTTPS) or a full URL; the protocol keeps its colon', () => {
    expect(parseEndpoint('open.volcengineapi.com')).toEqual({
      protocol: 'https:',
      hostname: 'open.volcengineapi.com',
      port: undefined,
      host: 'open.volcengineapi.com',
    });
    expect(parseEndpoint('http://127.0.0.1:18080')).toMatchObject({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 18080,
      host: '127.0.0.1:18080',
    });
    expect(() => parseEndpoint('ftp://x')).toThrow(/http or https/);
    expect(() => parseEndpoint('http://x/path')).toThrow(/path/);
  });
});

describe('RocketMQClient against the fake endpoint', () => {
  it('POSTs JSON to /?Action=…&Version=2023-01-01, signed for the call region, and returns Result and RequestId', async () => {
    fake = await startFake();
    const client = clientFor(fake);
    const { result, requestId } = await client.call<{ Total: number }>('DescribeInstances', {
      PageNumber: 1,
      PageSize: 10,
      InstanceName: undefined,
      TagFilters: [],
    });
    expect(result.Total).toBe(3);
    expect(requestId).toMatch(/^\d{14}[0-9A-F]{20}$/);
    const sent = fake.requests[0];
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/',
      query: { Action: 'DescribeInstances', Version: '2023-01-01' },
    });
    expect(sent?.headers['content-type']).toBe('application/json');
    // Undefined values and empty lists are not sent.
    expect(JSON.parse(sent?.body ?? '')).toEqual({ PageNumber: 1, PageSize: 10 });
    expect(sent?.signature.ok).toBe(true);

    const other = await client.call<{ Total: number }>(
      'DescribeInstances',
      { PageNumber: 1, PageSize: 10 },
      { region: 'cn-shanghai' },
    );
    expect(other.result.Total).toBe(0);
    expect(fake.requests[1]?.region).toBe('cn-shanghai');
  });

  it('sends and signs X-Security-Token with STS credentials', async () => {
    fake = await startFake({ keys: [{ ...KEYS, sessionToken: 'STS-1' }] });
    await clientFor(fake, { credentials: async () => ({ ...KEYS, sessionToken: 'STS-1' }) }).call(
      'DescribeRegions',
      {},
    );
    expect(fake.requests[0]?.headers['x-security-token']).toBe('STS-1');
    expect(fake.requests[0]?.signature.ok).toBe(true);
    const missing = await failure(clientFor(fake).call('DescribeRegions', {}));
    expect(missing.code).toBe('INVALID_CREDENTIALS');
    expect(missing.upstream?.code).toBe('InvalidSecretToken');
  });

  it('maps gateway and service errors to core codes with the upstream code and request id', async () => {
    fake = await startFake();
    const badSecret = await failure(
      clientFor(fake, { credentials: async () => ({ ...KEYS, secretAccessKey: 'wrong' }) }).call('DescribeRegions', {}),
    );
    expect(badSecret.code).toBe('INVALID_CREDENTIALS');
    expect(badSecret.upstream).toMatchObject({ code: 'SignatureDoesNotMatch', status: 401 });
    expect(badSecret.upstream?.requestId).toMatch(/^\d{14}/);

    const unknownKey = await failure(
      clientFor(fake, { credentials: async () => ({ accessKeyId: 'AKLTNOPE', secretAccessKey: 'x' }) }).call(
        'DescribeRegions',
        {},
      ),
    );
    expect(unknownKey.upstream?.code).toBe('InvalidAccessKey');
    expect(unknownKey.code).toBe('INVALID_CREDENTIALS');

    const client = clientFor(fake);
    const notFound = await failure(client.call('DescribeInstanceDetail', { InstanceId: 'rocketmq-nope' }));
    expect(notFound.code).toBe('RESOURCE_NOT_FOUND');
    expect(notFound.upstream?.code).toBe('InvalidInstanceId.NotFound');

    fake.failNext('EnableInstanceInspect', {
      status: 403,
      code: 'AccessDenied',
      message: 'User is not authorized',
      codeN: 100013,
    });
    const denied = await failure(
      client.call('EnableInstanceInspect', { InstanceId: INSTANCE_4X, Enable: true }, { write: true }),
    );
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect(denied.upstream?.status).toBe(403);

    fake.failNext('DescribeTopics', { status: 404, code: 'InvalidTopicName_NotFound', message: 'no topic' });
    expect(
      (await failure(client.call('DescribeTopics', { InstanceId: INSTANCE_4X, PageNumber: 1, PageSize: 1 }))).code,
    ).toBe('RESOURCE_NOT_FOUND');

    const invalid = await failure(
      client.call('DescribeTopics', { InstanceId: INSTANCE_4X, PageNumber: 1, PageSize: 500 }),
    );
    expect(invalid.code).toBe('UPSTREAM_ERROR');
    expect(invalid.upstream?.code).toBe('InvalidParameter');
    expect(invalid.retryable).toBe(false);

    const unknownAction = await failure(client.call('DescribeInstance', {}));
    expect(unknownAction.upstream?.code).toBe('InvalidActionOrVersion');
  });

  it('retries reads after throttling and 5xx, then succeeds', async () => {
    fake = await startFake();
    fake.failNext('DescribeRegions', {
      status: 429,
      code: 'FlowLimitExceeded',
      message: 'Request Has Reached Service Limit',
    });
    fake.failNext('DescribeRegions', { status: 503, code: 'ServiceUnavailable', message: 'try later' });
    const { result } = await clientFor(fake).call<{ Regions: unknown[] }>('DescribeRegions', {});
    expect(result.Regions).toHaveLength(6);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('gives up after the retry budget with RATE_LIMITED', async () => {
    fake = await startFake();
    fake.failNext('DescribeRegions', { status: 429, code: 'FlowLimitExceeded', message: 'limit' }, 5);
    const error = await failure(clientFor(fake, { maxRetries: 2 }).call('DescribeRegions', {}));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });

  it('never retries a write', async () => {
    fake = await startFake();
    fake.failNext('ManualTriggerInspect', { status: 503, code: 'ServiceUnavailable', message: 'busy' });
    const error = await failure(
      clientFor(fake).call(
        'ManualTriggerInspect',
        { InstanceId: INSTANCE_4X, Type: 'cluster', InspectName: 'queueInsufficient' },
        { write: true },
      ),
    );
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(fake.requests).toHaveLength(1);
  });

  it('bounds each attempt with the timeout and stops at cancellation', async () => {
    fake = await startFake();
    fake.setDelay(300);
    const slow = await failure(clientFor(fake, { timeoutMs: 100, maxRetries: 0 }).call('DescribeRegions', {}));
    expect(slow.code).toBe('TIMEOUT');

    const controller = new AbortController();
    const pending = clientFor(fake, { signal: controller.signal, timeoutMs: 5000 }).call('DescribeRegions', {});
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failure(pending);
    expect(cancelled.code).toBe('TIMEOUT');
    expect(cancelled.retryable).toBe(false);
  });

  it('retries a read after a reset connection, and reports a non-JSON answer', async () => {
    let calls = 0;
    raw = createServer((req, res) => {
      calls += 1;
      if (calls === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    });
    await new Promise<void>((r) => raw?.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    const error = await failure(clientFor({ url }, { maxRetries: 1 }).call('DescribeRegions', {}));
    expect(calls).toBe(2);
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.upstream?.status).toBe(502);
    expect(error.message).toContain('Bad Gateway');
  });

  it('treats ResponseMetadata.Error inside an HTTP 200 as a failure, and a 200 without an envelope too', async () => {
    fake = await startFake();
    fake.failNext('DescribeRegions', { status: 200, code: 'InvalidParameter', message: 'bad' });
    const inside = await failure(clientFor(fake).call('DescribeRegions', {}));
    expect(inside.upstream).toMatchObject({ code: 'InvalidParameter', status: 200 });

    raw = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":1}'));
    await new Promise<void>((r) => raw?.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    const bare = await failure(clientFor({ url }).call('DescribeRegions', {}));
    expect(bare.code).toBe('UPSTREAM_ERROR');
    expect(bare.message).toContain('not an OpenAPI answer');
  });

  it('reports an unreachable endpoint as PROVIDER_NOT_AVAILABLE', async () => {
    const error = await failure(
      clientFor({ url: 'http://127.0.0.1:1' }, { maxRetries: 0 }).call('DescribeRegions', {}),
    );
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
  });
});
