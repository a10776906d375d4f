import { defaultHttpError, type HttpErrorInfo, type HttpMethod, OpsError, requestJson } from '@opsmcp/core';

/**
 * A small client for the DigitalOcean v2 API over core's `requestJson`. It was chosen over the
 * SDKs because `digitalocean-js` keeps one process-wide token (two clients both send the last
 * one) and `@digitalocean/dots` fails to deserialise droplets that carry tags.
 */

export const DIGITALOCEAN_SERVICE = 'DigitalOcean';

/** Paging bounds: enough for large accounts, finite for a runaway cursor. */
export const DIGITALOCEAN_PAGING = {
  /** The API's largest page. */
  perPage: 200,
  /** 50 pages of 200: 10,000 droplets, then the listing says it was cut. */
  maxPages: 50,
} as const;

export interface DigitalOceanClientOptions {
  /** e.g. https://api.digitalocean.com/v2 */
  baseUrl: string;
  token: string;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

export interface DropletNetwork {
  ip_address: string;
  netmask?: string | number;
  gateway?: string;
  type: string;
}

/** The droplet fields this server reads; the API sends more. */
export interface Droplet {
  id: number;
  name: string;
  memory?: number;
  vcpus?: number;
  disk?: number;
  locked?: boolean;
  status: string;
  created_at?: string;
  features?: string[];
  image?: { id?: number; name?: string; distribution?: string; slug?: string | null } | null;
  size_slug?: string;
  size?: { slug?: string; price_monthly?: number; price_hourly?: number; description?: string } | null;
  networks?: { v4?: DropletNetwork[]; v6?: DropletNetwork[] };
  region?: { slug?: string; name?: string } | null;
  tags?: string[];
  volume_ids?: string[];
  vpc_uuid?: string;
}

export interface DropletAction {
  id: number;
  status: 'in-progress' | 'completed' | 'errored' | string;
  type: string;
  started_at?: string | null;
  completed_at?: string | null;
  resource_id?: number | null;
  resource_type?: string;
  region_slug?: string | null;
}

export interface ReservedIp {
  ip: string;
  droplet: Droplet | null;
  region?: { slug?: string; name?: string } | null;
  locked?: boolean;
}

/** A Prometheus-style range answer of the monitoring API. */
export interface MetricsMatrix {
  status?: string;
  data?: {
    resultType?: string;
    result?: Array<{ metric?: Record<string, string>; values?: Array<[number, string]> }>;
  };
}

export interface Paged<T> {
  items: T[];
  /** True when the paging bound stopped the listing before its last page. */
  truncated: boolean;
  /** `meta.total` of the first page, when the API sent it. */
  total: number | null;
}

interface PageEnvelope {
  links?: { pages?: { next?: string } };
  meta?: { total?: number };
}

export class DigitalOceanClient {
  private readonly base: string;

