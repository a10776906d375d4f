import { VULTR_BANDWIDTH, VULTR_INSTANCES } from './data/vultr.js';
import { bearerToken, type FakeReply, type FakeRequest, type FakeServer, startFakeServer } from './rest-fake.js';

/**
 * An in-process Vultr v2 API on 127.0.0.1: Bearer API keys checked, cursor paging
 * (`meta.links.next`/`prev`, "" when none), the `main_ip`/`label`/`tag`/`region` filters, the
 * power endpoints `POST /instances/{id}/start|halt|reboot` answering 204 with no body (and
 * changing `power_status`), and daily bandwidth. `POST /instances/{id}/actions` does not exist
 * on Vultr, so the fake refuses it as the API does.
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped JSON
type Json = any;

export interface FakeVultrOptions {
  /** API keys the fake accepts. */
  apiKeys: string[];
  /** The largest page the fake serves, below the API's 500, to exercise the cursor with few instances. */
  pageSizeCap?: number;
}

export interface FakeVultr extends FakeServer {
  instances: Json[];
  instance(id: string): Json | undefined;
  /** Restores the initial data and clears the request log. */
  reset(): void;
}

const clone = <T>(value: T): T => structuredClone(value);
const error = (status: number, message: string): FakeReply => ({ status, body: { error: message, status } });
const cursorFor = (direction: 'next' | 'prev', offset: number) =>
  Buffer.from(`${direction}__${offset}`).toString('base64');

export async function startFakeVultr(options: FakeVultrOptions): Promise<FakeVultr> {
  const apiKeys = new Set(options.apiKeys);
  const pageSizeCap = Math.min(500, options.pageSizeCap ?? 500);
  const state = { instances: clone(VULTR_INSTANCES) };
  const instance = (id: string) => state.instances.find((i) => i.id === id);

  function list(request: FakeRequest): FakeReply {
    const perPageAsked = Number(request.query.get('per_page') ?? '100');
    if (!Number.isInteger(perPageAsked) || perPageAsked < 1 || perPageAsked > 500) {
      return error(400, 'per_page must be between 1 and 500.');
    }
    const perPage = Math.min(perPageAsked, pageSizeCap);
    let items = state.instances;
    for (const field of ['main_ip', 'label', 'region'] as const) {
      const value = request.query.get(field);
      if (value) items = items.filter((i) => i[field] === value);
    }
    const tag = request.query.get('tag');
    if (tag) items = items.filter((i) => (i.tags ?? []).includes(tag));
    let offset = 0;
    const cursor = request.query.get('cursor');
    if (cursor) {
      const decoded = /^(next|prev)__(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!decoded) return error(400, 'Invalid cursor.');
      offset = Number(decoded[2]);
    }
    const end = offset + perPage;
    return {
      status: 200,
      body: {
        instances: clone(items.slice(offset, end)),
        meta: {
          total: items.length,
          links: {
            next: end < items.length ? cursorFor('next', end) : '',
            prev: offset > 0 ? cursorFor('prev', Math.max(0, offset - perPage)) : '',
          },
        },
      },
    };
  }

  function power(id: string, endpoint: string): FakeReply {
    const target = instance(id);
    if (!target) return error(404, 'Invalid instance-id.');
    if (target.status !== 'active')
      return error(400, `Unable to ${endpoint} server: the subscription is ${target.status}.`);
    // start on a running instance restarts it on Vultr; either way it ends up running.
    target.power_status = endpoint === 'halt' ? 'stopped' : 'running';
    return { status: 204 };
  }

  function bandwidth(id: string): Json {
    const own = VULTR_BANDWIDTH[id];
    if (own) return clone(own);
    // Three UTC days of modest traffic, deterministic per instance.
    const idSum = [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    const days: Record<string, { incoming_bytes: number; outgoing_bytes: number }> = {};
    for (let back = 3; back >= 1; back--) {
      const day = new Date(Date.UTC(2024, 2, 9 - back)).toISOString().slice(0, 10);
      days[day] = { incoming_bytes: (idSum % 50) * 1_000_000 * back, outgoing_bytes: (idSum % 70) * 1_500_000 * back };
    }
    return days;
  }

  function handle(request: FakeRequest): FakeReply {
    const key = bearerToken(request.headers);
    if (!key || !apiKeys.has(key)) return error(401, 'Invalid API token.');
    const { method, path } = request;
    if (method === 'GET' && path === '/v2/instances') return list(request);
    /** The captures of `pattern` in the path (strings), or undefined when it does not match. */
    const route = (pattern: RegExp) => pattern.exec(path)?.slice(1) as string[] | undefined;
    let m: string[] | undefined;
    m = route(/^\/v2\/instances\/([0-9a-f-]{36})$/);
    if (m && method === 'GET') {
      const found = instance(m[0] as string);
      return found ? { status: 200, body: { instance: clone(found) } } : error(404, 'Invalid instance-id.');
    }
    m = route(/^\/v2\/instances\/([0-9a-f-]{36})\/(start|halt|reboot)$/);
    if (m && method === 'POST') {
      return power(m[0] as string, m[1] as string);
    }
    m = route(/^\/v2\/instances\/([0-9a-f-]{36})\/bandwidth$/);
    if (m && method === 'GET') {
      if (!instance(m[0] as string)) return error(404, 'Invalid instance-id.');
      return { status: 200, body: { bandwidth: bandwidth(m[0] as string) } };
    }
    return error(404, 'Invalid API endpoint.');
  }

  const server = await startFakeServer(handle);
  return Object.assign(server, {
    get instances() {
      return state.instances;
    },
    instance,
    reset() {
      state.instances = clone(VULTR_INSTANCES);
      server.requests.length = 0;
      server.clearFailures();
    },
  });
}
