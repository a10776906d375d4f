import { createClusterDiagnosis } from './clusters/create-cluster-diagnosis.js';
import { describeCluster } from './clusters/describe-cluster.js';
import { describeTaskInfo } from './clusters/describe-task-info.js';
import { diagnoseResource } from './clusters/diagnose-resource.js';
import { getClusterDiagnosisResult } from './clusters/get-cluster-diagnosis-result.js';
import { listClusterNodepools } from './clusters/list-cluster-nodepools.js';
import { listClusterNodes } from './clusters/list-cluster-nodes.js';
import { listClusterTasks } from './clusters/list-cluster-tasks.js';
import { listClusters } from './clusters/list-clusters.js';
import { queryInspectReport } from './clusters/query-inspect-report.js';
import { removeNodepoolNodes } from './clusters/remove-nodepool-nodes.js';
import { scaleNodepool } from './clusters/scale-nodepool.js';
import { diagnoseWorkload } from './diagnose-workload.js';
import { kubectl, kubectlWrite } from './kubectl.js';
import { cmsExecutePromqlQuery } from './observability/cms-execute-promql-query.js';
import { cmsTranslateTextToPromql } from './observability/cms-translate-text-to-promql.js';
import { getCurrentTime } from './observability/get-current-time.js';
import { investigateIncident } from './observability/investigate-incident.js';
import { queryAuditLog } from './observability/query-audit-log.js';
import { queryControlplaneLogs } from './observability/query-controlplane-logs.js';
import { queryPrometheus } from './observability/query-prometheus.js';
import { queryPrometheusMetricGuidance } from './observability/query-prometheus-metric-guidance.js';
import { slsDiagnoseQuery } from './observability/sls-diagnose-query.js';
import { slsExecuteSqlQuery } from './observability/sls-execute-sql-query.js';
import { slsTranslateTextToSqlQuery } from './observability/sls-translate-text-to-sql-query.js';

/** Every ACK tool; the write and destructive ones are listed only with --allow-write. */
export const ackTools = [
  listClusters,
  describeCluster,
  listClusterNodepools,
  listClusterNodes,
  listClusterTasks,
  describeTaskInfo,
  getClusterDiagnosisResult,
  createClusterDiagnosis,
  diagnoseResource,
  diagnoseWorkload,
  queryInspectReport,
  scaleNodepool,
  removeNodepoolNodes,
  kubectl,
  kubectlWrite,
  queryPrometheus,
  queryPrometheusMetricGuidance,
  cmsExecutePromqlQuery,
  cmsTranslateTextToPromql,
  slsExecuteSqlQuery,
  slsTranslateTextToSqlQuery,
  slsDiagnoseQuery,
  queryAuditLog,
  queryControlplaneLogs,
  getCurrentTime,
  investigateIncident,
] as const;
