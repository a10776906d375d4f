import { createServer, type Server } from 'node:http';
import { callTool, connectInMemory } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDANCE_CATEGORIES, GUIDANCE_RESOURCES, METRIC_GUIDANCE } from '../src/observability/metric-guidance.js';
import { chooseStep, parseStep, prometheusFromEnvironment, prometheusUrl } from '../src/observability/prometheus.js';
import { parseTime } from '../src/observability/time.js';
import { type AcsFake, startAcsFake } from '../src/sandbox/arms-fake.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import { ackServer } from '../src/server.js';
import {
  CLUSTER_ID,
  CLUSTER_REGION,
  cloudRoutes,
  listen,
  OBS_KEY,
  OTHER_CLUSTER_ID,
  type RunningPrometheus,
  startClusterLogsCsFake,
  startPrometheus,
  waitForSeries,
} from './observability-fakes.js';

const MEMORY_LIMIT = 256 * 1024 * 1024;
let scrapes = 0;
let exporter: Server;
let prometheus: RunningPrometheus;
let cloud: AcsFake;
let cs: CsFake;
/** Stands in for the instance's VPC URL: answers one fixed vector and records the paths asked. */
let vpc: Server;
const vpcPaths: string[] = [];

/** Known series: a pod's restarts, its memory climbing by 8 MiB a scrape to its limit, and 300 numbered series. */
function exposition(): string {
  scrapes++;
  const memory = Math.min(MEMORY_LIMIT, 128 * 1024 * 1024 + scrapes * 8 * 1024 * 1024);
  const pod = 'namespace="shop",pod="cart-7d9f",container="cart"';
  const lines = [
    '# TYPE kube_pod_container_status_restarts_total counter',
    `kube_pod_container_status_restarts_total{${pod}} ${Math.floor(scrapes / 5)}`,
    '# TYPE container_memory_working_set_bytes gauge',
    `container_memory_working_set_bytes{${pod},image="shop/cart:1"} ${memory}`,
    '# TYPE kube_pod_container_resource_limits gauge',
    `kube_pod_container_resource_limits{${pod},resource="memory",unit="byte"} ${MEMORY_LIMIT}`,
    '# TYPE test_series gauge',
  ];
  for (let i = 0; i < 300; i++) lines.push(`test_series{index="${i}"} ${i}`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  exporter = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition());
  });
  const port = await listen(exporter);
  vpc = createServer((req, res) => {
    vpcPaths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { via: 'vpc' }, value: [1, '1'] }] },
      }),
    );
  });
  const vpcPort = await listen(vpc);
  prometheus = await startPrometheus([`127.0.0.1:${port}`]);
  cs = await startClusterLogsCsFake({
    [CLUSTER_ID]: { region: CLUSTER_REGION },
    [OTHER_CLUSTER_ID]: { region: 'cn-beijing' },
  });
  cloud = await startAcsFake({
    keys: [OBS_KEY],
    routes: cloudRoutes(() => [
      {
        clusterId: CLUSTER_ID,
        regionId: CLUSTER_REGION,
        httpApiInterUrl: `${prometheus.url}/`,
        httpApiIntraUrl: `http://127.0.0.1:${vpcPort}/api/v1/prometheus/vpc`,
      },
    ]),
  });
  await waitForSeries(prometheus.url, 'test_series', 300);
  // Several scrapes, so range queries see the memory climb.
  await waitForSeries(prometheus.url, 'count_over_time(container_memory_working_set_bytes[1m]) >= 4', 1);
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  await cs?.stop();
  await prometheus?.stop();
  await new Promise<void>((resolve) => (vpc ? vpc.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (exporter ? exporter.close(() => resolve()) : resolve()));
});

async function connect(settings: Record<string, unknown> = {}) {
  return connectInMemory(ackServer, {
    settings: {
      alibabaAccessKeyId: OBS_KEY.accessKeyId,
      alibabaAccessKeySecret: OBS_KEY.accessKeySecret,
      csEndpoint: cs.url,
      armsEndpoint: cloud.url,
      maxRetries: 0,
      ...settings,
    },
  });
}

