import { type AlibabaCredentials, type ContextInit, OpsError } from '@opsmcp/core';
import { type AckSettings, openCsApi } from '../cs/open.js';
import { type ApiEndpoint, parseEndpointSetting } from './endpoint.js';
import { callOpenApiRead, createOpenApiClient, type OpenApiCall, type OpenApiClient } from './openapi.js';
import { checkPrometheusUrl, PrometheusApi, type PrometheusLocation, prometheusFromEnvironment } from './prometheus.js';
import { createSlsSdk, defaultSlsHost, SlsApi } from './sls.js';

const ARMS_VERSION = '2019-08-08';
const STS_VERSION = '2015-04-01';
/** The SLS AI tools are served from this region's endpoint, whatever the cluster's region. */
export const SLS_AI_REGION = 'cn-shanghai';
/** How long what a cluster's configuration says (region, projects, Prometheus URL) is reused. */
const CLUSTER_FACT_TTL_MS = 10 * 60_000;

export interface AuditProject {
  enabled: boolean;
  project: string | null;
}

export interface ControlPlaneLogConfig {
  project: string;
  components: string[];
  ttl: string | null;
}

export interface ResolvedPrometheus {
  api: PrometheusApi;
  location: PrometheusLocation;
}

/** What the logs and metrics tools reach: each resolved from the cluster id, cached per cluster and credentials. */
export interface ObservabilityClients {
  /** The cluster's region (DescribeClusterDetail, remembered). */
  clusterRegion(clusterId: string): Promise<string>;
  /** SLS in a region (the configured endpoint wins). `ai` picks the AI tools' region endpoint. */
  sls(region: string, options?: { ai?: boolean }): Promise<SlsApi>;
  auditProject(clusterId: string): Promise<AuditProject>;
  controlPlaneLogs(clusterId: string): Promise<ControlPlaneLogConfig>;
  /** The cluster's Prometheus HTTP API, per PROMETHEUS_ENDPOINT_MODE. */
  prometheus(clusterId: string): Promise<ResolvedPrometheus>;
  /** The account id of the credentials (STS GetCallerIdentity). */
  accountId(): Promise<string>;
}