  constructor(private readonly options: DigitalOceanClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async request<T>(
    method: HttpMethod,
    path: string,
    init: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<{ body: T; requestId: string | undefined; status: number }> {
    const read = method === 'GET';
    const response = await requestJson<T>({
      service: DIGITALOCEAN_SERVICE,
      method,
      url: `${this.base}${path}`,
      ...(init.query ? { query: init.query } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      headers: { authorization: `Bearer ${this.options.token}` },
      read,
      timeoutMs: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      mapError: mapDigitalOceanError,
    });
    return { body: response.body, requestId: response.requestId, status: response.status };
  }

  /**
   * Every page of a listing, up to the paging bound. The `next` link's page number is followed
   * against the configured base URL rather than the link itself, so the token only ever goes to
   * the configured endpoint.
   */
  async listAll<T>(
    path: string,
    key: string,
    query: Record<string, string | number | undefined> = {},
    maxItems = Number.POSITIVE_INFINITY,
  ): Promise<Paged<T>> {
    const items: T[] = [];
    let total: number | null = null;
    let page = 1;
    const perPage = Math.max(1, Math.min(DIGITALOCEAN_PAGING.perPage, maxItems));
    for (let fetched = 0; fetched < DIGITALOCEAN_PAGING.maxPages; fetched++) {
      const { body } = await this.request<PageEnvelope & Record<string, unknown>>('GET', path, {
        query: { ...query, page, per_page: perPage },
      });
      const pageItems = body?.[key];
      if (!Array.isArray(pageItems)) {
        throw new OpsError('UPSTREAM_ERROR', `${DIGITALOCEAN_SERVICE} answered GET ${path} without a "${key}" list.`, {
          retryable: false,
        });
      }
      if (total === null && typeof body.meta?.total === 'number') total = body.meta.total;
      items.push(...(pageItems as T[]));
      if (items.length >= maxItems) {
        return {
          items: items.slice(0, maxItems),
          truncated: items.length > maxItems || nextPage(body, page) !== null,
          total,
        };
      }
      const next = nextPage(body, page);
      if (next === null) return { items, truncated: false, total };
      page = next;
    }
    return { items, truncated: true, total };
  }

  /** Every droplet, GPU droplets included (the plain listing hides them). */
  async listDroplets(): Promise<Paged<Droplet>> {
    const [regular, gpus] = await Promise.all([
      this.listAll<Droplet>('/droplets', 'droplets'),
      this.listAll<Droplet>('/droplets', 'droplets', { type: 'gpus' }),
    ]);
    const seen = new Set(regular.items.map((d) => d.id));
    const items = [...regular.items, ...gpus.items.filter((d) => !seen.has(d.id))];
    items.sort((a, b) => a.id - b.id);
    const total = regular.total === null && gpus.total === null ? null : (regular.total ?? 0) + (gpus.total ?? 0);
    return { items, truncated: regular.truncated || gpus.truncated, total };
  }

  async getDroplet(id: number): Promise<Droplet> {
    const { body } = await this.request<{ droplet?: Droplet }>('GET', `/droplets/${id}`);
    if (!body?.droplet) {
      throw new OpsError('UPSTREAM_ERROR', `${DIGITALOCEAN_SERVICE} answered GET /droplets/${id} without a droplet.`, {
        retryable: false,
      });
    }
    return body.droplet;
  }

  /** The reserved IP `ip`, or null when the account has no such reserved IP. */
  async getReservedIp(ip: string): Promise<ReservedIp | null> {
    try {
      const { body } = await this.request<{ reserved_ip?: ReservedIp }>(
        'GET',
        `/reserved_ips/${encodeURIComponent(ip)}`,
      );
      return body?.reserved_ip ?? null;
    } catch (error) {
      if (error instanceof OpsError && error.code === 'RESOURCE_NOT_FOUND') return null;
      throw error;
    }
  }

  /** Starts a power action; DigitalOcean answers 201 with the action to follow. */
  async postDropletAction(
    dropletId: number,
    type: 'power_on' | 'power_off' | 'shutdown' | 'reboot',
  ): Promise<{ action: DropletAction; requestId: string | undefined }> {
    const path = `/droplets/${dropletId}/actions`;
    const { body, requestId } = await this.request<{ action?: DropletAction }>('POST', path, { body: { type } });
    if (!body?.action || typeof body.action.id !== 'number') {
      throw new OpsError(
        'UPSTREAM_ERROR',
        `${DIGITALOCEAN_SERVICE} accepted POST ${path} but sent no action back; the ${type} was probably started. Check the droplet's actions.`,
        { retryable: false, upstream: { ...(requestId ? { requestId } : {}) } },
      );
    }
    return { action: body.action, requestId };
  }

  async getAction(actionId: number): Promise<DropletAction> {
    const { body } = await this.request<{ action?: DropletAction }>('GET', `/actions/${actionId}`);
    if (!body?.action) {
      throw new OpsError(
        'UPSTREAM_ERROR',
        `${DIGITALOCEAN_SERVICE} answered GET /actions/${actionId} without an action.`,
        {
          retryable: false,
        },
      );
    }
    return body.action;
  }

  listDropletActions(dropletId: number, maxItems: number): Promise<Paged<DropletAction>> {
    return this.listAll<DropletAction>(`/droplets/${dropletId}/actions`, 'actions', {}, maxItems);
  }

  async getDropletMetric(
    metric: string,
    query: { host_id: string; start: number; end: number; interface?: string; direction?: string },
  ): Promise<MetricsMatrix> {
    const { body } = await this.request<MetricsMatrix>('GET', `/monitoring/metrics/droplet/${metric}`, { query });
    return body ?? {};
  }
}

/** The page number the `next` link points at, or null on the last page (or a link that goes backwards). */
function nextPage(body: PageEnvelope | undefined, current: number): number | null {
  const next = body?.links?.pages?.next;
  if (typeof next !== 'string' || next === '') return null;
  let page: number;
  try {
    page = Number(new URL(next).searchParams.get('page'));
  } catch {
    return null;
  }
  return Number.isInteger(page) && page > current ? page : null;
}

/**
 * DigitalOcean errors are `{id, message, request_id}`. 422 (`unprocessable_entity`) on a droplet
 * usually means it cannot take the action now (another event is pending, or it is in the wrong
 * state), which is not a problem with the call's arguments.
 */
export function mapDigitalOceanError(info: HttpErrorInfo): OpsError | undefined {
  const upstream = {
    ...(info.code ? { code: info.code } : {}),
    status: info.status,
    ...(info.requestId ? { requestId: info.requestId } : {}),
  };
  const said = info.message ? `: ${/[.!?…]$/.test(info.message) ? info.message : `${info.message}.`}` : '.';
  const request = `${info.method} ${info.path}`;
  if (info.status === 403) {
    return new OpsError('PERMISSION_DENIED', `DigitalOcean denied ${request} (HTTP 403)${said}`, {
      upstream,
      hint: 'The token is valid but lacks a scope this call needs (droplet:read, droplet:update for power actions, actions:read, monitoring:read, reserved_ip:read); create a token with those scopes.',
    });
  }
  if (info.status === 422) {
    return new OpsError('OPERATION_NOT_SUPPORTED', `DigitalOcean refused ${request} (HTTP 422)${said}`, {
      upstream,
      retryable: false,
      hint: 'The droplet cannot do this now (another action may be pending, or its state does not allow it); check its recent actions and current state before trying again.',
    });
  }
  return defaultHttpError(info);
}
