import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerifiableRequest } from '../src/signing/common.js';
import { buildSlsStringToSign, computeSlsSignature, signSlsRequest, verifySlsSignature } from '../src/signing/sls.js';

// The example key pair and requests from Alibaba Cloud's SLS "request signature" documentation,
// which the official SLS SDKs keep as their signing unit tests.
const DOC_KEYS = { accessKeyId: 'bq2sjzesjmo86kq35behupbq', accessKeySecret: '4fdO2fTDDnZPU/L7CHNdemB2Nsk=' };
const DOC_GET_DATE = 'Mon, 09 Nov 2015 06:11:16 GMT';

function documentedGet(): Omit<VerifiableRequest, 'headers'> & { headers: Record<string, string> } {
  return {
    method: 'GET',
    url: '/logstores?logstoreName=&offset=0&size=1000',
    headers: {
      host: 'test-project.cn-hangzhou-devcommon-intranet.sls.aliyuncs.com',
      date: DOC_GET_DATE,
      'x-log-apiversion': '0.6.0',
      'x-log-signaturemethod': 'hmac-sha1',
      authorization: `LOG ${DOC_KEYS.accessKeyId}:jEYOTCJs2e88o+y5F4/S5IsnBJQ=`,
    },
    body: '',
  };
}

describe('SLS LOG signature against the published examples', () => {
  it('builds the documented string to sign for GET /logstores', () => {
    expect(buildSlsStringToSign(documentedGet())).toBe(
      `GET\n\n\n${DOC_GET_DATE}\nx-log-apiversion:0.6.0\nx-log-signaturemethod:hmac-sha1\n` +
        '/logstores?logstoreName=&offset=0&size=1000',
    );
  });

  it('accepts the documented GET /logstores signature', () => {
    expect(verifySlsSignature(documentedGet(), { ...DOC_KEYS, now: new Date(DOC_GET_DATE) })).toEqual({
      ok: true,
      accessKeyId: DOC_KEYS.accessKeyId,
    });
  });

  it('computes the documented PutLogs signature (compressed body not published, so MD5 is taken as given)', () => {
    const putLogs: VerifiableRequest = {
      method: 'POST',
      url: '/logstores/test-logstore',
      headers: {
        date: 'Mon, 09 Nov 2015 06:03:03 GMT',
        'x-log-apiversion': '0.6.0',
        'x-log-signaturemethod': 'hmac-sha1',
        'content-md5': '1DD45FA4A70A9300CC9FE7305AF2C494',
        'content-length': '52',
        'content-type': 'application/x-protobuf',
        'x-log-bodyrawsize': '50',
        'x-log-compresstype': 'lz4',
      },
    };
    expect(computeSlsSignature(putLogs, DOC_KEYS.accessKeySecret)).toBe('XWLGYHGg2F2hcfxWxMLiNkGki6g=');
  });

  it('signs the documented GET to the documented signature', () => {
    const { authorization: _documented, ...unsignedHeaders } = documentedGet().headers;
    const signed = signSlsRequest(
      { ...documentedGet(), headers: unsignedHeaders },
      { ...DOC_KEYS, date: new Date(DOC_GET_DATE) },
    );
    expect(signed.headers.authorization).toBe(documentedGet().headers.authorization);
    expect(verifySlsSignature(signed, { ...DOC_KEYS, now: new Date(DOC_GET_DATE) }).ok).toBe(true);
  });

  it('reads the query in any order and encoding', () => {
    const request = documentedGet();
    request.url = '/logstores?size=1000&offset=%30&logstoreName=';
    expect(verifySlsSignature(request, { ...DOC_KEYS, now: new Date(DOC_GET_DATE) }).ok).toBe(true);
  });
});