function endpointOf(value: string | undefined, settingName: string, fallbackHost: string): ApiEndpoint {
  if (!value) return { host: fallbackHost, protocol: 'https' };
  try {
    return parseEndpointSetting(value, settingName);
  } catch (error) {
    throw new OpsError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error));
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function createObservabilityClients(init: ContextInit<AckSettings>): ObservabilityClients {
  const { settings } = init;
  const timeoutMs = settings.apiTimeout * 1000;
  const credentials = () => init.credentials<AlibabaCredentials>('alibaba');

  async function openApi(endpoint: ApiEndpoint): Promise<OpenApiClient> {
    const creds = await credentials();
    return init.cache(['openapi', endpoint.protocol, endpoint.host, timeoutMs], () =>
      createOpenApiClient(creds, endpoint, timeoutMs),
    );
  }

  async function read<T>(endpoint: ApiEndpoint, call: OpenApiCall): Promise<T> {
    return callOpenApiRead<T>(await openApi(endpoint), call, {
      maxRetries: settings.maxRetries,
      signal: init.signal,
      log: init.log,
    });
  }

  async function clusterRegion(clusterId: string): Promise<string> {
    // The same key and value as the cluster tools' region cache, so either fills it for both.
    return init.cache(
      ['cluster-region', clusterId],
      async () => str((await (await openCsApi(init)).describeClusterDetail(clusterId)).region_id) ?? settings.region,
      { ttlMs: CLUSTER_FACT_TTL_MS },
    );
  }

  async function sls(region: string, options: { ai?: boolean } = {}): Promise<SlsApi> {
    const endpoint = endpointOf(
      settings.slsEndpoint,
      'ACK_SLS_ENDPOINT',
      defaultSlsHost(options.ai ? SLS_AI_REGION : region),
    );
    const creds = await credentials();
    const loaded = await init.cache(['sls', endpoint.protocol, endpoint.host, region, timeoutMs], () =>
      createSlsSdk(creds, endpoint, region, timeoutMs),
    );
    return new SlsApi(loaded, {
      maxRetries: settings.maxRetries,
      completeWithinMs: timeoutMs,
      signal: init.signal,
      log: init.log,
    });
  }

  async function auditProject(clusterId: string): Promise<AuditProject> {
    const region = await clusterRegion(clusterId);
    return init.cache(
      ['audit-project', clusterId],
      async () => {
        const answer = await (await openCsApi(init, region)).getClusterAuditProject(clusterId);
        return { enabled: answer.audit_enabled === true, project: str(answer.sls_project_name) };
      },
      { ttlMs: CLUSTER_FACT_TTL_MS },
    );
  }

  async function controlPlaneLogs(clusterId: string): Promise<ControlPlaneLogConfig> {
    const region = await clusterRegion(clusterId);
    return init.cache(
      ['controlplane-log', clusterId],
      async () => {
        const answer = await (await openCsApi(init, region)).checkControlPlaneLogEnable(clusterId);
        return {
          project: str(answer.log_project) ?? `k8s-log-${clusterId}`,
          components: Array.isArray(answer.components)
            ? answer.components.filter((c): c is string => typeof c === 'string')
            : [],
          ttl: answer.log_ttl === undefined || answer.log_ttl === null ? null : String(answer.log_ttl),
        };
      },
      { ttlMs: CLUSTER_FACT_TTL_MS },
    );
  }

  async function armsLocation(clusterId: string): Promise<PrometheusLocation | undefined> {
    const region = await clusterRegion(clusterId);
    const answer = await read<{
      Code?: unknown;
      Message?: unknown;
      RequestId?: unknown;
      Data?: Record<string, unknown>;
    }>(endpointOf(settings.armsEndpoint, 'ACK_ARMS_ENDPOINT', `arms.${region}.aliyuncs.com`), {
      service: 'ARMS',
      action: 'GetPrometheusInstance',
      version: ARMS_VERSION,
      // An ACK cluster's Prometheus instance id is the cluster id.
      query: { ClusterId: clusterId, RegionId: region },
      ramAction: 'arms:GetPrometheusInstance',
    });
    const code = answer.Code === undefined ? 200 : Number(answer.Code);
    const requestId = str(answer.RequestId);
    if (code === 404) {
      // No Managed Prometheus instance for this cluster: the settings may still name one.
      return undefined;
    }
    if (code !== 200) {
      throw new OpsError(
        'UPSTREAM_ERROR',
        `ARMS GetPrometheusInstance answered code ${String(answer.Code)}: ${String(answer.Message ?? '')}`.trim(),
        { upstream: { code: String(answer.Code), ...(requestId ? { requestId } : {}) }, retryable: false },
      );
    }
    const publicUrl = str(answer.Data?.HttpApiInterUrl);
    const vpcUrl = str(answer.Data?.HttpApiIntraUrl);
    const ordered =
      settings.prometheusEndpointMode === 'ARMS_PRIVATE'
        ? [
            [vpcUrl, 'ARMS HttpApiIntraUrl'],
            [publicUrl, 'ARMS HttpApiInterUrl'],
          ]
        : [
            [publicUrl, 'ARMS HttpApiInterUrl'],
            [vpcUrl, 'ARMS HttpApiIntraUrl'],
          ];
    for (const [url, source] of ordered) if (url) return { baseUrl: url, source: source as string };
    return undefined;
  }

  async function prometheus(clusterId: string): Promise<ResolvedPrometheus> {
    const fromEnv = prometheusFromEnvironment(clusterId, settings);
    let location: PrometheusLocation | undefined;
    if (settings.prometheusEndpointMode === 'LOCAL') {
      location = fromEnv;
    } else {
      // A per-cluster variable is an explicit choice; the ARMS instance comes next, then the general settings.
      location =
        fromEnv?.source === `PROMETHEUS_HTTP_API_${clusterId}`
          ? fromEnv
          : ((await init.cache(
              ['prometheus-url', clusterId, settings.prometheusEndpointMode],
              () => armsLocation(clusterId),
              {
                ttlMs: CLUSTER_FACT_TTL_MS,
              },
            )) ?? fromEnv);
    }
    if (!location) {
      throw new OpsError('RESOURCE_NOT_FOUND', `No Prometheus HTTP API is known for cluster ${clusterId}.`, {
        hint:
          settings.prometheusEndpointMode === 'LOCAL'
            ? `Set PROMETHEUS_HTTP_API_${clusterId}, PROMETHEUS_HTTP_API_MAP or PROMETHEUS_HTTP_API.`
            : `The cluster's ARMS Prometheus instance has no HTTP API URL; enable Managed Service for Prometheus for it, or set PROMETHEUS_HTTP_API_${clusterId} / PROMETHEUS_HTTP_API.`,
      });
    }
    checkPrometheusUrl(location);
    return {
      location,
      api: new PrometheusApi({
        baseUrl: location.baseUrl,
        ...(settings.prometheusBearerToken ? { bearerToken: settings.prometheusBearerToken } : {}),
        timeoutMs,
        maxRetries: settings.maxRetries,
        signal: init.signal,
      }),
    };
  }

  async function accountId(): Promise<string> {
    return init.cache(['account-id'], async () => {
      const answer = await read<{ AccountId?: unknown }>(
        endpointOf(settings.stsEndpoint, 'ACK_STS_ENDPOINT', 'sts.aliyuncs.com'),
        {
          service: 'STS',
          action: 'GetCallerIdentity',
          version: STS_VERSION,
          ramAction: 'sts:GetCallerIdentity',
        },
      );
      const id = str(answer.AccountId);
      if (!id)
        throw new OpsError('UPSTREAM_ERROR', 'STS GetCallerIdentity answered without an AccountId.', {
          retryable: false,
        });
      return id;
    });
  }

  return { clusterRegion, sls, auditProject, controlPlaneLogs, prometheus, accountId };
}
