import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseVolcengineSignatureHeader,
  type RecordedVolcengineRequest,
  verifyVolcengineSignature,
} from '../src/signing/volcengine.js';

// The published Volcengine signing vectors (fake credentials, clock 2024-08-06T14:03:31Z).
const AK = 'AKLTEXAMPLEACCESSKEYID0000';
const SK = 'EXAMPLEsecretKEY0000000000000000000000000000==';
const CLOCK = new Date('2024-08-06T14:03:31Z');

interface Vector {
  name: string;
  action: string;
  region: string;
  service: string;
  sessionToken?: string;
  body: string;
  signedHeaders: string;
  signature: string;
  stringToSignHash: string;
}

const VECTORS: Vector[] = [
  {
    name: 'DescribeRegions, service rocketmq',
    action: 'DescribeRegions',
    region: 'cn-beijing',
    service: 'rocketmq',
    body: '{}',
    signedHeaders: 'content-type;host;x-content-sha256;x-date',
    signature: '72e6da1f0b07cd7b59f9c4aeade6a77e0b89aa9e04eb37e9822f41e7ec922bc3',
    stringToSignHash: '38fbb8bdfe9b41feab48aecbe14c73d8d2a271f37750fbb6350f7597385df839',
  },
  {
    name: 'GetInstanceInspectResult, service RocketMQ',
    action: 'GetInstanceInspectResult',
    region: 'cn-beijing',
    service: 'RocketMQ',
    body: '{"InstanceId": "rocketmq-cnoeea6b32118fc2", "PageNumber": 1, "PageSize": 10}',
    signedHeaders: 'content-type;host;x-content-sha256;x-date',
    signature: '34703f1a9569add75abdb9b8eed51095bc89abe90c7dcf5ee22c6b15737f1d81',
    stringToSignHash: '97ace1028b7752225aee9245c480a26ddf69489fae6c5239830708d53c93a429',
  },
  {
    name: 'DescribeInstances with an STS token, cn-shanghai',
    action: 'DescribeInstances',
    region: 'cn-shanghai',
    service: 'rocketmq',
    sessionToken: 'STSEXAMPLETOKEN',
    body: '{"PageNumber": 1, "PageSize": 20}',
    signedHeaders: 'content-type;host;x-content-sha256;x-date;x-security-token',
    signature: '06dcb3c6318c23da49dfffc3d1aea03428cdeb143a5fff6619240fe39dc150fe',
    stringToSignHash: '3e41df59f8f9c82c2c45396ee2215b2dde2431af7d7783e84a811da67c3dc027',
  },
];

