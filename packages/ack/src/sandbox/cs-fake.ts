import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAcs3Authorization, type SignatureVerdict, verifyAcs3Signature } from '@opsmcp/core/signing';
import {
  type CsSandboxState,
  createCsSandboxState,
  inspectionItems,
  NEW_DIAGNOSIS_RESULT,
  type SandboxNode,
  type SandboxNodePool,
  type SandboxTask,
} from './cs-data.js';
import { loadedYaml, loadYaml } from './yaml-on-demand.js';

/**
 * An in-process ACK CS API (ROA, version 2015-12-15) on 127.0.0.1. It checks every request's
 * ACS3-HMAC-SHA256 signature against the keys it was given (the action and version headers
 * included), routes on method and path as CS does, checks the parameters the way CS refuses
 * bad ones, and answers from a simulated account in the wire shapes. Errors are
 * `{code, message, requestId}` with a 4xx/5xx status. The sandbox serves users from it; tests
 * read what it received.
 */

const API_VERSION = '2015-12-15';
const MAX_BODY = 1024 * 1024;
const DEFAULT_RING_SIZE = 200;

export interface CsFakeKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests with this key must carry and sign this STS token. */
  securityToken?: string;
}

/** What DescribeClusterUserKubeconfig hands out for a cluster: where its Kubernetes API is and how to log in. */
export interface KubeconfigTarget {
  server: string;
  token?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface CsFakeOptions {
  keys: CsFakeKey[];
  state?: CsSandboxState;
  /** The Kubernetes API a cluster's kubeconfig points at; without it the fake has none to give. */
  kubeconfigFor?: (clusterId: string, options: { privateIpAddress: boolean }) => KubeconfigTarget | undefined;
  /** How many received requests are kept (the newest). */
  ringSize?: number;
}

export interface CsReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The route's action (or `x-acs-action` when no route matched). */
  action: string | undefined;
  accessKeyId: string | undefined;
  signature: SignatureVerdict;
  status: number;
  errorCode: string | undefined;
}

export interface CsInjectedFailure {
  status: number;
  code: string;
  message: string;
  /** Sent as `x-acs-retry-after` (milliseconds, as the SDK reads it). */
  retryAfterMs?: number;
}

