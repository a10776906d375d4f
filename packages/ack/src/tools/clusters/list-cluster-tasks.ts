import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import type { CsTaskSummary } from '../../cs/types.js';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, InstanceId, NodepoolId, num, str } from './common.js';
import { parseTimeText, TIME_TEXT_PATTERN } from './time.js';

export const TASK_STATES = [
  'running',
  'pausing',
  'paused',
  'resuming',
  'cancelling',
  'canceled',
  'success',
  'fail',
  'failed',
] as const;

export const TASK_TYPES = [
  'nodepool_create',
  'nodepool_delete',
  'nodepool_update',
  'nodepool_scaleout',
  'nodepool_scalein',
  'nodepool_node_attach',
  'nodepool_node_remove',
  'nodepool_upgrade',
  'nodepool_cve_fix',
  'nodepool_node_os_config_rollout',
  'nodepool_node_kubelet_config_rollout',
  'nodepool_node_containerd_config_rollout',
] as const;

const TimeText = z.string().regex(TIME_TEXT_PATTERN, 'use ISO 8601, now, or an age such as 30m, 1h, 2d');

const TaskRow = z.object({
  task_id: z.string().nullable(),
  task_type: z.string().nullable(),
  state: z.string().nullable(),
  created: z.string().nullable(),
  updated: z.string().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
});

function taskRow(task: CsTaskSummary) {
  const code = str(task.error?.code);
  const message = str(task.error?.message);
  return {
    task_id: str(task.task_id),
    task_type: str(task.task_type),
    state: str(task.state),
    created: str(task.created),
    updated: str(task.updated),
    error: code || message ? { code, message } : null,
  };
}

export const listClusterTasks = ackTool({
  name: 'list_cluster_tasks',
  title: 'List the tasks of a cluster',
  description:
    'Node pool tasks of an ACK cluster (scale-out, node removal, upgrades, config rollouts …), newest first, by node ' +
    'pool, instance, state, type and time. Read one in full with describe_task_info.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    nodepool_id: NodepoolId.optional().describe('Only tasks of this node pool'),
    instance_id: InstanceId.optional().describe('Only tasks that name this instance (or its node)'),
    state: z.enum(TASK_STATES).optional().describe('Only tasks in this state (fail also finds failed)'),
    task_type: z.enum(TASK_TYPES).optional().describe('Only tasks of this type'),
    page_number: z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1'),
    page_size: z.number().int().min(1).max(100).default(10).describe('Tasks per page (1–100)'),
    start_time: TimeText.optional().describe('Only tasks created at or after this (ISO 8601, now, or 30m/1h/2d ago)'),
    end_time: TimeText.optional().describe('Only tasks created at or before this'),
  }),
  output: z.object({
    tasks: z.array(TaskRow),
    page_number: z.number(),
    page_size: z.number(),
    total_count: z.number().nullable().describe('Tasks CS counted before the instance and time filters'),
  }),
  async handler(args, ctx) {
    const now = Date.now();
    const from = args.start_time ? parseTimeText(args.start_time, 'start_time', now) : undefined;
    const to = args.end_time ? parseTimeText(args.end_time, 'end_time', now) : undefined;
    if (from !== undefined && to !== undefined && from > to) {
      throw new OpsError('INVALID_ARGUMENT', 'start_time is after end_time.');
    }
    const api = await csForCluster(ctx, args.cluster_id);
    const page = (state: string | undefined) =>
      api.describeClusterTasks(args.cluster_id, {
        page_number: args.page_number,
        page_size: args.page_size,
        state,
        type: args.task_type,
        target_id: args.nodepool_id,
      });
    // CS spells a failed task both ways.
    const answers = await Promise.all(
      args.state === 'fail' || args.state === 'failed' ? [page('fail'), page('failed')] : [page(args.state)],
    );
    const seen = new Set<string>();
    let tasks = answers
      .flatMap((a) => a.tasks ?? [])
      .filter((t) => {
        const id = str(t.task_id);
        if (id === null) return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });

    if (args.instance_id) {
      // Tasks name a node by instance id or by node name; look the name up once.
      const nodes = await api.describeClusterNodes(args.cluster_id, {
        instanceIds: [args.instance_id],
        pageNumber: 1,
        pageSize: 1,
      });
      const nodeName = str(nodes.nodes?.find((n) => n.instance_id === args.instance_id)?.node_name);
      const needles = [args.instance_id, ...(nodeName ? [nodeName] : [])];
      tasks = tasks.filter((t) => {
        const text = JSON.stringify(t);
        return needles.some((needle) => text.includes(needle));
      });
    }
    if (from !== undefined || to !== undefined) {
      tasks = tasks.filter((t) => {
        const created = Date.parse(String(t.created ?? ''));
        if (Number.isNaN(created)) return false;
        return (from === undefined || created >= from) && (to === undefined || created <= to);
      });
    }
    tasks.sort((a, b) => (Date.parse(String(b.created ?? '')) || 0) - (Date.parse(String(a.created ?? '')) || 0));
    const total = answers.reduce<number | null>((n, a) => {
      const count = num(a.page_info?.total_count);
      return count === null ? n : (n ?? 0) + count;
    }, null);
    return {
      tasks: tasks.slice(0, args.page_size).map(taskRow),
      page_number: args.page_number,
      page_size: args.page_size,
      total_count: total,
    };
  },
});
