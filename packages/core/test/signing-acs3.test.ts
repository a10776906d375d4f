import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildAcs3CanonicalRequest,
  parseAcs3Authorization,
  signAcs3Request,
  verifyAcs3Signature,
} from '../src/signing/acs3.js';
import type { VerifiableRequest } from '../src/signing/common.js';

// Alibaba Cloud's published fixed-value example for the V3 signature ("V3 request structure and
// signature", signature example): POST RunInstances to ecs.cn-shanghai with an empty body.
const DOC = {
  accessKeyId: 'YourAccessKeyId',
  accessKeySecret: 'YourAccessKeySecret',
  date: '2023-10-26T10:22:32Z',
  nonce: '3156853299f313e23d1673dc12e1703d',
  hashedCanonicalRequest: '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
  signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};
const DOC_SIGNED_HEADERS = 'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const DOC_CLOCK = new Date(DOC.date);
const DOC_AUTHORIZATION = `ACS3-HMAC-SHA256 Credential=${DOC.accessKeyId},SignedHeaders=${DOC_SIGNED_HEADERS},Signature=${DOC.signature}`;

function documentedRequest(): Omit<VerifiableRequest, 'headers'> & { headers: Record<string, string> } {
  return {
    method: 'POST',
    url: '/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': DOC.date,
      'x-acs-signature-nonce': DOC.nonce,
      'x-acs-content-sha256': EMPTY_SHA256,
      authorization: DOC_AUTHORIZATION,
    },
    body: '',
  };
}

const docOptions = { accessKeyId: DOC.accessKeyId, accessKeySecret: DOC.accessKeySecret, now: DOC_CLOCK };

describe('ACS3-HMAC-SHA256 against the published example', () => {
  it('rebuilds the documented canonical request hash', () => {
    const canonical = buildAcs3CanonicalRequest(documentedRequest(), DOC_SIGNED_HEADERS.split(';'));
    expect(canonical).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n' +
          `x-acs-content-sha256:${EMPTY_SHA256}\nx-acs-date:${DOC.date}\n` +
          `x-acs-signature-nonce:${DOC.nonce}\nx-acs-version:2014-05-26\n`,
        DOC_SIGNED_HEADERS,
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(DOC.hashedCanonicalRequest);
  });

  it('accepts the documented Authorization header', () => {
    expect(verifyAcs3Signature(documentedRequest(), docOptions)).toEqual({ ok: true, accessKeyId: DOC.accessKeyId });
  });

  it('signs the documented request to the documented signature', () => {
    const { authorization: _documented, ...unsignedHeaders } = documentedRequest().headers;
    const signed = signAcs3Request(
      { ...documentedRequest(), headers: unsignedHeaders },
      { accessKeyId: DOC.accessKeyId, accessKeySecret: DOC.accessKeySecret, date: DOC_CLOCK, nonce: DOC.nonce },
    );
    expect(signed.headers.authorization).toBe(DOC_AUTHORIZATION);
  });

  it('accepts query parameters in any order and encoding', () => {
    const request = documentedRequest();
    request.url = '/?RegionId=cn%2Dshanghai&ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd';
    expect(verifyAcs3Signature(request, docOptions).ok).toBe(true);
  });
});