export interface CsFake {
  /** `http://127.0.0.1:<port>`, usable as ACK_CS_ENDPOINT. */
  url: string;
  port: number;
  state: CsSandboxState;
  /** The newest received requests, oldest first. */
  readonly requests: readonly CsReceivedRequest[];
  clearRequests(): void;
  addKey(key: CsFakeKey): void;
  /** Answers the next `times` calls of `action` with this error instead of the data. */
  failNext(action: string, failure: CsInjectedFailure, times?: number): void;
  /** Delays every answer, to exercise timeouts. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

class CsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Call {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

interface Route {
  action: string;
  method: string;
  path: RegExp;
  handle(call: Call): unknown;
}

const SEGMENT = '([^/]+)';

export async function startCsFake(options: CsFakeOptions): Promise<CsFake> {
  const keys = new Map(options.keys.map((k) => [k.accessKeyId, k]));
  const state = options.state ?? createCsSandboxState();
  const ringSize = options.ringSize ?? DEFAULT_RING_SIZE;
  const received: CsReceivedRequest[] = [];
  const failures = new Map<string, CsInjectedFailure[]>();
  let delayMs = 0;

  const routes = buildRoutes(state, options);

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InternalError', message: 'the fake failed', requestId: newRequestId() }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = req.url ?? '/';
    const [rawPath = '/', rawQuery = ''] = url.split('?', 2);
    const path = decodeURIComponent(rawPath);
    const query = new URLSearchParams(rawQuery);
    const method = (req.method ?? 'GET').toUpperCase();
    // A kubeconfig is YAML text, as the real API returns it.
    if (path.endsWith('/user_config')) await loadYaml();
    const requestId = newRequestId();
    const record: CsReceivedRequest = {
      method,
      path,
      query: Object.fromEntries(query),
      headers: req.headers,
      body: undefined,
      action: undefined,
      accessKeyId: undefined,
      signature: { ok: false, reason: 'not checked' },
      status: 0,
      errorCode: undefined,
    };
    received.push(record);
    if (received.length > ringSize) received.splice(0, received.length - ringSize);

    const reply = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      record.status = status;
      res.writeHead(status, {
        'content-type': 'application/json;charset=utf-8',
        'x-acs-request-id': requestId,
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const fail = (fault: CsFault, headers: Record<string, string> = {}) => {
      record.errorCode = fault.code;
      return reply(
        fault.status,
        { code: fault.code, message: fault.message, requestId, status: fault.status },
        headers,
      );
    };

    let matched: { route: Route; params: string[] } | undefined;
    for (const route of routes) {
      if (route.method !== method) continue;
      const m = route.path.exec(path);
      if (m) {
        matched = { route, params: m.slice(1) };
        break;
      }
    }
    record.action = matched?.route.action ?? headerText(req.headers['x-acs-action']);

    const authorization = headerText(req.headers.authorization);
    const parsed = authorization ? parseAcs3Authorization(authorization) : 'missing Authorization header';
    if (typeof parsed === 'string') {
      record.signature = { ok: false, reason: parsed };
      return fail(new CsFault(400, 'IncompleteSignature', `The request signature is malformed: ${parsed}`));
    }
    record.accessKeyId = parsed.accessKeyId;
    const key = keys.get(parsed.accessKeyId);
    if (!key) {
      record.signature = { ok: false, reason: `unknown access key ${parsed.accessKeyId}` };
      return fail(new CsFault(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'));
    }
    record.signature = verifyAcs3Signature(
      { method, url, headers: req.headers, rawBody: raw },
      {
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        ...(key.securityToken ? { sessionToken: key.securityToken } : {}),
        ...(matched ? { expectAction: matched.route.action } : {}),
        expectVersion: API_VERSION,
      },
    );
    if (!record.signature.ok) {
      const reason = record.signature.reason;
      if (/^x-acs-(action|version) /.test(reason)) {
        return fail(new CsFault(400, 'InvalidAction.Mismatch', reason));
      }
      return fail(
        new CsFault(400, 'SignatureDoesNotMatch', 'The request signature does not conform to Aliyun standards.'),
      );
    }
    if (!matched) {
      return fail(new CsFault(404, 'InvalidAction.NotFound', `No CS API at ${method} ${path}.`));
    }

    const queue = failures.get(matched.route.action);
    const injected = queue?.shift();
    if (queue && queue.length === 0) failures.delete(matched.route.action);
    if (injected) {
      return fail(
        new CsFault(injected.status, injected.code, injected.message),
        injected.retryAfterMs !== undefined ? { 'x-acs-retry-after': String(injected.retryAfterMs) } : {},
      );
    }

    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      try {
        const parsedBody: unknown = JSON.parse(raw.toString('utf8'));
        if (!parsedBody || typeof parsedBody !== 'object' || Array.isArray(parsedBody))
          throw new Error('not an object');
        body = parsedBody as Record<string, unknown>;
      } catch {
        return fail(new CsFault(400, 'InvalidParameter', 'The request body is not a JSON object.'));
      }
    }
    record.body = raw.length > 0 ? body : undefined;

    try {
      const answer = matched.route.handle({ params: matched.params, query, body });
      return reply(200, answer);
    } catch (error) {
      if (error instanceof CsFault) return fail(error);
      throw error;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    get requests() {
      return received;
    },
    clearRequests: () => {
      received.length = 0;
    },
    addKey: (key) => {
      keys.set(key.accessKeyId, key);
    },
    failNext: (action, failure, times = 1) => {
      failures.set(action, [...(failures.get(action) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps process-wide keep-alive sockets open.
        server.closeAllConnections();
      }),
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function newRequestId(): string {
  return randomUUID().toUpperCase();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const invalid = (message: string) => new CsFault(400, 'InvalidParameter', message);

/** A query value as CS reads it: an integer within bounds, or the default when absent. */
function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw invalid(`${name} must be an integer.`);
  const value = Number(text);
  if (value < min || value > max) throw invalid(`${name} must be between ${min} and ${max}.`);
  return value;
}

function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw invalid(`${name} must be true or false.`);
  return text === 'true';
}

function withoutClusterId<T extends { cluster_id: string }>(item: T): Omit<T, 'cluster_id'> {
  const { cluster_id: _omitted, ...rest } = item;
  return rest;
}

