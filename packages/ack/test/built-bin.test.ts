/**
 * The built bin against its own sandbox, every tool: the published package loads its backend SDKs
 * from dist/vendor/, which keeps only what the sources name, while the other tests run the sources
 * against the installed SDKs. A tool whose vendored SDK lacks a method, model or export it reaches
 * at run time passes those tests and fails here.
 */
import { fileURLToPath } from 'node:url';
import { callEveryTool, type PlannedToolCall, type SpawnedServer, spawnBin } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentQueries } from '../src/observability/metric-guidance.js';
import { PROD_CLUSTER_ID, PROD_DEFAULT_POOL_ID, PROD_DIAGNOSIS_ID, PROD_GPU_POOL_ID } from '../src/sandbox/cs-data.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const CHECKOUT = incidentQueries('shop', 'checkout.*');

/**
 * One call per tool, with arguments the sandbox answers; the write and destructive tools carry
 * their confirmation so their SDK calls run. Calls run in this order, in one server: the writes
 * come after the reads of the same node pools.
 */
const CALLS: Record<string, PlannedToolCall> = {
  get_current_time: { args: {} },
  list_clusters: { args: { page_size: 500 } },
  describe_cluster: { args: { cluster_id: PROD_CLUSTER_ID } },
  list_cluster_nodepools: { args: { cluster_id: PROD_CLUSTER_ID } },
  list_cluster_nodes: { args: { cluster_id: PROD_CLUSTER_ID, page_size: 100 } },
  list_cluster_tasks: { args: { cluster_id: PROD_CLUSTER_ID } },
  describe_task_info: { args: { task_id: 'T-6751d0a1b2c3d40a3c000052' } },
  get_cluster_diagnosis_result: { args: { cluster_id: PROD_CLUSTER_ID, diagnosis_id: PROD_DIAGNOSIS_ID } },
  create_cluster_diagnosis: {
    args: { cluster_id: PROD_CLUSTER_ID, diagnosis_type: 'pod', target: { namespace: 'shop', name: 'checkout' } },
  },
  diagnose_resource: {
    args: { cluster_id: PROD_CLUSTER_ID, resource_type: 'node', resource_target: { name: 'cn-hangzhou.172.16.0.45' } },
  },
  query_inspect_report: { args: { cluster_id: PROD_CLUSTER_ID } },
  diagnose_workload: { args: { cluster_id: PROD_CLUSTER_ID, namespace: 'shop', kind: 'deployment', name: 'checkout' } },
  kubectl: { args: { cluster_id: PROD_CLUSTER_ID, command: 'get pods -n shop -o wide' } },
  kubectl_write: {
    args: { cluster_id: PROD_CLUSTER_ID, command: 'scale deployment checkout -n shop --replicas=3', confirm: true },
  },
  query_prometheus: {
    args: { cluster_id: PROD_CLUSTER_ID, promql: CHECKOUT.memory_limit },
  },
  query_prometheus_metric_guidance: { args: { resource_label: 'pod', metric_category: 'memory' } },
  cms_execute_promql_query: {
    args: { cluster_id: PROD_CLUSTER_ID, query: CHECKOUT.memory_limit },
  },
  cms_translate_text_to_promql: { args: { cluster_id: PROD_CLUSTER_ID, text: 'memory of the checkout pods' } },
  sls_execute_sql_query: {
    args: { cluster_id: PROD_CLUSTER_ID, query: 'eventId.reason: OOMKilling', from_time: '3h' },
  },
  sls_translate_text_to_sql_query: { args: { cluster_id: PROD_CLUSTER_ID, text: 'warning events in shop' } },
  sls_diagnose_query: {
    args: {
      cluster_id: PROD_CLUSTER_ID,
      query: 'level: Warning | SELECT count(*) GROUP BY reason',
      error_message: 'line 1:40: Column reason cannot be resolved',
    },
  },
  query_audit_log: {
    args: {
      cluster_id: PROD_CLUSTER_ID,
      namespace: 'shop',
      resource_types: ['svc'],
      resource_name: 'coupons',
      verbs: ['delete'],
      start_time: '1h',
    },
  },
  query_controlplane_logs: {
    args: { cluster_id: PROD_CLUSTER_ID, component_name: 'apiserver', filter_pattern: 'coupons' },
  },
  investigate_incident: { args: { cluster_id: PROD_CLUSTER_ID, namespace: 'shop', name: 'coupons' } },
  scale_nodepool: {
    args: { cluster_id: PROD_CLUSTER_ID, nodepool_id: PROD_GPU_POOL_ID, count: 1, confirm: true },
  },
  remove_nodepool_nodes: {
    args: {
      cluster_id: PROD_CLUSTER_ID,
      nodepool_id: PROD_DEFAULT_POOL_ID,
      instance_ids: ['i-bp1q9w8e7r6t5y4u3i2o'],
      confirm: true,
    },
  },
};

describe('opsmcp-ack --sandbox --allow-write (the built bin, SDKs from dist/vendor/)', () => {
  let server: SpawnedServer;
  let listed: string[] = [];

  beforeAll(async () => {
    // Polling once a second (the least allowed) keeps diagnose_resource and query_inspect_report short.
    server = await spawnBin(BIN, { args: ['--sandbox', '--allow-write', '--diagnose-poll-interval', '1'] });
    listed = (await server.client.listTools()).tools.map((tool) => tool.name);
  }, 15_000);

  afterAll(async () => {
    await server?.close();
  });

  it('has a call in the table for every tool the bin lists, and none for a tool it does not', () => {
    expect([...listed].sort()).toEqual(Object.keys(CALLS).sort());
  });

  it('the built bin runs every tool against the sandbox from its vendored SDKs', async () => {
    expect(await callEveryTool(server, CALLS)).toEqual([]);
  }, 60_000);
});
