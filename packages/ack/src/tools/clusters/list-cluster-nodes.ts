import { z } from 'zod';
import type { CsNode } from '../../cs/types.js';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, InstanceId, NodepoolId, num, str } from './common.js';

export const NODE_STATES = ['all', 'running', 'removing', 'initial', 'failed'] as const;

export const NodeRow = z.object({
  instance_id: z.string().nullable(),
  node_name: z.string().nullable(),
  host_name: z.string().nullable(),
  node_status: z.string().nullable().describe('Kubernetes readiness: Ready, NotReady, Unknown'),
  state: z.string().nullable().describe('CS lifecycle state: running, initial, removing, failed …'),
  ip_address: z.array(z.string()),
  nodepool_id: z.string().nullable(),
  instance_type: z.string().nullable(),
  instance_status: z.string().nullable().describe('ECS instance status: Running, Stopped …'),
  created: z.string().nullable(),
  error_message: z.string().nullable(),
});
export type NodeRow = z.infer<typeof NodeRow>;

export function nodeRow(node: CsNode): NodeRow {
  return {
    instance_id: str(node.instance_id),
    node_name: str(node.node_name),
    host_name: str(node.host_name),
    node_status: str(node.node_status),
    state: str(node.state),
    ip_address: Array.isArray(node.ip_address) ? node.ip_address.filter((ip) => typeof ip === 'string') : [],
    nodepool_id: str(node.nodepool_id),
    instance_type: str(node.instance_type),
    instance_status: str(node.instance_status),
    created: str(node.creation_time),
    error_message: str(node.error_message),
  };
}

export const listClusterNodes = ackTool({
  name: 'list_cluster_nodes',
  title: 'List the nodes of a cluster',
  description:
    'Nodes of an ACK cluster, optionally of one node pool, by instance ids, node names or state: instance id, node name, ' +
    'readiness, lifecycle state, IPs, pool, instance type and error message.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    nodepool_id: NodepoolId.optional().describe('Only nodes of this node pool'),
    instance_ids: z.array(InstanceId).min(1).max(100).optional().describe('Only these ECS instances (1–100)'),
    node_names: z
      .array(z.string().min(1).max(253))
      .min(1)
      .max(100)
      .optional()
      .describe('Only these Kubernetes node names (1–100), e.g. cn-hangzhou.172.16.0.45'),
    state: z.enum(NODE_STATES).default('all').describe('Only nodes in this CS state'),
    page_number: z.number().int().min(1).max(100_000).default(1).describe('Page number, from 1'),
    page_size: z.number().int().min(1).max(100).default(10).describe('Nodes per page (1–100)'),
  }),
  output: z.object({
    nodes: z.array(NodeRow),
    page_number: z.number(),
    page_size: z.number(),
    total_count: z.number().nullable().describe('Nodes matching the filters CS applied'),
  }),
  async handler(args, ctx) {
    const api = await csForCluster(ctx, args.cluster_id);
    const answer = await api.describeClusterNodes(args.cluster_id, {
      nodepoolId: args.nodepool_id,
      state: args.state,
      instanceIds: args.instance_ids,
      nodeNames: args.node_names,
      pageNumber: args.page_number,
      pageSize: args.page_size,
    });
    let nodes = (answer.nodes ?? []).map(nodeRow);
    // CS may ignore a filter it does not know; never return nodes that were not asked for.
    if (args.node_names) {
      const wanted = new Set(args.node_names);
      nodes = nodes.filter((n) => n.node_name !== null && wanted.has(n.node_name));
    }
    if (args.instance_ids) {
      const wanted = new Set(args.instance_ids);
      nodes = nodes.filter((n) => n.instance_id !== null && wanted.has(n.instance_id));
    }
    return {
      nodes,
      page_number: num(answer.page?.page_number) ?? args.page_number,
      page_size: num(answer.page?.page_size) ?? args.page_size,
      total_count: num(answer.page?.total_count),
    };
  },
});
