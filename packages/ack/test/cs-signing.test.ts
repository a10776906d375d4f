/**
 * Core's ACS3 verifier against the official CS SDK's own requests: the typed methods of
 * @alicloud/cs20151215 sign GET-with-query, POST-with-JSON-body and DELETE-with-query requests
 * (and STS tokens) that the verifier must accept, and tampered copies it must reject.
 */
import { verifyAcs3Signature } from '@opsmcp/core/signing';
import { type RecordedRequest, type RecordingServer, startRecordingServer } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KEY = { accessKeyId: 'LTAI5tSIGNINGTEST0001', accessKeySecret: 'signing-test-secret-0001' };
const CLUSTER = 'c8f2a1d7e3b94c6a9d0e5f7a1b2c3d4e5';
const POOL = 'np9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';

// biome-ignore lint/suspicious/noExplicitAny: the SDK is CommonJS, loaded as under native ESM
type Any = any;
let server: RecordingServer;
let sdk: { Client: Any; models: Any; Config: Any };

beforeAll(async () => {
  server = await startRecordingServer(() => ({ body: { task_id: 'T-1', clusters: [], page_info: {} } }));
  const cs: Any = await import('@alicloud/cs20151215');
  const core: Any = await import('@alicloud/openapi-core');
  const Client = typeof cs.default === 'function' ? cs.default : cs.default.default;
  const Config = (core.$OpenApiUtil ?? core.default.$OpenApiUtil).Config;
  sdk = { Client, models: cs.default && typeof cs.default === 'object' ? cs.default : cs, Config };
});
afterAll(async () => {
  await server?.close();
});

function client(extra: Record<string, string> = {}) {
  return new sdk.Client(
    new sdk.Config({
      ...KEY,
      ...extra,
      endpoint: server.host,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      readTimeout: 5000,
      connectTimeout: 5000,
    }),
  );
}

function verify(request: RecordedRequest, options: { sessionToken?: string; expectAction?: string } = {}) {
  return verifyAcs3Signature(request, { ...KEY, expectVersion: '2015-12-15', ...options });
}

describe("core's ACS3 verifier and the CS SDK", () => {
  it('accepts a GET with query parameters (DescribeClustersV1)', async () => {
    server.reset();
    const Request = sdk.models.DescribeClustersV1Request;
    await client().describeClustersV1(new Request({ pageNumber: 2, pageSize: 5, name: 'prod hz/01' }));
    const request = server.lastRequest();
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/api/v1/clusters');
    expect(request.query).toMatchObject({ page_number: '2', page_size: '5', name: 'prod hz/01' });
    expect(verify(request, { expectAction: 'DescribeClustersV1' })).toEqual({ ok: true, accessKeyId: KEY.accessKeyId });
  });

  it('accepts a POST with a JSON body (ScaleClusterNodePool)', async () => {
    server.reset();
    const Request = sdk.models.ScaleClusterNodePoolRequest;
    await client().scaleClusterNodePool(CLUSTER, POOL, new Request({ count: 2 }));
    const request = server.lastRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/clusters/${CLUSTER}/nodepools/${POOL}`);
    expect(JSON.parse(request.body)).toEqual({ count: 2 });
    expect(verify(request, { expectAction: 'ScaleClusterNodePool' }).ok).toBe(true);
  });

  it('accepts a DELETE with a JSON-array query value (RemoveNodePoolNodes)', async () => {
    server.reset();
    const Request = sdk.models.RemoveNodePoolNodesRequest;
    await client().removeNodePoolNodes(
      CLUSTER,
      POOL,
      new Request({ instanceIds: ['i-bp1a', 'i-bp1b'], releaseNode: false, drainNode: true }),
    );
    const request = server.lastRequest();
    expect(request.method).toBe('DELETE');
    expect(request.query).toMatchObject({
      instance_ids: '["i-bp1a","i-bp1b"]',
      release_node: 'false',
      drain_node: 'true',
    });
    expect(verify(request, { expectAction: 'RemoveNodePoolNodes' }).ok).toBe(true);
  });

  it('accepts an STS request and requires its token', async () => {
    server.reset();
    await client({ securityToken: 'sts-token-for-signing' }).describeTaskInfo('T-6751c2e9a8f1b20a3c000041');
    const request = server.lastRequest();
    expect(request.headers['x-acs-security-token']).toBe('sts-token-for-signing');
    expect(verify(request, { sessionToken: 'sts-token-for-signing', expectAction: 'DescribeTaskInfo' }).ok).toBe(true);
    expect(verify(request).ok).toBe(false);
    expect(verify(request, { sessionToken: 'another-token' }).ok).toBe(false);
  });

  it('rejects tampered requests: query, body, path, method, secret and action', async () => {
    server.reset();
    const Request = sdk.models.ScaleClusterNodePoolRequest;
    await client().scaleClusterNodePool(CLUSTER, POOL, new Request({ count: 2 }));
    const post = server.lastRequest();
    const bigger = Buffer.from(JSON.stringify({ count: 200 }));
    expect(verify({ ...post, rawBody: bigger, body: bigger.toString() }).ok).toBe(false);
    expect(verify({ ...post, url: post.url.replace(POOL, `np${'0'.repeat(32)}`) }).ok).toBe(false);
    expect(verify({ ...post, method: 'PUT' }).ok).toBe(false);
    expect(verify(post, { expectAction: 'RemoveNodePoolNodes' }).ok).toBe(false);
    expect(verifyAcs3Signature(post, { ...KEY, accessKeySecret: 'wrong' }).ok).toBe(false);

    server.reset();
    await client().describeClustersV1(new sdk.models.DescribeClustersV1Request({ pageSize: 5 }));
    const get = server.lastRequest();
    expect(verify({ ...get, url: get.url.replace('page_size=5', 'page_size=500') }).ok).toBe(false);
    const headers = { ...get.headers, 'x-acs-version': '2018-01-01' };
    expect(verify({ ...get, headers }).ok).toBe(false);
  });
});
