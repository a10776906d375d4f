import {
  DIGITALOCEAN_ACTION_HISTORY,
  DIGITALOCEAN_DROPLETS,
  DIGITALOCEAN_GPU_DROPLETS,
  DIGITALOCEAN_RESERVED_IPS,
} from './data/digitalocean.js';
import { bearerToken, type FakeReply, type FakeRequest, type FakeServer, startFakeServer } from './rest-fake.js';

/**
 * An in-process DigitalOcean v2 API on 127.0.0.1: Bearer tokens checked, page/per_page paging
 * with absolute `links.pages.next` URLs pointing at the fake, 201 power actions that complete
 * after a delay and change the droplet's status, reserved IPs, and the monitoring API's
 * Prometheus-style matrices (cumulative CPU counters per mode, bandwidth in Mbps, memory only
 * for droplets with the agent).
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped JSON
type Json = any;

export interface FakeDigitalOceanOptions {
  /** Tokens the fake accepts. */
  tokens: string[];
  /** How long a power action stays in progress (default 1500 ms). */
  actionDelayMs?: number;
  /** The largest page the fake serves, below the API's 200, to exercise paging with few droplets. */
  pageSizeCap?: number;
}

export interface FakeDigitalOcean extends FakeServer {
  droplets: Json[];
  gpuDroplets: Json[];
  actions: Json[];
  /** Serves this matrix result for `metric` of `dropletId` instead of generated series. */
  setMetric(metric: string, dropletId: number, result: Json[]): void;
  /** The droplet with this id (either listing). */
  droplet(id: number): Json | undefined;
  /** Restores the initial data and clears the request log. */
  reset(): void;
}

const ACTION_TYPES = new Set(['power_on', 'power_off', 'shutdown', 'reboot', 'power_cycle']);
const METRICS = new Set([
  'cpu',
  'bandwidth',
  'memory_total',
  'memory_free',
  'memory_available',
  'memory_cached',
  'filesystem_size',
  'filesystem_free',
  'load_1',
  'load_5',
  'load_15',
]);
const AGENT_METRICS = new Set([...METRICS].filter((m) => m !== 'cpu' && m !== 'bandwidth'));
/** Points a generated series has at most; the step grows with the range. */
const MAX_POINTS = 300;

const clone = <T>(value: T): T => structuredClone(value);
const error = (status: number, id: string, message: string): FakeReply => ({
  status,
  body: { id, message, request_id: `req-${Math.random().toString(16).slice(2, 10)}` },
});