function requestOf(vector: Vector): RecordedVolcengineRequest {
  const bodyHash = createHash('sha256').update(vector.body).digest('hex');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    Host: 'open.volcengineapi.com',
    'X-Date': '20240806T140331Z',
    'X-Content-Sha256': bodyHash,
    Authorization: `HMAC-SHA256 Credential=${AK}/20240806/${vector.region}/${vector.service}/request, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
  };
  if (vector.sessionToken) headers['X-Security-Token'] = vector.sessionToken;
  return {
    method: 'POST',
    path: '/',
    query: { Action: vector.action, Version: '2023-01-01' },
    headers,
    body: vector.body,
  };
}

const keys = { accessKeyId: AK, secretAccessKey: SK, now: CLOCK };

describe('verifyVolcengineSignature against the reference vectors', () => {
  for (const vector of VECTORS) {
    it(`accepts ${vector.name}`, () => {
      const result = verifyVolcengineSignature(requestOf(vector), {
        ...keys,
        sessionToken: vector.sessionToken,
        region: vector.region,
        service: vector.service,
      });
      expect(result.reason).toBe('signature matches');
      expect(result.ok).toBe(true);
      expect(result.expectedSignature).toBe(vector.signature);
      expect(result.stringToSign?.split('\n')[3]).toBe(vector.stringToSignHash);
      expect(result.scope).toEqual({
        accessKeyId: AK,
        date: '20240806',
        region: vector.region,
        service: vector.service,
      });
    });
  }

  it('rebuilds the canonical request byte for byte', () => {
    const vector = VECTORS[0] as Vector;
    const result = verifyVolcengineSignature(requestOf(vector), keys);
    expect(result.canonicalRequest).toBe(
      'POST\n/\nAction=DescribeRegions&Version=2023-01-01\ncontent-type:application/json\nhost:open.volcengineapi.com\n' +
        'x-content-sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\nx-date:20240806T140331Z\n\n' +
        'content-type;host;x-content-sha256;x-date\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });

  it('reads the query from the path when it is not given separately', () => {
    const request = {
      ...requestOf(VECTORS[0] as Vector),
      query: undefined,
      path: '/?Version=2023-01-01&Action=DescribeRegions',
    };
    expect(verifyVolcengineSignature(request, keys).ok).toBe(true);
  });

  it('accepts Node-style lower-case and array header values', () => {
    const request = requestOf(VECTORS[0] as Vector);
    const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyVolcengineSignature({ ...request, headers: lower, body: Buffer.from('{}') }, keys).ok).toBe(true);
  });
});

describe('verifyVolcengineSignature rejections', () => {
  const base = requestOf(VECTORS[0] as Vector);
  const withToken = requestOf(VECTORS[2] as Vector);

  it('rejects the wrong secret key', () => {
    const result = verifyVolcengineSignature(base, { ...keys, secretAccessKey: `${SK}x` });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/signature does not match/);
  });

  it('rejects another access key id', () => {
    const result = verifyVolcengineSignature(base, { ...keys, accessKeyId: 'AKLTOTHER' });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/access key/);
  });

  it('rejects a body that does not match X-Content-Sha256', () => {
    const result = verifyVolcengineSignature({ ...base, body: '{"PageSize":1}' }, keys);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/X-Content-Sha256/);
  });

  it('rejects a changed body even when the hash header is recomputed', () => {
    const body = '{"PageSize":1}';
    const headers = { ...base.headers, 'X-Content-Sha256': createHash('sha256').update(body).digest('hex') };
    const result = verifyVolcengineSignature({ ...base, body, headers }, keys);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/signature does not match/);
  });

  it('rejects a changed query', () => {
    const result = verifyVolcengineSignature(
      { ...base, query: { Action: 'DescribeInstances', Version: '2023-01-01' } },
      keys,
    );
    expect(result.ok).toBe(false);
  });

  it('checks the scope region and service', () => {
    expect(verifyVolcengineSignature(base, { ...keys, region: 'cn-shanghai' }).reason).toMatch(/region cn-beijing/);
    expect(verifyVolcengineSignature(base, { ...keys, region: ['cn-shanghai', 'cn-beijing'] }).ok).toBe(true);
    expect(verifyVolcengineSignature(base, { ...keys, service: 'RocketMQ' }).reason).toMatch(/service rocketmq/);
  });

  it('checks the X-Date skew', () => {
    const late = new Date(CLOCK.getTime() + 16 * 60_000);
    expect(verifyVolcengineSignature(base, { ...keys, now: late }).reason).toMatch(/X-Date/);
    expect(verifyVolcengineSignature(base, { ...keys, now: late, maxSkewSeconds: 3600 }).ok).toBe(true);
  });

  it('requires X-Security-Token when a session token is expected', () => {
    expect(verifyVolcengineSignature(base, { ...keys, sessionToken: 'STSEXAMPLETOKEN' }).reason).toMatch(
      /X-Security-Token is missing/,
    );
    expect(verifyVolcengineSignature(withToken, { ...keys, sessionToken: 'OTHER' }).reason).toMatch(/does not match/);
    expect(verifyVolcengineSignature(withToken, { ...keys, sessionToken: 'STSEXAMPLETOKEN' }).ok).toBe(true);
  });

  it('rejects a token that was added after signing', () => {
    const headers = { ...base.headers, 'X-Security-Token': 'STSEXAMPLETOKEN' };
    const result = verifyVolcengineSignature({ ...base, headers }, { ...keys, sessionToken: 'STSEXAMPLETOKEN' });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/not signed/);
  });

  it('rejects a missing or malformed Authorization header', () => {
    const { Authorization: _dropped, ...headers } = base.headers as Record<string, string>;
    expect(verifyVolcengineSignature({ ...base, headers }, keys).reason).toMatch(/Authorization/);
    expect(verifyVolcengineSignature({ ...base, headers: { ...headers, Authorization: 'Bearer x' } }, keys).ok).toBe(
      false,
    );
  });

  it('rejects an unsigned X-Date and a missing signed header', () => {
    const auth = (base.headers as Record<string, string>).Authorization as string;
    const noDate = { ...base.headers, Authorization: auth.replace(';x-date', '') };
    expect(verifyVolcengineSignature({ ...base, headers: noDate }, keys).reason).toMatch(/X-Date is not among/);
    const { Host: _host, ...noHost } = base.headers as Record<string, string>;
    expect(verifyVolcengineSignature({ ...base, headers: noHost }, keys).reason).toMatch(/signed header host/);
  });
});

describe('parseVolcengineSignatureHeader', () => {
  it('splits the header into scope, signed headers and signature', () => {
    const parsed = parseVolcengineSignatureHeader(
      (requestOf(VECTORS[2] as Vector).headers as Record<string, string>).Authorization,
    );
    expect(parsed).toMatchObject({
      accessKeyId: AK,
      date: '20240806',
      region: 'cn-shanghai',
      service: 'rocketmq',
      signedHeaders: ['content-type', 'host', 'x-content-sha256', 'x-date', 'x-security-token'],
    });
    expect(parseVolcengineSignatureHeader('HMAC-SHA256 Credential=garbage')).toBeUndefined();
  });
});
