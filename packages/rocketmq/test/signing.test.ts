import { createHash } from 'node:crypto';
import { type RecordedVolcengineRequest, verifyVolcengineSignature as sandboxVerify } from '@opsmcp/core/signing';
import { verifyVolcengineSignature as coreVerify } from '@opsmcp/core/testing';
import { Service } from '@volcengine/openapi';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
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

  it('the client signs with the same Signer: host, body hash and date are signed', async () => {
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
