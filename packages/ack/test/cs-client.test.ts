import { OpsError } from '@opsmcp/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isRetryable, mapAlibabaError } from '../src/alibaba-errors.js';
import { parseCsEndpoint } from '../src/cs/endpoint.js';
import { buildCsApi, chooseRegion } from '../src/cs/open.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import { csForCluster, rememberClusterRegion } from '../src/tools/clusters/common.js';
import type { AckToolContext } from '../src/tools/context.js';
import { PROD_CLUSTER_ID, PROD_GPU_POOL_ID, STAGING_CLUSTER_ID, startFake, TEST_KEY } from './helpers.js';

let fake: CsFake;
beforeAll(async () => {
  fake = await startFake({
    kubeconfigFor: (clusterId, { privateIpAddress }) => ({
      server: `http://127.0.0.1:6443/${privateIpAddress ? 'private' : 'public'}/${clusterId}`,
      token: 'k8s-token-for-test',
      insecureSkipTlsVerify: true,
    }),
  });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.clearRequests());

const api = (overrides: { maxRetries?: number; apiTimeout?: number; securityToken?: string } = {}) =>
  buildCsApi({
    credentials: {
      kind: 'access_key',
      accessKeyId: TEST_KEY.accessKeyId,
      accessKeySecret: TEST_KEY.accessKeySecret,
      ...(overrides.securityToken ? { securityToken: overrides.securityToken } : {}),
    },
    settings: {
      region: 'cn-hangzhou',
      csEndpoint: fake.url,
      apiTimeout: overrides.apiTimeout ?? 10,
      maxRetries: overrides.maxRetries ?? 2,
    },
  });

async function failure(promise: Promise<unknown>): Promise<OpsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('CsApi', () => {
  it('describeClusterDetail returns the wire fields, signed with the configured key', async () => {
    const detail = await (await api()).describeClusterDetail(PROD_CLUSTER_ID);
    expect(detail).toMatchObject({ cluster_id: PROD_CLUSTER_ID, region_id: 'cn-hangzhou', state: 'running' });
    expect(typeof detail.master_url).toBe('string');
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'GET',
      path: `/clusters/${PROD_CLUSTER_ID}`,
      action: 'DescribeClusterDetail',
    });
    expect(request?.signature.ok).toBe(true);
  });

  it('describeClusterUserKubeconfig asks for the duration and endpoint kind and returns config and expiration', async () => {
    const cs = await api();
    const before = Date.now();
    const kube = await cs.describeClusterUserKubeconfig(PROD_CLUSTER_ID, {
      privateIpAddress: true,
      temporaryDurationMinutes: 60,
    });
    expect(fake.requests[0]?.query).toEqual({ PrivateIpAddress: 'true', TemporaryDurationMinutes: '60' });
    expect(fake.requests[0]?.path).toBe(`/k8s/${PROD_CLUSTER_ID}/user_config`);
    const config = parseYaml(kube.config) as { clusters: Array<{ cluster: { server: string } }> };
    expect(config.clusters[0]?.cluster.server).toBe(`http://127.0.0.1:6443/private/${PROD_CLUSTER_ID}`);
    const expires = Date.parse(kube.expiration ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 59 * 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 61 * 60_000);

    const publicKube = await cs.describeClusterUserKubeconfig(STAGING_CLUSTER_ID, {
      privateIpAddress: false,
      temporaryDurationMinutes: 15,
    });
    expect(publicKube.config).toContain(`/public/${STAGING_CLUSTER_ID}`);
    expect(fake.requests[1]?.query).toEqual({ PrivateIpAddress: 'false', TemporaryDurationMinutes: '15' });
  });

  it('getClusterAuditProject reads GET /clusters/{id}/audit, signed, and returns the audit project', async () => {
    const audit = await (await api()).getClusterAuditProject(PROD_CLUSTER_ID);
    expect(audit).toEqual({ audit_enabled: true, sls_project_name: `k8s-log-${PROD_CLUSTER_ID}` });
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: `/clusters/${PROD_CLUSTER_ID}/audit`,
      action: 'GetClusterAuditProject',
    });
    expect(fake.requests[0]?.signature.ok).toBe(true);
    const staging = await (await api()).getClusterAuditProject(STAGING_CLUSTER_ID);
    expect(staging.audit_enabled).toBe(false);
  });

  it('getClusterAuditProject maps a RAM denial to PERMISSION_DENIED naming cs:GetClusterAuditProject, without retrying', async () => {
    fake.failNext('GetClusterAuditProject', { status: 403, code: 'Forbidden.RAM', message: 'not authorized' });
    const error = await failure((await api()).getClusterAuditProject(PROD_CLUSTER_ID));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.upstream).toMatchObject({ code: 'Forbidden.RAM', status: 403 });
    expect(error.upstream?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(error.hint).toContain('cs:GetClusterAuditProject');
    expect(fake.requests).toHaveLength(1);
  });

  it('checkControlPlaneLogEnable reads GET /clusters/{id}/controlplanelog and returns project, ttl and components', async () => {
    const config = await (await api()).checkControlPlaneLogEnable(PROD_CLUSTER_ID);
    expect(config).toMatchObject({
      log_project: `k8s-log-${PROD_CLUSTER_ID}`,
      log_ttl: '30',
      components: ['apiserver', 'kcm', 'scheduler'],
    });
    expect(typeof config.aliuid).toBe('string');
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: `/clusters/${PROD_CLUSTER_ID}/controlplanelog`,
      action: 'CheckControlPlaneLogEnable',
    });
    expect(fake.requests[0]?.signature.ok).toBe(true);
  });

  it('checkControlPlaneLogEnable retries a 503 as a read, and maps an unknown cluster to RESOURCE_NOT_FOUND', async () => {
    fake.failNext('CheckControlPlaneLogEnable', { status: 503, code: 'ServiceUnavailable', message: 'busy' });
    const config = await (await api()).checkControlPlaneLogEnable(STAGING_CLUSTER_ID);
    expect(config.components).toEqual([]);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);

    fake.clearRequests();
    const error = await failure((await api()).checkControlPlaneLogEnable(`c${'0'.repeat(32)}`));
    expect(error.code).toBe('RESOURCE_NOT_FOUND');
    expect(error.upstream).toMatchObject({ code: 'ErrorClusterNotFound', status: 404 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a 404 to RESOURCE_NOT_FOUND with the upstream code and request id, without retrying', async () => {
    const error = await failure((await api()).describeClusterDetail(`c${'0'.repeat(32)}`));
    expect(error.code).toBe('RESOURCE_NOT_FOUND');
    expect(error.upstream).toMatchObject({ code: 'ErrorClusterNotFound', status: 404 });
    expect(error.upstream?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a read after 503 and throttling, at most maxRetries times', async () => {
    fake.failNext('DescribeClusterDetail', { status: 503, code: 'ServiceUnavailable', message: 'busy' });
    fake.failNext('DescribeClusterDetail', {
      status: 400,
      code: 'Throttling.User',
      message: 'slow down',
      retryAfterMs: 50,
    });
    const detail = await (await api()).describeClusterDetail(PROD_CLUSTER_ID);
    expect(detail.cluster_id).toBe(PROD_CLUSTER_ID);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 400, 200]);

    fake.clearRequests();
    fake.failNext('DescribeClusterDetail', { status: 500, code: 'InternalError', message: 'boom' }, 2);
    const error = await failure((await api({ maxRetries: 1 })).describeClusterDetail(PROD_CLUSTER_ID));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.upstream).toMatchObject({ code: 'InternalError', status: 500 });
    expect(fake.requests).toHaveLength(2);
  });

  it('never retries a write, and says its outcome is unknown after a 5xx', async () => {
    fake.failNext('ScaleClusterNodePool', { status: 503, code: 'ServiceUnavailable', message: 'busy' });
    const error = await failure((await api()).scaleClusterNodePool(PROD_CLUSTER_ID, PROD_GPU_POOL_ID, 1));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('unknown');
    expect(error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps throttling, credentials, permission and parameter errors to their codes', async () => {
    const cs = await api({ maxRetries: 0 });
    const cases: Array<[number, string, string]> = [
      [400, 'Throttling.User', 'RATE_LIMITED'],
      [400, 'SignatureDoesNotMatch', 'INVALID_CREDENTIALS'],
      [403, 'Forbidden.RAM', 'PERMISSION_DENIED'],
      [400, 'InvalidParameter', 'INVALID_ARGUMENT'],
      [404, 'InvalidAccessKeyId.NotFound', 'INVALID_CREDENTIALS'],
    ];
    for (const [status, code, expected] of cases) {
      fake.failNext('DescribeTaskInfo', { status, code, message: `${code} happened` });
      const error = await failure(cs.describeTaskInfo('T-1'));
      expect(error.code, code).toBe(expected);
      expect(error.upstream?.code).toBe(code);
      expect(error.message).toContain(`${code} happened`);
    }
  });

  it('maps a wrong secret (the fake verifies the signature) to INVALID_CREDENTIALS', async () => {
    const cs = await buildCsApi({
      credentials: { kind: 'access_key', accessKeyId: TEST_KEY.accessKeyId, accessKeySecret: 'wrong-secret' },
      settings: { region: 'cn-hangzhou', csEndpoint: fake.url, apiTimeout: 10, maxRetries: 0 },
    });
    const error = await failure(cs.describeClusterDetail(PROD_CLUSTER_ID));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(fake.requests[0]?.signature.ok).toBe(false);
  });

  it('maps a slow answer to TIMEOUT with the API timeout, and a closed port to PROVIDER_NOT_AVAILABLE', async () => {
    fake.setDelay(1500);
    try {
      const error = await failure((await api({ apiTimeout: 1, maxRetries: 0 })).describeTaskInfo('T-1'));
      expect(error.code).toBe('TIMEOUT');
    } finally {
      fake.setDelay(0);
    }
    const closed = await buildCsApi({
      credentials: { kind: 'access_key', accessKeyId: 'a', accessKeySecret: 'b' },
      settings: { region: 'cn-hangzhou', csEndpoint: 'http://127.0.0.1:1', apiTimeout: 2, maxRetries: 0 },
    });
    const error = await failure(closed.describeTaskInfo('T-1'));
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('stops at once when the call is cancelled', async () => {
    fake.setDelay(2000);
    const controller = new AbortController();
    try {
      const cs = await buildCsApi({
        credentials: { kind: 'access_key', ...TEST_KEY },
        settings: { region: 'cn-hangzhou', csEndpoint: fake.url, apiTimeout: 10, maxRetries: 2 },
        signal: controller.signal,
      });
      const started = Date.now();
      const pending = failure(cs.describeTaskInfo('T-1'));
      setTimeout(() => controller.abort(), 100);
      const error = await pending;
      expect(error.code).toBe('CANCELLED');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      fake.setDelay(0);
    }
  });
});

describe('the default credential chain', () => {
  it("signs with the chain's keys (here from the environment) through @alicloud/credentials", async () => {
    const saved = { id: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_KEY.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_KEY.accessKeySecret;
    try {
      const cs = await buildCsApi({
        credentials: { kind: 'default_chain' },
        settings: { region: 'cn-hangzhou', csEndpoint: fake.url, apiTimeout: 10, maxRetries: 0 },
      });
      await cs.describeClusterDetail(PROD_CLUSTER_ID);
      expect(fake.requests[0]?.signature.ok).toBe(true);
      expect(fake.requests[0]?.headers['x-acs-credentials-provider']).toMatch(/env/);
    } finally {
      if (saved.id === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
      else process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
      else process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = saved.secret;
    }
  });
});

describe('mapAlibabaError', () => {
  it('turns an empty default credential chain into CREDENTIALS_MISSING naming what to set', () => {
    const error = mapAlibabaError(
      new Error(
        'unable to get credentials from any of the providers in the chain: EnvironmentVariableCredentialsProvider: …',
      ),
      { service: 'CS', action: 'DescribeClustersV1', read: true, endpoint: 'cs.cn-hangzhou.aliyuncs.com' },
    );
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expect(error.hint).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
  });

  it('reads the SLS SDK shape: status, request id and message from data, the RAM action in the hint', () => {
    const error = mapAlibabaError(
      Object.assign(new Error('Unauthorized: code: 403, denied request id: 5F0000000000000000000001'), {
        code: 'Unauthorized',
        data: { httpCode: 403, requestId: '5F0000000000000000000001', errorMessage: 'denied by ram' },
      }),
      {
        service: 'SLS',
        action: 'GetLogs',
        read: true,
        endpoint: 'p.cn-hangzhou.log.aliyuncs.com',
        ramAction: 'log:GetLogStoreLogs',
      },
    );
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.upstream).toEqual({ code: 'Unauthorized', status: 403, requestId: '5F0000000000000000000001' });
    expect(error.message).toBe('SLS GetLogs was denied: denied by ram');
    expect(error.hint).toContain('log:GetLogStoreLogs');
  });

  it('caps the upstream message at 300 characters and names the wait a throttling answer asks for', () => {
    const error = mapAlibabaError(
      { code: 'Throttling.User', statusCode: 400, retryAfter: 2500, data: { message: 'x'.repeat(400) } },
      { service: 'CS', action: 'DescribeTaskInfo', read: true, endpoint: 'cs.cn-hangzhou.aliyuncs.com' },
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toContain(`${'x'.repeat(300)}…`);
    expect(error.message).not.toContain('x'.repeat(301));
    expect(error.hint).toContain('Wait 3 s');
  });

  it('says a write that lost its connection or timed out has an unknown outcome, and never marks it retryable', () => {
    const write = {
      service: 'CS',
      action: 'ScaleClusterNodepool',
      read: false,
      endpoint: 'cs.cn-hangzhou.aliyuncs.com',
    };
    for (const thrown of [
      Object.assign(new Error('socket'), { code: 'ECONNRESET' }),
      { name: 'RequestTimeoutError' },
    ]) {
      const error = mapAlibabaError(thrown, write);
      expect(error.message).toContain('whether it took effect is unknown');
      expect(error.retryable).toBe(false);
    }
  });

  it('retries a reset connection, a timeout and a busy server, but not a name that does not resolve', () => {
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isRetryable({ name: 'RequestTimeoutError' })).toBe(true);
    expect(isRetryable({ code: 'ServerBusy', data: { httpCode: 400 } })).toBe(true);
    expect(isRetryable({ code: 'InvalidParameter', statusCode: 400 })).toBe(false);
    expect(isRetryable(Object.assign(new Error('dns'), { code: 'ENOTFOUND' }))).toBe(false);
    const unresolved = mapAlibabaError(Object.assign(new Error('dns'), { code: 'ENOTFOUND' }), {
      service: 'ARMS',
      action: 'GetPrometheusInstance',
      read: true,
      endpoint: 'arms.cn-hangzhou.aliyuncs.com',
    });
    expect(unresolved.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(unresolved.retryable).toBe(false);
    expect(unresolved.hint).toContain('ACK_ARMS_ENDPOINT');
  });
});

describe('the CS fake', () => {
  it('keeps only the newest requests, within its ring size', async () => {
    const small = await startFake({ ringSize: 3 });
    try {
      const cs = await buildCsApi({
        credentials: { kind: 'access_key', ...TEST_KEY },
        settings: { region: 'cn-hangzhou', csEndpoint: small.url, apiTimeout: 10, maxRetries: 0 },
      });
      for (const id of ['T-1', 'T-2', 'T-3', 'T-4', 'T-5']) await cs.describeTaskInfo(id).catch(() => undefined);
      expect(small.requests.map((r) => r.path)).toEqual(['/tasks/T-3', '/tasks/T-4', '/tasks/T-5']);
    } finally {
      await small.stop();
    }
  });

  it('refuses a kubeconfig duration outside 15–4320 minutes as CS does', async () => {
    const cs = await api({ maxRetries: 0 });
    const error = await failure(
      cs.describeClusterUserKubeconfig(PROD_CLUSTER_ID, { privateIpAddress: false, temporaryDurationMinutes: 5 }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('TemporaryDurationMinutes');
  });
});

describe('parseCsEndpoint', () => {
  it('reads hosts, host:port and URLs, and refuses anything else', () => {
    expect(parseCsEndpoint('cs-vpc.cn-hangzhou.aliyuncs.com')).toEqual({
      host: 'cs-vpc.cn-hangzhou.aliyuncs.com',
      protocol: 'https',
    });
    expect(parseCsEndpoint('10.0.0.5:8443')).toEqual({ host: '10.0.0.5:8443', protocol: 'https' });
    expect(parseCsEndpoint('http://127.0.0.1:9000')).toEqual({ host: '127.0.0.1:9000', protocol: 'http' });
    expect(parseCsEndpoint('https://cs.aliyuncs.com/')).toEqual({ host: 'cs.aliyuncs.com', protocol: 'https' });
    expect(() => parseCsEndpoint('ftp://x')).toThrow(/http or https/);
    expect(() => parseCsEndpoint('https://x/path')).toThrow(/without path/);
    expect(() => parseCsEndpoint('not a host')).toThrow(/not a host/);
  });
});

describe('chooseRegion', () => {
  const keys = { kind: 'access_key' as const, accessKeyId: 'a', accessKeySecret: 'b' };
  it("takes the request's region, else the cluster's, else the configured one", () => {
    expect(chooseRegion({ ...keys, region: 'cn-shanghai' }, 'cn-hangzhou', 'cn-beijing')).toBe('cn-shanghai');
    expect(chooseRegion(keys, 'cn-hangzhou', 'cn-beijing')).toBe('cn-beijing');
    expect(chooseRegion(keys, 'cn-hangzhou')).toBe('cn-hangzhou');
    expect(chooseRegion({ kind: 'default_chain' }, 'cn-hangzhou', 'ap-southeast-1')).toBe('ap-southeast-1');
    expect(() => chooseRegion(keys, 'cn-hangzhou', 'Not A Region')).toThrow(/not a region id/);
  });
});

describe('csForCluster', () => {
  function stubContext(csEndpoint: string | undefined) {
    const lookups: string[] = [];
    const store = new Map<string, unknown>();
    const ctx = {
      settings: { csEndpoint },
      cache: async (key: unknown, create: () => unknown) => {
        const k = JSON.stringify(key);
        if (!store.has(k)) store.set(k, await create());
        return store.get(k);
      },
      clients: {
        cs: async (region?: string) => ({
          region: region ?? 'cn-hangzhou',
          describeClusterDetail: async (id: string) => {
            lookups.push(id);
            return { region_id: 'cn-beijing' };
          },
        }),
      },
    } as unknown as AckToolContext;
    return { ctx, lookups };
  }

  it("reads a cluster's region once and then calls in that region", async () => {
    const { ctx, lookups } = stubContext(undefined);
    expect((await csForCluster(ctx, STAGING_CLUSTER_ID)).region).toBe('cn-beijing');
    expect((await csForCluster(ctx, STAGING_CLUSTER_ID)).region).toBe('cn-beijing');
    expect(lookups).toEqual([STAGING_CLUSTER_ID]);
  });

  it('uses a region already seen in a listing without a lookup', async () => {
    const { ctx, lookups } = stubContext(undefined);
    await rememberClusterRegion(ctx, PROD_CLUSTER_ID, 'ap-southeast-1');
    expect((await csForCluster(ctx, PROD_CLUSTER_ID)).region).toBe('ap-southeast-1');
    expect(lookups).toEqual([]);
  });

  it('makes no lookup when the endpoint is fixed', async () => {
    const { ctx, lookups } = stubContext('cs-vpc.cn-hangzhou.aliyuncs.com');
    expect((await csForCluster(ctx, STAGING_CLUSTER_ID)).region).toBe('cn-hangzhou');
    expect(lookups).toEqual([]);
  });
});
