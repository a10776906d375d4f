import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OpsError, type VolcengineCredentials } from '@opsmcp/core';
import { API_VERSION, type Endpoint, SERVICE } from './endpoint.js';
import { mapApiError, type VolcengineApiError } from './errors.js';
import { signVolcengineRequest } from './sign.js';

/**
 * The RocketMQ OpenAPI client: POST `/?Action=…&Version=2023-01-01` with a JSON body, signed by
 * Volcengine's HMAC-SHA256 request signature for the call's region (./sign.ts), sent with Node's
 * HTTP client.
 *
 * Why not the SDK's `Service`: it sends through axios with a fixed 10 s timeout and no per-call
 * AbortSignal, falls back to VOLC_ACCESSKEY / ~/.volc/config keys on its own, and its package
 * index loads every Volcengine service module.
 */

export interface ClientLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface RocketMQClientOptions {
  endpoint: Endpoint;
  /** Region used when a call names none (VOLCENGINE_REGION). */
  region: string;
  /** Resolved on each call, so rotated file credentials and per-request keys are honoured. */
  credentials: () => Promise<VolcengineCredentials>;
  /** Bound of one HTTP attempt. */
  timeoutMs: number;
  /** Extra attempts for reads after a transient failure (writes are never retried). */
  maxRetries: number;
  /** Cancels the call (the client's cancellation or the tool timeout). */
  signal?: AbortSignal;
  log?: ClientLog;
  /** Base of the exponential backoff between read retries. */
  retryBaseMs?: number;
}

export interface CallOptions {
  region?: string;
  /** Changes state: sent once, never retried. */
  write?: boolean;
}

export interface ApiResponse<T> {
  result: T;
  requestId: string | undefined;
}

interface Envelope {
  ResponseMetadata?: { RequestId?: string; Error?: VolcengineApiError };
  Result?: unknown;
}

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ETIMEDOUT']);

class NetworkError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

class AttemptTimeout extends Error {}

export class RocketMQClient {
  constructor(private readonly options: RocketMQClientOptions) {}

  get defaultRegion(): string {
    return this.options.region;
  }

  async call<T>(
    action: string,
    params: Record<string, unknown>,
    callOptions: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    const region = callOptions.region ?? this.options.region;
    const attempts = callOptions.write ? 1 : 1 + Math.max(0, this.options.maxRetries);
    const credentials = await this.options.credentials();
    const body = JSON.stringify(dropEmpty(params));
    let lastError: OpsError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.backoff(attempt, lastError);
      try {
        return await this.send<T>(action, region, body, credentials);
      } catch (error) {
        const mapped = this.toOpsError(action, error);
        // A timed-out attempt already used its whole budget: only quick transient failures are retried.
        const retry = !callOptions.write && mapped.retryable && mapped.code !== 'TIMEOUT';
        if (!retry || attempt + 1 >= attempts) throw mapped;
        this.options.log?.debug('retrying RocketMQ call', {
          action,
          attempt: attempt + 1,
          code: mapped.upstream?.code ?? mapped.code,
        });
        lastError = mapped;
      }
    }
    throw lastError ?? new OpsError('INTERNAL', `${action} was not attempted`);
  }

  private async send<T>(
    action: string,
    region: string,
    body: string,
    credentials: VolcengineCredentials,
  ): Promise<ApiResponse<T>> {
    const { endpoint } = this.options;
    const query = { Action: action, Version: API_VERSION };
    const headers = signVolcengineRequest(
      {
        method: 'POST',
        pathname: '/',
        query,
        headers: { Host: endpoint.host, 'Content-Type': 'application/json' },
        body,
        region,
        service: SERVICE,
      },
      credentials,
    );
    const { status, text } = await this.post(`/?${new URLSearchParams(query)}`, headers, body);
    let envelope: Envelope | undefined;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      envelope = undefined;
    }
    const meta = envelope && typeof envelope === 'object' ? envelope.ResponseMetadata : undefined;
    // Failed when the status is not 2xx or ResponseMetadata.Error is present (even with HTTP 200).
    if (meta?.Error) throw mapApiError(action, status, meta.Error, meta.RequestId);
    if (status < 200 || status >= 300 || !envelope || !meta) {
      const snippet = text.slice(0, 200).trim() || 'empty body';
      throw mapApiError(
        action,
        status,
        { Message: `HTTP ${status}, not an OpenAPI answer: ${snippet}` },
        meta?.RequestId,
      );
    }
    return { result: (envelope.Result ?? {}) as T, requestId: meta.RequestId };
  }

  private post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const { endpoint, timeoutMs, signal } = this.options;
    const send = endpoint.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const req = send({
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port,
        method: 'POST',
        path,
        agent: agents[endpoint.protocol],
        headers: { ...headers, Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => req.destroy(new AttemptTimeout()), timeoutMs);
      const onAbort = () => req.destroy(signal?.reason ?? new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          done();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => {
          done();
          reject(error);
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        done();
        if (error instanceof AttemptTimeout || signal?.aborted) return reject(error);
        reject(new NetworkError(error.code, error.message));
      });
      req.end(body);
    });
  }

  private toOpsError(action: string, error: unknown): OpsError {
    if (error instanceof OpsError) return error;
    if (this.options.signal?.aborted) {
      return new OpsError('TIMEOUT', `${action} was cancelled before Volcengine answered`, {
        retryable: false,
        cause: error,
      });
    }
    if (error instanceof AttemptTimeout) {
      return new OpsError('TIMEOUT', `${action} got no answer from Volcengine within ${this.options.timeoutMs} ms`, {
        hint: 'Volcengine may be slow; try again, or raise VOLCENGINE_TIMEOUT_MS.',
        retryable: true,
      });
    }
    if (error instanceof NetworkError) {
      const { endpoint } = this.options;
      return new OpsError(
        'PROVIDER_NOT_AVAILABLE',
        `Cannot reach ${endpoint.protocol}//${endpoint.host} for ${action}: ${error.message}`,
        {
          hint: 'Check the network and VOLCENGINE_ENDPOINT.',
          retryable:
            error.code === undefined ||
            RETRYABLE_NETWORK_CODES.has(error.code) ||
            /socket hang up/i.test(error.message),
          cause: error,
        },
      );
    }
    return new OpsError('INTERNAL', `${action} failed unexpectedly`, { cause: error });
  }

  /** Exponential backoff with jitter, cut short by cancellation. */
  private backoff(attempt: number, lastError: OpsError | undefined): Promise<void> {
    const base = this.options.retryBaseMs ?? 200;
    const throttled = lastError?.code === 'RATE_LIMITED' ? 2 : 1;
    const ceiling = Math.min(base * throttled * 2 ** (attempt - 1), 3000);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    const { signal } = this.options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new OpsError('TIMEOUT', 'The call was cancelled while waiting to retry'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new OpsError('TIMEOUT', 'The call was cancelled while waiting to retry'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The official server drops null values and empty lists before sending; so do we. */
function dropEmpty(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
