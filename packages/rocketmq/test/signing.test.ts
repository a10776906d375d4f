import { createHash } from 'node:crypto';
import { type RecordedVolcengineRequest, verifyVolcengineSignature as sandboxVerify } from '@opsmcp/core/signing';
import { verifyVolcengineSignature as coreVerify } from '@opsmcp/core/testing';
import { Service } from '@volcengine/openapi';
import SdkSignerModule from '@volcengine/openapi/lib/base/sign.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { signVolcengineRequest, type VolcengineRequestToSign } from '../src/volcengine/sign.js';
import vectors from './fixtures/signing-vectors.json' with { type: 'json' };
import { clientFor, KEYS, startFake } from './helpers.js';

const CLOCK = new Date('2024-08-06T14:03:31Z');

function recorded(vector: (typeof vectors.vectors)[number]): RecordedVolcengineRequest {
  return {
    method: 'POST',
    path: '/',
    query: { Action: vector.action, Version: '2023-01-01' },
    headers: vector.headers_sent,
    body: vector.body,
  };
}

let fake: FakeVolcengine | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('the sandbox verifier (@opsmcp/core/signing) and the core test-kit export agree', () => {
  it('are one verifier: the test kit re-exports the runtime one', () => {
    expect(coreVerify).toBe(sandboxVerify);
  });

  for (const vector of vectors.vectors) {
    it(`on reference vector ${vector.action} (${vector.service}, ${vector.region})`, () => {
      const keys = {
        accessKeyId: vector.access_key_id,
        secretAccessKey: vector.secret_access_key,
        sessionToken: vector.session_token ?? undefined,
        now: CLOCK,
      };
      const request = recorded(vector);
      const fromSandbox = sandboxVerify(request, keys);
      expect(fromSandbox.ok).toBe(true);
      expect(fromSandbox.canonicalRequest).toBe(vector.canonical_request);
      expect(fromSandbox.stringToSign).toBe(vector.string_to_sign);
      expect(coreVerify(request, keys)).toEqual(fromSandbox);

      const tampered = { ...request, body: `${vector.body} ` };
      const headers = {
        ...vector.headers_sent,
        'X-Content-Sha256': createHash('sha256').update(tampered.body).digest('hex'),
      };
      for (const bad of [tampered, { ...tampered, headers }]) {
        const a = sandboxVerify(bad, keys);
        expect(a.ok).toBe(false);
        expect(coreVerify(bad, keys)).toEqual(a);
      }
      const wrongKey = { ...keys, secretAccessKey: 'other' };
      expect(sandboxVerify(request, wrongKey).ok).toBe(false);
      expect(coreVerify(request, wrongKey)).toEqual(sandboxVerify(request, wrongKey));
    });
  }
});

describe('requests signed by @volcengine/openapi itself', () => {
  async function sdkService(sessionToken?: string) {
    fake = await startFake({ keys: [{ ...KEYS, ...(sessionToken ? { sessionToken } : {}) }] });
    return new Service({
      host: `127.0.0.1:${fake.port}`,
      protocol: 'http:',
      region: 'cn-shanghai',
      serviceName: 'RocketMQ',
      defaultVersion: '2023-01-01',
      accessKeyId: KEYS.accessKeyId,
      secretKey: KEYS.secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
    });
  }

  it("pass the core verifier (the SDK's Service, JSON POST)", async () => {
    const service = await sdkService();
    const describeRegions = service.createJSONAPI('DescribeRegions');
    const response = (await describeRegions({})) as { Result?: { Regions?: unknown[] } };
    expect(response.Result?.Regions).toHaveLength(6);
    const received = fake?.requests[0];
    expect(received?.signature).toMatchObject({ ok: true, reason: 'signature matches' });
    expect(received?.region).toBe('cn-shanghai');
    const again = coreVerify(
      {
        method: 'POST',
        path: '/',
        query: received?.query ?? {},
        headers: received?.headers ?? {},
        body: received?.body,
      },
      { ...KEYS, region: 'cn-shanghai', service: 'RocketMQ' },
    );
    expect(again.ok).toBe(true);
  });

  it('pass with an STS session token, and fail with the wrong secret', async () => {
    const service = await sdkService('STS-TOKEN-FOR-TEST');
    const response = (await service.createJSONAPI('DescribeRegions')({})) as { ResponseMetadata: { Error?: unknown } };
    expect(response.ResponseMetadata.Error).toBeUndefined();
    expect(fake?.requests[0]?.headers['x-security-token']).toBe('STS-TOKEN-FOR-TEST');

    service.setSecretKey('not-the-secret');
    const denied = (await service.createJSONAPI('DescribeRegions')({})) as {
      ResponseMetadata: { Error?: { Code?: string } };
    };
    expect(denied.ResponseMetadata.Error?.Code).toBe('SignatureDoesNotMatch');
  });

  it('the client signs host, body hash and date with its own signer, and the verifier accepts it', async () => {
    fake = await startFake();
    await clientFor(fake).call('DescribeRegions', {});
    const received = fake.requests[0];
    expect(received?.signature.ok).toBe(true);
    expect(received?.headers.authorization).toMatch(
      /^HMAC-SHA256 Credential=AKLTTESTROCKETMQ0000000001\/\d{8}\/cn-beijing\/RocketMQ\/request, SignedHeaders=host;x-content-sha256;x-date, Signature=[0-9a-f]{64}$/,
    );
    expect(received?.body).toBe('{}');
  });
});

