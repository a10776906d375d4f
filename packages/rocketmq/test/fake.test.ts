import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVolcengine, startFakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { clientFor, KEYS } from './helpers.js';

/** The fake as the sandbox runs it. */
let fake: FakeVolcengine;
beforeAll(async () => {
  fake = await startFakeVolcengine({ keys: [KEYS] });
});
afterAll(async () => {
  await fake.stop();
});

function post(path: string, headers: Record<string, string>, body = '{}') {
  return new Promise<{ status: number; json: { ResponseMetadata: Record<string, unknown> } }>((resolve, reject) => {
    const req = request(`${fake.url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the fake Volcengine endpoint', () => {
  it('answers a missing Action with the gateway shape (RequestId and Error only)', async () => {
    const { status, json } = await post('/?Version=2023-01-01', {});
    expect(status).toBe(400);
    expect(Object.keys(json.ResponseMetadata).sort()).toEqual(['Error', 'RequestId']);
    expect(json.ResponseMetadata.Error).toMatchObject({ Code: 'MissingParameter', CodeN: 100002 });
  });

  it('rejects an unsigned request and a request signed for another service', async () => {
    const unsigned = await post('/?Action=DescribeRegions&Version=2023-01-01', { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.ResponseMetadata.Error).toMatchObject({ Code: 'MissingAuthenticationToken' });

    const hash = createHash('sha256').update('{}').digest('hex');
    const xDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const forged = await post('/?Action=DescribeRegions&Version=2023-01-01', {
      'x-date': xDate,
      'x-content-sha256': hash,
      authorization: `HMAC-SHA256 Credential=${KEYS.accessKeyId}/${xDate.slice(0, 8)}/cn-beijing/vpc/request, SignedHeaders=x-content-sha256;x-date, Signature=${'0'.repeat(64)}`,
    });
    expect(forged.status).toBe(404);
    expect(forged.json.ResponseMetadata.Error).toMatchObject({ Code: 'ServiceNotFound' });
  });

  it('rejects a region RocketMQ does not serve, and an unknown action', async () => {
    await expect(clientFor(fake).call('DescribeRegions', {}, { region: 'us-east-1' })).rejects.toMatchObject({
      upstream: { code: 'InvalidParameter' },
    });
    await expect(clientFor(fake).call('DescribeAccessKeyz', {})).rejects.toMatchObject({
      upstream: { code: 'InvalidActionOrVersion', status: 404 },
    });
  });

  it('pages, sorts and filters like the API', async () => {
    const api = clientFor(fake);
    const page2 = await api.call<{ Total: number; InstancesInfo: Array<{ InstanceName: string }> }>(
      'DescribeInstances',
      {
        PageNumber: 2,
        PageSize: 2,
        SortBy: 'InstanceName',
        SortOrder: 'Asc',
      },
    );
    expect(page2.result.Total).toBe(3);
    expect(page2.result.InstancesInfo.map((i) => i.InstanceName)).toEqual(['risk-scoring-staging']);
    const byVersion = await api.call<{ Total: number }>('DescribeInstances', {
      PageNumber: 1,
      PageSize: 10,
      Version: '5.x',
    });
    expect(byVersion.result.Total).toBe(1);
    await expect(api.call('DescribeInstances', { PageNumber: 1 })).rejects.toMatchObject({
      upstream: { code: 'MissingParameter' },
    });
  });

  it('refuses subscribeConsistency on 5.x itself, and records the trigger time on 4.x', async () => {
    const api = clientFor(fake);
    await expect(
      api.call(
        'ManualTriggerInspect',
        { InstanceId: 'rocketmq-cnngc3e21b8a7d40', Type: 'group', InspectName: 'subscribeConsistency' },
        { write: true },
      ),
    ).rejects.toMatchObject({
      code: 'OPERATION_NOT_SUPPORTED',
      upstream: { code: 'OperationDenied.VersionUnsupported' },
    });
    const before = Math.floor(Date.now() / 1000);
    await api.call(
      'ManualTriggerInspect',
      { InstanceId: 'rocketmq-cnoeea6b32118fc2', Type: 'cluster', InspectName: 'queueInsufficient' },
      { write: true },
    );
    const rule = fake.state.instances[0]?.configs.find((c) => c.InspectName === 'queueInsufficient');
    expect(Number(rule?.StartInspectTimeStamp)).toBeGreaterThanOrEqual(before);
  });
});

describe('the fake stays bounded', () => {
  it('keeps only the most recent requests however many it serves', async () => {
    const small = await startFakeVolcengine({ keys: [KEYS], maxRecorded: 20 });
    try {
      const client = clientFor(small);
      for (let i = 0; i < 60; i++) await client.call('DescribeRegions', {});
      expect(small.requests).toHaveLength(20);
      expect(small.requests.every((r) => r.action === 'DescribeRegions')).toBe(true);
    } finally {
      await small.stop();
    }
  });
});
