import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, TaskId } from './common.js';
import { TaskInfo, taskInfo } from './task.js';

export const describeTaskInfo = ackTool({
  name: 'describe_task_info',
  title: 'Describe a CS task',
  description:
    'One CS task in full (scale-out, node removal, upgrade …): state, current stage, stages with their messages, ' +
    'events, per-node results and the error when it failed.',
  access: 'read',
  input: z.object({
    task_id: TaskId,
    cluster_id: ClusterId.optional().describe(
      "The task's cluster, when known: the call then goes to the cluster's region",
    ),
  }),
  output: TaskInfo,
  async handler({ task_id, cluster_id }, ctx) {
    const api = cluster_id ? await csForCluster(ctx, cluster_id) : await ctx.clients.cs();
    return taskInfo(task_id, await api.describeTaskInfo(task_id));
  },
});
