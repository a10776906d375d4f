import { alibabaSettings, parse, setting } from '@opsmcp/core';
import { z } from 'zod';

const upperEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase().replace(/-/g, '_') : v), z.enum(values));
const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

export const KUBECONFIG_MODES = ['ACK_PUBLIC', 'ACK_PRIVATE', 'INCLUSTER', 'LOCAL'] as const;
export type KubeconfigMode = (typeof KUBECONFIG_MODES)[number];

export const PROMETHEUS_ENDPOINT_MODES = ['ARMS_PUBLIC', 'ARMS_PRIVATE', 'LOCAL'] as const;
export type PrometheusEndpointMode = (typeof PROMETHEUS_ENDPOINT_MODES)[number];

export const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * The ACK server's settings (with the Alibaba Cloud credential provider's). Env names include
 * those of the original ack-mcp-server, in both its generations. Durations the original takes
 * in seconds keep their seconds.
 */
export const ackSettings = {
  ...alibabaSettings,
  region: setting({
    schema: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().regex(REGION_PATTERN)),
    flag: 'region',
    env: ['REGION_ID', 'ALIBABA_CLOUD_REGION_ID', 'ALIYUN_REGION'],
    default: 'cn-hangzhou',
    description: "Region of the CS API calls that name no cluster (a cluster's own region is used for its calls)",
  }),
  credentialSource: setting({
    schema: lowerEnum(['env', 'headers'] as const),
    flag: 'credential-source',
    env: ['ACK_CREDENTIAL_SOURCE'],
    default: 'env' as 'env' | 'headers',
    valueName: 'env|headers',
    description:
      'env: the keys above or the default credential chain; headers: every HTTP request brings its own X-Aliyun-* keys (no fallback, not over stdio)',
  }),
  csEndpoint: setting({
    schema: parse.string(),
    flag: 'cs-endpoint',
    env: ['ACK_CS_ENDPOINT'],
    description: 'CS API endpoint (host, host:port or URL), e.g. a private endpoint; default cs.<region>.aliyuncs.com',
  }),
  apiTimeout: setting({
    schema: parse.integer(1, 600),
    flag: 'api-timeout',
    env: ['API_TIMEOUT'],
    default: 60,
    description: 'Seconds one cloud API request may take',
  }),
  maxRetries: setting({
    schema: parse.integer(0, 5),
    flag: 'max-retries',
    env: ['ACK_MAX_RETRIES'],
    default: 2,
    description: 'Retries of a read after throttling, a 5xx or a reset connection (writes are never retried)',
  }),
  kubeconfigMode: setting({
    schema: upperEnum(KUBECONFIG_MODES),
    flag: 'kubeconfig-mode',
    env: ['KUBECONFIG_MODE'],
    default: 'ACK_PUBLIC' as KubeconfigMode,
    valueName: KUBECONFIG_MODES.join('|'),
    description:
      "Where kubectl's credentials come from: the cluster's temporary kubeconfig over its public or private API endpoint, the pod's service account, or a local file",
  }),
  kubeconfigPath: setting({
    schema: parse.string(),
    flag: 'kubeconfig-path',
    env: ['KUBECONFIG_PATH'],
    default: '~/.kube/config',
    description: 'Kubeconfig file for LOCAL mode (cluster_id then names a context)',
  }),
  kubeconfigTtlMinutes: setting({
    schema: parse.integer(15, 4320),
    flag: 'kubeconfig-ttl-minutes',
    env: ['ACK_KUBECONFIG_TTL_MINUTES'],
    default: 60,
    description: 'Lifetime asked for temporary kubeconfigs (kept in memory only, renewed before they expire)',
  }),
  defaultClusterId: setting({
    schema: parse.string(),
    flag: 'default-cluster-id',
    env: ['DEFAULT_CLUSTER_ID'],
    description: 'Cluster used when a tool call names none',
  }),
  kubectlTimeout: setting({
    schema: parse.integer(1, 3600),
    flag: 'kubectl-timeout',
    env: ['KUBECTL_TIMEOUT'],
    default: 30,
    description: 'Seconds one kubectl command may take (drain has its own --timeout)',
  }),
  diagnoseTimeout: setting({
    schema: parse.integer(10, 3600),
    flag: 'diagnose-timeout',
    env: ['DIAGNOSE_TIMEOUT'],
    default: 600,
    description: 'Seconds diagnose_resource and query_inspect_report wait for their result',
  }),
  diagnosePollInterval: setting({
    schema: parse.integer(1, 300),
    flag: 'diagnose-poll-interval',
    env: ['DIAGNOSE_POLL_INTERVAL'],
    default: 15,
    description: 'Seconds between two status checks of a diagnosis, inspection or task',
  }),
  allowSecretData: setting({
    schema: parse.boolean(),
    flag: 'allow-secret-data',
    env: ['ACK_ALLOW_SECRET_DATA'],
    default: false,
    switch: true,
    description: 'Show the data of Kubernetes Secrets (masked by default on every output path)',
  }),
  logMaxLines: setting({
    schema: parse.integer(1, 100_000),
    flag: 'log-max-lines',
    env: ['ACK_LOG_MAX_LINES'],
    default: 1000,
    description: 'Most log lines kubectl logs returns (the newest; asked of the API server)',
  }),
  logMaxBytes: setting({
    schema: parse.integer(1024, 16 * 1024 * 1024),
    flag: 'log-max-bytes',
    env: ['ACK_LOG_MAX_BYTES'],
    default: 262_144,
    description: 'Most bytes of log kubectl logs returns',
  }),
  // Logs and metrics (SLS, ARMS Prometheus).
  slsEndpoint: setting({
    schema: parse.string(),
    flag: 'sls-endpoint',
    env: ['ACK_SLS_ENDPOINT'],
    description:
      'SLS (Log Service) endpoint (host, host:port or URL); default <cluster region>.log.aliyuncs.com (cn-shanghai for the AI tools). Projects are reached as <project>.<endpoint>',
  }),
  armsEndpoint: setting({
    schema: parse.string(),
    flag: 'arms-endpoint',
    env: ['ACK_ARMS_ENDPOINT'],
    description: 'ARMS API endpoint (host, host:port or URL); default arms.<cluster region>.aliyuncs.com',
  }),
  stsEndpoint: setting({
    schema: parse.string(),
    flag: 'sts-endpoint',
    env: ['ACK_STS_ENDPOINT'],
    description:
      'STS endpoint (host, host:port or URL) for the account id cms_translate_text_to_promql needs; default sts.aliyuncs.com',
  }),
  prometheusEndpointMode: setting({
    schema: upperEnum(PROMETHEUS_ENDPOINT_MODES),
    flag: 'prometheus-endpoint-mode',
    env: ['PROMETHEUS_ENDPOINT_MODE'],
    default: 'ARMS_PUBLIC' as PrometheusEndpointMode,
    valueName: PROMETHEUS_ENDPOINT_MODES.join('|'),
    description:
      "Where a cluster's Prometheus HTTP API is found: ARMS GetPrometheusInstance's public or VPC URL (then PROMETHEUS_HTTP_API*), or LOCAL: only PROMETHEUS_HTTP_API_<cluster_id>, PROMETHEUS_HTTP_API_MAP, PROMETHEUS_HTTP_API",
  }),
  prometheusHttpApi: setting({
    schema: parse.string(),
    flag: 'prometheus-http-api',
    env: ['PROMETHEUS_HTTP_API'],
    description:
      'Prometheus HTTP API base URL for every cluster (e.g. http://prometheus:9090); a per-cluster variable PROMETHEUS_HTTP_API_<cluster_id>, read at call time, wins',
  }),
  prometheusHttpApiMap: setting({
    schema: parse.list(),
    flag: 'prometheus-http-api-map',
    env: ['PROMETHEUS_HTTP_API_MAP'],
    valueName: 'cluster_id=url,…',
    description: 'Prometheus HTTP API base URL per cluster, as cluster_id=url pairs separated by commas',
  }),
  prometheusBearerToken: setting({
    schema: parse.string(),
    flag: 'prometheus-bearer-token',
    env: ['PROMETHEUS_BEARER_TOKEN'],
    secret: true,
    description: 'Bearer token sent to the Prometheus HTTP API (ARMS instances with a token, a secured Prometheus)',
  }),
  prometheusMaxSeries: setting({
    schema: parse.integer(1, 10_000),
    flag: 'prometheus-max-series',
    env: ['PROMETHEUS_MAX_SERIES'],
    default: 200,
    description: 'Most series one Prometheus query returns (the answer says when it was cut)',
  }),
  listMaxItems: setting({
    schema: parse.integer(1, 10_000),
    flag: 'list-max-items',
    env: ['ACK_LIST_MAX_ITEMS'],
    default: 500,
    description: 'Most items one kubectl get returns (the answer carries the continue token for the rest)',
  }),
};
