import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, requireId, waitingToolTimeoutMs } from './common.js';
import { DiagnosisResult, type DiagnosisType, TARGET_SHAPES, targetProblem, waitForDiagnosis } from './diagnosis.js';

const RESOURCE_TYPES = [
  'node',
  'pod',
  'service',
  'network',
  'ingress',
  'memory',
] as const satisfies readonly DiagnosisType[];

/** The target as an object: given as one, or as JSON text (the original server took text). */
function targetObject(value: string | Record<string, unknown>): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export const diagnoseResource = ackTool({
  name: 'diagnose_resource',
  title: 'Diagnose a resource and wait for the findings',
  description:
    "Runs ACK's built-in diagnosis of a node, pod, service, network path, ingress URL or node memory and waits for " +
    'the findings (up to DIAGNOSE_TIMEOUT, with progress). resource_target is an object or its JSON text: ' +
    RESOURCE_TYPES.map((type) => `${type} ${TARGET_SHAPES[type]}`).join('; ') +
    '. On timeout the diagnosis keeps running: read it later with get_cluster_diagnosis_result.',
  access: 'write',
  // It may wait up to DIAGNOSE_TIMEOUT for the operation it started.
  timeoutMs: waitingToolTimeoutMs,
  idempotent: false,
  input: z
    .object({
      cluster_id: ClusterId,
      resource_type: z.enum(RESOURCE_TYPES).describe('What to diagnose'),
      resource_target: z
        .union([z.string().min(2).max(4096), z.record(z.string(), z.unknown())])
        .describe('The resource, as an object or JSON text, in the shape of resource_type'),
    })
    .superRefine((args, issue) => {
      const target = targetObject(args.resource_target);
      const problem =
        target === undefined
          ? `resource_target is not valid JSON; ${targetProblem(args.resource_type, null)}`
          : targetProblem(args.resource_type, target);
      if (problem) issue.addIssue({ code: 'custom', path: ['resource_target'], message: problem });
    }),
  output: DiagnosisResult.extend({ cluster_id: z.string() }),
  async handler({ cluster_id, resource_type, resource_target }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    const target = targetObject(resource_target) as Record<string, unknown>;
    const created = await api.createClusterDiagnosis(cluster_id, resource_type, target);
    const diagnosisId = requireId(created.diagnosis_id, 'CreateClusterDiagnosis', 'diagnosis_id');
    await ctx.progress(0, undefined, `diagnosis ${diagnosisId} started`);
    const result = await waitForDiagnosis(api, cluster_id, diagnosisId, ctx);
    return { cluster_id, ...result };
  },
});
