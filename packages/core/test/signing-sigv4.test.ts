import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerifiableRequest } from '../src/signing/common.js';
import {
  buildSigV4CanonicalRequest,
  parseSigV4Authorization,
  signSigV4Request,
  verifySigV4Signature,
} from '../src/signing/sigv4.js';

// AWS's documented example credentials and clock (SigV4 documentation and test suite).
const AWS_KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AWS_CLOCK = new Date('2015-08-30T12:36:00Z');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function authorization(scope: string, signedHeaders: string, signature: string, accessKeyId = 'AKIDEXAMPLE'): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

const IAM_AUTHORIZATION = authorization(
  '20150830/us-east-1/iam',
  'content-type;host;x-amz-date',
  '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
);

/** The IAM ListUsers example of the SigV4 documentation ("Examples of the complete Signature Version 4 signing process"). */
function iamListUsers(): Omit<VerifiableRequest, 'headers'> & { headers: Record<string, string> } {
  return {
    method: 'GET',
    url: '/?Action=ListUsers&Version=2010-05-08',
    headers: {
      host: 'iam.amazonaws.com',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-amz-date': '20150830T123600Z',
      authorization: IAM_AUTHORIZATION,
    },
    body: '',
  };
}

/** A request of the SigV4 test suite (region us-east-1, service `service`, host example.amazonaws.com). */
function suiteRequest(method: string, url: string, signature: string): VerifiableRequest {
  return {
    method,
    url,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: authorization('20150830/us-east-1/service', 'host;x-amz-date', signature),
    },
  };
}

