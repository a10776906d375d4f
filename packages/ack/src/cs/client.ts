import { backoffDelay, cancellationError, type Logger, OpsError, sleep, untilAborted } from '@opsmcp/core';
import { isRetryable, mapAlibabaError, retryAfterMs } from '../alibaba-errors.js';
import type {
  CsCluster,
  CsClusterAuditProject,
  CsControlPlaneLogConfig,
  CsDiagnosisResult,
  CsInspectReportDetail,
  CsInspectReportList,
  CsNodePool,
  CsTaskInfo,
  DescribeClusterNodesResult,
  DescribeClustersV1Result,
  DescribeClusterTasksResult,
} from './types.js';

export const CS_API_VERSION = '2015-12-15';

/** The one method of the SDK client this module uses: the generic ROA call its typed methods wrap. */
export interface CsSdkClient {
  callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body?: unknown; statusCode?: number }>;
}

/** The SDK's request-building classes (from `@alicloud/openapi-core`), loaded with the client. */
export interface CsSdkModels {
  Params: new (map: Record<string, unknown>) => unknown;
  OpenApiRequest: new (map: Record<string, unknown>) => unknown;
}

export interface CsApiOptions {
  sdk: CsSdkClient;
  models: CsSdkModels;
  /** The region the calls are made in (it chose the endpoint). */
  region: string;
  /** The endpoint host, for messages. */
  endpoint: string;
  /** Retries of a read after throttling, a 5xx, a timeout or a reset connection. */
  maxRetries: number;
  signal?: AbortSignal;
  log?: Logger;
}

type QueryValue = string | number | boolean | undefined;

interface RoaCall {
  action: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments; each is percent-encoded. */
  path: readonly string[];
  query?: Record<string, QueryValue>;
  body?: Record<string, unknown>;
  /** Reads are retried; writes never (a repeated scale-out adds nodes twice). */
  read: boolean;
}

/** The longest wait a throttling answer may impose before a retry. */
const MAX_RETRY_AFTER_MS = 10_000;

/** What DescribeClusterUserKubeconfig answers: the kubeconfig YAML and when its credential expires. */
export interface UserKubeconfig {
  config: string;
  /** RFC 3339 UTC, when CS sent it. */
  expiration?: string;
}

/**
 * The ACK (Container Service, CS) API operations the tools use, over the official SDK client:
 * its endpoint rules, ACS3 signing and error classes, with each operation's wire parameters
 * exactly as the SDK's own typed methods send them. Answers are the raw JSON (snake_case), so
 * no field is lost to the SDK's model casting. Reads retry with bounded backoff; writes never.
 */
export class CsApi {
  readonly region: string;
  readonly endpoint: string;

  constructor(private readonly options: CsApiOptions) {
    this.region = options.region;
    this.endpoint = options.endpoint;
  }

  describeClustersV1(query: {
    page_number: number;
    page_size: number;
    name?: string;
    cluster_type?: string;
    region_id?: string;
  }) {
    return this.call<DescribeClustersV1Result>({
      action: 'DescribeClustersV1',
      method: 'GET',
      path: ['api', 'v1', 'clusters'],
      query,
      read: true,
    });
  }

  describeClusterDetail(clusterId: string) {
    return this.call<CsCluster>({
      action: 'DescribeClusterDetail',
      method: 'GET',
      path: ['clusters', clusterId],
      read: true,
    });
  }

  /** Whether the cluster's API-server audit log is collected, and its SLS project. */
  getClusterAuditProject(clusterId: string) {
    return this.call<CsClusterAuditProject>({
      action: 'GetClusterAuditProject',
      method: 'GET',
      path: ['clusters', clusterId, 'audit'],
      read: true,
    });
  }

  /** The cluster's control-plane log collection: SLS project, retention and components. */
  checkControlPlaneLogEnable(clusterId: string) {
    return this.call<CsControlPlaneLogConfig>({
      action: 'CheckControlPlaneLogEnable',
      method: 'GET',
      path: ['clusters', clusterId, 'controlplanelog'],
      read: true,
    });
  }

  describeClusterNodePools(clusterId: string) {
    return this.call<{ nodepools?: CsNodePool[] }>({
      action: 'DescribeClusterNodePools',
      method: 'GET',
      path: ['clusters', clusterId, 'nodepools'],
      read: true,
    });
  }

