import { type HttpErrorInfo, OpsError, requestJson } from '@opsmcp/core';

/** Prometheus refuses a range query whose (end - start) / step exceeds this many points per series. */
export const PROMETHEUS_MAX_POINTS = 11_000;
/** Points a range query aims for when no step is given. */
const DEFAULT_POINTS = 300;

export type PrometheusResultType = 'vector' | 'matrix' | 'scalar' | 'string';

export interface PrometheusSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export interface PrometheusData {
  resultType: PrometheusResultType;
  result: PrometheusSeries[] | [number, string];
}

interface PrometheusEnvelope {
  status?: string;
  data?: PrometheusData;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface PrometheusApiOptions {
  /** Base of the HTTP API: `http://host:9090` or an ARMS URL ending in `/api/v1/prometheus/<…>`. */
  baseUrl: string;
  bearerToken?: string;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

export interface PrometheusAnswer {
  data: PrometheusData;
  warnings: string[];
}

/** Step in seconds of a step text: `30`, `30s`, `1m`, `1h`. */
export function parseStep(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
  if (!m)
    throw new OpsError('INVALID_ARGUMENT', `step "${value.slice(0, 20)}" is not a duration such as 30s, 1m or 60.`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * The step of a range query: the requested one, else one giving about 300 points; raised when
 * it would make Prometheus exceed its 11,000-point limit, which it would refuse.
 */
export function chooseStep(
  startSeconds: number,
  endSeconds: number,
  requested?: number,
): { step: number; raisedFrom?: number } {
  const range = endSeconds - startSeconds;
  const minimum = Math.max(1, Math.ceil(range / PROMETHEUS_MAX_POINTS));
  if (requested === undefined) return { step: Math.max(minimum, Math.ceil(range / DEFAULT_POINTS)) };
  if (requested >= minimum && range / requested <= PROMETHEUS_MAX_POINTS) return { step: requested };
  return { step: minimum, raisedFrom: requested };
}

/** Joins the API path to a base URL, whatever its own path (ARMS URLs have one). */
export function prometheusUrl(baseUrl: string, path: '/api/v1/query' | '/api/v1/query_range'): string {
  const base = baseUrl.trim().replace(/\/+$/, '');
  const withoutApi = base.endsWith('/api/v1') ? base.slice(0, -'/api/v1'.length) : base;
  return `${withoutApi}${path}`;
}

/** Prometheus' own error answer: bad PromQL and execution errors are the caller's to fix. */
function mapPrometheusError(info: HttpErrorInfo): OpsError | undefined {
  const json = info.json as PrometheusEnvelope | undefined;
  const said = typeof json?.error === 'string' ? json.error.slice(0, 500) : undefined;
  if (!said) return undefined;
  if (info.status === 400 || info.status === 422) {
    return new OpsError(
      'INVALID_ARGUMENT',
      `Prometheus rejected the query (${json?.errorType ?? info.status}): ${said}`,
      {
        upstream: { status: info.status, ...(json?.errorType ? { code: json.errorType } : {}) },
        hint: 'Correct the PromQL (query_prometheus_metric_guidance lists tested queries) and call again.',
      },
    );
  }
  if (info.status === 503 && json?.errorType === 'timeout') {
    return new OpsError('TIMEOUT', `Prometheus gave up on the query: ${said}`, {
      upstream: { status: info.status, code: 'timeout' },
      retryable: false,
      hint: 'Narrow the query (fewer series, a shorter range or a larger step).',
    });
  }
  return undefined;
}

/** The Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), reads with bounded retries. */
export class PrometheusApi {
  constructor(private readonly options: PrometheusApiOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  instant(query: string, timeSeconds?: number): Promise<PrometheusAnswer> {
    return this.get('/api/v1/query', { query, ...(timeSeconds !== undefined ? { time: String(timeSeconds) } : {}) });
  }

  range(query: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<PrometheusAnswer> {
    return this.get('/api/v1/query_range', {
      query,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    });
  }

  private async get(path: '/api/v1/query' | '/api/v1/query_range', query: Record<string, string>) {
    const { options } = this;
    const response = await requestJson<PrometheusEnvelope>({
      service: 'Prometheus',
      method: 'GET',
      url: prometheusUrl(options.baseUrl, path),
      query,
      headers: {
        accept: 'application/json',
        ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
      },
      read: true,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...(options.signal ? { signal: options.signal } : {}),
      mapError: mapPrometheusError,
    });
    const body = response.body;
    if (!body || typeof body !== 'object' || body.status !== 'success' || !body.data) {
      throw new OpsError('UPSTREAM_ERROR', `Prometheus ${path} answered without a result.`, {
        retryable: false,
        hint: 'The URL may not be a Prometheus HTTP API; check the endpoint (PROMETHEUS_HTTP_API* or the ARMS instance).',
      });
    }
    return { data: body.data, warnings: Array.isArray(body.warnings) ? body.warnings.map(String) : [] };
  }
}

/** Where a cluster's Prometheus is, and how it was found. */
export interface PrometheusLocation {
  baseUrl: string;
  source: string;
}

/** A `cluster_id=url` list entry, read leniently (spaces allowed). */
export function parsePrometheusMap(entries: readonly string[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) map.set(entry.slice(0, at).trim(), entry.slice(at + 1).trim());
  }
  return map;
}

/**
 * Checks the Prometheus settings at startup: PROMETHEUS_HTTP_API an http(s) URL, each
 * PROMETHEUS_HTTP_API_MAP entry `cluster_id=url` with such a URL. Throws naming the setting;
 * a URL's user part is never repeated.
 */
export function checkPrometheusSettings(settings: {
  prometheusHttpApi?: string | undefined;
  prometheusHttpApiMap?: readonly string[] | undefined;
}): void {
  const checkUrl = (value: string, what: string) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${what} is not a URL; give the Prometheus HTTP API base, e.g. http://prometheus:9090.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} must be an http(s) URL.`);
    if (url.username || url.password) {
      throw new Error(`${what} must not carry a user or password; use PROMETHEUS_BEARER_TOKEN for a token.`);
    }
  };
  if (settings.prometheusHttpApi !== undefined) checkUrl(settings.prometheusHttpApi.trim(), 'PROMETHEUS_HTTP_API');
  for (const entry of settings.prometheusHttpApiMap ?? []) {
    const at = entry.indexOf('=');
    const clusterId = at > 0 ? entry.slice(0, at).trim() : '';
    if (!clusterId) {
      throw new Error('PROMETHEUS_HTTP_API_MAP entries must be cluster_id=url pairs separated by commas.');
    }
    checkUrl(entry.slice(at + 1).trim(), `PROMETHEUS_HTTP_API_MAP entry for ${clusterId.slice(0, 40)}`);
  }
}

/**
 * The Prometheus configured by environment for a cluster: `PROMETHEUS_HTTP_API_<cluster_id>`
 * (read from the process environment at call time, as the original ack-mcp-server did), then
 * PROMETHEUS_HTTP_API_MAP, then PROMETHEUS_HTTP_API.
 */
export function prometheusFromEnvironment(
  clusterId: string,
  settings: { prometheusHttpApi?: string | undefined; prometheusHttpApiMap?: string[] | undefined },
  env: NodeJS.ProcessEnv = process.env,
): PrometheusLocation | undefined {
  const perCluster = env[`PROMETHEUS_HTTP_API_${clusterId}`]?.trim();
  if (perCluster) return { baseUrl: perCluster, source: `PROMETHEUS_HTTP_API_${clusterId}` };
  const mapped = parsePrometheusMap(settings.prometheusHttpApiMap).get(clusterId);
  if (mapped) return { baseUrl: mapped, source: 'PROMETHEUS_HTTP_API_MAP' };
  if (settings.prometheusHttpApi) return { baseUrl: settings.prometheusHttpApi, source: 'PROMETHEUS_HTTP_API' };
  return undefined;
}

/** Checks a Prometheus base URL before anything is sent to it. */
export function checkPrometheusUrl(location: PrometheusLocation): PrometheusLocation {
  let url: URL;
  try {
    url = new URL(location.baseUrl);
  } catch {
    throw new OpsError('INVALID_ARGUMENT', `${location.source} "${location.baseUrl.slice(0, 80)}" is not a URL.`, {
      hint: 'Give the Prometheus HTTP API base, e.g. http://prometheus.monitoring:9090.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OpsError('INVALID_ARGUMENT', `${location.source} must be an http(s) URL.`);
  }
  return location;
}
