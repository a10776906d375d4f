import { fileURLToPath } from 'node:url';
import { callTool, connectInMemory, type InMemoryConnection, spawnBin } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTimeline, containerMetrics, likelyCause } from '../src/observability/incident.js';
import { incidentQueries } from '../src/observability/metric-guidance.js';
import { PROD_CLUSTER_ID, STAGING_CLUSTER_ID, startSandbox } from '../src/sandbox/index.js';
import { CHECKOUT_MEMORY_LIMIT, DELETED_SERVICE } from '../src/sandbox/observability-data.js';
import { ackServer } from '../src/server.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let conn: InMemoryConnection;

beforeAll(async () => {
  sandbox = await startSandbox({ info: () => undefined });
  conn = await connectInMemory(ackServer, { settings: { ...sandbox.settings, maxRetries: 0 } });
}, 30_000);

afterAll(async () => {
  await conn?.close();
  await sandbox?.stop();
});

const call = (tool: string, args: Record<string, unknown>) => callTool(conn.client, tool, args, { timeout: 60_000 });

interface IncidentView {
  likely_cause: { summary: string; evidence: string[]; confidence: string };
  timeline: Array<{ time: string; source: string; summary: string }>;
  diagnosis: { kind: string; verdict: string } | null;
  metrics: Array<{
    pod: string;
    restarts_in_window: number | null;
    memory_peak_ratio: number | null;
    memory_limit_bytes: number | null;
  }>;
  warning_events: Array<{ reason: string }>;
  sources: Array<{ source: string; status: string; detail: string }>;
}

describe('investigate_incident on the sandbox', () => {
  it('who deleted service shop/coupons 15 minutes ago and what was its port', async () => {
    const r = await call('investigate_incident', {
      cluster_id: PROD_CLUSTER_ID,
      namespace: 'shop',
      name: 'coupons',
      since: '1h',
    });
    expect(r.isError, r.text).toBe(false);
    const out = r.structured as unknown as IncidentView;
    expect(out.likely_cause.confidence).toBe('high');
    expect(out.likely_cause.summary).toContain(`deleted by ${DELETED_SERVICE.deletedBy}`);
    expect(out.likely_cause.summary).toContain(`${DELETED_SERVICE.port}→${DELETED_SERVICE.targetPort}/TCP`);
    const deletion = out.timeline.find((t) => t.source === 'audit' && t.summary.includes('delete'));
    expect(deletion).toBeDefined();
    const minutesAgo = (Date.now() - Date.parse(deletion?.time ?? '')) / 60_000;
    expect(minutesAgo).toBeGreaterThan(14);
    expect(minutesAgo).toBeLessThan(17);
    expect(out.diagnosis).toBeNull();
    expect(out.sources.find((s) => s.source === 'diagnosis')?.detail).toContain(
      'no workload or pod named shop/coupons',
    );
    expect(out.sources.filter((s) => s.status !== 'ok')).toEqual([]);
    expect(r.text).toContain('Likely cause (high confidence)');
  });

  it('why does checkout keep restarting: memory climbs to its limit, OOMKilled, the same from every source', async () => {
    const r = await call('investigate_incident', {
      cluster_id: PROD_CLUSTER_ID,
      namespace: 'shop',
      name: 'checkout',
      since: '4h',
    });
    expect(r.isError, r.text).toBe(false);
    const out = r.structured as unknown as IncidentView;
    expect(out.likely_cause.summary).toMatch(/runs out of memory.*OOMKilled/);
    expect(out.likely_cause.summary).toContain('memory limit was changed by kubernetes-admin');
    expect(out.likely_cause.confidence).toBe('high');
    const running = out.metrics.find((m) => (m.restarts_in_window ?? 0) > 0);
    expect(running?.restarts_in_window).toBe(7);
    expect(running?.memory_limit_bytes).toBe(CHECKOUT_MEMORY_LIMIT);
    expect(running?.memory_peak_ratio).toBeGreaterThanOrEqual(0.99);
    expect(out.warning_events.map((e) => e.reason)).toContain('BackOff');
    expect(out.diagnosis?.kind).toBe('Deployment');
    expect(out.diagnosis?.verdict).not.toBe('healthy');
    expect(out.timeline.some((t) => t.source === 'metrics')).toBe(true);
    expect(out.timeline.map((t) => t.time)).toEqual([...out.timeline.map((t) => t.time)].sort());
  });

  it('a cluster without auditing still answers, naming the source that could not', async () => {
    const r = await call('investigate_incident', {
      cluster_id: STAGING_CLUSTER_ID,
      namespace: 'shop',
      name: 'checkout',
    });
    expect(r.isError, r.text).toBe(false);
    const audit = (r.structured as unknown as IncidentView).sources.find((s) => s.source === 'audit');
    expect(audit?.status).toBe('failed');
    expect(audit?.detail).toContain('OPERATION_NOT_SUPPORTED');
  });

  it('bad input is INVALID_ARGUMENT', async () => {
    for (const args of [
      { cluster_id: 'nope', name: 'x' },
      { cluster_id: PROD_CLUSTER_ID, name: 'Bad_Name' },
      { cluster_id: PROD_CLUSTER_ID, since: 'tomorrow' },
    ]) {
      const r = await call('investigate_incident', args);
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
  });
});

describe('the sandbox tells the same story through each tool', () => {
  it('query_audit_log shows the deletion and the creation with the port', async () => {
    const deleted = await call('query_audit_log', {
      cluster_id: PROD_CLUSTER_ID,
      namespace: 'shop',
      resource_types: 'svc',
      resource_name: 'coupons',
      verbs: 'delete',
      start_time: '1h',
    });
    expect(deleted.isError, deleted.text).toBe(false);
    const entries = deleted.structured?.entries as Array<{ user: { username: string } }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.user.username).toBe(DELETED_SERVICE.deletedBy);
    const created = await call('query_audit_log', {
      cluster_id: PROD_CLUSTER_ID,
      resource_name: 'coupons',
      verbs: ['create'],
      start_time: '7d',
      include_objects: true,
    });
    expect(JSON.stringify(created.structured)).toContain(`"port":${DELETED_SERVICE.port}`);
  });

  it('query_controlplane_logs shows the DELETE in the API server log; the staging cluster has no components', async () => {
    const r = await call('query_controlplane_logs', {
      cluster_id: PROD_CLUSTER_ID,
      component_name: 'apiserver',
      filter_pattern: 'coupons',
    });
    expect(r.isError, r.text).toBe(false);
    expect(JSON.stringify(r.structured)).toContain('DELETE');
    const none = await call('query_controlplane_logs', { cluster_id: STAGING_CLUSTER_ID, component_name: 'apiserver' });
    expect(none.text).toContain('No control-plane component logs are collected');
  });

  it('query_prometheus answers the incident queries from the simulated Prometheus and refuses others, saying so', async () => {
    const q = incidentQueries('shop', 'checkout.*');
    const r = await call('query_prometheus', { cluster_id: PROD_CLUSTER_ID, promql: q.memory_limit });
    expect(r.isError, r.text).toBe(false);
    expect(JSON.stringify(r.structured)).toContain(String(CHECKOUT_MEMORY_LIMIT));
    const other = await call('query_prometheus', { cluster_id: PROD_CLUSTER_ID, promql: 'up' });
    expect(other.isError).toBe(true);
    expect(other.text).toContain("sandbox's simulated Prometheus");
  });

  it('sls_execute_sql_query finds the OOM events of checkout', async () => {
    const r = await call('sls_execute_sql_query', {
      cluster_id: PROD_CLUSTER_ID,
      query: 'eventId.reason: OOMKilling',
      from_time: '3h',
    });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured?.count).toBe(1);
  });
});