export async function startFakeDigitalOcean(options: FakeDigitalOceanOptions): Promise<FakeDigitalOcean> {
  const tokens = new Set(options.tokens);
  const actionDelayMs = options.actionDelayMs ?? 1500;
  const pageSizeCap = Math.min(200, options.pageSizeCap ?? 200);
  const state = {
    droplets: clone(DIGITALOCEAN_DROPLETS),
    gpuDroplets: clone(DIGITALOCEAN_GPU_DROPLETS),
    actions: clone(DIGITALOCEAN_ACTION_HISTORY),
  };
  const metricOverrides = new Map<string, Json[]>();
  let nextActionId = 2201000100;

  const droplet = (id: number) => [...state.droplets, ...state.gpuDroplets].find((d) => d.id === id);

  /** Completes the actions whose time has come, applying their effect to the droplet. */
  function settleActions(now = Date.now()) {
    for (const action of state.actions) {
      const startedMs = action.startedAtMs ?? Date.parse(action.started_at);
      if (action.status !== 'in-progress' || now - startedMs < actionDelayMs) continue;
      action.status = 'completed';
      action.completed_at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const target = droplet(action.resource_id);
      if (!target) continue;
      target.locked = false;
      if (action.type === 'power_on' || action.type === 'reboot' || action.type === 'power_cycle') {
        target.status = 'active';
      } else {
        target.status = 'off';
      }
    }
  }

  function page(request: FakeRequest, key: string, items: Json[]): FakeReply {
    const pageNumber = Number(request.query.get('page') ?? '1');
    const perPageAsked = Number(request.query.get('per_page') ?? '20');
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(perPageAsked) || perPageAsked < 1) {
      return error(400, 'bad_request', 'page and per_page must be positive integers.');
    }
    const perPage = Math.min(perPageAsked, pageSizeCap);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const url = new URL(request.path, request.origin);
      for (const [name, value] of request.query) url.searchParams.set(name, value);
      url.searchParams.set('page', String(n));
      url.searchParams.set('per_page', String(perPage));
      return url.toString();
    };
    const pages: Record<string, string> = {};
    if (pageNumber > 1) {
      pages.first = link(1);
      pages.prev = link(pageNumber - 1);
    }
    if (pageNumber < last) {
      pages.next = link(pageNumber + 1);
      pages.last = link(last);
    }
    return {
      status: 200,
      body: {
        [key]: clone(items.slice((pageNumber - 1) * perPage, pageNumber * perPage)),
        links: { pages },
        meta: { total: items.length },
      },
    };
  }

  function postAction(request: FakeRequest, dropletId: number): FakeReply {
    const target = droplet(dropletId);
    if (!target) return error(404, 'not_found', 'The resource you requested could not be found.');
    if (!String(request.headers['content-type'] ?? '').includes('application/json')) {
      return error(415, 'unsupported_media_type', 'The request body must be JSON.');
    }
    let body: Json;
    try {
      body = JSON.parse(request.body);
    } catch {
      return error(400, 'bad_request', 'The request body is not valid JSON.');
    }
    if (!ACTION_TYPES.has(body?.type)) {
      return error(422, 'unprocessable_entity', `"${String(body?.type)}" is not a droplet action this fake knows.`);
    }
    if (target.locked) return error(422, 'unprocessable_entity', 'Droplet already has a pending event.');
    const now = new Date();
    const action = {
      id: nextActionId++,
      status: 'in-progress',
      type: body.type,
      started_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      completed_at: null,
      resource_id: target.id,
      resource_type: 'droplet',
      region: clone(target.region),
      region_slug: target.region?.slug ?? null,
    };
    // Millisecond start time, so the completion delay is exact while the wire shows whole seconds.
    Object.defineProperty(action, 'startedAtMs', { value: now.getTime(), enumerable: false });
    state.actions.unshift(action);
    target.locked = true;
    return { status: 201, body: { action: clone(action) } };
  }

  function metric(request: FakeRequest, name: string): FakeReply {
    if (!METRICS.has(name)) return error(404, 'not_found', 'The resource you requested could not be found.');
    const hostId = request.query.get('host_id') ?? '';
    const start = Number(request.query.get('start'));
    const end = Number(request.query.get('end'));
    if (!/^\d+$/.test(hostId) || !Number.isInteger(start) || !Number.isInteger(end) || end <= start) {
      return error(400, 'bad_request', 'host_id, start and end (unix seconds, start < end) are required.');
    }
    const target = droplet(Number(hostId));
    if (!target) return error(404, 'not_found', 'The resource you requested could not be found.');
    if (name === 'bandwidth') {
      const iface = request.query.get('interface');
      const direction = request.query.get('direction');
      if (!['public', 'private'].includes(iface ?? '') || !['inbound', 'outbound'].includes(direction ?? '')) {
        return error(400, 'bad_request', 'bandwidth needs interface=public|private and direction=inbound|outbound.');
      }
    }
    const override = metricOverrides.get(`${name}/${hostId}`);
    let result: Json[];
    if (override) {
      result = clone(override);
    } else if (AGENT_METRICS.has(name) && !(target.features ?? []).includes('monitoring')) {
      result = [];
    } else {
      result = generateSeries(name, target, start, end, request.query);
    }
    return { status: 200, body: { status: 'success', data: { resultType: 'matrix', result } } };
  }

  async function handle(request: FakeRequest): Promise<FakeReply> {
    const token = bearerToken(request.headers);
    if (!token || !tokens.has(token)) return error(401, 'unauthorized', 'Unable to authenticate you.');
    settleActions();
    const { method, path } = request;
    /** The captures of `pattern` in the path (strings), or undefined when it does not match. */
    const route = (pattern: RegExp) => pattern.exec(path)?.slice(1) as string[] | undefined;
    let m: string[] | undefined;
    if (method === 'GET' && path === '/v2/droplets') {
      const type = request.query.get('type');
      const tag = request.query.get('tag_name');
      let items = type === 'gpus' ? state.gpuDroplets : state.droplets;
      if (tag) items = items.filter((d) => (d.tags ?? []).includes(tag));
      return page(request, 'droplets', items);
    }
    m = route(/^\/v2\/droplets\/(\d+)$/);
    if (m && method === 'GET') {
      const found = droplet(Number(m[0]));
      return found
        ? { status: 200, body: { droplet: clone(found) } }
        : error(404, 'not_found', 'The resource you requested could not be found.');
    }
    m = route(/^\/v2\/droplets\/(\d+)\/actions$/);
    if (m) {
      const id = Number(m[0]);
      if (method === 'POST') return postAction(request, id);
      if (method === 'GET') {
        if (!droplet(id)) return error(404, 'not_found', 'The resource you requested could not be found.');
        return page(
          request,
          'actions',
          state.actions.filter((a) => a.resource_id === id),
        );
      }
    }
    m = route(/^\/v2\/(?:droplets\/\d+\/)?actions\/(\d+)$/);
    if (m && method === 'GET') {
      const action = state.actions.find((a) => a.id === Number(m?.[0]));
      return action
        ? { status: 200, body: { action: clone(action) } }
        : error(404, 'not_found', 'The resource you requested could not be found.');
    }
    m = route(/^\/v2\/reserved_ips\/([^/]+)$/);
    if (m && method === 'GET') {
      const ip = decodeURIComponent(m[0] as string);
      const reserved = DIGITALOCEAN_RESERVED_IPS.find((r) => r.ip === ip);
      if (!reserved) return error(404, 'not_found', 'The resource you requested could not be found.');
      const attached = reserved.dropletId === null ? null : droplet(reserved.dropletId);
      return {
        status: 200,
        body: {
          reserved_ip: {
            ip: reserved.ip,
            droplet: attached ? clone(attached) : null,
            region: { slug: reserved.region },
            locked: false,
            project_id: '746c6152-2fa2-11ed-92d3-27aaa54e4988',
          },
        },
      };
    }
    m = route(/^\/v2\/monitoring\/metrics\/droplet\/([a-z_0-9]+)$/);
    if (m && method === 'GET') {
      return metric(request, m[0] as string);
    }
    return error(404, 'not_found', 'The resource you requested could not be found.');
  }

  const server = await startFakeServer(handle);
  return Object.assign(server, {
    get droplets() {
      return state.droplets;
    },
    get gpuDroplets() {
      return state.gpuDroplets;
    },
    get actions() {
      return state.actions;
    },
    setMetric(name: string, dropletId: number, result: Json[]) {
      metricOverrides.set(`${name}/${dropletId}`, clone(result));
    },
    droplet,
    reset() {
      state.droplets = clone(DIGITALOCEAN_DROPLETS);
      state.gpuDroplets = clone(DIGITALOCEAN_GPU_DROPLETS);
      state.actions = clone(DIGITALOCEAN_ACTION_HISTORY);
      metricOverrides.clear();
      server.requests.length = 0;
      server.clearFailures();
    },
  });
}

