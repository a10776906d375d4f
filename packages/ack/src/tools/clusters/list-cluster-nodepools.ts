import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, NodePoolRow, NodepoolId, nodePoolRow } from './common.js';

export const listClusterNodepools = ackTool({
  name: 'list_cluster_nodepools',
  title: 'List the node pools of a cluster',
  description:
    'Node pools of an ACK cluster (or one pool): id, name, state, total/healthy/failed nodes, desired size, instance ' +
    'types and auto scaling. Paged here, 1–100 per page.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    nodepool_id: NodepoolId.optional().describe('Only this node pool'),
    page_number: z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1'),
    page_size: z.number().int().min(1).max(100).default(10).describe('Node pools per page (1–100)'),
  }),
  output: z.object({
    nodepools: z.array(NodePoolRow),
    page_number: z.number(),
    page_size: z.number(),
    total_count: z.number(),
  }),
  async handler({ cluster_id, nodepool_id, page_number, page_size }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    const rows = nodepool_id
      ? [nodePoolRow(await api.describeClusterNodePoolDetail(cluster_id, nodepool_id))]
      : ((await api.describeClusterNodePools(cluster_id)).nodepools?.map(nodePoolRow) ?? []);
    const start = (page_number - 1) * page_size;
    return { nodepools: rows.slice(start, start + page_size), page_number, page_size, total_count: rows.length };
  },
});