describe('signVolcengineRequest gives the headers the @volcengine/openapi Signer gives', () => {
  // A CommonJS module with `exports.default`: ESM sees it as `default.default`.
  const SdkSigner = ((SdkSignerModule as { default?: unknown }).default ?? SdkSignerModule) as new (
    request: Record<string, unknown>,
    service: string,
  ) => { addAuthorization(credentials: Record<string, unknown>, date?: Date): void };

  const cases: Array<{ title: string; request: VolcengineRequestToSign; sessionToken?: string; at: string }> = [
    {
      title: 'a JSON POST',
      request: {
        method: 'POST',
        pathname: '/',
        query: { Action: 'DescribeInstances', Version: '2023-01-01' },
        headers: { Host: 'rocketmq.cn-beijing.volcengineapi.com', 'Content-Type': 'application/json' },
        body: '{"PageNumber":1,"PageSize":10}',
        region: 'cn-beijing',
        service: 'RocketMQ',
      },
      at: '2024-08-06T14:03:31.123Z',
    },
    {
      title: 'STS keys, another region, a body with non-ASCII text and odd header whitespace',
      request: {
        method: 'post',
        pathname: '/',
        query: { Version: '2023-01-01', Action: 'DescribeTopics' },
        headers: { Host: '127.0.0.1:18080', 'Content-Type': 'application/json', 'X-Custom': '  a   b  ' },
        body: '{"TopicName":"订单-topic","Note":"tab\there"}',
        region: 'ap-southeast-1',
        service: 'RocketMQ',
      },
      sessionToken: 'STS-TOKEN-FOR-TEST',
      at: '2025-01-31T23:59:59Z',
    },
    {
      title: 'a query with reserved characters and a repeated name, and no body',
      request: {
        method: 'GET',
        pathname: '/path',
        query: { Action: 'List', Filter: "a b*c!(d)'e/f", Id: ['b2', 'a1'], Empty: undefined },
        headers: { Host: 'open.volcengineapi.com' },
        body: '',
        region: 'cn-shanghai',
        service: 'iam',
      },
      at: '2026-12-04T00:00:00Z',
    },
  ];

  for (const { title, request, sessionToken, at } of cases) {
    it(`on ${title}`, () => {
      const credentials = { ...KEYS, ...(sessionToken ? { sessionToken } : {}) };
      const date = new Date(at);
      const ours = signVolcengineRequest(request, credentials, date);

      const sdkRequest = {
        region: request.region,
        method: request.method,
        pathname: request.pathname,
        params: Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])),
        headers: { ...request.headers },
        body: request.body,
      };
      new SdkSigner(sdkRequest, request.service).addAuthorization(
        { accessKeyId: credentials.accessKeyId, secretKey: credentials.secretAccessKey, sessionToken },
        date,
      );
      expect(ours).toEqual(sdkRequest.headers);
      expect(ours.Authorization).toMatch(/^HMAC-SHA256 Credential=.+, SignedHeaders=.+, Signature=[0-9a-f]{64}$/);

      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query)) {
        for (const item of typeof value === 'string' ? [value] : (value ?? [])) query.append(name, item);
      }
      const verdict = coreVerify(
        { method: request.method, path: request.pathname, query: query.toString(), headers: ours, body: request.body },
        { ...credentials, region: request.region, service: request.service, now: date },
      );
      expect(verdict.reason).toBe('signature matches');
    });
  }
});
