import { pollUntil } from '@opsmcp/core';
import { z } from 'zod';
import type { CsApi } from '../../cs/client.js';
import type { CsDiagnosisResult } from '../../cs/types.js';
import type { AckToolContext } from '../context.js';
import { num, seconds, str, waitBudgetMs } from './common.js';

export const DIAGNOSIS_TYPES = ['cluster', 'node', 'pod', 'network', 'ingress', 'memory', 'service'] as const;
export type DiagnosisType = (typeof DIAGNOSIS_TYPES)[number];

const name = z.string().min(1).max(253);
const namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name');

/** What each diagnosis type examines. */
export const DIAGNOSIS_TARGETS = {
  cluster: z.null(),
  node: z.object({ name: name.describe('Kubernetes node name') }).strict(),
  pod: z.object({ namespace, name: name.describe('Pod name') }).strict(),
  service: z.object({ namespace, name: name.describe('Service name') }).strict(),
  network: z
    .object({
      src: z.string().min(1).max(253).describe('Source IP address'),
      dst: z.string().min(1).max(253).describe('Destination IP address'),
      dport: z.union([z.number().int().min(1).max(65535), z.string().regex(/^\d{1,5}$/)]).describe('Destination port'),
      protocol: z.enum(['tcp', 'udp']).optional().describe('tcp (default) or udp'),
    })
    .strict(),
  ingress: z.object({ url: z.string().url().max(2048).describe('URL served through the Ingress') }).strict(),
  memory: z.object({ node: name.describe('Kubernetes node name whose memory to analyse') }).strict(),
} as const;

/** The target each diagnosis type takes, as shown in messages. */
export const TARGET_SHAPES: Record<DiagnosisType, string> = {
  cluster: 'null (or omitted)',
  node: '{"name": "<node name>"}',
  pod: '{"namespace": "<ns>", "name": "<pod>"}',
  service: '{"namespace": "<ns>", "name": "<service>"}',
  network: '{"src": "<ip>", "dst": "<ip>", "dport": <port>, "protocol"?: "tcp"|"udp"}',
  ingress: '{"url": "<url>"}',
  memory: '{"node": "<node name>"}',
};

/** The target schema for the input: any of the shapes; the type's own is checked by `targetProblem`. */
export const DiagnosisTarget = z
  .union([
    DIAGNOSIS_TARGETS.node,
    DIAGNOSIS_TARGETS.pod,
    DIAGNOSIS_TARGETS.network,
    DIAGNOSIS_TARGETS.ingress,
    DIAGNOSIS_TARGETS.memory,
  ])
  .nullable();

/** Why `target` does not fit `type`, or undefined when it does. */
export function targetProblem(type: DiagnosisType, target: unknown): string | undefined {
  const parsed = DIAGNOSIS_TARGETS[type].safeParse(type === 'cluster' ? (target ?? null) : target);
  if (parsed.success) return undefined;
  return `a ${type} diagnosis takes the target ${TARGET_SHAPES[type]}`;
}

export const DiagnosisResult = z.object({
  diagnosis_id: z.string(),
  type: z.string().nullable(),
  target: z.unknown().describe('What was diagnosed (parsed from the JSON text CS returns)'),
  status: z.number().nullable().describe('0 created, 1 running, 2 completed'),
  status_text: z.string(),
  code: z.number().nullable().describe('Once completed: 0 succeeded, 1 failed'),
  message: z.string().nullable(),
  created: z.string().nullable(),
  finished: z.string().nullable(),
  result: z.unknown().describe('The findings (parsed from the JSON text CS returns), null until completed'),
});
export type DiagnosisResult = z.infer<typeof DiagnosisResult>;

const STATUS_TEXT: Record<number, string> = { 0: 'created', 1: 'running', 2: 'completed' };

/** JSON text parsed, the text itself when it is not JSON, null when empty. */
function jsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (!value.trim()) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function diagnosisResult(diagnosisId: string, answer: CsDiagnosisResult): DiagnosisResult {
  // 0 is a status and a code, not a missing value.
  const status = num(answer.status);
  const code = num(answer.code);
  const statusText = status === null ? 'unknown' : (STATUS_TEXT[status] ?? `status ${status}`);
  return {
    diagnosis_id: str(answer.diagnosis_id) ?? diagnosisId,
    type: str(answer.type),
    target: jsonText(answer.target),
    status,
    status_text: status === 2 ? (code === 0 ? 'completed' : code === null ? 'completed' : 'failed') : statusText,
    code,
    message: str(answer.message),
    created: str(answer.created),
    finished: str(answer.finished),
    result: jsonText(answer.result),
  };
}

/** Polls a diagnosis until CS reports it completed (status 2) or the diagnose timeout passes. */
export function waitForDiagnosis(
  api: CsApi,
  clusterId: string,
  diagnosisId: string,
  ctx: AckToolContext,
): Promise<DiagnosisResult> {
  return pollUntil({
    what: `diagnosis ${diagnosisId} of cluster ${clusterId}`,
    check: async () => diagnosisResult(diagnosisId, await api.getClusterDiagnosisResult(clusterId, diagnosisId)),
    done: (d) => d.status === 2,
    intervalMs: seconds(ctx.settings.diagnosePollInterval),
    deadlineMs: waitBudgetMs(ctx),
    signal: ctx.signal,
    progress: (step, message) => ctx.progress(step, undefined, `diagnosis ${diagnosisId}: ${message}`),
    describe: (d) => d.status_text,
    lookupHint: `call get_cluster_diagnosis_result with cluster_id '${clusterId}' and diagnosis_id '${diagnosisId}'`,
  });
}