describe('ACS3-HMAC-SHA256 rejects tampering and mix-ups', () => {
  const KEYS = { accessKeyId: 'LTAI-test-id', accessKeySecret: 'test-secret' };
  const CLOCK = new Date('2026-01-15T08:00:00Z');

  function signedPost(extra: Partial<Parameters<typeof signAcs3Request>[1]> = {}) {
    return signAcs3Request(
      {
        method: 'POST',
        url: '/api/v1/clusters/c-123/triggers?Namespace=default',
        headers: {
          host: 'cs.cn-hangzhou.aliyuncs.com',
          'content-type': 'application/json',
          'x-acs-action': 'CreateTrigger',
          'x-acs-version': '2015-12-15',
        },
        body: '{"cluster_id":"c-123"}',
      },
      { ...KEYS, date: CLOCK, nonce: 'nonce-1', ...extra },
    );
  }
  const verify = (request: VerifiableRequest, extra: Record<string, unknown> = {}) =>
    verifyAcs3Signature(request, { ...KEYS, now: CLOCK, ...extra });

  it('accepts the untouched request and names the key', () => {
    expect(verify(signedPost())).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
  });

  it('rejects a changed body', () => {
    const verdict = verify({ ...signedPost(), body: '{"cluster_id":"c-999"}' });
    expect(verdict).toMatchObject({ ok: false });
    if (!verdict.ok) expect(verdict.reason).toMatch(/^x-acs-content-sha256 \w+ does not match the body's SHA-256/);
  });

  it('rejects a changed body whose hash header was recomputed', () => {
    const body = '{"cluster_id":"c-999"}';
    const request = signedPost();
    request.headers['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
    const verdict = verify({ ...request, body });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^signature mismatch: expected [0-9a-f]{64} got [0-9a-f]{64}/);
  });

  it('rejects a changed signed header', () => {
    const request = signedPost();
    request.headers['x-acs-action'] = 'DeleteCluster';
    const verdict = verify(request);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain('signature mismatch');
  });

  it('rejects an x-acs- header added after signing', () => {
    const request = signedPost();
    request.headers['x-acs-resourcegroupid'] = 'rg-1';
    expect(verify(request)).toEqual({
      ok: false,
      reason:
        'header x-acs-resourcegroupid is present but not among SignedHeaders ' +
        'content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
    });
  });

  it('rejects a changed query and a changed path', () => {
    expect(verify({ ...signedPost(), url: '/api/v1/clusters/c-123/triggers?Namespace=kube-system' }).ok).toBe(false);
    expect(verify({ ...signedPost(), url: '/api/v1/clusters/c-456/triggers?Namespace=default' }).ok).toBe(false);
  });

  it('rejects a changed method', () => {
    expect(verify({ ...signedPost(), method: 'PUT' }).ok).toBe(false);
  });

  it('rejects the wrong secret and the wrong key id', () => {
    const wrongSecret = verify(signedPost({ accessKeySecret: 'other-secret' }));
    expect(wrongSecret.ok).toBe(false);
    if (!wrongSecret.ok) expect(wrongSecret.reason).toContain('signature mismatch');
    expect(verify(signedPost({ accessKeyId: 'LTAI-other' }))).toEqual({
      ok: false,
      reason: 'credential access key LTAI-other, expected LTAI-test-id',
    });
  });

  it('requires the action header that RPC-style APIs rely on', () => {
    const request = signedPost();
    delete request.headers['x-acs-action'];
    expect(verify(request)).toEqual({
      ok: false,
      reason: 'missing x-acs-action (RPC-style APIs send the action only in this header)',
    });
  });

  it('checks the expected action and version', () => {
    expect(verify(signedPost(), { expectAction: 'DescribeClusters' })).toEqual({
      ok: false,
      reason: 'x-acs-action CreateTrigger, expected DescribeClusters',
    });
    expect(verify(signedPost(), { expectVersion: '2016-01-01' })).toEqual({
      ok: false,
      reason: 'x-acs-version 2015-12-15, expected 2016-01-01',
    });
    expect(verify(signedPost(), { expectAction: 'CreateTrigger', expectVersion: '2015-12-15' }).ok).toBe(true);
  });

  it('checks the STS token both ways', () => {
    expect(verify(signedPost({ sessionToken: 'sts-token' }), { sessionToken: 'sts-token' }).ok).toBe(true);
    expect(verify(signedPost(), { sessionToken: 'sts-token' })).toEqual({
      ok: false,
      reason: 'missing x-acs-security-token',
    });
    expect(verify(signedPost({ sessionToken: 'other-token' }), { sessionToken: 'sts-token' })).toEqual({
      ok: false,
      reason: 'x-acs-security-token does not match the expected session token',
    });
    expect(verify(signedPost({ sessionToken: 'sts-token' }))).toEqual({
      ok: false,
      reason: 'unexpected x-acs-security-token: the expected credentials have no session token',
    });
  });

  it('rejects a stale request and another algorithm', () => {
    const stale = verify(signedPost(), { now: new Date('2026-01-15T09:00:00Z') });
    expect(stale).toEqual({
      ok: false,
      reason: "x-acs-date 2026-01-15T08:00:00Z is 3600 s away from the verifier's clock (limit 900 s)",
    });
    const request = signedPost();
    request.headers.authorization = (request.headers.authorization ?? '').replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3');
    expect(verify(request)).toEqual({
      ok: false,
      reason: 'unsupported Authorization algorithm ACS3-HMAC-SM3, expected ACS3-HMAC-SHA256',
    });
  });

  it('parses the Authorization header', () => {
    expect(parseAcs3Authorization(DOC_AUTHORIZATION)).toEqual({
      accessKeyId: DOC.accessKeyId,
      signedHeaders: DOC_SIGNED_HEADERS.split(';'),
      signature: DOC.signature,
    });
    expect(parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=a,Signature=b')).toBe(
      'malformed Authorization: missing SignedHeaders',
    );
  });
});
