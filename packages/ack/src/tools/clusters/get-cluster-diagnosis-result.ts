import { z } from 'zod';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, DiagnosisId } from './common.js';
import { DiagnosisResult, diagnosisResult } from './diagnosis.js';

export const getClusterDiagnosisResult = ackTool({
  name: 'get_cluster_diagnosis_result',
  title: 'Read a cluster diagnosis',
  description:
    'The state and findings of a diagnosis started with create_cluster_diagnosis: status (created, running, ' +
    'completed), whether it succeeded, and the result with each check item, its level and suggestion.',
  access: 'read',
  input: z.object({ cluster_id: ClusterId, diagnosis_id: DiagnosisId }),
  output: DiagnosisResult,
  async handler({ cluster_id, diagnosis_id }, ctx) {
    const api = await csForCluster(ctx, cluster_id);
    return diagnosisResult(diagnosis_id, await api.getClusterDiagnosisResult(cluster_id, diagnosis_id));
  },
});