  describeClusterNodePoolDetail(clusterId: string, nodepoolId: string) {
    return this.call<CsNodePool>({
      action: 'DescribeClusterNodePoolDetail',
      method: 'GET',
      path: ['clusters', clusterId, 'nodepools', nodepoolId],
      read: true,
    });
  }

  /** Nodes of a cluster; `instanceIds` and `nodeNames` go as comma lists (the API's mixed-case names are real). */
  describeClusterNodes(
    clusterId: string,
    query: {
      nodepoolId?: string;
      state?: string;
      instanceIds?: readonly string[];
      nodeNames?: readonly string[];
      pageNumber: number;
      pageSize: number;
    },
  ) {
    return this.call<DescribeClusterNodesResult>({
      action: 'DescribeClusterNodes',
      method: 'GET',
      path: ['clusters', clusterId, 'nodes'],
      query: {
        nodepool_id: query.nodepoolId,
        state: query.state,
        instanceIds: query.instanceIds?.length ? query.instanceIds.join(',') : undefined,
        nodeNames: query.nodeNames?.length ? query.nodeNames.join(',') : undefined,
        pageNumber: query.pageNumber,
        pageSize: query.pageSize,
      },
      read: true,
    });
  }

  /**
   * Tasks of a cluster. `state`, `type`, `target_id` and `detail` are accepted by the API
   * though the SDK's request model does not name them.
   */
  describeClusterTasks(
    clusterId: string,
    query: { page_number: number; page_size: number; state?: string; type?: string; target_id?: string },
  ) {
    return this.call<DescribeClusterTasksResult>({
      action: 'DescribeClusterTasks',
      method: 'GET',
      path: ['clusters', clusterId, 'tasks'],
      query: { ...query, detail: true },
      read: true,
    });
  }

  describeTaskInfo(taskId: string) {
    return this.call<CsTaskInfo>({ action: 'DescribeTaskInfo', method: 'GET', path: ['tasks', taskId], read: true });
  }

  /** Adds `count` nodes to a node pool (not a desired size). */
  scaleClusterNodePool(clusterId: string, nodepoolId: string, count: number) {
    return this.call<{ task_id?: string; request_id?: string }>({
      action: 'ScaleClusterNodePool',
      method: 'POST',
      path: ['clusters', clusterId, 'nodepools', nodepoolId],
      body: { count },
      read: false,
    });
  }

  /** Removes nodes from a pool; `instance_ids` goes as JSON array text, as the SDK sends it. */
  removeNodePoolNodes(
    clusterId: string,
    nodepoolId: string,
    options: { instanceIds: readonly string[]; releaseNode: boolean; drainNode: boolean; concurrency: boolean },
  ) {
    return this.call<{ task_id?: string; request_id?: string }>({
      action: 'RemoveNodePoolNodes',
      method: 'DELETE',
      path: ['clusters', clusterId, 'nodepools', nodepoolId, 'nodes'],
      query: {
        instance_ids: JSON.stringify(options.instanceIds),
        release_node: options.releaseNode,
        drain_node: options.drainNode,
        concurrency: options.concurrency,
      },
      read: false,
    });
  }

  createClusterDiagnosis(clusterId: string, type: string, target: Record<string, unknown> | undefined) {
    return this.call<{ cluster_id?: string; diagnosis_id?: string; request_id?: string }>({
      action: 'CreateClusterDiagnosis',
      method: 'POST',
      path: ['clusters', clusterId, 'diagnosis'],
      body: target === undefined ? { type } : { type, target },
      read: false,
    });
  }

  getClusterDiagnosisResult(clusterId: string, diagnosisId: string) {
    return this.call<CsDiagnosisResult>({
      action: 'GetClusterDiagnosisResult',
      method: 'GET',
      path: ['clusters', clusterId, 'diagnosis', diagnosisId, 'result'],
      read: true,
    });
  }

  /** Starts an inspection; the answer names its report (camelCase on the wire). */
  runClusterInspect(clusterId: string, clientToken: string) {
    return this.call<{ reportId?: string; taskId?: string; requestId?: string }>({
      action: 'RunClusterInspect',
      method: 'POST',
      path: ['clusters', clusterId, 'inspectReports'],
      body: { clientToken },
      read: false,
    });
  }