describe('query_prometheus on a real Prometheus', () => {
  it('finds the endpoint through ARMS GetPrometheusInstance (public URL) and runs an instant query', async () => {
    const conn = await connect();
    try {
      const r = await callTool(conn.client, 'query_prometheus', {
        cluster_id: CLUSTER_ID,
        promql: 'kube_pod_container_resource_limits{namespace="shop",resource="memory"}',
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ resultType: 'vector', mode: 'instant', prometheus: 'ARMS HttpApiInterUrl' });
      const result = r.structured?.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
      expect(result).toHaveLength(1);
      expect(result[0]?.metric.pod).toBe('cart-7d9f');
      expect(result[0]?.value[1]).toBe(String(MEMORY_LIMIT));
      const arms = cloud.requests.find((q) => q.action === 'GetPrometheusInstance');
      expect(arms?.query).toMatchObject({ ClusterId: CLUSTER_ID, RegionId: CLUSTER_REGION });
      expect(arms?.signature.ok).toBe(true);
    } finally {
      await conn.close();
    }
  });

  it("ARMS_PRIVATE uses the instance's VPC URL", async () => {
    const conn = await connect({ prometheusEndpointMode: 'ARMS_PRIVATE' });
    try {
      const r = await callTool(conn.client, 'query_prometheus', { cluster_id: CLUSTER_ID, promql: 'up' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ prometheus: 'ARMS HttpApiIntraUrl', result: [{ metric: { via: 'vpc' } }] });
      expect(vpcPaths.at(-1)).toMatch(/^\/api\/v1\/prometheus\/vpc\/api\/v1\/query\?query=up/);
    } finally {
      await conn.close();
    }
  });

  it("runs a range query in Prometheus' matrix shape, the memory series climbing to its limit", async () => {
    const conn = await connect({
      prometheusEndpointMode: 'LOCAL',
      prometheusHttpApiMap: [`${CLUSTER_ID}=${prometheus.url}`],
    });
    try {
      const r = await callTool(conn.client, 'query_prometheus', {
        cluster_id: CLUSTER_ID,
        promql: 'container_memory_working_set_bytes{namespace="shop"}',
        start_time: '2m',
        end_time: 'now',
        step: '1s',
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({
        resultType: 'matrix',
        mode: 'range',
        step_seconds: 1,
        prometheus: 'PROMETHEUS_HTTP_API_MAP',
      });
      const values = ((r.structured?.result ?? []) as Array<{ values: Array<[number, string]> }>)[0]?.values ?? [];
      expect(values.length).toBeGreaterThan(1);
      const numbers = values.map((v) => Number(v[1]));
      expect(numbers.at(-1)).toBeGreaterThan(numbers[0] as number);
      expect(numbers.every((n) => n <= MEMORY_LIMIT)).toBe(true);
    } finally {
      await conn.close();
    }
  });

  it("bad PromQL is INVALID_ARGUMENT with Prometheus' own parse message", async () => {
    const conn = await connect({ prometheusEndpointMode: 'LOCAL', prometheusHttpApi: prometheus.url });
    try {
      const r = await callTool(conn.client, 'query_prometheus', { cluster_id: CLUSTER_ID, promql: 'sum(rate(up[5m]' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('INVALID_ARGUMENT');
      expect(r.text).toMatch(/bad_data.*parse error/);
    } finally {
      await conn.close();
    }
  });

  it('raises a step that would exceed 11,000 points, runs it, and says so', async () => {
    const conn = await connect({ prometheusEndpointMode: 'LOCAL', prometheusHttpApi: prometheus.url });
    try {
      const r = await callTool(conn.client, 'query_prometheus', {
        cluster_id: CLUSTER_ID,
        promql: 'up',
        start_time: '7d',
        step: 1,
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured?.step_seconds).toBe(Math.ceil((7 * 86_400) / 11_000));
      expect(((r.structured?.notes ?? []) as string[]).join(' ')).toMatch(/step raised from 1s to 55s.*11000 points/);
    } finally {
      await conn.close();
    }
  });

  it('keeps at most max_series series and notes the cut', async () => {
    const conn = await connect({ prometheusEndpointMode: 'LOCAL', prometheusHttpApi: prometheus.url });
    try {
      const r = await callTool(conn.client, 'query_prometheus', { cluster_id: CLUSTER_ID, promql: 'test_series' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ series_total: 300, truncated: true });
      expect(((r.structured?.result ?? []) as unknown[]).length).toBe(200);
      expect(((r.structured?.notes ?? []) as string[])[0]).toMatch(/300 series matched; the first 200/);
      const few = await callTool(conn.client, 'query_prometheus', {
        cluster_id: CLUSTER_ID,
        promql: 'test_series',
        max_series: 5,
      });
      expect(((few.structured?.result ?? []) as unknown[]).length).toBe(5);
    } finally {
      await conn.close();
    }
  });

  it('cms_execute_promql_query runs through the same path (range over unix seconds)', async () => {
    const conn = await connect({ prometheusEndpointMode: 'LOCAL', prometheusHttpApi: prometheus.url });
    try {
      const now = Math.floor(Date.now() / 1000);
      const r = await callTool(conn.client, 'cms_execute_promql_query', {
        cluster_id: CLUSTER_ID,
        query: 'kube_pod_container_status_restarts_total',
        from_timestamp: now - 60,
        to_timestamp: now,
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ resultType: 'matrix', mode: 'range' });
      const bad = await callTool(conn.client, 'cms_execute_promql_query', {
        cluster_id: CLUSTER_ID,
        query: 'up{',
        from_timestamp: now - 60,
        to_timestamp: now,
      });
      expect(bad.text).toContain('INVALID_ARGUMENT');
    } finally {
      await conn.close();
    }
  });

  it('bad input is INVALID_ARGUMENT before anything is sent', async () => {
    const conn = await connect({ prometheusEndpointMode: 'LOCAL', prometheusHttpApi: 'http://127.0.0.1:9/unused' });
    try {
      for (const args of [
        { cluster_id: 'not-a-cluster', promql: 'up' },
        { cluster_id: CLUSTER_ID, promql: '' },
        { cluster_id: CLUSTER_ID, promql: 'up', start_time: 'yesterday' },
        { cluster_id: CLUSTER_ID, promql: 'up', start_time: '1h', end_time: '2h' },
      ]) {
        const r = await callTool(conn.client, 'query_prometheus', args);
        expect(r.isError).toBe(true);
        expect(r.text).toContain('INVALID_ARGUMENT');
      }
    } finally {
      await conn.close();
    }
  });

  it('a cluster without an ARMS instance and no setting is RESOURCE_NOT_FOUND naming the settings', async () => {
    const conn = await connect();
    try {
      const r = await callTool(conn.client, 'query_prometheus', { cluster_id: OTHER_CLUSTER_ID, promql: 'up' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/RESOURCE_NOT_FOUND|ARMS GetPrometheusInstance/);
    } finally {
      await conn.close();
    }
  });

  it('an ARMS denial is PERMISSION_DENIED naming arms:GetPrometheusInstance and the request id', async () => {
    const { AcsFault } = await import('../src/sandbox/arms-fake.js');
    cloud.failNext(
      'GetPrometheusInstance',
      new AcsFault(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'),
    );
    const conn = await connect({ prometheusEndpointMode: 'ARMS_PUBLIC' });
    try {
      const r = await callTool(conn.client, 'query_prometheus', { cluster_id: CLUSTER_ID, promql: 'up' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('PERMISSION_DENIED');
      expect(r.text).toContain('arms:GetPrometheusInstance');
    } finally {
      await conn.close();
    }
  });
});

describe('metric guidance', () => {
  const entries = GUIDANCE_RESOURCES.flatMap((resource) =>
    GUIDANCE_CATEGORIES.flatMap((category) =>
      (METRIC_GUIDANCE[resource][category]?.promql_samples ?? []).map((s) => ({ resource, category, ...s })),
    ),
  );

  it('has PromQL for every resource', () => {
    for (const resource of GUIDANCE_RESOURCES) {
      expect(Object.keys(METRIC_GUIDANCE[resource]).length, resource).toBeGreaterThan(0);
    }
    expect(entries.length).toBeGreaterThan(40);
  });

  it('every expression parses and runs on the real Prometheus', async () => {
    for (const entry of entries) {
      const r = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(entry.expression)}`);
      const body = (await r.json()) as { status: string; error?: string };
      expect(body.status, `${entry.resource}/${entry.category} ${entry.rule_name}: ${body.error ?? ''}`).toBe(
        'success',
      );
    }
  });

  it('the tool answers metrics and samples, aliases accepted, and refuses an unknown resource', async () => {
    const conn = await connect();
    try {
      const r = await callTool(conn.client, 'query_prometheus_metric_guidance', {
        resource_label: 'Pods',
        metric_category: 'memory',
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured?.resource_label).toBe('pod');
      expect(((r.structured?.promql_samples ?? []) as Array<{ rule_name: string }>).map((s) => s.rule_name)).toContain(
        'PodMemoryNearLimit',
      );
      const empty = await callTool(conn.client, 'query_prometheus_metric_guidance', {
        resource_label: 'hpa',
        metric_category: 'disk',
      });
      expect(empty.structured).toMatchObject({ metrics: [], promql_samples: [] });
      expect(empty.structured?.available_categories).toContain('state');
      const bad = await callTool(conn.client, 'query_prometheus_metric_guidance', {
        resource_label: 'database',
        metric_category: 'cpu',
      });
      expect(bad.text).toContain('INVALID_ARGUMENT');
    } finally {
      await conn.close();
    }
  });
});

describe('time, step and endpoint helpers', () => {
  const now = Date.parse('2025-11-03T10:00:00Z');
  it('parses RFC 3339, unix seconds and milliseconds, now and ages', () => {
    expect(parseTime('2025-11-03T09:00:00Z', 't', now)).toBe(now / 1000 - 3600);
    expect(parseTime('1762160400', 't', now)).toBe(1762160400);
    expect(parseTime('1762160400000', 't', now)).toBe(1762160400);
    expect(parseTime('now', 't', now)).toBe(now / 1000);
    expect(parseTime('30m', 't', now)).toBe(now / 1000 - 1800);
    expect(parseTime('now-2h', 't', now)).toBe(now / 1000 - 7200);
    expect(() => parseTime('soon', 't', now)).toThrow(/not a time/);
  });
  it('chooses and raises steps within 11,000 points', () => {
    expect(chooseStep(0, 3600)).toEqual({ step: 12 });
    expect(chooseStep(0, 3600, 5)).toEqual({ step: 5 });
    expect(chooseStep(0, 30 * 86_400, 60)).toEqual({ step: 236, raisedFrom: 60 });
    expect(parseStep('1m')).toBe(60);
    expect(parseStep('30')).toBe(30);
  });
  it('joins API paths to ARMS and plain base URLs', () => {
    expect(prometheusUrl('https://cn-hangzhou.arms.aliyuncs.com:9443/api/v1/prometheus/abc/123', '/api/v1/query')).toBe(
      'https://cn-hangzhou.arms.aliyuncs.com:9443/api/v1/prometheus/abc/123/api/v1/query',
    );
    expect(prometheusUrl('http://prom:9090/', '/api/v1/query_range')).toBe('http://prom:9090/api/v1/query_range');
  });
  it('reads PROMETHEUS_HTTP_API_<cluster_id> first, then the map, then PROMETHEUS_HTTP_API', () => {
    const settings = { prometheusHttpApi: 'http://all', prometheusHttpApiMap: [`${CLUSTER_ID}=http://mapped`] };
    expect(
      prometheusFromEnvironment(CLUSTER_ID, settings, { [`PROMETHEUS_HTTP_API_${CLUSTER_ID}`]: 'http://env' }),
    ).toEqual({
      baseUrl: 'http://env',
      source: `PROMETHEUS_HTTP_API_${CLUSTER_ID}`,
    });
    expect(prometheusFromEnvironment(CLUSTER_ID, settings, {})?.baseUrl).toBe('http://mapped');
    expect(prometheusFromEnvironment(OTHER_CLUSTER_ID, settings, {})?.baseUrl).toBe('http://all');
  });
});
