/**
 * A small Kubernetes REST client over node:https. The kubeconfig (parsed by
 * @kubernetes/client-node) gives the TLS material and auth headers; requests are ours so they
 * can ask for what kubectl asks for (Table rendering, server-side apply, bounded logs) and map
 * every Status to a core error.
 */
import type { Agent as HttpAgent } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { backoffDelay, OpsError, sleep } from '@opsmcp/core';

/** An open way into one cluster: its server, a keep-alive agent and the auth headers. */
export interface KubeConnection {
  /** The cluster id (ACK modes) or context name (LOCAL) this connection belongs to. */
  clusterId: string;
  server: URL;
  agent: HttpAgent;
  /** Auth headers for one request (a service-account token is re-read when it rotates). */
  headers(): Promise<Record<string, string>>;
  /** Credential strings of the kubeconfig in use: scrubbed from every result and error. */
  secrets: readonly string[];
  /** When the credential expires (ACK temporary kubeconfigs). */
  expiresAt?: Date;
  close(): void;
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  accept?: string;
  contentType?: string;
  body?: string;
}

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A Kubernetes `Status` object as the API server returns it on errors. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
}

/** Thrown for a non-2xx answer; carries the Status so callers (drain) can read its details. */
export class KubeApiError extends OpsError {
  readonly status: number;
  readonly kubeStatus: KubeStatus | undefined;
  constructor(
    code: ConstructorParameters<typeof OpsError>[0],
    message: string,
    status: number,
    kubeStatus: KubeStatus | undefined,
    options: ConstructorParameters<typeof OpsError>[2],
  ) {
    super(code, message, options);
    this.status = status;
    this.kubeStatus = kubeStatus;
  }
}

