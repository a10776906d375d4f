import { callTool, connectInMemory, startHttp } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCsSandboxState } from '../src/sandbox/cs-data.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import { ackServer } from '../src/server.js';
import {
  PROD_CLUSTER_ID,
  PROD_DEFAULT_POOL_ID,
  PROD_DIAGNOSIS_ID,
  PROD_GPU_POOL_ID,
  STAGING_CLUSTER_ID,
  STAGING_FAILED_POOL_ID,
  settingsFor,
  startFake,
} from './helpers.js';

let fake: CsFake;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  Object.assign(fake.state, createCsSandboxState());
  fake.clearRequests();
});

type ElicitAnswer = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
};

async function connect(options: { allowWrite?: boolean; onElicit?: (message: string) => ElicitAnswer } = {}) {
  const conn = await connectInMemory(ackServer, {
    settings: { ...settingsFor(fake), allowWrite: options.allowWrite ?? false },
    ...(options.onElicit ? { onElicit: options.onElicit } : {}),
  });
  open.push(conn);
  return conn.client;
}

const actions = () => fake.requests.map((r) => r.action);
const REQUEST_ID = /request id [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/;

interface ReadCase {
  tool: string;
  args: Record<string, unknown>;
  /** The CS action the tool calls (first). */
  action: string;
  expect: (structured: Record<string, unknown>) => void;
  bad: Record<string, unknown>;
  /** What the INVALID_ARGUMENT text names. */
  badSays: RegExp;
  write?: boolean;
}

const cases: ReadCase[] = [
  {
    tool: 'list_clusters',
    args: {},
    action: 'DescribeClustersV1',
    expect: (s) => {
      expect(s).toMatchObject({ page_number: 1, page_size: 10, total_count: 2 });
      const clusters = s.clusters as Array<Record<string, unknown>>;
      expect(clusters[0]).toMatchObject({
        cluster_id: PROD_CLUSTER_ID,
        cluster_name: 'prod-hz-01',
        state: 'running',
        api_server_endpoints: {
          api_server_endpoint: 'https://47.96.120.15:6443',
          intranet_api_server_endpoint: 'https://172.16.0.201:6443',
        },
      });
      expect(clusters[1]?.api_server_endpoints).toEqual({
        api_server_endpoint: null,
        intranet_api_server_endpoint: 'https://192.168.3.17:6443',
      });
    },
    bad: { page_size: 501 },
    badSays: /page_size/,
  },
  {
    tool: 'describe_cluster',
    args: { cluster_id: STAGING_CLUSTER_ID },
    action: 'DescribeClusterDetail',
    expect: (s) => {
      expect(s).toMatchObject({
        cluster_id: STAGING_CLUSTER_ID,
        state: 'running',
        next_version: '1.32.1-aliyun.1',
        network: { container_cidr: '10.80.0.0/16', service_cidr: '172.21.0.0/20' },
        nodepool_summary: {
          pools: 2,
          total_nodes: 3,
          healthy_nodes: 2,
          failed_nodes: 1,
          pools_not_active: ['spot-pool (failed)'],
        },
      });
    },
    bad: { cluster_id: 'cls-123' },
    badSays: /"c" followed by 32/,
  },
  {
    tool: 'list_cluster_nodepools',
    args: { cluster_id: PROD_CLUSTER_ID },
    action: 'DescribeClusterNodePools',
    expect: (s) => {
      expect(s.total_count).toBe(2);
      expect(s.nodepools).toEqual([
        expect.objectContaining({
          nodepool_id: PROD_DEFAULT_POOL_ID,
          state: 'active',
          total_nodes: 3,
          is_default: true,
        }),
        expect.objectContaining({
          nodepool_id: PROD_GPU_POOL_ID,
          state: 'scaling',
          auto_scaling: true,
          healthy_nodes: 2,
        }),
      ]);
    },
    bad: { cluster_id: PROD_CLUSTER_ID, nodepool_id: 'np-short' },
    badSays: /"np" followed by 32/,
  },
  {
    tool: 'list_cluster_nodes',
    args: { cluster_id: STAGING_CLUSTER_ID, state: 'failed' },
    action: 'DescribeClusterNodes',
    expect: (s) => {
      expect(s.nodes).toEqual([
        expect.objectContaining({
          instance_id: 'i-2ze5t6y7u8i9o0p1q2w3',
          state: 'failed',
          nodepool_id: STAGING_FAILED_POOL_ID,
          error_message: expect.stringContaining('failed to join'),
        }),
      ]);
      expect(fake.requests[0]?.query).toMatchObject({ state: 'failed', pageNumber: '1', pageSize: '10' });
    },
    bad: { cluster_id: PROD_CLUSTER_ID, page_size: 101 },
    badSays: /page_size/,
  },
  {
    tool: 'list_cluster_tasks',
    args: { cluster_id: PROD_CLUSTER_ID, state: 'fail' },
    action: 'DescribeClusterTasks',
    expect: (s) => {
      expect(s.tasks).toEqual([
        expect.objectContaining({
          task_id: 'T-6751d0a1b2c3d40a3c000052',
          state: 'fail',
          error: { code: 'DrainNodeFailed', message: 'failed to drain node cn-hangzhou.172.16.0.45' },
        }),
      ]);
      // A failed task is spelled both ways by CS: both are asked for.
      expect(fake.requests.map((r) => r.query.state).sort()).toEqual(['fail', 'failed']);
      expect(fake.requests[0]?.query.detail).toBe('true');
    },
    bad: { cluster_id: PROD_CLUSTER_ID, start_time: 'yesterday' },
    badSays: /start_time/,
  },
  {
    tool: 'describe_task_info',
    args: { task_id: 'T-6751d0a1b2c3d40a3c000052' },
    action: 'DescribeTaskInfo',
    expect: (s) => {
      expect(s).toMatchObject({
        task_type: 'nodepool_node_remove',
        state: 'fail',
        current_stage: 'DrainNodes',
        error: { code: 'DrainNodeFailed' },
        task_result: [{ data: 'i-bp1f8e7d6c5b4a3z2y1x', status: 'failed' }],
      });
    },
    bad: { task_id: 'T 1; rm' },
    badSays: /task id/,
  },
  {
    tool: 'get_cluster_diagnosis_result',
    args: { cluster_id: PROD_CLUSTER_ID, diagnosis_id: PROD_DIAGNOSIS_ID },
    action: 'GetClusterDiagnosisResult',
    expect: (s) => {
      expect(s).toMatchObject({ status: 2, code: 0, status_text: 'completed', target: { namespace: 'default' } });
      expect((s.result as { summary: unknown }).summary).toEqual({ abnormal: 1, normal: 14 });
    },
    bad: { cluster_id: PROD_CLUSTER_ID, diagnosis_id: '../x' },
    badSays: /diagnosis id/,
  },
  {
    tool: 'create_cluster_diagnosis',
    args: { cluster_id: PROD_CLUSTER_ID, diagnosis_type: 'pod', target: { namespace: 'default', name: 'web-1' } },
    action: 'CreateClusterDiagnosis',
    expect: (s) => {
      expect(s).toMatchObject({ cluster_id: PROD_CLUSTER_ID, diagnosis_type: 'pod' });
      expect(fake.requests[0]?.body).toEqual({ type: 'pod', target: { namespace: 'default', name: 'web-1' } });
    },
    bad: { cluster_id: PROD_CLUSTER_ID, diagnosis_type: 'network', target: { name: 'x' } },
    badSays: /network diagnosis takes the target/,
    write: true,
  },
];

describe.each(cases)('$tool', (c) => {
  it('answers from the CS API', async () => {
    const client = await connect({ allowWrite: c.write });
    const out = await callTool(client, c.tool, c.args);
    expect(out.isError, out.text).toBe(false);
    expect(actions()[0]).toBe(c.action);
    for (const r of fake.requests) expect(r.signature.ok, r.signature.ok ? '' : r.signature.reason).toBe(true);
    c.expect(out.structured as Record<string, unknown>);
  });

  it('reports an upstream error with its code and request id', async () => {
    fake.failNext(c.action, { status: 403, code: 'Forbidden.RAM', message: 'User not authorized to operate' });
    const client = await connect({ allowWrite: c.write });
    const out = await callTool(client, c.tool, c.args);
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^PERMISSION_DENIED/);
    expect(out.text).toContain('Forbidden.RAM');
    expect(out.text).toMatch(REQUEST_ID);
  });

  it('refuses bad input with INVALID_ARGUMENT and sends nothing', async () => {
    const client = await connect({ allowWrite: c.write });
    const out = await callTool(client, c.tool, c.bad);
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^INVALID_ARGUMENT/);
    expect(out.text).toMatch(c.badSays);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('not found', () => {
  it('names the missing cluster with the upstream code', async () => {
    const client = await connect();
    const out = await callTool(client, 'describe_cluster', { cluster_id: `c${'d'.repeat(32)}` });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
    expect(out.text).toContain('ErrorClusterNotFound');
  });
});

describe('write gate', () => {
  it('hides the write tools without --allow-write and refuses them, sending nothing', async () => {
    const client = await connect();
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const name of [
      'scale_nodepool',
      'remove_nodepool_nodes',
      'create_cluster_diagnosis',
      'diagnose_resource',
      'query_inspect_report',
    ]) {
      expect(names).not.toContain(name);
    }
    const out = await callTool(client, 'scale_nodepool', {
      cluster_id: PROD_CLUSTER_ID,
      nodepool_id: PROD_DEFAULT_POOL_ID,
      count: 1,
    });
    expect(out.isError).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('scale_nodepool', () => {
  const args = { cluster_id: PROD_CLUSTER_ID, nodepool_id: PROD_DEFAULT_POOL_ID, count: 2 };

  it('shows the current and resulting size through elicitation and scales on accept', async () => {
    const asked: string[] = [];
    const client = await connect({
      allowWrite: true,
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const out = await callTool(client, 'scale_nodepool', args);
    expect(out.isError, out.text).toBe(false);
    expect(asked[0]).toContain('Add 2 nodes to node pool default-nodepool');
    expect(asked[0]).toContain('3 → 5');
    expect(asked[0]).toMatch(/current_size: 3/);
    expect(asked[0]).toMatch(/resulting_size: 5/);
    expect(actions()).toEqual(['DescribeClusterNodePoolDetail', 'ScaleClusterNodePool']);
    expect(fake.requests[1]?.body).toEqual({ count: 2 });
    expect(out.structured).toMatchObject({ task_id: expect.stringMatching(/^T-/), task: null });
  });

  it('does nothing when the user declines', async () => {
    const client = await connect({ allowWrite: true, onElicit: () => ({ action: 'decline' }) });
    const out = await callTool(client, 'scale_nodepool', args);
    expect(out.text).toMatch(/^CONFIRMATION_FAILED/);
    expect(actions()).not.toContain('ScaleClusterNodePool');
  });

  it('without elicitation asks for confirm=true, then waits for the task with progress', async () => {
    const client = await connect({ allowWrite: true });
    const refused = await callTool(client, 'scale_nodepool', args);
    expect(refused.text).toMatch(/^CONFIRMATION_REQUIRED: Add 2 nodes/);
    expect(actions()).not.toContain('ScaleClusterNodePool');

    const progress: string[] = [];
    const out = await callTool(
      client,
      'scale_nodepool',
      { ...args, wait: true, confirm: true },
      {
        onprogress: (p) => progress.push(String(p.message)),
      },
    );
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ task: { state: 'success', task_type: 'nodepool_scaleout' } });
    expect(actions().filter((a) => a === 'ScaleClusterNodePool')).toHaveLength(1);
    expect(actions().filter((a) => a === 'DescribeTaskInfo')).toHaveLength(2);
    expect(progress.some((m) => m.includes('running'))).toBe(true);
    expect(progress.at(-1)).toContain('success');
  }, 20_000);

  it('never retries the scale-out after a 5xx', async () => {
    fake.failNext('ScaleClusterNodePool', { status: 503, code: 'ServiceUnavailable', message: 'try later' });
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'scale_nodepool', { ...args, confirm: true });
    expect(out.text).toMatch(/^UPSTREAM_ERROR/);
    expect(out.text).toContain('unknown');
    expect(out.text).toMatch(REQUEST_ID);
    expect(actions().filter((a) => a === 'ScaleClusterNodePool')).toHaveLength(1);
  });

  it('refuses a count above 500 and sends nothing', async () => {
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'scale_nodepool', { ...args, count: 501, confirm: true });
    expect(out.isError).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('remove_nodepool_nodes', () => {
  const args = {
    cluster_id: PROD_CLUSTER_ID,
    nodepool_id: PROD_DEFAULT_POOL_ID,
    instance_ids: ['i-bp1a2s3d4f5g6h7j8k9l', 'i-bp1q9w8e7r6t5y4u3i2o'],
  };

  it('names every node and warns when instances are released, then removes on accept', async () => {
    const asked: string[] = [];
    const client = await connect({
      allowWrite: true,
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const out = await callTool(client, 'remove_nodepool_nodes', { ...args, release_node: true });
    expect(out.isError, out.text).toBe(false);
    expect(asked[0]).toContain('i-bp1a2s3d4f5g6h7j8k9l (cn-hangzhou.172.16.0.46)');
    expect(asked[0]).toContain('i-bp1q9w8e7r6t5y4u3i2o (cn-hangzhou.172.16.0.47)');
    expect(asked[0]).toMatch(/Warning: release_node=true: the ECS instances are RELEASED/);
    const removal = fake.requests.find((r) => r.action === 'RemoveNodePoolNodes');
    expect(removal?.method).toBe('DELETE');
    expect(removal?.query).toEqual({
      instance_ids: JSON.stringify(args.instance_ids),
      release_node: 'true',
      drain_node: 'true',
      concurrency: 'false',
    });
  });

  it('keeps instances and drains by default, and says so', async () => {
    const asked: string[] = [];
    const client = await connect({
      allowWrite: true,
      onElicit: (message) => {
        asked.push(message);
        return { action: 'decline' };
      },
    });
    const out = await callTool(client, 'remove_nodepool_nodes', args);
    expect(out.text).toMatch(/^CONFIRMATION_FAILED/);
    expect(asked[0]).toContain('The ECS instances are kept');
    expect(asked[0]).not.toContain('RELEASED');
    expect(actions()).not.toContain('RemoveNodePoolNodes');
  });

  it('refuses nodes that are not in the pool before asking', async () => {
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'remove_nodepool_nodes', {
      ...args,
      instance_ids: ['i-bp1c4x7v2n9m3k8j5h6g'],
      confirm: true,
    });
    expect(out.text).toMatch(/RESOURCE_NOT_FOUND/);
    expect(out.text).toContain('i-bp1c4x7v2n9m3k8j5h6g');
    expect(actions()).not.toContain('RemoveNodePoolNodes');
  });

  it('with confirm=true removes the nodes and waits for the task', async () => {
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'remove_nodepool_nodes', { ...args, confirm: true, wait: true });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ release_node: false, drain_node: true, task: { state: 'success' } });
    expect(fake.state.nodes.map((n) => n.instance_id)).not.toContain('i-bp1a2s3d4f5g6h7j8k9l');
  }, 20_000);

  it('refuses an empty or duplicated instance list and sends nothing', async () => {
    const client = await connect({ allowWrite: true });
    for (const instance_ids of [[], ['i-bp1a2s3d4f5g6h7j8k9l', 'i-bp1a2s3d4f5g6h7j8k9l'], ['bp1a2s3d']]) {
      const out = await callTool(client, 'remove_nodepool_nodes', { ...args, instance_ids, confirm: true });
      expect(out.isError).toBe(true);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('diagnose_resource', () => {
  it('creates a diagnosis and polls through status 0 (code 0) and running until completed, with progress', async () => {
    const client = await connect({ allowWrite: true });
    const progress: string[] = [];
    const out = await callTool(
      client,
      'diagnose_resource',
      { cluster_id: PROD_CLUSTER_ID, resource_type: 'node', resource_target: '{"name":"cn-hangzhou.172.16.0.45"}' },
      { onprogress: (p) => progress.push(String(p.message)) },
    );
    expect(out.isError, out.text).toBe(false);
    expect(actions()).toEqual([
      'CreateClusterDiagnosis',
      'GetClusterDiagnosisResult',
      'GetClusterDiagnosisResult',
      'GetClusterDiagnosisResult',
    ]);
    expect(fake.requests[0]?.body).toEqual({ type: 'node', target: { name: 'cn-hangzhou.172.16.0.45' } });
    expect(progress.some((m) => m.includes('created'))).toBe(true);
    expect(progress.some((m) => m.includes('running'))).toBe(true);
    expect(out.structured).toMatchObject({
      status: 2,
      code: 0,
      status_text: 'completed',
      result: { summary: { normal: 12 } },
    });
  }, 20_000);

  it('reports a failed poll with its code and request id, naming nothing as finished', async () => {
    fake.failNext('GetClusterDiagnosisResult', { status: 404, code: 'ErrorDiagnosisNotFound', message: 'gone' });
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'diagnose_resource', {
      cluster_id: PROD_CLUSTER_ID,
      resource_type: 'service',
      resource_target: { namespace: 'default', name: 'web' },
    });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
    expect(out.text).toContain('ErrorDiagnosisNotFound');
    expect(out.text).toMatch(REQUEST_ID);
  });

  it('reads status 0 and code 0 as values, not as missing', async () => {
    const client = await connect({ allowWrite: true });
    const created = await callTool(client, 'create_cluster_diagnosis', {
      cluster_id: PROD_CLUSTER_ID,
      diagnosis_type: 'cluster',
    });
    const diagnosisId = (created.structured as { diagnosis_id: string }).diagnosis_id;
    const out = await callTool(client, 'get_cluster_diagnosis_result', {
      cluster_id: PROD_CLUSTER_ID,
      diagnosis_id: diagnosisId,
    });
    expect(out.structured).toMatchObject({ status: 0, code: 0, status_text: 'created', result: null });
  });

  it('answers TIMEOUT naming the diagnosis when it does not finish in DIAGNOSE_TIMEOUT', async () => {
    fake.state.newDiagnosisStatuses = [1];
    const conn = await connectInMemory(ackServer, {
      settings: { ...settingsFor(fake), allowWrite: true, diagnoseTimeout: 10, diagnosePollInterval: 4 },
    });
    open.push(conn);
    const out = await callTool(conn.client, 'diagnose_resource', {
      cluster_id: PROD_CLUSTER_ID,
      resource_type: 'memory',
      resource_target: { node: 'cn-hangzhou.172.16.0.45' },
    });
    expect(out.text).toMatch(/^TIMEOUT: diagnosis \w+ of cluster/);
    expect(out.text).toContain('last status: running');
    expect(out.text).toContain('get_cluster_diagnosis_result');
    expect(actions().filter((a) => a === 'CreateClusterDiagnosis')).toHaveLength(1);
  }, 30_000);

  it('ends its wait at DIAGNOSE_TIMEOUT, before its own time limit, naming the diagnosis, even after a slow confirmation', async () => {
    fake.state.newDiagnosisStatuses = [1];
    const conn = await connectInMemory(ackServer, {
      settings: { ...settingsFor(fake), allowWrite: true, diagnoseTimeout: 10, confirm: ['diagnose_resource'] },
      onElicit: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return { action: 'accept', content: { confirm: true } };
      },
    });
    open.push(conn);
    const started = Date.now();
    const out = await callTool(conn.client, 'diagnose_resource', {
      cluster_id: PROD_CLUSTER_ID,
      resource_type: 'node',
      resource_target: { name: 'cn-hangzhou.172.16.0.45' },
    });
    // 2 s confirming, then at most DIAGNOSE_TIMEOUT (10 s) of polling; the call's own limit is 40 s.
    expect(out.text).toMatch(/^TIMEOUT: diagnosis \w+ of cluster/);
    expect(out.text).toContain('get_cluster_diagnosis_result');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('refuses a target that does not fit the type, or is not JSON, and sends nothing', async () => {
    const client = await connect({ allowWrite: true });
    for (const resource_target of ['{"namespace":"default"}', 'not json', { url: 'ftp://x' }]) {
      const out = await callTool(client, 'diagnose_resource', {
        cluster_id: PROD_CLUSTER_ID,
        resource_type: 'pod',
        resource_target,
      });
      expect(out.isError).toBe(true);
      expect(out.text).toContain('pod diagnosis takes the target');
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('query_inspect_report', () => {
  it('polls the report its own run returned even when a newer one exists', async () => {
    fake.state.reports.push({
      ...fake.state.reports[0]!,
      reportId: 'ir-newer-than-ours',
      startTime: '2099-01-01T00:00:00Z',
    });
    const client = await connect({ allowWrite: true });
    const progress: string[] = [];
    const out = await callTool(
      client,
      'query_inspect_report',
      { cluster_id: PROD_CLUSTER_ID },
      { onprogress: (p) => progress.push(String(p.message)) },
    );
    expect(out.isError, out.text).toBe(false);
    const run = fake.requests.find((r) => r.action === 'RunClusterInspect');
    expect(run?.body).toMatchObject({ clientToken: expect.any(String) });
    const reportId = (out.structured as { report_id: string }).report_id;
    expect(reportId).toMatch(/^ir-/);
    expect(reportId).not.toBe('ir-newer-than-ours');
    const details = fake.requests.filter((r) => r.action === 'GetClusterInspectReportDetail');
    expect(details.length).toBeGreaterThanOrEqual(2);
    for (const d of details) expect(d.path).toBe(`/clusters/${PROD_CLUSTER_ID}/inspectReports/${reportId}`);
    expect(details[0]?.query.enableFilter).toBe('true');
    expect(progress.some((m) => m.includes('running'))).toBe(true);
    expect(out.structured).toMatchObject({
      report_status: 'completed',
      report_finish_time: expect.stringMatching(/^20/),
      summary: { errorCount: 1, warnCount: 1, normalCount: 1 },
    });
    const items = (out.structured as { checkItemResults: Array<{ level: string }> }).checkItemResults;
    expect(items.map((i) => i.level).sort()).toEqual(['error', 'warning']);
  }, 20_000);

  it('follows an existing report by report_id without starting a new inspection', async () => {
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'query_inspect_report', {
      cluster_id: PROD_CLUSTER_ID,
      report_id: 'ir-3b1f0c2d9e8a4f5b',
      is_result_exception: false,
    });
    expect(out.isError, out.text).toBe(false);
    expect(actions()).toEqual(['GetClusterInspectReportDetail']);
    expect((out.structured as { checkItemResults: unknown[] }).checkItemResults).toHaveLength(3);
  });

  it('reports a failed run with its code and request id', async () => {
    fake.failNext('RunClusterInspect', {
      status: 400,
      code: 'ErrorInspectRunning',
      message: 'an inspection is running',
    });
    const client = await connect({ allowWrite: true });
    const out = await callTool(client, 'query_inspect_report', { cluster_id: PROD_CLUSTER_ID });
    expect(out.isError).toBe(true);
    expect(out.text).toContain('ErrorInspectRunning');
    expect(out.text).toMatch(REQUEST_ID);
  });
});

describe('header mode over HTTP', () => {
  const SESSIONS = 50;
  // Odd sessions use temporary keys: their STS token must be sent and signed too.
  const keyOf = (i: number) => ({
    accessKeyId: `LTAI5tSESSION${String(i).padStart(4, '0')}`,
    accessKeySecret: `session-secret-${i}-${'s'.repeat(16)}`,
    ...(i % 2 ? { securityToken: `sts-token-of-session-${i}` } : {}),
  });

  it('signs every CS request with its own session key, 50 sessions at once', async () => {
    for (let i = 0; i < SESSIONS; i++) fake.addKey(keyOf(i));
    const http = await startHttp(ackServer, {
      settings: {
        csEndpoint: fake.url,
        credentialSource: 'headers',
        // Server keys that must never be used in header mode.
        alibabaAccessKeyId: 'LTAI5tSERVERKEY',
        alibabaAccessKeySecret: 'server-secret-never-used',
      },
    });
    try {
      const clients = await Promise.all(
        Array.from({ length: SESSIONS }, (_, i) =>
          http.connect({
            headers: {
              'x-aliyun-access-key-id': keyOf(i).accessKeyId,
              'x-aliyun-access-key-secret': keyOf(i).accessKeySecret,
              ...(i % 2 ? { 'x-aliyun-security-token': `sts-token-of-session-${i}` } : {}),
            },
          }),
        ),
      );
      const outcomes = await Promise.all(
        clients.map((client, i) =>
          callTool(client, 'list_cluster_nodes', { cluster_id: PROD_CLUSTER_ID, page_size: 1 + (i % 5) }).then(
            (out) => ({ i, out }),
          ),
        ),
      );
      for (const { out } of outcomes) expect(out.isError, out.text).toBe(false);
      expect(fake.requests).toHaveLength(SESSIONS);
      for (const request of fake.requests) {
        expect(request.signature.ok, request.signature.ok ? '' : request.signature.reason).toBe(true);
        const i = Number(request.accessKeyId?.slice(-4));
        // Each session asked for its own page size: the key that signed is the session's own.
        expect(request.query.pageSize).toBe(String(1 + (i % 5)));
        expect(request.headers['x-acs-security-token']).toBe(i % 2 ? `sts-token-of-session-${i}` : undefined);
      }
      expect(new Set(fake.requests.map((r) => r.accessKeyId)).size).toBe(SESSIONS);
      for (const { out } of outcomes) {
        expect(out.text).not.toContain('session-secret');
        expect(out.text).not.toContain('sts-token-of-session');
      }

      fake.clearRequests();
      const bare = await http.connect();
      const refused = await callTool(bare, 'list_clusters').then(
        (out) => out.text,
        (error: Error) => error.message,
      );
      expect(refused).toContain('CREDENTIALS_MISSING');
      expect(fake.requests).toHaveLength(0);
      await Promise.all([...clients, bare].map((c) => c.close()));
    } finally {
      await http.close();
    }
  }, 60_000);
});
