import { type Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  signAcs3Request,
  signSigV4Request,
  signSlsRequest,
  verifyAcs3Signature,
  verifySigV4Signature,
  verifySlsSignature,
} from '../src/testing/index.js';
import { type RecordingHandler, type RecordingServer, startRecordingServer } from '../src/testing/recording-server.js';

// Each verifier against a request that went through Node's HTTP client to the recording server:
// what the fake records (header case and joining, raw body bytes) must still verify.

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(handler: RecordingHandler): Promise<RecordingServer> {
  const server = await startRecordingServer(handler);
  servers.push(server);
  return server;
}

/** Sends a signed request to `url` and resolves with the answer's status. */
function send(
  url: string,
  signed: { method: string; headers: Record<string, string> },
  body: string | Buffer,
  agent?: Agent,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: signed.method, headers: signed.headers, ...(agent ? { agent } : {}) },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('ACS3-HMAC-SHA256 over the wire', () => {
  it('verifies a request as the recording server recorded it', async () => {
    const server = await start(() => ({ body: { RequestId: 'req-1', Instances: { Instance: [] } } }));
    const keys = { accessKeyId: 'LTAI-wire', accessKeySecret: 'wire-secret', sessionToken: 'wire-token' };
    const body = 'RegionId=cn-hangzhou&PageSize=10&Tag.1.Key=env%20name';
    const signed = signAcs3Request(
      {
        method: 'POST',
        url: '/?InstanceIds=%5B%22i-1%22%5D',
        headers: {
          host: server.host,
          'content-type': 'application/x-www-form-urlencoded',
          'x-acs-action': 'DescribeInstances',
          'x-acs-version': '2014-05-26',
        },
        body,
      },
      keys,
    );
    expect(await send(`${server.url}${signed.url}`, signed, body)).toBe(200);

    const recorded = server.lastRequest();
    expect(recorded.headers['x-acs-action']).toBe('DescribeInstances');
    expect(verifyAcs3Signature(recorded, { ...keys, expectAction: 'DescribeInstances' })).toEqual({
      ok: true,
      accessKeyId: keys.accessKeyId,
    });
    expect(verifyAcs3Signature(recorded, { ...keys, accessKeySecret: 'server-own-secret' }).ok).toBe(false);
  });
});

describe('SigV4 over the wire', () => {
  it('verifies a request as the recording server recorded it', async () => {
    const server = await start(() => ({
      headers: { 'content-type': 'text/xml' },
      body: '<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>',
    }));
    const keys = { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire-secret', sessionToken: 'wire-token' };
    const body = 'Action=DescribeInstances&Version=2016-11-15&MaxResults=5';
    const signed = signSigV4Request(
      {
        method: 'POST',
        url: '/',
        headers: { host: server.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      { ...keys, region: 'ap-southeast-1', service: 'ec2' },
    );
    expect(await send(`${server.url}${signed.url}`, signed, body)).toBe(200);

    const recorded = server.lastRequest();
    expect(verifySigV4Signature(recorded, { ...keys, expectRegion: 'ap-southeast-1', expectService: 'ec2' })).toEqual({
      ok: true,
      accessKeyId: keys.accessKeyId,
    });
    expect(verifySigV4Signature(recorded, { ...keys, expectRegion: 'us-east-1' })).toEqual({
      ok: false,
      reason: 'credential scope region ap-southeast-1, expected us-east-1',
    });
  });
});

describe('SLS LOG signature over the wire', () => {
  it('verifies a request sent to <project>.<endpoint> through the loopback lookup', async () => {
    const server = await start(() => ({ headers: { 'x-log-requestid': 'req-1' }, body: [] }));
    // SLS puts the project in the host name; the agent resolves it to the fake.
    const host = `k8s-log-c1.sls.test:${server.port}`;
    const body = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0xff, 0x00, 0x7f]); // binary, as lz4 PutLogs bodies are
    const signed = signSlsRequest(
      {
        method: 'POST',
        url: '/logstores/audit/shards/lb',
        headers: { host, 'content-type': 'application/x-protobuf', 'x-log-compresstype': 'lz4' },
        body,
      },
      { accessKeyId: 'LTAI-wire', accessKeySecret: 'wire-secret' },
    );
    expect(await send(`http://${host}${signed.url}`, signed, body, server.agent)).toBe(200);

    const recorded = server.lastRequest();
    expect(recorded.headers.host).toBe(host);
    expect(recorded.rawBody.equals(body)).toBe(true);
    expect(verifySlsSignature(recorded, { accessKeyId: 'LTAI-wire', accessKeySecret: 'wire-secret' })).toEqual({
      ok: true,
      accessKeyId: 'LTAI-wire',
    });
  });
});
