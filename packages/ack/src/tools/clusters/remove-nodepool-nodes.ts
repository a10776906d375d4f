import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, InstanceId, NodepoolId, requireId, str, waitingToolTimeoutMs } from './common.js';
import { TaskInfo, waitForTask } from './task.js';

export const removeNodepoolNodes = ackTool({
  name: 'remove_nodepool_nodes',
  title: 'Remove nodes from a node pool',
  description:
    'Removes nodes (by ECS instance id) from a node pool and lowers its desired size. By default the nodes are drained ' +
    'first and the ECS instances are kept (release_node=false); release_node=true also releases (deletes) pay-as-you-go ' +
    'instances. Asks for confirmation naming every node. Returns the CS task id; wait=true follows it until it settles.',
  access: 'destructive',
  // It may wait up to DIAGNOSE_TIMEOUT for the operation it started.
  timeoutMs: waitingToolTimeoutMs,
  idempotent: false,
  input: z.object({
    cluster_id: ClusterId,
    nodepool_id: NodepoolId,
    instance_ids: z
      .array(InstanceId)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'instance_ids lists an instance twice')
      .describe('ECS instance ids of the nodes to remove (1–100)'),
    release_node: z.boolean().default(false).describe('Also release (delete) the ECS instances'),
    drain_node: z.boolean().default(true).describe('Evict the pods before removing each node'),
    concurrency: z.boolean().default(false).describe('Remove the nodes concurrently rather than one by one'),
    wait: z.boolean().default(false).describe('Wait for the removal task to finish'),
  }),
  output: z.object({
    cluster_id: z.string(),
    nodepool_id: z.string(),
    instance_ids: z.array(z.string()),
    release_node: z.boolean(),
    drain_node: z.boolean(),
    task_id: z.string(),
    request_id: z.string().nullable(),
    task: TaskInfo.nullable().describe('The task as it settled, with wait=true'),
  }),
  async confirm(args, ctx) {
    const api = await csForCluster(ctx, args.cluster_id);
    const answer = await api.describeClusterNodes(args.cluster_id, {
      nodepoolId: args.nodepool_id,
      instanceIds: args.instance_ids,
      pageNumber: 1,
      pageSize: 100,
    });
    const names = new Map<string, string | null>();
    for (const node of answer.nodes ?? []) {
      if (node.instance_id && args.instance_ids.includes(node.instance_id) && node.nodepool_id === args.nodepool_id) {
        names.set(node.instance_id, str(node.node_name));
      }
    }
    const missing = args.instance_ids.filter((id) => !names.has(id));
    if (missing.length) {
      throw new OpsError(
        'RESOURCE_NOT_FOUND',
        `Not nodes of node pool ${args.nodepool_id} in cluster ${args.cluster_id}: ${missing.join(', ')}. Nothing was removed.`,
        { hint: 'list_cluster_nodes with the nodepool_id shows the instance ids of its nodes.' },
      );
    }
    const listed = args.instance_ids.map((id) => `${id} (${names.get(id) ?? 'no node name'})`).join(', ');
    const warnings: string[] = [];
    if (args.release_node) {
      warnings.push(
        'release_node=true: the ECS instances are RELEASED — their system and data disks are deleted and cannot be restored (subscription instances are only removed).',
      );
    }
    if (!args.drain_node)
      warnings.push('drain_node=false: the pods on these nodes are not evicted first; they stop abruptly.');
    if (args.concurrency) warnings.push('concurrency=true: the nodes are removed at the same time, not one by one.');
    return {
      message: `Remove ${args.instance_ids.length} node${args.instance_ids.length === 1 ? '' : 's'} from node pool ${args.nodepool_id} of cluster ${args.cluster_id}: ${listed}. The ECS instances are ${args.release_node ? 'released (deleted)' : 'kept'}.`,
      details: {
        cluster_id: args.cluster_id,
        nodepool_id: args.nodepool_id,
        nodes: listed,
        node_count: args.instance_ids.length,
        release_instances: args.release_node,
        drain_first: args.drain_node,
        concurrent: args.concurrency,
      },
      warnings,
    };
  },
  async handler(args, ctx) {
    const api = await csForCluster(ctx, args.cluster_id);
    const answer = await api.removeNodePoolNodes(args.cluster_id, args.nodepool_id, {
      instanceIds: args.instance_ids,
      releaseNode: args.release_node,
      drainNode: args.drain_node,
      concurrency: args.concurrency,
    });
    const taskId = requireId(answer.task_id, 'RemoveNodePoolNodes', 'task_id');
    const task = args.wait ? await waitForTask(api, taskId, ctx) : null;
    return {
      cluster_id: args.cluster_id,
      nodepool_id: args.nodepool_id,
      instance_ids: args.instance_ids,
      release_node: args.release_node,
      drain_node: args.drain_node,
      task_id: taskId,
      request_id: str(answer.request_id),
      task,
    };
  },
});