/** Replaces every credential string of the connection in a text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8 && out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Maps an API server answer to a core error, with the Status message and its causes. */
export function statusError(res: KubeResponse, secrets: readonly string[], what: string): KubeApiError {
  const st = parseStatus(res.text);
  const statusMessage = st?.message ?? (res.text.slice(0, 300) || `HTTP ${res.status}`);
  const causes = (st?.details?.causes ?? [])
    .map((c) => [c.field, c.message].filter(Boolean).join(': '))
    .filter(Boolean);
  const auditId = res.headers['audit-id'];
  const upstream = {
    code: st?.reason ?? `HTTP${res.status}`,
    status: res.status,
    requestId: typeof auditId === 'string' ? auditId : undefined,
  };
  let code: ConstructorParameters<typeof OpsError>[0];
  let hint: string | undefined;
  switch (res.status) {
    case 400:
      code = 'INVALID_ARGUMENT';
      break;
    case 401:
      code = 'INVALID_CREDENTIALS';
      hint =
        'The cluster did not accept the credentials: the kubeconfig may have expired or been revoked; retry to fetch a new one.';
      break;
    case 403:
      code = 'PERMISSION_DENIED';
      hint =
        'The identity lacks the RBAC permission named above; grant it with a Role/ClusterRole binding or use another identity.';
      break;
    case 404:
      code = 'RESOURCE_NOT_FOUND';
      hint = 'Check the name and namespace (-n); "get <type>" lists what exists.';
      break;
    case 405:
      code = 'OPERATION_NOT_SUPPORTED';
      break;
    case 409:
      code = 'INVALID_ARGUMENT';
      hint =
        st?.reason === 'AlreadyExists'
          ? 'The object exists already: use apply to update it.'
          : 'Another writer changed the object or owns these fields; read it again, or use apply --force-conflicts to take ownership.';
      break;
    case 410:
      code = 'INVALID_ARGUMENT';
      hint = 'The continue token has expired; run the get again without --continue.';
      break;
    case 422:
      code = 'INVALID_ARGUMENT';
      break;
    case 429:
      code = 'RATE_LIMITED';
      break;
    case 503:
    case 504:
      code = 'PROVIDER_NOT_AVAILABLE';
      break;
    default:
      code = res.status >= 500 ? 'UPSTREAM_ERROR' : 'INVALID_ARGUMENT';
  }
  const message = `${what}: ${statusMessage}${causes.length && !statusMessage.includes(causes[0] as string) ? ` (${causes.join('; ')})` : ''}`;
  return new KubeApiError(code, scrubText(message, secrets), res.status, st, {
    hint,
    upstream,
    retryable: code === 'RATE_LIMITED' || code === 'PROVIDER_NOT_AVAILABLE',
  });
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** One call's view of a connection: its abort signal, timeout and retry budget. */
export class KubeApi {
  constructor(
    readonly connection: KubeConnection,
    private readonly options: { signal: AbortSignal; timeoutMs: number; maxRetries: number },
  ) {}

  get signal(): AbortSignal {
    return this.options.signal;
  }

  /** Sends a request; reads (GET) are retried on throttling, 5xx and reset connections, writes never. */
  async request(req: KubeRequest, what: string): Promise<KubeResponse> {
    const read = req.method === 'GET';
    const attempts = read ? this.options.maxRetries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      let res: KubeResponse;
      try {
        res = await this.send(req);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (read && attempt + 1 < attempts && RETRYABLE_NETWORK.has(code)) {
          await sleep(backoffDelay(attempt), this.options.signal);
          continue;
        }
        throw this.networkError(error, what, read);
      }
      if (res.status >= 200 && res.status < 300) return res;
      if (read && attempt + 1 < attempts && RETRYABLE_STATUS.has(res.status)) {
        await sleep(backoffDelay(attempt), this.options.signal);
        continue;
      }
      throw statusError(res, this.connection.secrets, what);
    }
  }

  async json<T>(req: KubeRequest, what: string): Promise<T> {
    const res = await this.request({ accept: 'application/json', ...req }, what);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new OpsError('UPSTREAM_ERROR', `${what}: the API server answered with something that is not JSON.`);
    }
  }

  private networkError(error: unknown, what: string, read: boolean): OpsError {
    if (error instanceof OpsError) return error;
    const e = error as NodeJS.ErrnoException;
    const detail = scrubText(e?.message ?? String(error), this.connection.secrets);
    if (this.options.signal.aborted) {
      const reason: unknown = this.options.signal.reason;
      return reason instanceof OpsError ? reason : new OpsError('CANCELLED', `${what}: cancelled.`);
    }
    if (e?.code === 'KUBE_TIMEOUT') {
      return new OpsError(
        'TIMEOUT',
        `${what}: the API server did not answer within ${this.options.timeoutMs / 1000} s.`,
        {
          hint: read
            ? 'Retry, or narrow the request (-n, -l, --limit).'
            : 'The change may or may not have been applied: check with get before retrying.',
        },
      );
    }
    if (/certificate|self[- ]signed|unable to verify|CERT_|alert/i.test(`${e?.code} ${detail}`)) {
      return new OpsError('INVALID_CREDENTIALS', `${what}: TLS with the API server failed (${detail}).`, {
        hint: 'The kubeconfig and the cluster do not match (CA or client certificate); retry to fetch a fresh kubeconfig.',
      });
    }
    return new OpsError(
      'PROVIDER_NOT_AVAILABLE',
      `${what}: cannot reach the API server ${this.connection.server.host} (${detail}).`,
      {
        hint: 'Check that this server can reach the cluster endpoint (public vs private endpoint: KUBECONFIG_MODE).',
        retryable: read,
      },
    );
  }

  private async send(req: KubeRequest): Promise<KubeResponse> {
    const url = new URL(this.connection.server.toString());
    const basePath = url.pathname.replace(/\/$/, '');
    url.pathname = `${basePath}${req.path}`;
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      ...(await this.connection.headers()),
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'opsmcp-ack',
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const signal = this.options.signal;
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<KubeResponse>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const request = lib.request(url, { method: req.method, headers, agent: this.connection.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      const timer = setTimeout(() => {
        const err = new Error('timeout') as NodeJS.ErrnoException;
        err.code = 'KUBE_TIMEOUT';
        request.destroy(err);
      }, this.options.timeoutMs);
      const onAbort = () => request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', reject);
      request.on('close', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
      request.end(req.body);
    });
  }
}