describe('SigV4 against AWS published examples', () => {
  const verifyAws = (request: VerifiableRequest) => verifySigV4Signature(request, { ...AWS_KEYS, now: AWS_CLOCK });

  it('rebuilds the documented canonical request of IAM ListUsers', () => {
    const canonical = buildSigV4CanonicalRequest(iamListUsers(), ['content-type', 'host', 'x-amz-date'], 'iam');
    expect(canonical).toBe(
      'GET\n/\nAction=ListUsers&Version=2010-05-08\n' +
        'content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n' +
        `x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
  });

  it('accepts the documented IAM ListUsers signature', () => {
    expect(
      verifySigV4Signature(iamListUsers(), {
        ...AWS_KEYS,
        now: AWS_CLOCK,
        expectRegion: 'us-east-1',
        expectService: 'iam',
      }),
    ).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('signs IAM ListUsers to the documented signature', () => {
    const { authorization: _documented, ...unsignedHeaders } = iamListUsers().headers;
    const signed = signSigV4Request(
      { ...iamListUsers(), headers: unsignedHeaders },
      { ...AWS_KEYS, region: 'us-east-1', service: 'iam', date: AWS_CLOCK },
    );
    expect(signed.headers.authorization).toBe(IAM_AUTHORIZATION);
  });

  it('accepts the test suite get-vanilla, post-vanilla and get-vanilla-query-order-key-case', () => {
    expect(
      verifyAws(suiteRequest('GET', '/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')).ok,
    ).toBe(true);
    expect(
      verifyAws(suiteRequest('POST', '/', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b')).ok,
    ).toBe(true);
    expect(
      verifyAws(
        suiteRequest(
          'GET',
          '/?Param2=value2&Param1=value1',
          'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
        ),
      ).ok,
    ).toBe(true);
  });

  it('accepts the S3 documentation GET Object example (path signed as sent, payload hash header)', () => {
    const request: VerifiableRequest = {
      method: 'GET',
      url: '/test.txt',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
        authorization: authorization(
          '20130524/us-east-1/s3',
          'host;range;x-amz-content-sha256;x-amz-date',
          'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
          'AKIAIOSFODNN7EXAMPLE',
        ),
      },
    };
    expect(
      verifySigV4Signature(request, {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        now: new Date('2013-05-24T00:00:00Z'),
        expectService: 's3',
      }),
    ).toEqual({ ok: true, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
  });
});

describe('SigV4 rejects tampering and mix-ups', () => {
  const KEYS = { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'test-secret' };
  const CLOCK = new Date('2026-01-15T08:00:00Z');
  const FORM = 'Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1=running';

  function signedEc2(extra: Partial<Parameters<typeof signSigV4Request>[1]> = {}) {
    return signSigV4Request(
      {
        method: 'POST',
        url: '/?X-Trace=a%20b',
        headers: {
          host: 'ec2.eu-west-1.amazonaws.com',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        body: FORM,
      },
      { ...KEYS, region: 'eu-west-1', service: 'ec2', date: CLOCK, ...extra },
    );
  }
  const verify = (request: VerifiableRequest, extra: Record<string, unknown> = {}) =>
    verifySigV4Signature(request, { ...KEYS, now: CLOCK, expectRegion: 'eu-west-1', expectService: 'ec2', ...extra });

  it('accepts the untouched request and names the key', () => {
    expect(verify(signedEc2())).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
  });

  it('rejects a changed body', () => {
    const verdict = verify({ ...signedEc2(), body: FORM.replace('running', 'stopped') });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /^signature mismatch: expected [0-9a-f]{64} got [0-9a-f]{64}; canonical request:\nPOST\n/,
      );
  });

  it('rejects a body that no longer matches x-amz-content-sha256', () => {
    const request = signSigV4Request(
      { method: 'PUT', url: '/bucket/key.txt', headers: { host: '127.0.0.1:9000' }, body: 'hello' },
      { ...KEYS, region: 'us-east-1', service: 's3', date: CLOCK },
    );
    expect(verifySigV4Signature(request, { ...KEYS, now: CLOCK }).ok).toBe(true);
    const verdict = verifySigV4Signature({ ...request, body: 'hellO' }, { ...KEYS, now: CLOCK });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(/^x-amz-content-sha256 [0-9a-f]{64} does not match the body's SHA-256/);
  });

  it('rejects a changed header, query, path and method', () => {
    const header = signedEc2();
    header.headers['content-type'] = 'application/json';
    expect(verify(header).ok).toBe(false);
    expect(verify({ ...signedEc2(), url: '/?X-Trace=a%20c' }).ok).toBe(false);
    expect(verify({ ...signedEc2(), url: '/other?X-Trace=a%20b' }).ok).toBe(false);
    expect(verify({ ...signedEc2(), method: 'PUT' }).ok).toBe(false);
  });

  it('rejects the wrong secret and the wrong key id', () => {
    const verdict = verify(signedEc2({ secretAccessKey: 'other-secret' }));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain('signature mismatch');
    expect(verify(signedEc2({ accessKeyId: 'AKIAOTHER' }))).toEqual({
      ok: false,
      reason: 'credential access key AKIAOTHER, expected AKIATESTKEY',
    });
  });

  it('rejects the wrong region and the wrong service', () => {
    expect(verify(signedEc2({ region: 'us-east-1' }))).toEqual({
      ok: false,
      reason: 'credential scope region us-east-1, expected eu-west-1',
    });
    expect(verify(signedEc2({ service: 'sts' }))).toEqual({
      ok: false,
      reason: 'credential scope service sts, expected ec2',
    });
  });

  it('checks the session token both ways', () => {
    expect(verify(signedEc2({ sessionToken: 'tok' }), { sessionToken: 'tok' }).ok).toBe(true);
    expect(verify(signedEc2(), { sessionToken: 'tok' })).toEqual({ ok: false, reason: 'missing x-amz-security-token' });
    expect(verify(signedEc2({ sessionToken: 'tok' }))).toEqual({
      ok: false,
      reason: 'unexpected x-amz-security-token: the expected credentials have no session token',
    });
    expect(verify(signedEc2({ sessionToken: 'tok-2' }), { sessionToken: 'tok' })).toEqual({
      ok: false,
      reason: 'x-amz-security-token does not match the expected session token',
    });
  });

  it('names date and header problems', () => {
    expect(verify(signedEc2(), { now: new Date('2026-01-15T08:30:00Z') })).toEqual({
      ok: false,
      reason: "x-amz-date 20260115T080000Z is 1800 s away from the verifier's clock (limit 900 s)",
    });
    const otherDay = signedEc2();
    otherDay.headers['x-amz-date'] = '20260116T080000Z';
    expect(verify(otherDay, { now: new Date('2026-01-16T08:00:00Z') })).toEqual({
      ok: false,
      reason: 'credential scope date 20260115 does not match x-amz-date 20260116T080000Z',
    });
    const missing = signedEc2();
    delete missing.headers['content-type'];
    expect(verify(missing)).toEqual({ ok: false, reason: 'signed header content-type is missing from the request' });
  });

  it('parses the Authorization header', () => {
    expect(parseSigV4Authorization(IAM_AUTHORIZATION)).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20150830',
      region: 'us-east-1',
      service: 'iam',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    });
    expect(
      parseSigV4Authorization(
        'AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/iam, SignedHeaders=host, Signature=00',
      ),
    ).toBe(
      'malformed credential AK/20150830/us-east-1/iam, expected <AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request',
    );
  });

  it('encodes the path twice for services other than S3', () => {
    const request: VerifiableRequest = { method: 'GET', url: '/a%20b/./c/', headers: { host: 'h' } };
    expect(buildSigV4CanonicalRequest(request, ['host'], 'lambda').split('\n')[1]).toBe('/a%2520b/c/');
    expect(buildSigV4CanonicalRequest(request, ['host'], 's3').split('\n')[1]).toBe('/a%20b/./c/');
  });
});
