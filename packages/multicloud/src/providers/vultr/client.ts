import { defaultHttpError, type HttpErrorInfo, type HttpMethod, OpsError, requestJson } from '@opsmcp/core';

/**
 * A small client for the Vultr v2 API over core's `requestJson`. It was chosen over
 * `@vultr/vultr-node`, which resolves HTTP errors as ordinary values instead of failing, has no
 * timeouts and ships the TypeScript compiler as a runtime dependency.
 */

export const VULTR_SERVICE = 'Vultr';

export const VULTR_PAGING = {
  /** The API's largest page. */
  perPage: 500,
  /** 20 pages of 500: 10,000 instances, then the listing says it was cut. */
  maxPages: 20,
} as const;

export interface VultrClientOptions {
  /** e.g. https://api.vultr.com/v2 */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

/** The instance fields this server reads; the API sends more. */
export interface VultrInstance {
  id: string;
  label: string;
  hostname?: string;
  os?: string;
  ram?: number;
  disk?: number;
  main_ip?: string;
  v6_main_ip?: string;
  internal_ip?: string;
  vcpu_count?: number;
  region?: string;
  plan?: string;
  date_created?: string;
  /** Subscription state: active, pending, suspended, resizing. */
  status: string;
  /** Power state: running or stopped. */
  power_status?: string;
  /** none, locked, installingbooting, ok. */
  server_status?: string;
  allowed_bandwidth?: number;
  features?: string[];
  tags?: string[];
  firewall_group_id?: string;
  vpc_only?: boolean;
}

export type VultrBandwidth = Record<string, { incoming_bytes?: number; outgoing_bytes?: number }>;

export interface VultrPaged<T> {
  items: T[];
  truncated: boolean;
  total: number | null;
}

/** The three power endpoints; Vultr has no graceful shutdown. */
export type VultrPowerEndpoint = 'start' | 'halt' | 'reboot';

export class VultrClient {
  private readonly base: string;

  constructor(private readonly options: VultrClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async request<T>(
    method: HttpMethod,
    path: string,
    query?: Record<string, string | number | undefined>,
  ): Promise<{ body: T; requestId: string | undefined; status: number }> {
    const response = await requestJson<T>({
      service: VULTR_SERVICE,
      method,
      url: `${this.base}${path}`,
      ...(query ? { query } : {}),
      headers: { authorization: `Bearer ${this.options.apiKey}` },
      read: method === 'GET',
      timeoutMs: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      mapError: mapVultrError,
    });
    return { body: response.body, requestId: response.requestId, status: response.status };
  }

  /** Every instance matching `filter`, following the `meta.links.next` cursor up to the paging bound. */
  async listInstances(
    filter: { main_ip?: string; label?: string; tag?: string; region?: string } = {},
  ): Promise<VultrPaged<VultrInstance>> {
    const items: VultrInstance[] = [];
    let total: number | null = null;
    let cursor: string | undefined;
    const seenCursors = new Set<string>();
    for (let page = 0; page < VULTR_PAGING.maxPages; page++) {
      const { body } = await this.request<{
        instances?: VultrInstance[];
        meta?: { total?: number; links?: { next?: string } };
      }>('GET', '/instances', { ...filter, per_page: VULTR_PAGING.perPage, cursor });
      if (!Array.isArray(body?.instances)) {
        throw new OpsError('UPSTREAM_ERROR', `${VULTR_SERVICE} answered GET /instances without an "instances" list.`, {
          retryable: false,
        });
      }
      items.push(...body.instances);
      if (total === null && typeof body.meta?.total === 'number') total = body.meta.total;
      const next = body.meta?.links?.next;
      // An empty cursor ends the listing; a repeated one would loop forever.
      if (typeof next !== 'string' || next === '' || seenCursors.has(next)) {
        return { items, truncated: false, total };
      }
      seenCursors.add(next);
      cursor = next;
    }
    return { items, truncated: true, total };
  }

  async getInstance(id: string): Promise<VultrInstance> {
    const path = `/instances/${encodeURIComponent(id)}`;
    const { body } = await this.request<{ instance?: VultrInstance }>('GET', path);
    if (!body?.instance) {
      throw new OpsError('UPSTREAM_ERROR', `${VULTR_SERVICE} answered GET ${path} without an instance.`, {
        retryable: false,
      });
    }
    return body.instance;
  }

  /** `POST /instances/{id}/start|halt|reboot`; Vultr answers 204 with nothing to follow. */
  async power(id: string, endpoint: VultrPowerEndpoint): Promise<{ requestId: string | undefined }> {
    const { requestId } = await this.request('POST', `/instances/${encodeURIComponent(id)}/${endpoint}`);
    return { requestId };
  }

  async getBandwidth(id: string): Promise<VultrBandwidth> {
    const path = `/instances/${encodeURIComponent(id)}/bandwidth`;
    const { body } = await this.request<{ bandwidth?: VultrBandwidth }>('GET', path);
    if (!body || typeof body.bandwidth !== 'object' || body.bandwidth === null) {
      throw new OpsError('UPSTREAM_ERROR', `${VULTR_SERVICE} answered GET ${path} without a bandwidth map.`, {
        retryable: false,
      });
    }
    return body.bandwidth;
  }
}

/**
 * Vultr errors are `{error, status}`. A key used from an address outside its access control
 * list is refused as unauthorised, so the hint names both causes.
 */
export function mapVultrError(info: HttpErrorInfo): OpsError | undefined {
  if (info.status === 401 || info.status === 403) {
    const upstream = { status: info.status, ...(info.requestId ? { requestId: info.requestId } : {}) };
    const said = info.message ? `: ${/[.!?…]$/.test(info.message) ? info.message : `${info.message}.`}` : '.';
    const request = `${info.method} ${info.path}`;
    return new OpsError(
      info.status === 401 ? 'INVALID_CREDENTIALS' : 'PERMISSION_DENIED',
      `Vultr refused ${request} (HTTP ${info.status})${said}`,
      {
        upstream,
        hint: "Check that VULTR_API_KEY is a valid, enabled API key and that its access control list allows this server's IP address.",
      },
    );
  }
  return defaultHttpError(info);
}
