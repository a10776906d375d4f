import { pollUntil } from '@opsmcp/core';
import { z } from 'zod';
import type { CsApi } from '../../cs/client.js';
import type { CsTaskInfo } from '../../cs/types.js';
import type { AckToolContext } from '../context.js';
import { seconds, str, waitBudgetMs } from './common.js';

export const TaskInfo = z.object({
  task_id: z.string(),
  cluster_id: z.string().nullable(),
  task_type: z.string().nullable(),
  state: z.string().nullable().describe('running, success, fail, paused, canceled …'),
  created: z.string().nullable(),
  updated: z.string().nullable(),
  current_stage: z.string().nullable(),
  target: z.object({ id: z.string().nullable(), type: z.string().nullable() }).nullable(),
  parameters: z.record(z.string(), z.unknown()),
  stages: z.array(
    z.object({
      state: z.string().nullable(),
      start_time: z.string().nullable(),
      end_time: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  events: z.array(z.record(z.string(), z.unknown())),
  task_result: z.array(z.object({ data: z.string().nullable(), status: z.string().nullable() })),
  error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
});
export type TaskInfo = z.infer<typeof TaskInfo>;

export function taskInfo(taskId: string, task: CsTaskInfo): TaskInfo {
  const errorCode = str(task.error?.code);
  const errorMessage = str(task.error?.message);
  const record = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return {
    task_id: str(task.task_id) ?? taskId,
    cluster_id: str(task.cluster_id),
    task_type: str(task.task_type),
    state: str(task.state),
    created: str(task.created),
    updated: str(task.updated),
    current_stage: str(task.current_stage),
    target: task.target ? { id: str(task.target.id), type: str(task.target.type) } : null,
    parameters: record(task.parameters),
    stages: (Array.isArray(task.stages) ? task.stages : []).map((s) => ({
      state: str(s?.state),
      start_time: str(s?.start_time),
      end_time: str(s?.end_time),
      message: str(s?.message),
    })),
    events: (Array.isArray(task.events) ? task.events : []).map(record),
    task_result: (Array.isArray(task.task_result) ? task.task_result : []).map((r) => ({
      data: str(r?.data),
      status: str(r?.status),
    })),
    error: errorCode || errorMessage ? { code: errorCode, message: errorMessage } : null,
  };
}

/** States after which a task changes no more by itself (paused waits for a person). */
const SETTLED_TASK_STATES = new Set(['success', 'fail', 'failed', 'canceled', 'cancelled', 'paused']);

export function taskSettled(task: TaskInfo): boolean {
  return task.state !== null && SETTLED_TASK_STATES.has(task.state.toLowerCase());
}

function taskStatus(task: TaskInfo): string {
  const stage = task.current_stage ? `, stage ${task.current_stage}` : '';
  const done = task.stages.filter((s) => s.state === 'success').length;
  const stages = task.stages.length ? `, ${done}/${task.stages.length} stages done` : '';
  return `${task.state ?? 'unknown'}${stage}${stages}`;
}

/** Follows a CS task until it settles or the wait budget is spent, reporting progress. */
export async function waitForTask(api: CsApi, taskId: string, ctx: AckToolContext): Promise<TaskInfo> {
  return pollUntil({
    what: `CS task ${taskId}`,
    check: async () => taskInfo(taskId, await api.describeTaskInfo(taskId)),
    done: taskSettled,
    intervalMs: seconds(ctx.settings.diagnosePollInterval),
    deadlineMs: waitBudgetMs(ctx),
    signal: ctx.signal,
    progress: (step, message) => ctx.progress(step, undefined, `task ${taskId}: ${message}`),
    describe: taskStatus,
    lookupHint: `call describe_task_info with task_id '${taskId}'`,
  });
}