  listClusterInspectReports(clusterId: string, maxResults: number) {
    return this.call<CsInspectReportList>({
      action: 'ListClusterInspectReports',
      method: 'GET',
      path: ['clusters', clusterId, 'inspectReports'],
      query: { maxResults },
      read: true,
    });
  }

  getClusterInspectReportDetail(
    clusterId: string,
    reportId: string,
    options: { enableFilter: boolean; maxResults?: number; nextToken?: string },
  ) {
    return this.call<CsInspectReportDetail>({
      action: 'GetClusterInspectReportDetail',
      method: 'GET',
      path: ['clusters', clusterId, 'inspectReports', reportId],
      query: { enableFilter: options.enableFilter, maxResults: options.maxResults, nextToken: options.nextToken },
      read: true,
    });
  }

  /**
   * A temporary kubeconfig for the cluster's public or private API endpoint. The duration is
   * always sent: without it CS issues a three-year credential.
   */
  async describeClusterUserKubeconfig(
    clusterId: string,
    options: { privateIpAddress: boolean; temporaryDurationMinutes: number },
  ): Promise<UserKubeconfig> {
    const answer = await this.call<{ config?: unknown; expiration?: unknown }>({
      action: 'DescribeClusterUserKubeconfig',
      method: 'GET',
      path: ['k8s', clusterId, 'user_config'],
      query: { PrivateIpAddress: options.privateIpAddress, TemporaryDurationMinutes: options.temporaryDurationMinutes },
      read: true,
    });
    if (typeof answer.config !== 'string' || answer.config.trim() === '') {
      throw new OpsError(
        'UPSTREAM_ERROR',
        `CS DescribeClusterUserKubeconfig answered without a kubeconfig for ${clusterId}.`,
        {
          retryable: false,
          hint: 'Check that the cluster is running and that the credentials may read its kubeconfig (cs:DescribeClusterUserKubeconfig).',
        },
      );
    }
    return {
      config: answer.config,
      ...(typeof answer.expiration === 'string' && answer.expiration ? { expiration: answer.expiration } : {}),
    };
  }

  /** One operation: built like the SDK's typed methods, retried when it is a read, errors mapped. */
  private async call<T>(roa: RoaCall): Promise<T> {
    const { sdk, models, signal } = this.options;
    const pathname = `/${roa.path.map((segment) => encodeURIComponent(segment)).join('/')}`;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(roa.query ?? {})) {
      if (value !== undefined) query[name] = String(value);
    }
    const params = new models.Params({
      action: roa.action,
      version: CS_API_VERSION,
      protocol: 'HTTPS',
      pathname,
      method: roa.method,
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: 'json',
    });
    const describe = {
      service: 'CS',
      action: roa.action,
      read: roa.read,
      endpoint: this.endpoint,
      ramAction: `cs:${roa.action} (or the cluster's RBAC)`,
      notFoundHint:
        'Check the id and the region; list_clusters, list_cluster_nodepools and list_cluster_nodes show what exists.',
      checkOutcomeHint: 'list the cluster tasks or read the resource to see whether it happened.',
    };
    const attempts = roa.read ? 1 + this.options.maxRetries : 1;

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancellationError(signal, `CS ${roa.action} was cancelled.`);
      const request = new models.OpenApiRequest({
        headers: {},
        query,
        ...(roa.body !== undefined ? { body: roa.body } : {}),
      });
      try {
        const started = Date.now();
        const response = await untilAborted(sdk.callApi(params, request, {}), signal, () =>
          cancellationError(signal as AbortSignal, `CS ${roa.action} was cancelled.`),
        );
        this.options.log?.debug('cs call', { action: roa.action, ms: Date.now() - started, attempt });
        const body = response.body;
        return (body && typeof body === 'object' ? body : {}) as T;
      } catch (error) {
        if (signal?.aborted) throw cancellationError(signal, `CS ${roa.action} was cancelled.`);
        if (attempt + 1 >= attempts || !isRetryable(error)) throw mapAlibabaError(error, describe);
        const delay = Math.min(MAX_RETRY_AFTER_MS, retryAfterMs(error) ?? backoffDelay(attempt));
        this.options.log?.debug('cs call retried', { action: roa.action, attempt, delayMs: delay });
        try {
          await sleep(delay, signal);
        } catch {
          throw cancellationError(signal!, `CS ${roa.action} was cancelled while waiting to retry.`);
        }
      }
    }
  }
}
