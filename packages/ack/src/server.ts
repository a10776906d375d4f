import { alibabaProvider, ConfigError, defineServer, OpsError, readToolListings } from '@opsmcp/core';
import packageJson from '../package.json' with { type: 'json' };
import { createAckClients } from './clients.js';
import { parseCsEndpoint } from './cs/endpoint.js';
import { buildCsApi } from './cs/open.js';
import { parseEndpointSetting } from './observability/endpoint.js';
import { checkPrometheusSettings } from './observability/prometheus.js';
import { ackSettings } from './settings.js';
import { ackTools } from './tools/index.js';

const instructions = `Operates Alibaba Cloud ACK (Container Service for Kubernetes) clusters: the CS API, the clusters' Kubernetes API, and their logs (SLS) and metrics (Prometheus).

Clusters (CS API): list_clusters gives cluster ids; describe_cluster shows one cluster's state, version, endpoints, network and node pools; list_cluster_nodepools and list_cluster_nodes show pools and nodes; list_cluster_tasks and describe_task_info show what CS did and why a task failed; get_cluster_diagnosis_result reads a diagnosis.
Kubernetes: kubectl runs one read-only kubectl command (get, describe, logs, events, top, explain, rollout status|history; secrets masked). diagnose_workload checks a Deployment, StatefulSet, DaemonSet, Job or Pod and its pods, events and recent logs, and names the likely causes.
Logs and metrics: query_prometheus runs PromQL against the cluster's Prometheus (ARMS or configured) and query_prometheus_metric_guidance suggests metrics and queries for a question; cms_execute_promql_query and cms_translate_text_to_promql query and write PromQL through Cloud Monitor; sls_execute_sql_query, sls_translate_text_to_sql_query and sls_diagnose_query search the cluster's SLS logs; query_audit_log searches the API-server audit log (who changed or deleted what); query_controlplane_logs reads apiserver, kcm or scheduler logs; get_current_time gives the time to anchor time ranges; investigate_incident collects events, audit entries, control-plane logs and metrics around a workload into one timeline.
Write tools, present only when the server allows writes: kubectl_write (apply, create, scale, rollout restart|undo, label, annotate, patch, cordon, uncordon, delete, drain; shows a plan and asks for confirmation), scale_nodepool (adds nodes; asks for confirmation), remove_nodepool_nodes (asks for confirmation naming every node), create_cluster_diagnosis and diagnose_resource (ACK's built-in diagnosis; diagnose_resource waits for the findings), query_inspect_report (runs a cluster inspection and waits for its report).
Cluster ids are "c" + 32 lowercase letters or digits; node pool ids "np" + 32. Long operations report progress and, past DIAGNOSE_TIMEOUT, answer TIMEOUT with the id to check later; the operation keeps running.`;

/** Checks an endpoint setting at startup; the error names the setting. */
function checkEndpointSetting(value: string | undefined, settingName: string, parse: (text: string) => unknown): void {
  if (!value) return;
  try {
    parse(value);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : `${settingName} is not a valid endpoint.`);
  }
}

export const ackServer = defineServer({
  name: 'ack',
  packageName: '@opsmcp/ack',
  version: packageJson.version,
  title: 'Alibaba Cloud ACK',
  instructions,
  settings: ackSettings,
  // The original ack-mcp-server's variable names keep working.
  coreSettings: {
    port: { env: ['HTTP_PORT'] },
    apiKey: { env: ['MCP_AUTH_TOKEN'] },
    allowedOrigins: { env: ['ALLOWED_ORIGINS'] },
  },
  // Header mode: every HTTP request brings its own X-Aliyun-* keys, never falling back to the server's.
  credentials: { providers: [alibabaProvider], perRequest: (settings) => settings.credentialSource === 'headers' },
  tools: ackTools,
  // Written by the build next to the dist files; from sources the runtime derives them.
  listings: () => readToolListings(import.meta.url),

  createContext: (init) => createAckClients(init),

  validate(settings) {
    checkEndpointSetting(settings.csEndpoint, 'ACK_CS_ENDPOINT', parseCsEndpoint);
    checkEndpointSetting(settings.slsEndpoint, 'ACK_SLS_ENDPOINT', (v) => parseEndpointSetting(v, 'ACK_SLS_ENDPOINT'));
    checkEndpointSetting(settings.armsEndpoint, 'ACK_ARMS_ENDPOINT', (v) =>
      parseEndpointSetting(v, 'ACK_ARMS_ENDPOINT'),
    );
    checkEndpointSetting(settings.stsEndpoint, 'ACK_STS_ENDPOINT', (v) => parseEndpointSetting(v, 'ACK_STS_ENDPOINT'));
    try {
      checkPrometheusSettings(settings);
    } catch (error) {
      throw new ConfigError(error instanceof Error ? error.message : String(error));
    }
  },

  async check(settings, log) {
    const endpoint = settings.csEndpoint ? parseCsEndpoint(settings.csEndpoint) : undefined;
    const lines = [
      `CS endpoint ${endpoint ? `${endpoint.protocol}://${endpoint.host}` : `cs.${settings.region}.aliyuncs.com`}, region ${settings.region}`,
    ];
    if (settings.credentialSource === 'headers') {
      lines.push('credentials come from each HTTP request (X-Aliyun-* headers): nothing to check without a request');
      return { ok: true, lines };
    }
    try {
      const credentials = await alibabaProvider.fromEnv(settings);
      lines.push(
        credentials.kind === 'access_key'
          ? `credentials: access key ${credentials.accessKeyId.slice(0, 6)}…${credentials.securityToken ? ' with STS token' : ''}`
          : 'credentials: the default credential chain',
      );
      const api = await buildCsApi({ credentials, settings, log, maxRetries: 0 });
      const answer = await api.describeClustersV1({ page_number: 1, page_size: 1 });
      const total = answer.page_info?.total_count;
      lines.push(`DescribeClustersV1 ok: ${typeof total === 'number' ? `${total} cluster(s) visible` : 'answered'}`);
      return { ok: true, lines };
    } catch (error) {
      const e = error instanceof OpsError ? error : new OpsError('INTERNAL', String(error));
      const requestId = e.upstream?.requestId ? ` (request id ${e.upstream.requestId})` : '';
      lines.push(`DescribeClustersV1 failed: ${e.code}: ${e.message}${requestId}${e.hint ? ` (${e.hint})` : ''}`);
      return { ok: false, lines };
    }
  },

  // The simulated CS endpoint and its data load only when --sandbox asks for them.
  sandbox: async (_settings, log) => (await import('./sandbox/index.js')).startSandbox(log),

  health: (settings) => ({ region: settings.region, credentialSource: settings.credentialSource }),
});