/**
 * Deterministic series for a droplet over [start, end]: smooth curves offset by the droplet id.
 * CPU comes as cumulative CPU-seconds per mode (as node_exporter reports them), so consumers
 * must take differences; the rates sum to the droplet's vCPU count.
 */
function generateSeries(name: string, target: Json, start: number, end: number, query: URLSearchParams): Json[] {
  const step = Math.max(60, Math.ceil((end - start) / MAX_POINTS / 60) * 60);
  const times: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) times.push(t);
  const phase = (target.id % 97) / 97;
  const vcpus = target.vcpus ?? 1;
  const wave = (t: number, period: number) => Math.sin(t / period + phase * 6.28);
  const labels = { host_id: String(target.id) };
  const series = (metric: Record<string, string>, value: (t: number) => number, digits = 2) => ({
    metric: { ...labels, ...metric },
    values: times.map((t) => [t, value(t).toFixed(digits)]),
  });
  if (name === 'cpu') {
    // Rates per vCPU: idle 0.9 ± 0.05, user 0.07 ∓ 0.04, system 0.03; integrals of them.
    return [
      series({ mode: 'idle' }, (t) => vcpus * (0.9 * t + 0.05 * 600 * wave(t, 600))),
      series({ mode: 'user' }, (t) => vcpus * (0.07 * t - 0.04 * 600 * wave(t, 600))),
      series({ mode: 'system' }, (t) => vcpus * 0.03 * t),
    ];
  }
  if (name === 'bandwidth') {
    const iface = query.get('interface') ?? 'public';
    const direction = query.get('direction') ?? 'inbound';
    const base = direction === 'outbound' ? 0.8 : 0.5;
    return [
      series({ interface: iface, direction }, (t) => Math.max(0, base * (1 + 0.4 * wave(t, 900)) * (1 + phase)), 4),
    ];
  }
  const totalBytes = (target.memory ?? 1024) * 1024 * 1024;
  const available = (t: number) => totalBytes * (0.55 + 0.1 * wave(t, 1200));
  switch (name) {
    case 'memory_total':
      return [series({}, () => totalBytes, 0)];
    case 'memory_available':
      return [series({}, available, 0)];
    case 'memory_free':
      return [series({}, (t) => available(t) * 0.6, 0)];
    case 'memory_cached':
      return [series({}, (t) => available(t) * 0.3, 0)];
    case 'load_1':
    case 'load_5':
    case 'load_15':
      return [series({}, (t) => vcpus * (0.3 + 0.2 * wave(t, 700)))];
    case 'filesystem_size':
      return [series({ device: '/dev/vda1', fstype: 'ext4', mountpoint: '/' }, () => (target.disk ?? 25) * 1e9, 0)];
    case 'filesystem_free':
      return [series({ device: '/dev/vda1', fstype: 'ext4', mountpoint: '/' }, () => (target.disk ?? 25) * 0.6e9, 0)];
    default:
      return [];
  }
}
