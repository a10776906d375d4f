import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import type { CsApi } from '../../cs/client.js';
import type { CsNodePool } from '../../cs/types.js';
import type { AckToolContext } from '../context.js';

/** Cluster ids are `c` followed by 32 lowercase letters or digits. */
export const CLUSTER_ID_PATTERN = /^c[a-z0-9]{32}$/;
/** Node pool ids are `np` followed by 32 lowercase letters or digits. */
export const NODEPOOL_ID_PATTERN = /^np[a-z0-9]{32}$/;
/** ECS instance ids, e.g. i-bp1c4x7v2n9m3k8j5h6g. */
export const INSTANCE_ID_PATTERN = /^i-[a-z0-9]{6,40}$/;

export const ClusterId = z
  .string()
  .regex(
    CLUSTER_ID_PATTERN,
    'a cluster id is "c" followed by 32 lowercase letters or digits (list_clusters shows them)',
  )
  .describe('ACK cluster id: "c" + 32 lowercase letters or digits');

export const NodepoolId = z
  .string()
  .regex(
    NODEPOOL_ID_PATTERN,
    'a node pool id is "np" followed by 32 lowercase letters or digits (list_cluster_nodepools shows them)',
  )
  .describe('Node pool id: "np" + 32 lowercase letters or digits');

export const InstanceId = z
  .string()
  .regex(INSTANCE_ID_PATTERN, 'an ECS instance id looks like i-bp1c4x7v2n9m3k8j5h6g (list_cluster_nodes shows them)')
  .describe('ECS instance id of a node, e.g. i-bp1c4x7v2n9m3k8j5h6g');

export const TaskId = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,100}$/,
    'a task id is 1–100 letters, digits, ".", "_" or "-", e.g. T-6751c2e9a8f1b20a3c000041',
  )
  .describe('CS task id, e.g. T-6751c2e9a8f1b20a3c000041 (returned by write tools and list_cluster_tasks)');

export const DiagnosisId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a diagnosis id is 1–64 letters, digits or "-" (returned by create_cluster_diagnosis)')
  .describe('Diagnosis id returned by create_cluster_diagnosis');

export const ApiServerEndpoints = z.object({
  api_server_endpoint: z.string().nullable().describe('Public API server URL (null when the cluster has none)'),
  intranet_api_server_endpoint: z.string().nullable().describe('VPC API server URL'),
});
export type ApiServerEndpoints = z.infer<typeof ApiServerEndpoints>;

/** `master_url` is JSON text; an empty or unreadable one yields nulls. */
export function parseMasterUrl(text: unknown): ApiServerEndpoints {
  const none = { api_server_endpoint: null, intranet_api_server_endpoint: null };
  if (typeof text !== 'string' || !text.trim()) return none;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    return {
      api_server_endpoint: pick(parsed.api_server_endpoint),
      intranet_api_server_endpoint: pick(parsed.intranet_api_server_endpoint),
    };
  } catch {
    return none;
  }
}

/** Text of a value or null. */
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** Number of a value or null (0 is a value). */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const NodePoolRow = z.object({
  nodepool_id: z.string().nullable(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  is_default: z.boolean().nullable(),
  state: z.string().nullable().describe('active, scaling, removing, updating, deleting, failed …'),
  total_nodes: z.number().nullable(),
  healthy_nodes: z.number().nullable(),
  failed_nodes: z.number().nullable(),
  desired_size: z.number().nullable().describe('Nodes the pool is asked to have'),
  instance_types: z.array(z.string()),
  auto_scaling: z.boolean().nullable(),
  created: z.string().nullable(),
  updated: z.string().nullable(),
  region_id: z.string().nullable(),
});
export type NodePoolRow = z.infer<typeof NodePoolRow>;

export function nodePoolRow(pool: CsNodePool): NodePoolRow {
  const info = pool.nodepool_info ?? {};
  const status = pool.status ?? {};
  return {
    nodepool_id: str(info.nodepool_id),
    name: str(info.name),
    type: str(info.type),
    is_default: typeof info.is_default === 'boolean' ? info.is_default : null,
    state: str(status.state),
    total_nodes: num(status.total_nodes),
    healthy_nodes: num(status.healthy_nodes),
    failed_nodes: num(status.failed_nodes),
    desired_size: num(pool.scaling_group?.desired_size),
    instance_types: Array.isArray(pool.scaling_group?.instance_types)
      ? pool.scaling_group.instance_types.filter((t): t is string => typeof t === 'string')
      : [],
    auto_scaling: typeof pool.auto_scaling?.enable === 'boolean' ? pool.auto_scaling.enable : null,
    created: str(info.created),
    updated: str(info.updated),
    region_id: str(info.region_id),
  };
}

const CLUSTER_REGION_TTL_MS = 30 * 60_000;

/**
 * The CS API for calls about one cluster, in that cluster's region. With a fixed endpoint
 * (ACK_CS_ENDPOINT) the region picks nothing, so no lookup is made; otherwise the cluster's
 * region is read once (DescribeClusterDetail) and remembered for half an hour.
 */
export async function csForCluster(ctx: AckToolContext, clusterId: string): Promise<CsApi> {
  const api = await ctx.clients.cs();
  if (ctx.settings.csEndpoint) return api;
  const region = await ctx.cache(
    ['cluster-region', clusterId],
    async () => str((await api.describeClusterDetail(clusterId)).region_id) ?? api.region,
    { ttlMs: CLUSTER_REGION_TTL_MS },
  );
  return region === api.region ? api : ctx.clients.cs(region);
}

/** Remembers a cluster's region seen in an answer, so its next calls need no lookup. */
export async function rememberClusterRegion(ctx: AckToolContext, clusterId: string, region: unknown): Promise<void> {
  const known = str(region);
  if (ctx.settings.csEndpoint || known === null) return;
  await ctx.cache(['cluster-region', clusterId], () => known, { ttlMs: CLUSTER_REGION_TTL_MS });
}

/** Seconds as milliseconds, for settings given in seconds. */
export const seconds = (s: number) => s * 1000;

/** Time kept back from the tool's own time limit to answer with the id to check later. */
const ANSWER_MARGIN_MS = 5000;

/**
 * The time limit of a tool that waits for an operation (a diagnosis, an inspection, a task):
 * DIAGNOSE_TIMEOUT, plus room for the calls before the wait and for the answer.
 */
export const waitingToolTimeoutMs = (settings: { diagnoseTimeout: number }) =>
  seconds(settings.diagnoseTimeout) + 30_000;

/**
 * How long a tool may still wait for an operation: DIAGNOSE_TIMEOUT, but never past the call's
 * own deadline (counted from its start, a confirmation included), so that a long wait ends with
 * a TIMEOUT that names the operation to check later rather than a bare cut-off.
 */
export function waitBudgetMs(ctx: AckToolContext): number {
  const toolLeft = ctx.deadline - ANSWER_MARGIN_MS - Date.now();
  return Math.max(0, Math.min(seconds(ctx.settings.diagnoseTimeout), toolLeft));
}

/** An id a write must return; without it the outcome is unknown, which is an upstream fault, not a success. */
export function requireId(value: unknown, action: string, field: string): string {
  const id = str(value);
  if (id === null) {
    throw new OpsError('UPSTREAM_ERROR', `CS ${action} answered without ${field}; whether it started is unknown.`, {
      retryable: false,
      hint: 'List the cluster tasks (or read the resource) before trying again.',
    });
  }
  return id;
}
