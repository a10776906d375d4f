import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, NodepoolId, nodePoolRow, requireId, str, waitingToolTimeoutMs } from './common.js';
import { TaskInfo, waitForTask } from './task.js';

export const scaleNodepool = ackTool({
  name: 'scale_nodepool',
  title: 'Add nodes to a node pool',
  description:
    'Scales a node pool out by `count` nodes (count is the number to ADD, not the new size) and returns the CS task id. ' +
    'Asks for confirmation showing the current and resulting size. With wait=true it follows the task until it ' +
    'settles (up to DIAGNOSE_TIMEOUT, with progress). To remove nodes use remove_nodepool_nodes.',
  access: 'write',
  // It may wait up to DIAGNOSE_TIMEOUT for the operation it started.
  timeoutMs: waitingToolTimeoutMs,
  idempotent: false,
  input: z.object({
    cluster_id: ClusterId,
    nodepool_id: NodepoolId,
    count: z.number().int().min(1).max(500).describe('Nodes to add (1–500)'),
    wait: z.boolean().default(false).describe('Wait for the scale-out task to finish'),
  }),
  output: z.object({
    cluster_id: z.string(),
    nodepool_id: z.string(),
    count: z.number(),
    task_id: z.string(),
    request_id: z.string().nullable(),
    task: TaskInfo.nullable().describe('The task as it settled, with wait=true'),
  }),
  async confirm({ cluster_id, nodepool_id, count }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    const pool = nodePoolRow(await api.describeClusterNodePoolDetail(cluster_id, nodepool_id));
    const current = pool.desired_size ?? pool.total_nodes;
    const warnings: string[] = [];
    if (pool.auto_scaling) warnings.push('Auto scaling is on for this pool: the autoscaler may scale it back in.');
    if (pool.state && pool.state !== 'active') warnings.push(`The pool is ${pool.state}, not active.`);
    warnings.push('New ECS instances are billed from the moment they are created.');
    return {
      message: `Add ${count} node${count === 1 ? '' : 's'} to node pool ${pool.name ?? nodepool_id} of cluster ${cluster_id}${
        current === null ? '' : `: ${current} → ${current + count}`
      }.`,
      details: {
        cluster_id,
        nodepool_id,
        nodepool_name: pool.name,
        current_size: current,
        resulting_size: current === null ? null : current + count,
        nodes_added: count,
        instance_types: pool.instance_types.join(', ') || null,
      },
      warnings,
    };
  },
  async handler({ cluster_id, nodepool_id, count, wait }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    const answer = await api.scaleClusterNodePool(cluster_id, nodepool_id, count);
    const taskId = requireId(answer.task_id, 'ScaleClusterNodePool', 'task_id');
    const task = wait ? await waitForTask(api, taskId, ctx) : null;
    return { cluster_id, nodepool_id, count, task_id: taskId, request_id: str(answer.request_id), task };
  },
});
