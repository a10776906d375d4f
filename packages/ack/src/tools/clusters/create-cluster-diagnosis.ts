import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, requireId, str } from './common.js';
import { DIAGNOSIS_TYPES, DiagnosisTarget, TARGET_SHAPES, targetProblem } from './diagnosis.js';

export const createClusterDiagnosis = ackTool({
  name: 'create_cluster_diagnosis',
  title: 'Start a cluster diagnosis',
  description:
    "Starts ACK's built-in diagnosis of a cluster, node, pod, service, network path, ingress URL or node memory, and " +
    'returns its diagnosis_id at once; read the findings with get_cluster_diagnosis_result (or use diagnose_resource, ' +
    `which waits). Targets: ${Object.entries(TARGET_SHAPES)
      .map(([type, shape]) => `${type} ${shape}`)
      .join('; ')}.`,
  access: 'write',
  idempotent: false,
  input: z
    .object({
      cluster_id: ClusterId,
      diagnosis_type: z.enum(DIAGNOSIS_TYPES).default('cluster').describe('What to diagnose'),
      target: DiagnosisTarget.optional().describe('What exactly, in the shape of diagnosis_type (null for cluster)'),
    })
    .superRefine((args, issue) => {
      const problem = targetProblem(args.diagnosis_type, args.target);
      if (problem) issue.addIssue({ code: 'custom', path: ['target'], message: problem });
    }),
  output: z.object({
    cluster_id: z.string(),
    diagnosis_id: z.string(),
    diagnosis_type: z.string(),
    request_id: z.string().nullable(),
  }),
  format: (o) =>
    `Diagnosis ${o.diagnosis_id} (${o.diagnosis_type}) started on ${o.cluster_id}. Read it with get_cluster_diagnosis_result in a minute or two.`,
  async handler({ cluster_id, diagnosis_type, target }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    const answer = await api.createClusterDiagnosis(
      cluster_id,
      diagnosis_type,
      diagnosis_type === 'cluster' || !target ? undefined : (target as Record<string, unknown>),
    );
    return {
      cluster_id,
      diagnosis_id: requireId(answer.diagnosis_id, 'CreateClusterDiagnosis', 'diagnosis_id'),
      diagnosis_type,
      request_id: str(answer.request_id),
    };
  },
});
