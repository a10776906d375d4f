import { type AlibabaCredentials, backoffDelay, cancellationError, type Logger, sleep } from '@opsmcp/core';
import { isRetryable, mapAlibabaError } from '../alibaba-errors.js';
import type { ApiEndpoint } from './endpoint.js';
import { credentialConfig, defaultExport } from './sdk.js';

/** The generic call of `@alicloud/openapi-core`'s client (ACS3 signing); used for the RPC-style ARMS and STS reads. */
interface OpenApiSdkClient {
  callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ body?: unknown }>;
}

interface OpenApiModels {
  Config: new (map: Record<string, unknown>) => unknown;
  Params: new (map: Record<string, unknown>) => unknown;
  OpenApiRequest: new (map: Record<string, unknown>) => unknown;
}

export interface OpenApiClient {
  sdk: OpenApiSdkClient;
  models: OpenApiModels;
  endpoint: ApiEndpoint;
}

/** Builds a generic client for one endpoint; openapi-core and the credentials library load here. */
export async function createOpenApiClient(
  credentials: AlibabaCredentials,
  endpoint: ApiEndpoint,
  timeoutMs: number,
): Promise<OpenApiClient> {
  const coreModule = await import('@alicloud/openapi-core');
  const Client = defaultExport<new (config: unknown) => OpenApiSdkClient>(coreModule);
  const models = ((coreModule as { $OpenApiUtil?: unknown }).$OpenApiUtil ??
    (coreModule as { default: { $OpenApiUtil: unknown } }).default.$OpenApiUtil) as OpenApiModels;
  const config = new models.Config({
    endpoint: endpoint.host,
    protocol: endpoint.protocol,
    // The SDK's own default is 3 s.
    readTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    ...(await credentialConfig(credentials)),
  });
  return { sdk: new Client(config), models, endpoint };
}

/** What to check when SLS, ARMS or STS answers "not found". */
export const OBSERVABILITY_NOT_FOUND_HINT =
  'Check the cluster id, and that the cluster collects these logs or metrics (log project, logstore, Prometheus instance).';

export interface OpenApiCall {
  service: string;
  action: string;
  version: string;
  query?: Record<string, string | number | boolean | undefined>;
  ramAction: string;
}

export interface OpenApiCallOptions {
  maxRetries: number;
  signal?: AbortSignal;
  log?: Logger;
}

/** One RPC read operation (POST /): retried with bounded backoff, errors mapped to core codes. */
export async function callOpenApiRead<T>(
  client: OpenApiClient,
  call: OpenApiCall,
  options: OpenApiCallOptions,
): Promise<T> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) query[name] = String(value);
  }
  const params = new client.models.Params({
    action: call.action,
    version: call.version,
    protocol: client.endpoint.protocol.toUpperCase(),
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const described = {
    service: call.service,
    action: call.action,
    read: true,
    endpoint: client.endpoint.host,
    ramAction: call.ramAction,
    notFoundHint: OBSERVABILITY_NOT_FOUND_HINT,
  };
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted)
      throw cancellationError(options.signal, `${call.service} ${call.action} was cancelled.`);
    const request = new client.models.OpenApiRequest({ headers: {}, query });
    try {
      const response = await client.sdk.callApi(params, request, {});
      const body = response.body;
      return (body && typeof body === 'object' ? body : {}) as T;
    } catch (error) {
      if (options.signal?.aborted) {
        throw cancellationError(options.signal, `${call.service} ${call.action} was cancelled.`);
      }
      if (attempt >= options.maxRetries || !isRetryable(error)) throw mapAlibabaError(error, described);
      options.log?.debug('openapi call retried', { action: call.action, attempt });
      await sleep(backoffDelay(attempt), options.signal);
    }
  }
}