function poolWire(pool: SandboxNodePool) {
  return withoutClusterId(pool);
}

function nodeWire(node: SandboxNode) {
  return withoutClusterId(node);
}

function taskWire(task: SandboxTask) {
  const { readsUntilDone: _reads, finalState: _final, ...rest } = task;
  return rest;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function buildRoutes(state: CsSandboxState, options: CsFakeOptions): Route[] {
  const cluster = (id: string) => {
    const found = state.clusters.find((c) => c.cluster_id === id);
    if (!found) throw new CsFault(404, 'ErrorClusterNotFound', `cluster ${id} not found`);
    return found;
  };
  const pool = (clusterId: string, poolId: string) => {
    cluster(clusterId);
    const found = state.nodepools.find((p) => p.cluster_id === clusterId && p.nodepool_info.nodepool_id === poolId);
    if (!found)
      throw new CsFault(404, 'ErrorNodePoolNotFound', `node pool ${poolId} not found in cluster ${clusterId}`);
    return found;
  };
  const nextId = (prefix: string, length: number) => {
    state.sequence += 1;
    return `${prefix}${randomBytes(length)
      .toString('hex')
      .slice(0, length * 2 - 4)}${String(state.sequence).padStart(4, '0')}`;
  };
  const newTask = (
    clusterId: string,
    type: string,
    poolId: string,
    parameters: Record<string, unknown>,
  ): SandboxTask => {
    const task: SandboxTask = {
      task_id: `T-${nextId('', 12)}`,
      cluster_id: clusterId,
      task_type: type,
      state: 'running',
      created: now(),
      updated: now(),
      current_stage: 'Running',
      target: { id: poolId, type: 'nodepool' },
      parameters,
      stages: [{ state: 'running', start_time: now(), end_time: '', message: `${type} started`, outputs: {} }],
      events: [],
      task_result: [],
      error: { code: '', message: '' },
      readsUntilDone: 1,
      finalState: 'success',
    };
    state.tasks.push(task);
    return task;
  };
  /** What happens when a running task finishes: the change takes effect. */
  const settle = (task: SandboxTask) => {
    task.state = task.finalState;
    task.updated = now();
    task.current_stage = '';
    task.stages = task.stages.map((s) => ({
      ...s,
      state: task.finalState,
      end_time: now(),
      message: `${task.task_type} finished`,
    }));
    if (task.finalState !== 'success') return;
    const target = state.nodepools.find((p) => p.nodepool_info.nodepool_id === task.target.id);
    if (task.task_type === 'nodepool_scaleout' && target) {
      const count = Number(task.parameters.count);
      target.status.total_nodes += count;
      target.status.healthy_nodes += count;
      target.status.serving_nodes += count;
    }
    if (task.task_type === 'nodepool_node_remove' && target) {
      const ids = task.parameters.instance_ids as string[];
      const before = state.nodes.length;
      state.nodes = state.nodes.filter((n) => !ids.includes(n.instance_id));
      const removed = before - state.nodes.length;
      target.status.total_nodes = Math.max(0, target.status.total_nodes - removed);
      target.status.healthy_nodes = Math.max(0, target.status.healthy_nodes - removed);
      target.status.serving_nodes = Math.max(0, target.status.serving_nodes - removed);
      target.status.removing_nodes = 0;
      task.task_result = ids.map((id) => ({ data: id, status: 'success' }));
    }
  };

  const route = (action: string, method: string, pattern: string, handle: (call: Call) => unknown): Route => ({
    action,
    method,
    path: new RegExp(`^${pattern.replaceAll('{}', SEGMENT)}$`),
    handle,
  });

  return [
    route('DescribeClustersV1', 'GET', '/api/v1/clusters', ({ query }) => {
      const pageNumber = intParam(query, 'page_number', 1, 1, 100_000);
      const pageSize = intParam(query, 'page_size', 10, 1, 500);
      const region = query.get('region_id');
      const name = query.get('name');
      const type = query.get('cluster_type');
      const matching = state.clusters.filter(
        (c) =>
          (!region || c.region_id === region) && (!name || c.name.includes(name)) && (!type || c.cluster_type === type),
      );
      const start = (pageNumber - 1) * pageSize;
      return {
        clusters: matching.slice(start, start + pageSize),
        page_info: { page_number: pageNumber, page_size: pageSize, total_count: matching.length },
      };
    }),
    route('DescribeClusterDetail', 'GET', '/clusters/{}', ({ params }) => cluster(params[0] as string)),
    route('GetClusterAuditProject', 'GET', '/clusters/{}/audit', ({ params }) => {
      const id = params[0] as string;
      cluster(id);
      return state.clusterLogs[id]?.audit ?? { audit_enabled: false, sls_project_name: '' };
    }),
    route('CheckControlPlaneLogEnable', 'GET', '/clusters/{}/controlplanelog', ({ params }) => {
      const id = params[0] as string;
      cluster(id);
      return state.clusterLogs[id]?.controlplane ?? { log_project: '', log_ttl: '', aliuid: '', components: [] };
    }),
    route('DescribeClusterNodePools', 'GET', '/clusters/{}/nodepools', ({ params }) => {
      const id = params[0] as string;
      cluster(id);
      return { nodepools: state.nodepools.filter((p) => p.cluster_id === id).map(poolWire) };
    }),
    route('DescribeClusterNodePoolDetail', 'GET', '/clusters/{}/nodepools/{}', ({ params }) =>
      poolWire(pool(params[0] as string, params[1] as string)),
    ),
    route('DescribeClusterNodes', 'GET', '/clusters/{}/nodes', ({ params, query }) => {
      const id = params[0] as string;
      cluster(id);
      const pageNumber = intParam(query, 'pageNumber', 1, 1, 100_000);
      const pageSize = intParam(query, 'pageSize', 10, 1, 100);
      const poolId = query.get('nodepool_id');
      const nodeState = query.get('state');
      const instanceIds = query.get('instanceIds')?.split(',').filter(Boolean);
      const nodeNames = query.get('nodeNames')?.split(',').filter(Boolean);
      if (poolId) pool(id, poolId);
      const matching = state.nodes.filter(
        (n) =>
          n.cluster_id === id &&
          (!poolId || n.nodepool_id === poolId) &&
          (!nodeState || nodeState === 'all' || n.state === nodeState) &&
          (!instanceIds || instanceIds.includes(n.instance_id)) &&
          (!nodeNames || nodeNames.includes(n.node_name)),
      );
      const start = (pageNumber - 1) * pageSize;
      return {
        nodes: matching.slice(start, start + pageSize).map(nodeWire),
        page: { page_number: pageNumber, page_size: pageSize, total_count: matching.length },
      };
    }),
    route('ScaleClusterNodePool', 'POST', '/clusters/{}/nodepools/{}', ({ params, body }) => {
      const [clusterId, poolId] = params as [string, string];
      const target = pool(clusterId, poolId);
      const count = body.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 500) {
        throw invalid('count must be an integer between 1 and 500.');
      }
      target.scaling_group.desired_size += count;
      const task = newTask(clusterId, 'nodepool_scaleout', poolId, { count, nodepool_id: poolId });
      return { task_id: task.task_id };
    }),
    route('RemoveNodePoolNodes', 'DELETE', '/clusters/{}/nodepools/{}/nodes', ({ params, query }) => {
      const [clusterId, poolId] = params as [string, string];
      const target = pool(clusterId, poolId);
      let ids: unknown;
      try {
        ids = JSON.parse(query.get('instance_ids') ?? '');
      } catch {
        throw invalid('instance_ids must be a JSON array of instance ids.');
      }
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((i) => typeof i === 'string')) {
        throw invalid('instance_ids must be a JSON array of 1 to 100 instance ids.');
      }
      const releaseNode = boolParam(query, 'release_node', false);
      const drainNode = boolParam(query, 'drain_node', false);
      const concurrency = boolParam(query, 'concurrency', false);
      const outside = ids.filter(
        (i) => !state.nodes.some((n) => n.instance_id === i && n.cluster_id === clusterId && n.nodepool_id === poolId),
      );
      if (outside.length) {
        throw new CsFault(
          400,
          'ErrorNodeNotInNodePool',
          `instances ${outside.join(',')} are not nodes of node pool ${poolId}`,
        );
      }
      for (const n of state.nodes) if (ids.includes(n.instance_id)) n.state = 'removing';
      target.status.removing_nodes += ids.length;
      target.scaling_group.desired_size = Math.max(0, target.scaling_group.desired_size - ids.length);
      const task = newTask(clusterId, 'nodepool_node_remove', poolId, {
        instance_ids: ids,
        release_node: releaseNode,
        drain_node: drainNode,
        concurrency,
      });
      return { task_id: task.task_id, request_id: newRequestId() };
    }),
    route('DescribeTaskInfo', 'GET', '/tasks/{}', ({ params }) => {
      const task = state.tasks.find((t) => t.task_id === params[0]);
      if (!task) throw new CsFault(404, 'ErrorTaskNotFound', `task ${params[0]} not found`);
      if (task.state === 'running') {
        if (task.readsUntilDone > 0) task.readsUntilDone -= 1;
        else settle(task);
      }
      return taskWire(task);
    }),
    route('DescribeClusterTasks', 'GET', '/clusters/{}/tasks', ({ params, query }) => {
      const id = params[0] as string;
      cluster(id);
      const pageNumber = intParam(query, 'page_number', 1, 1, 100_000);
      const pageSize = intParam(query, 'page_size', 10, 1, 100);
      const taskState = query.get('state');
      const type = query.get('type');
      const targetId = query.get('target_id');
      const detail = boolParam(query, 'detail', false);
      const matching = state.tasks
        .filter(
          (t) =>
            t.cluster_id === id &&
            (!taskState || t.state === taskState) &&
            (!type || t.task_type === type) &&
            (!targetId || t.target.id === targetId),
        )
        .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
      const start = (pageNumber - 1) * pageSize;
      return {
        tasks: matching.slice(start, start + pageSize).map((t) => ({
          task_id: t.task_id,
          task_type: t.task_type,
          state: t.state,
          created: t.created,
          updated: t.updated,
          error: t.error,
          ...(detail ? { target: t.target, parameters: t.parameters, task_result: t.task_result } : {}),
        })),
        page_info: { page_number: pageNumber, page_size: pageSize, total_count: matching.length },
        requestId: newRequestId(),
      };
    }),
    route('CreateClusterDiagnosis', 'POST', '/clusters/{}/diagnosis', ({ params, body }) => {
      const id = params[0] as string;
      cluster(id);
      const type = String(body.type ?? '').toLowerCase();
      const needs: Record<string, string[]> = {
        cluster: [],
        node: ['name'],
        pod: ['namespace', 'name'],
        service: ['namespace', 'name'],
        network: ['src', 'dst', 'dport'],
        ingress: ['url'],
        memory: ['node'],
      };
      const required = needs[type];
      if (!required) throw invalid(`type ${String(body.type)} is not a diagnosis type.`);
      const target = body.target;
      if (required.length) {
        if (!target || typeof target !== 'object') throw invalid(`a ${type} diagnosis needs a target.`);
        for (const key of required) {
          if ((target as Record<string, unknown>)[key] === undefined)
            throw invalid(`target.${key} is required for ${type}.`);
        }
      }
      const diagnosisId = nextId('', 16);
      state.diagnoses.push({
        cluster_id: id,
        diagnosis_id: diagnosisId,
        type: type.charAt(0).toUpperCase() + type.slice(1),
        target: JSON.stringify(target ?? {}),
        statuses: [...state.newDiagnosisStatuses],
        reads: 0,
        created: now(),
        result: NEW_DIAGNOSIS_RESULT,
      });
      return { cluster_id: id, diagnosis_id: diagnosisId, request_id: newRequestId() };
    }),
    route('GetClusterDiagnosisResult', 'GET', '/clusters/{}/diagnosis/{}/result', ({ params }) => {
      const [clusterId, diagnosisId] = params as [string, string];
      cluster(clusterId);
      const d = state.diagnoses.find((x) => x.cluster_id === clusterId && x.diagnosis_id === diagnosisId);
      if (!d) throw new CsFault(404, 'ErrorDiagnosisNotFound', `diagnosis ${diagnosisId} not found`);
      const status = d.statuses[Math.min(d.reads, d.statuses.length - 1)] as number;
      d.reads += 1;
      const completed = status === 2;
      return {
        diagnosis_id: d.diagnosis_id,
        type: d.type,
        target: d.target,
        status,
        code: 0,
        message: completed ? 'success' : status === 1 ? 'running' : 'created',
        created: d.created,
        finished: completed ? now() : '',
        result: completed ? d.result : '',
      };
    }),
    route('RunClusterInspect', 'POST', '/clusters/{}/inspectReports', ({ params }) => {
      const id = params[0] as string;
      cluster(id);
      const reportId = `ir-${nextId('', 8)}`;
      state.reports.push({
        cluster_id: id,
        reportId,
        startTime: now(),
        endTime: '',
        readsUntilDone: 1,
        status: 'running',
        summary: { code: '', errorCount: 0, warnCount: 0, normalCount: 0, adviceCount: 0 },
        checkItemResults: [],
      });
      return { reportId, taskId: `T-${nextId('', 12)}`, requestId: newRequestId() };
    }),
    route('ListClusterInspectReports', 'GET', '/clusters/{}/inspectReports', ({ params, query }) => {
      const id = params[0] as string;
      cluster(id);
      const max = intParam(query, 'maxResults', 20, 1, 50);
      const reports = state.reports
        .filter((r) => r.cluster_id === id)
        .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))
        .slice(0, max)
        .map((r) => ({
          reportId: r.reportId,
          startTime: r.startTime,
          endTime: r.endTime,
          status: r.status,
          summary: r.summary,
        }));
      return { reports, requestId: newRequestId() };
    }),
    route('GetClusterInspectReportDetail', 'GET', '/clusters/{}/inspectReports/{}', ({ params, query }) => {
      const [clusterId, reportId] = params as [string, string];
      cluster(clusterId);
      const report = state.reports.find((r) => r.cluster_id === clusterId && r.reportId === reportId);
      if (!report) throw new CsFault(404, 'ErrorReportNotFound', `inspection report ${reportId} not found`);
      if (report.status === 'running') {
        if (report.readsUntilDone > 0) report.readsUntilDone -= 1;
        else {
          report.status = 'completed';
          report.endTime = now();
          report.checkItemResults = inspectionItems(clusterId);
          report.summary = { code: 'error', errorCount: 1, warnCount: 1, normalCount: 1, adviceCount: 0 };
        }
      }
      const filtered = boolParam(query, 'enableFilter', false)
        ? report.checkItemResults.filter((i) => i.level !== 'normal')
        : report.checkItemResults;
      const max = intParam(query, 'maxResults', 50, 1, 100);
      const offset = query.get('nextToken') ? Number(query.get('nextToken')) || 0 : 0;
      const page = filtered.slice(offset, offset + max);
      const next = offset + max < filtered.length ? String(offset + max) : '';
      return {
        reportId: report.reportId,
        status: report.status,
        startTime: report.startTime,
        endTime: report.endTime,
        summary: report.summary,
        checkItemResults: page,
        nextToken: next,
        requestId: newRequestId(),
      };
    }),
    route('DescribeClusterUserKubeconfig', 'GET', '/k8s/{}/user_config', ({ params, query }) => {
      const id = params[0] as string;
      cluster(id);
      const privateIpAddress = boolParam(query, 'PrivateIpAddress', false);
      // Without a duration CS issues a three-year credential; refuse it like a careful gateway would.
      if (!query.get('TemporaryDurationMinutes')) {
        throw invalid('TemporaryDurationMinutes is required by this endpoint (15-4320).');
      }
      const minutes = intParam(query, 'TemporaryDurationMinutes', 60, 15, 4320);
      const target = options.kubeconfigFor?.(id, { privateIpAddress });
      if (!target) {
        throw new CsFault(404, 'ErrorKubeconfigUnavailable', `the sandbox serves no Kubernetes API for cluster ${id}`);
      }
      const user = `sandbox-${id.slice(1, 9)}`;
      const config = loadedYaml().stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'kubernetes',
            cluster: {
              server: target.server,
              ...(target.certificateAuthorityData
                ? { 'certificate-authority-data': target.certificateAuthorityData }
                : {}),
              ...(target.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
            },
          },
        ],
        contexts: [{ name: `${user}-${id}`, context: { cluster: 'kubernetes', user } }],
        'current-context': `${user}-${id}`,
        preferences: {},
        users: [{ name: user, user: target.token ? { token: target.token } : {} }],
      });
      const expiration = new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return { config, expiration };
    }),
  ];
}