describe('opsmcp-ack --sandbox (the built bin, as a user runs it)', () => {
  it('investigate_incident finds the deleted service through the simulated SLS (its sls.test names resolve in that process)', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const spawned = await spawnBin(bin, { args: ['--sandbox'] });
    try {
      const r = await callTool(
        spawned.client,
        'investigate_incident',
        { cluster_id: PROD_CLUSTER_ID, namespace: 'shop', name: 'coupons' },
        { timeout: 60_000 },
      );
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toContain('[SANDBOX');
      expect(r.text).toContain(`deleted by ${DELETED_SERVICE.deletedBy}`);
      expect(r.text).toContain(`${DELETED_SERVICE.port}→${DELETED_SERVICE.targetPort}`);
    } finally {
      await spawned.close();
    }
  }, 60_000);
});

describe('incident rules', () => {
  const diagnosis = {
    verdict: 'failing',
    findings: [
      {
        rule_id: 'image-pull',
        severity: 'critical',
        title: 'Image cannot be pulled',
        evidence: ['ErrImagePull: not found'],
        fix: 'Fix the tag.',
      },
    ],
  };

  it('without a deletion or OOM pattern, the diagnosis top finding is the cause', () => {
    const cause = likelyCause({
      target: 'shop/payments',
      audit: [],
      events: [],
      metrics: [],
      diagnosis,
      objectExists: true,
    });
    expect(cause).toMatchObject({ confidence: 'high', evidence: ['diagnosis: ErrImagePull: not found'] });
    expect(cause.summary).toBe('shop/payments: Image cannot be pulled. Fix the tag.');
  });

  it('with nothing else, the latest warning is a low-confidence cause; with no data it says nothing was found', () => {
    const events = [
      {
        time: '2025-01-01T00:00:00Z',
        reason: 'Unhealthy',
        message: 'Readiness probe failed: 503',
        object: 'Pod shop/search-1',
        count: 4,
      },
    ];
    expect(
      likelyCause({ target: 'shop/search', audit: [], events, metrics: [], diagnosis: null, objectExists: null }),
    ).toMatchObject({
      confidence: 'low',
      summary: 'shop/search: the most recent warning is Unhealthy: Readiness probe failed: 503',
    });
    expect(
      likelyCause({ target: 'shop/x', audit: [], events: [], metrics: [], diagnosis: null, objectExists: null })
        .summary,
    ).toMatch(/^No failure found/);
  });

  it('figures restarts and the memory peak per container from range series, and orders the timeline', () => {
    const metric = { pod: 'web-1', container: 'web' };
    const metrics = containerMetrics({
      restarts: [
        {
          metric,
          values: [
            [100, '2'],
            [200, '5'],
          ],
        },
      ],
      memory: [
        {
          metric,
          values: [
            [100, '50'],
            [150, '95'],
            [200, '60'],
          ],
        },
      ],
      memoryLimit: [{ metric, values: [[200, '100']] }],
      cpu: [],
      cpuLimit: [],
    });
    expect(metrics).toEqual([
      {
        pod: 'web-1',
        container: 'web',
        restarts_in_window: 3,
        memory_peak_bytes: 95,
        memory_peak_time: new Date(150_000).toISOString(),
        memory_limit_bytes: 100,
        memory_peak_ratio: 0.95,
        cpu_peak_cores: null,
        cpu_limit_cores: null,
      },
    ]);
    const events = [
      { time: '1970-01-01T00:05:00.000Z', reason: 'BackOff', message: 'restarting', object: 'Pod web-1', count: 1 },
    ];
    expect(buildTimeline([], events, metrics).map((t) => t.source)).toEqual(['metrics', 'event']);
  });
});
