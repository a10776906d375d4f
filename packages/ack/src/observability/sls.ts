import { type AlibabaCredentials, backoffDelay, cancellationError, type Logger, OpsError, sleep } from '@opsmcp/core';
import { isRetryable, mapAlibabaError } from '../alibaba-errors.js';
import type { ApiEndpoint } from './endpoint.js';
import { OBSERVABILITY_NOT_FOUND_HINT } from './openapi.js';
import { credentialConfig, defaultExport } from './sdk.js';

/** The SLS SDK client methods this module uses. */
interface SlsSdkClient {
  getLogsWithOptions(
    project: string,
    logstore: string,
    request: unknown,
    headers: Record<string, string>,
    runtime: unknown,
  ): Promise<{ headers?: Record<string, string>; body?: unknown }>;
  callAiToolsWithOptions(
    request: unknown,
    headers: Record<string, string>,
    runtime: unknown,
  ): Promise<{ headers?: Record<string, string>; body?: unknown }>;
}

interface SlsModels {
  GetLogsRequest: new (map: Record<string, unknown>) => unknown;
  CallAiToolsRequest: new (map: Record<string, unknown>) => unknown;
  Config: new (map: Record<string, unknown>) => unknown;
}

export interface LoadedSls {
  sdk: SlsSdkClient;
  models: SlsModels;
  endpoint: ApiEndpoint;
}

/** The default SLS endpoint of a region (projects are reached as `<project>.<endpoint>`). */
export const defaultSlsHost = (region: string) => `${region}.log.aliyuncs.com`;

/** Builds the SLS SDK client (LOG signature, `<project>.<endpoint>` hosts); the SDK loads here. */
export async function createSlsSdk(
  credentials: AlibabaCredentials,
  endpoint: ApiEndpoint,
  region: string,
  timeoutMs: number,
): Promise<LoadedSls> {
  const [slsModule, coreModule] = await Promise.all([
    import('@alicloud/sls20201230'),
    import('@alicloud/openapi-core'),
  ]);
  const Sls = defaultExport<new (config: unknown) => SlsSdkClient>(slsModule);
  const namespace = ((slsModule as { GetLogsRequest?: unknown }).GetLogsRequest
    ? slsModule
    : (slsModule as { default: unknown }).default) as unknown as Omit<SlsModels, 'Config'>;
  const util = ((coreModule as { $OpenApiUtil?: unknown }).$OpenApiUtil ??
    (coreModule as { default: { $OpenApiUtil: unknown } }).default.$OpenApiUtil) as { Config: SlsModels['Config'] };
  const config = new util.Config({
    endpoint: endpoint.host,
    protocol: endpoint.protocol,
    regionId: region,
    readTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    ...(await credentialConfig(credentials)),
  });
  return {
    sdk: new Sls(config),
    models: {
      GetLogsRequest: namespace.GetLogsRequest,
      CallAiToolsRequest: namespace.CallAiToolsRequest,
      Config: util.Config,
    },
    endpoint,
  };
}

export interface GetLogsQuery {
  project: string;
  logstore: string;
  /** Unix seconds. */
  from: number;
  to: number;
  query: string;
  line: number;
  offset?: number;
  /** True: newest first. */
  reverse: boolean;
}

export interface GetLogsAnswer {
  rows: Array<Record<string, string>>;
  /** False when SLS still said Incomplete when the deadline came. */
  complete: boolean;
  requestId: string | undefined;
  /** How many times the query ran (Incomplete answers are re-run). */
  attempts: number;
}

export interface SlsApiOptions {
  maxRetries: number;
  /** How long an Incomplete query is re-run before the partial answer is returned. */
  completeWithinMs: number;
  signal?: AbortSignal;
  log?: Logger;
}

const INCOMPLETE_PAUSE_MS = 300;

/** SLS reads the tools use: GetLogs (re-run while Incomplete) and CallAiTools. */
export class SlsApi {
  constructor(
    private readonly loaded: LoadedSls,
    private readonly options: SlsApiOptions,
  ) {}

  get endpoint(): string {
    return this.loaded.endpoint.host;
  }

  async getLogs(q: GetLogsQuery): Promise<GetLogsAnswer> {
    const deadline = Date.now() + this.options.completeWithinMs;
    for (let attempts = 1; ; attempts++) {
      const request = new this.loaded.models.GetLogsRequest({
        from: Math.floor(q.from),
        to: Math.ceil(q.to),
        query: q.query,
        line: q.line,
        offset: q.offset ?? 0,
        reverse: q.reverse,
      });
      const response = await this.read('GetLogs', 'log:GetLogStoreLogs', () =>
        this.loaded.sdk.getLogsWithOptions(q.project, q.logstore, request, {}, runtime()),
      );
      const headers = lowerKeys(response.headers);
      const rows = Array.isArray(response.body)
        ? (response.body as unknown[]).filter((r): r is Record<string, string> => !!r && typeof r === 'object')
        : [];
      const complete = (headers['x-log-progress'] ?? 'Complete') !== 'Incomplete';
      if (complete || Date.now() + INCOMPLETE_PAUSE_MS >= deadline) {
        return { rows, complete, requestId: headers['x-log-requestid'], attempts };
      }
      this.options.log?.debug('sls query incomplete, re-running', { logstore: q.logstore, attempts });
      await this.pause(INCOMPLETE_PAUSE_MS);
    }
  }

  /** An SLS AI tool (`text_to_sql`, `text_to_promql`, `diagnosis_sql`); the answer is text. */
  async callAiTools(
    toolName: string,
    regionId: string,
    params: Record<string, string>,
  ): Promise<{ text: string; requestId: string | undefined }> {
    const request = new this.loaded.models.CallAiToolsRequest({ toolName, regionId, params });
    const response = await this.read(
      'CallAiTools',
      'to call SLS AI tools (SLS documents no RAM action for CallAiTools; it is served from the cn-shanghai and ap-southeast-1 endpoints only)',
      () => this.loaded.sdk.callAiToolsWithOptions(request, {}, runtime()),
    );
    const headers = lowerKeys(response.headers);
    return { text: typeof response.body === 'string' ? response.body : '', requestId: headers['x-log-requestid'] };
  }

  private async read<T>(action: string, ramAction: string, send: () => Promise<T>): Promise<T> {
    const { signal } = this.options;
    const described = {
      service: 'SLS',
      action,
      read: true,
      endpoint: this.loaded.endpoint.host,
      ramAction,
      notFoundHint: OBSERVABILITY_NOT_FOUND_HINT,
    };
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancellationError(signal, `SLS ${action} was cancelled.`);
      try {
        return await send();
      } catch (error) {
        if (signal?.aborted) throw cancellationError(signal, `SLS ${action} was cancelled.`);
        if (attempt >= this.options.maxRetries || !isRetryable(error)) throw mapAlibabaError(error, described);
        await this.pause(backoffDelay(attempt));
      }
    }
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, this.options.signal);
    } catch {
      throw this.options.signal
        ? cancellationError(this.options.signal, 'The SLS query was cancelled.')
        : new OpsError('CANCELLED', 'The SLS query was cancelled.');
    }
  }
}

function runtime(): Record<string, unknown> {
  return {};
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = typeof v === 'string' ? v : String(v);
  return out;
}