describe('SLS LOG signature rejects tampering and mix-ups', () => {
  const KEYS = { accessKeyId: 'LTAI-sls-id', accessKeySecret: 'sls-secret' };
  const CLOCK = new Date('2026-01-15T08:00:00Z');
  const QUERY = 'from=1700000000&to=1700003600&query=level%3A%20error%20%7C%20select%20count(*)&line=100';

  function signedGetLogs(extra: Partial<Parameters<typeof signSlsRequest>[1]> = {}) {
    return signSlsRequest(
      {
        method: 'GET',
        url: `/logstores/audit/index?type=log&${QUERY}`,
        headers: { host: 'k8s-log-c1.cn-hangzhou.log.aliyuncs.com', 'x-log-apiversion': '0.6.0' },
      },
      { ...KEYS, date: CLOCK, ...extra },
    );
  }
  function signedPost(extra: Partial<Parameters<typeof signSlsRequest>[1]> = {}) {
    return signSlsRequest(
      {
        method: 'POST',
        url: '/logstores/audit/shards/lb',
        headers: { host: 'k8s-log-c1.cn-hangzhou.log.aliyuncs.com', 'content-type': 'application/json' },
        body: '{"logs":[{"message":"hello"}]}',
      },
      { ...KEYS, date: CLOCK, ...extra },
    );
  }
  const verify = (request: VerifiableRequest, extra: Record<string, unknown> = {}) =>
    verifySlsSignature(request, { ...KEYS, now: CLOCK, ...extra });

  it('accepts untouched requests signed with SHA-1 and with SHA-256', () => {
    expect(verify(signedGetLogs())).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
    expect(verify(signedPost())).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
    expect(verify(signedGetLogs({ signatureMethod: 'hmac-sha256' })).ok).toBe(true);
  });

  it('rejects a changed body', () => {
    const verdict = verify({ ...signedPost(), body: '{"logs":[{"message":"bye"}]}' });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(/^Content-MD5 [0-9A-F]{32} does not match the body's MD5 [0-9A-F]{32}$/);
  });

  it('rejects a changed body whose Content-MD5 was recomputed', () => {
    const body = '{"logs":[{"message":"bye"}]}';
    const request = signedPost();
    request.headers['content-md5'] = createHash('md5').update(body).digest('hex').toUpperCase();
    const verdict = verify({ ...request, body });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(/^signature mismatch: expected \S+ got \S+; string to sign:\nPOST\n/);
  });

  it('rejects changed query, path, header and method', () => {
    expect(
      verify({ ...signedGetLogs(), url: `/logstores/audit/index?type=log&${QUERY.replace('100', '1000')}` }).ok,
    ).toBe(false);
    expect(verify({ ...signedGetLogs(), url: `/logstores/other/index?type=log&${QUERY}` }).ok).toBe(false);
    const withHeader = signedGetLogs();
    withHeader.headers['x-log-compresstype'] = 'lz4';
    expect(verify(withHeader).ok).toBe(false);
    const withType = signedPost();
    withType.headers['content-type'] = 'application/x-protobuf';
    expect(verify(withType).ok).toBe(false);
    expect(verify({ ...signedGetLogs(), method: 'DELETE' }).ok).toBe(false);
  });

  it('rejects the wrong secret and the wrong key id', () => {
    const wrongSecret = verify(signedGetLogs({ accessKeySecret: 'other-secret' }));
    expect(wrongSecret.ok).toBe(false);
    if (!wrongSecret.ok) expect(wrongSecret.reason).toContain('signature mismatch');
    expect(verify(signedGetLogs({ accessKeyId: 'LTAI-other' }))).toEqual({
      ok: false,
      reason: 'credential access key LTAI-other, expected LTAI-sls-id',
    });
  });

  it('checks the STS token both ways', () => {
    expect(verify(signedGetLogs({ sessionToken: 'sts' }), { sessionToken: 'sts' }).ok).toBe(true);
    expect(verify(signedGetLogs(), { sessionToken: 'sts' })).toEqual({
      ok: false,
      reason: 'missing x-acs-security-token',
    });
    expect(verify(signedGetLogs({ sessionToken: 'sts' }))).toEqual({
      ok: false,
      reason: 'unexpected x-acs-security-token: the expected credentials have no session token',
    });
    const swapped = signedGetLogs({ sessionToken: 'sts' });
    swapped.headers['x-acs-security-token'] = 'sts-2';
    expect(verify(swapped, { sessionToken: 'sts-2' }).ok).toBe(false);
  });

  it('names missing headers, stale dates and unsupported schemes', () => {
    const noMethod = signedGetLogs();
    delete noMethod.headers['x-log-signaturemethod'];
    expect(verify(noMethod)).toEqual({ ok: false, reason: 'missing x-log-signaturemethod' });
    const noDate = signedGetLogs();
    delete noDate.headers.date;
    expect(verify(noDate)).toEqual({ ok: false, reason: 'missing Date header' });
    expect(verify(signedGetLogs(), { now: new Date('2026-01-15T07:00:00Z') })).toEqual({
      ok: false,
      reason: "Date Thu, 15 Jan 2026 08:00:00 GMT is 3600 s away from the verifier's clock (limit 900 s)",
    });
    const v4 = signedGetLogs();
    v4.headers.authorization =
      'SLS4-HMAC-SHA256 Credential=LTAI-sls-id/20260115/cn-hangzhou/sls/aliyun_v4_request,Signature=00';
    const verdict = verify(v4);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^SLS V4 signatures \(SLS4-HMAC-SHA256\) are not supported/);
  });
});
