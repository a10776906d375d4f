/**
 * A simulated Kubernetes API server for the sandbox and the tests. It speaks TLS and accepts
 * only client certificates signed by its CA (as an ACK API server does), and answers the real
 * REST shapes: discovery, Table rendering (`as=Table`), lists with limit/continue, label and
 * field selectors, get, create, server-side apply, merge/strategic/JSON patch, delete, the
 * scale subresource, pod logs (tailLines, limitBytes, previous, container), the Eviction API
 * with PodDisruptionBudgets (429 when a budget would be violated) and metrics.k8s.io.
 * It keeps a bounded list of the requests it saw, so tests can check what was sent.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  SANDBOX_CA_CERT,
  SANDBOX_CLIENT_CERT,
  SANDBOX_CLIENT_KEY,
  SANDBOX_SERVER_CERT,
  SANDBOX_SERVER_KEY,
} from './kube-sandbox-certs.js';
import { loadedYaml, loadYaml } from './yaml-on-demand.js';

type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
    creationTimestamp?: string;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    deletionTimestamp?: string;
    managedFields?: Array<Record<string, unknown>>;
  };
};

interface Column {
  name: string;
  type?: string;
  priority?: number;
  cell: (o: Obj, now: number) => unknown;
}

/** One resource type the fake serves. */
export interface FakeResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  subresources?: string[];
  categories?: string[];
  columns?: Column[];
}

export interface FakeKubeData {
  objects: readonly object[];
  /** Container logs by `namespace/pod/container`. */
  logs?: Readonly<Record<string, { current: string; previous?: string }>>;
  podMetrics?: readonly object[];
  nodeMetrics?: readonly object[];
}

export interface FakeKubeOptions {
  data: FakeKubeData;
  /** Extra types (CRDs). */
  customTypes?: FakeResourceType[];
  /** Serve metrics.k8s.io (default: when metrics are given). */
  metrics?: boolean;
  /** Serve OpenAPI v3 for apps/v1 (default true). */
  openapi?: boolean;
  /** "Now" for ages and new timestamps. */
  now?: () => number;
  gitVersion?: string;
  /**
   * Bearer tokens accepted besides client certificates (an API server accepts both; the
   * sandbox hands out token kubeconfigs). Without it only client certificates work.
   */
  tokens?: readonly string[];
  /** Requests answered 403 (RBAC), as `verb resource` e.g. `list secrets`. */
  forbidden?: readonly string[];
}

export interface ReceivedKubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  clientCertificate?: string;
  body?: string;
}

export interface FakeKube {
  url: string;
  port: number;
  /** A kubeconfig for this server, as DescribeClusterUserKubeconfig returns it. */
  kubeconfig(contextName?: string): string;
  /** The last requests (at most 200). */
  requests: ReceivedKubeRequest[];
  /** The current object, for assertions. */
  object(group: string, plural: string, namespace: string | undefined, name: string): Obj | undefined;
  /** Replaces or adds objects (tests change the cluster under the tool). */
  put(obj: object): void;
  /** Delays every answer, to exercise timeouts. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

const MAX_REQUESTS = 200;

// ---- cells ----------------------------------------------------------------------------------

function age(ts: unknown, now: number): string {
  const t = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const get = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

type ContainerStatus = {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: Record<string, { reason?: string }>;
};

function podStatus(o: Obj): string {
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  const st = (o.status ?? {}) as {
    phase?: string;
    reason?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  if (st.reason) return st.reason;
  for (const c of st.containerStatuses ?? []) {
    const waiting = c.state?.waiting?.reason;
    if (waiting) return waiting;
    const term = c.state?.terminated?.reason;
    if (term && st.phase !== 'Succeeded') return term;
  }
  return st.phase ?? 'Unknown';
}

const name: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata?.name };
const ageCol: Column = { name: 'Age', type: 'string', cell: (o, now) => age(o.metadata?.creationTimestamp, now) };
const containers = (o: Obj) =>
  (get(o, 'spec.template.spec.containers') ?? []) as Array<{ name: string; image: string }>;
const selectorText = (o: Obj) =>
  Object.entries((get(o, 'spec.selector.matchLabels') ?? get(o, 'spec.selector') ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    {
      name: 'Ready',
      cell: (o) => {
        const cs = (get(o, 'status.containerStatuses') ?? []) as ContainerStatus[];
        const total = ((get(o, 'spec.containers') ?? []) as unknown[]).length;
        return `${cs.filter((c) => c.ready).length}/${total}`;
      },
    },
    { name: 'Status', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        ((get(o, 'status.containerStatuses') ?? []) as ContainerStatus[]).reduce(
          (n, c) => n + (c.restartCount ?? 0),
          0,
        ),
    },
    ageCol,
    { name: 'IP', priority: 1, cell: (o) => get(o, 'status.podIP') ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o) => get(o, 'spec.nodeName') ?? '<none>' },
    { name: 'Nominated Node', priority: 1, cell: (o) => get(o, 'status.nominatedNodeName') ?? '<none>' },
    { name: 'Readiness Gates', priority: 1, cell: () => '<none>' },
  ],
  Deployment: [
    name,
    { name: 'Ready', cell: (o) => `${get(o, 'status.readyReplicas') ?? 0}/${get(o, 'spec.replicas') ?? 1}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => get(o, 'status.updatedReplicas') ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => get(o, 'status.availableReplicas') ?? 0 },
    ageCol,
    {
      name: 'Containers',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.image)
          .join(','),
    },
    { name: 'Selector', priority: 1, cell: selectorText },
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => get(o, 'spec.replicas') ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => get(o, 'status.replicas') ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => get(o, 'status.readyReplicas') ?? 0 },
    ageCol,
    {
      name: 'Containers',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.image)
          .join(','),
    },
  ],
  StatefulSet: [
    name,
    { name: 'Ready', cell: (o) => `${get(o, 'status.readyReplicas') ?? 0}/${get(o, 'spec.replicas') ?? 1}` },
    ageCol,
    {
      name: 'Containers',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      priority: 1,
      cell: (o) =>
        containers(o)
          .map((c) => c.image)
          .join(','),
    },
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => get(o, 'status.desiredNumberScheduled') ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => get(o, 'status.currentNumberScheduled') ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => get(o, 'status.numberReady') ?? 0 },
    { name: 'Up-to-date', type: 'integer', cell: (o) => get(o, 'status.updatedNumberScheduled') ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => get(o, 'status.numberAvailable') ?? 0 },
    ageCol,
  ],
  Job: [
    name,
    {
      name: 'Status',
      cell: (o) => {
        const conds = (get(o, 'status.conditions') ?? []) as Array<{ type: string; status: string }>;
        if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
        if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
        return 'Running';
      },
    },
    { name: 'Completions', cell: (o) => `${get(o, 'status.succeeded') ?? 0}/${get(o, 'spec.completions') ?? 1}` },
    ageCol,
  ],
  Node: [
    name,
    {
      name: 'Status',
      cell: (o) => {
        const ready = ((get(o, 'status.conditions') ?? []) as Array<{ type: string; status: string }>).find(
          (c) => c.type === 'Ready',
        );
        const base = ready?.status === 'True' ? 'Ready' : 'NotReady';
        return get(o, 'spec.unschedulable') ? `${base},SchedulingDisabled` : base;
      },
    },
    {
      name: 'Roles',
      cell: (o) =>
        Object.keys(o.metadata?.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    },
    ageCol,
    { name: 'Version', cell: (o) => get(o, 'status.nodeInfo.kubeletVersion') },
    {
      name: 'Internal-IP',
      priority: 1,
      cell: (o) =>
        ((get(o, 'status.addresses') ?? []) as Array<{ type: string; address: string }>).find(
          (a) => a.type === 'InternalIP',
        )?.address ?? '<none>',
    },
    { name: 'OS-Image', priority: 1, cell: (o) => get(o, 'status.nodeInfo.osImage') ?? '<unknown>' },
  ],
  Service: [
    name,
    { name: 'Type', cell: (o) => get(o, 'spec.type') ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: (o) => get(o, 'spec.clusterIP') ?? '<none>' },
    {
      name: 'Port(s)',
      cell: (o) =>
        ((get(o, 'spec.ports') ?? []) as Array<{ port: number; protocol?: string }>)
          .map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)
          .join(','),
    },
    ageCol,
  ],
  Secret: [
    name,
    { name: 'Type', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys((o.data ?? {}) as object).length },
    ageCol,
  ],
  ConfigMap: [
    name,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys((o.data ?? {}) as object).length },
    ageCol,
  ],
  Namespace: [name, { name: 'Status', cell: (o) => get(o, 'status.phase') ?? 'Active' }, ageCol],
  PersistentVolumeClaim: [
    name,
    { name: 'Status', cell: (o) => get(o, 'status.phase') ?? 'Pending' },
    { name: 'Volume', cell: (o) => get(o, 'spec.volumeName') ?? '' },
    { name: 'StorageClass', cell: (o) => get(o, 'spec.storageClassName') ?? '' },
    ageCol,
  ],
  PodDisruptionBudget: [
    name,
    { name: 'Min Available', cell: (o) => get(o, 'spec.minAvailable') ?? 'N/A' },
    { name: 'Max Unavailable', cell: (o) => get(o, 'spec.maxUnavailable') ?? 'N/A' },
    { name: 'Allowed Disruptions', type: 'integer', cell: (o) => get(o, 'status.disruptionsAllowed') ?? 0 },
    ageCol,
  ],
  Event: [
    { name: 'Last Seen', cell: (o, now) => age(o.lastTimestamp ?? o.eventTime, now) },
    { name: 'Type', cell: (o) => o.type },
    { name: 'Reason', cell: (o) => o.reason },
    {
      name: 'Object',
      cell: (o) => `${String(get(o, 'involvedObject.kind') ?? '').toLowerCase()}/${get(o, 'involvedObject.name')}`,
    },
    { name: 'Message', cell: (o) => o.message },
  ],
};

const BUILT_IN_TYPES: FakeResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    subresources: ['log', 'eviction', 'status'],
    categories: ['all'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
  },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    namespaced: true,
    shortNames: ['pvc'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    subresources: ['scale', 'status'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    subresources: ['scale', 'status'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    subresources: ['scale', 'status'],
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    subresources: ['status'],
    categories: ['all'],
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    singular: 'job',
    namespaced: true,
    subresources: ['status'],
    categories: ['all'],
  },
  {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: ['status'],
  },
];

const METRICS_TYPES: FakeResourceType[] = [
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true },
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    kind: 'NodeMetrics',
    plural: 'nodes',
    singular: '',
    namespaced: false,
  },
];

// ---- selectors ------------------------------------------------------------------------------

type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  const parts = text.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) {
      reqs.push({
        key: m[1] as string,
        op: m[2] as 'in' | 'notin',
        values: (m[3] as string).split(',').map((v) => v.trim()),
      });
      continue;
    }
    m = /^([^\s!=]+)\s*(!=|==|=)\s*(.*)$/.exec(p);
    if (m) {
      reqs.push({ key: m[1] as string, op: m[2] === '!=' ? '!=' : '=', values: [(m[3] as string).trim()] });
      continue;
    }
    if (p.startsWith('!')) reqs.push({ key: p.slice(1), op: '!exists', values: [] });
    else reqs.push({ key: p, op: 'exists', values: [] });
  }
  return reqs;
}

function labelsMatch(labels: Record<string, string>, reqs: Requirement[]): boolean {
  return reqs.every((r) => {
    const v = labels[r.key];
    switch (r.op) {
      case '=':
        return v === r.values[0];
      case '!=':
        return v !== r.values[0];
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      case '!exists':
        return v === undefined;
    }
    return false;
  });
}

function fieldsMatch(o: Obj, selector: string): boolean {
  return selector
    .split(',')
    .filter(Boolean)
    .every((part) => {
      const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(part.trim());
      if (!m) return true;
      const actual = get(o, m[1] as string);
      const text = actual === undefined || actual === null ? '' : String(actual);
      return m[2] === '!=' ? text !== m[3] : text === m[3];
    });
}

// ---- patches --------------------------------------------------------------------------------

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(target: Obj, ops: Array<{ op: string; path: string; value?: unknown }>): Obj {
  const doc = structuredClone(target) as Record<string, unknown>;
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop() as string;
    let parent: Record<string, unknown> | unknown[] = doc;
    for (const k of keys) {
      const next = (parent as Record<string, unknown>)[k];
      if (typeof next !== 'object' || next === null) throw new Error(`path ${op.path} does not exist`);
      parent = next as Record<string, unknown>;
    }
    if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'add' || op.op === 'replace') {
      if (Array.isArray(parent)) {
        if (last === '-') parent.push(op.value);
        else if (op.op === 'add') parent.splice(Number(last), 0, op.value);
        else parent[Number(last)] = op.value;
      } else parent[last] = op.value;
    } else if (op.op !== 'test') throw new Error(`unsupported op ${op.op}`);
  }
  return doc as Obj;
}

// ---- server ---------------------------------------------------------------------------------

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    ...(details ? { details } : {}),
  };
}

export async function startFakeKube(options: FakeKubeOptions): Promise<FakeKube> {
  const now = options.now ?? Date.now;
  const serveMetrics = options.metrics ?? Boolean(options.data.podMetrics || options.data.nodeMetrics);
  const types = [...BUILT_IN_TYPES, ...(options.customTypes ?? []), ...(serveMetrics ? METRICS_TYPES : [])];
  const store = new Map<string, Obj>();
  const keyOf = (t: FakeResourceType, ns: string | undefined, n: string) =>
    `${t.group}/${t.plural}/${t.namespaced ? (ns ?? '') : ''}/${n}`;
  const typeOfObject = (o: Obj) => {
    const [g, v] = (o.apiVersion ?? '').includes('/') ? (o.apiVersion as string).split('/') : ['', o.apiVersion];
    return types.find((t) => t.kind === o.kind && t.group === g && t.version === v);
  };
  let rv = 1000;
  const put = (raw: object) => {
    const o = structuredClone(raw) as Obj;
    const t = typeOfObject(o);
    if (!t || !o.metadata?.name) throw new Error(`fake kube: cannot store ${o.kind} ${o.apiVersion}`);
    store.set(keyOf(t, o.metadata.namespace, o.metadata.name), o);
  };
  for (const o of options.data.objects) put(o);
  for (const o of options.data.podMetrics ?? []) put(o);
  for (const o of options.data.nodeMetrics ?? []) put(o);
  const requests: ReceivedKubeRequest[] = [];
  const forbidden = new Set(options.forbidden ?? []);
  let delayMs = 0;

  const listOf = (t: FakeResourceType, ns: string | undefined) =>
    [...store.entries()]
      .filter(([k]) => k.startsWith(`${t.group}/${t.plural}/${t.namespaced && ns ? `${ns}/` : ''}`))
      .map(([, o]) => o)
      .sort((a, b) =>
        `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace ?? ''}/${b.metadata?.name}`,
        ),
      );

  const isReady = (p: Obj) =>
    get(p, 'status.phase') === 'Running' &&
    ((get(p, 'status.conditions') ?? []) as Array<{ type: string; status: string }>).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );

  const pdbStatus = (pdb: Obj) => {
    const ns = pdb.metadata?.namespace;
    const sel = (get(pdb, 'spec.selector.matchLabels') ?? {}) as Record<string, string>;
    const podType = types.find((t) => t.kind === 'Pod') as FakeResourceType;
    const pods = listOf(podType, ns).filter((p) =>
      Object.entries(sel).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
    const healthy = pods.filter(isReady).length;
    const expected = pods.length;
    const asNumber = (v: unknown) =>
      typeof v === 'string' && v.endsWith('%') ? Math.ceil((Number(v.slice(0, -1)) / 100) * expected) : Number(v);
    const minAvailable = get(pdb, 'spec.minAvailable');
    const maxUnavailable = get(pdb, 'spec.maxUnavailable');
    const desired =
      minAvailable !== undefined
        ? asNumber(minAvailable)
        : maxUnavailable !== undefined
          ? expected - asNumber(maxUnavailable)
          : 0;
    return {
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      disruptionsAllowed: Math.max(0, healthy - desired),
      selector: sel,
    };
  };

  const withComputedStatus = (o: Obj): Obj =>
    o.kind === 'PodDisruptionBudget'
      ? { ...o, status: { ...(o.status as object), ...pdbStatus(o), observedGeneration: 1 } }
      : o;

  const table = (t: FakeResourceType, objs: Obj[], includeObject: string, meta: Record<string, unknown>) => {
    const cols = t.columns ?? COLUMNS[t.kind] ?? [name, ageCol];
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: meta,
      columnDefinitions: cols.map((c) => ({
        name: c.name,
        type: c.type ?? 'string',
        format: c.name === 'Name' ? 'name' : '',
        description: '',
        priority: c.priority ?? 0,
      })),
      rows: objs.map((o) => ({
        cells: cols.map((c) => c.cell(o, now())),
        object:
          includeObject === 'Object'
            ? o
            : includeObject === 'None'
              ? undefined
              : {
                  kind: 'PartialObjectMetadata',
                  apiVersion: 'meta.k8s.io/v1',
                  metadata: { ...o.metadata, managedFields: undefined },
                },
      })),
    };
  };

  const finalize = (o: Obj, t: FakeResourceType, manager: string, operation: 'Apply' | 'Update', previous?: Obj) => {
    rv++;
    o.metadata ??= {};
    const md = o.metadata;
    md.resourceVersion = String(rv);
    md.uid ??= previous?.metadata?.uid ?? randomUUID();
    md.creationTimestamp ??=
      previous?.metadata?.creationTimestamp ?? new Date(now()).toISOString().replace(/\.\d+Z$/, 'Z');
    if (t.namespaced) md.namespace ??= previous?.metadata?.namespace;
    const specChanged = JSON.stringify(o.spec) !== JSON.stringify(previous?.spec);
    md.generation = (previous?.metadata?.generation ?? 0) + (specChanged || !previous ? 1 : 0);
    const others = (previous?.metadata?.managedFields ?? []).filter(
      (f) => !(f.manager === manager && f.operation === operation),
    );
    md.managedFields = [
      ...others,
      { manager, operation, apiVersion: o.apiVersion, time: new Date(now()).toISOString(), fieldsType: 'FieldsV1' },
    ];
    if (t.kind === 'Secret' && o.stringData && typeof o.stringData === 'object') {
      const data = { ...((o.data ?? {}) as Record<string, string>) };
      for (const [k, v] of Object.entries(o.stringData as Record<string, string>))
        data[k] = Buffer.from(String(v)).toString('base64');
      o.data = data;
      delete o.stringData;
    }
    o.apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    o.kind = t.kind;
    return o;
  };

  const handle = (
    method: string,
    url: URL,
    body: string,
    headers: Record<string, string | string[] | undefined>,
  ): { code: number; body: unknown; text?: string } => {
    const q = url.searchParams;
    const accept = String(headers.accept ?? '');
    const wantsTable = accept.includes('as=Table');
    const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && url.pathname === '/version') {
      return {
        code: 200,
        body: {
          major: '1',
          minor: '31',
          gitVersion: options.gitVersion ?? 'v1.31.1-aliyun.1',
          platform: 'linux/amd64',
          goVersion: 'go1.22.6',
        },
      };
    }
    if (method === 'GET' && url.pathname === '/api')
      return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    if (method === 'GET' && url.pathname === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group).map((t) => t.group))].map((g) => {
        const v = (types.find((t) => t.group === g) as FakeResourceType).version;
        return {
          name: g,
          versions: [{ groupVersion: `${g}/${v}`, version: v }],
          preferredVersion: { groupVersion: `${g}/${v}`, version: v },
        };
      });
      return { code: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups } };
    }
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      if (options.openapi === false)
        return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
      if (segs.length === 2)
        return {
          code: 200,
          body: { paths: { 'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=0A1B2C' } } },
        };
      if (url.pathname === '/openapi/v3/apis/apps/v1') return { code: 200, body: APPS_OPENAPI };
      return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    }
    // /api/v1/... or /apis/<group>/<version>/...
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1]) {
      group = '';
      version = segs[1];
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs[1] && segs[2]) {
      group = segs[1];
      version = segs[2];
      rest = segs.slice(3);
    } else return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    const groupTypes = types.filter((t) => t.group === group && t.version === version);
    if (!groupTypes.length)
      return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    if (!rest.length) {
      if (method !== 'GET') return { code: 405, body: status(405, 'MethodNotAllowed', 'method not allowed') };
      const resources = groupTypes.flatMap((t) => [
        {
          name: t.plural,
          singularName: t.singular,
          namespaced: t.namespaced,
          kind: t.kind,
          verbs:
            t.group === 'metrics.k8s.io'
              ? ['get', 'list']
              : ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
          ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          ...(t.categories ? { categories: t.categories } : {}),
        },
        ...(t.subresources ?? []).map((s) => ({
          name: `${t.plural}/${s}`,
          singularName: '',
          namespaced: t.namespaced,
          kind: s === 'scale' ? 'Scale' : s === 'eviction' ? 'Eviction' : t.kind,
          verbs: ['get', 'patch', 'update', 'create'],
        })),
      ]);
      return {
        code: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: group ? `${group}/${version}` : version,
          resources,
        },
      };
    }
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const [plural, objName, sub] = rest as [string, string | undefined, string | undefined];
    const t = groupTypes.find((x) => x.plural === plural);
    if (!t || rest.length > 3)
      return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    const verb =
      method === 'GET'
        ? objName
          ? 'get'
          : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PATCH'
            ? 'patch'
            : method === 'DELETE'
              ? 'delete'
              : 'update';
    if (forbidden.has(`${verb} ${t.plural}`)) {
      return {
        code: 403,
        body: status(
          403,
          'Forbidden',
          `${t.plural}${objName ? ` "${objName}"` : ''} is forbidden: User "sandbox-user" cannot ${verb} resource "${t.plural}" in API group "${t.group}"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}`,
          { kind: t.plural },
        ),
      };
    }
    const notFound = (n: string) => ({
      code: 404,
      body: status(404, 'NotFound', `${t.plural}${t.group ? `.${t.group}` : ''} "${n}" not found`, {
        name: n,
        group: t.group,
        kind: t.plural,
      }),
    });
    const dryRun = q.get('dryRun') === 'All';

    if (method === 'GET' && !objName) {
      let items = listOf(t, ns).map(withComputedStatus);
      const ls = q.get('labelSelector');
      if (ls) {
        const reqs = parseLabelSelector(ls);
        items = items.filter((o) => labelsMatch(o.metadata?.labels ?? {}, reqs));
      }
      const fs = q.get('fieldSelector');
      if (fs) items = items.filter((o) => fieldsMatch(o, fs));
      const limit = Number(q.get('limit') ?? 0);
      let offset = 0;
      const cont = q.get('continue');
      if (cont) {
        try {
          offset = (JSON.parse(Buffer.from(cont, 'base64url').toString()) as { offset: number }).offset;
        } catch {
          return { code: 400, body: status(400, 'BadRequest', 'continue key is not valid') };
        }
      }
      let page = items.slice(offset);
      const meta: Record<string, unknown> = { resourceVersion: String(rv) };
      if (limit > 0 && page.length > limit) {
        meta.continue = Buffer.from(JSON.stringify({ offset: offset + limit, rv })).toString('base64url');
        meta.remainingItemCount = page.length - limit;
        page = page.slice(0, limit);
      }
      if (wantsTable) return { code: 200, body: table(t, page, q.get('includeObject') ?? 'Metadata', meta) };
      return {
        code: 200,
        body: {
          kind: `${t.kind}List`,
          apiVersion: t.group ? `${t.group}/${t.version}` : t.version,
          metadata: meta,
          items: page.map((o) => ({ ...o, kind: undefined, apiVersion: undefined })),
        },
      };
    }

    if (method === 'POST' && !objName) {
      let obj: Obj;
      try {
        obj = JSON.parse(body) as Obj;
      } catch {
        return { code: 400, body: status(400, 'BadRequest', 'the body is not JSON') };
      }
      const n = obj.metadata?.name;
      if (!n)
        return {
          code: 422,
          body: status(
            422,
            'Invalid',
            `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
            {
              causes: [
                {
                  reason: 'FieldValueRequired',
                  message: 'Required value: name or generateName is required',
                  field: 'metadata.name',
                },
              ],
            },
          ),
        };
      if (t.namespaced) obj.metadata = { ...obj.metadata, namespace: ns };
      if (store.has(keyOf(t, ns, n)))
        return {
          code: 409,
          body: status(409, 'AlreadyExists', `${t.plural}${t.group ? `.${t.group}` : ''} "${n}" already exists`, {
            name: n,
            kind: t.plural,
          }),
        };
      const created = finalize(obj, t, q.get('fieldManager') ?? 'unknown', 'Update');
      if (!dryRun) store.set(keyOf(t, ns, n), created);
      return { code: 201, body: created };
    }

    if (!objName) return { code: 405, body: status(405, 'MethodNotAllowed', 'method not allowed') };
    const key = keyOf(t, ns, objName);
    const existing = store.get(key);

    if (sub === 'log' && method === 'GET') {
      if (!existing) return notFound(objName);
      const cs = ((get(existing, 'spec.containers') ?? []) as Array<{ name: string }>).map((c) => c.name);
      let container = q.get('container');
      if (!container) {
        if (cs.length !== 1)
          return {
            code: 400,
            body: status(
              400,
              'BadRequest',
              `a container name must be specified for pod ${objName}, choose one of: [${cs.join(' ')}]`,
            ),
          };
        container = cs[0] as string;
      }
      if (!cs.includes(container))
        return { code: 400, body: status(400, 'BadRequest', `container ${container} is not valid for pod ${objName}`) };
      const entry = options.data.logs?.[`${ns}/${objName}/${container}`];
      let text: string;
      if (q.get('previous') === 'true') {
        if (entry?.previous === undefined)
          return {
            code: 400,
            body: status(
              400,
              'BadRequest',
              `previous terminated container "${container}" in pod "${objName}" not found`,
            ),
          };
        text = entry.previous;
      } else text = entry?.current ?? '';
      let lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      const tail = q.get('tailLines');
      if (tail !== null) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
      let out = lines.length ? `${lines.join('\n')}\n` : '';
      const limitBytes = q.get('limitBytes');
      if (limitBytes !== null) out = Buffer.from(out).subarray(0, Number(limitBytes)).toString('utf8');
      return { code: 200, body: null, text: out };
    }

    if (sub === 'eviction' && method === 'POST') {
      if (!existing) return notFound(objName);
      const pdbType = types.find((x) => x.kind === 'PodDisruptionBudget') as FakeResourceType;
      for (const pdb of listOf(pdbType, ns)) {
        const st = pdbStatus(pdb);
        const matches = Object.entries(st.selector).every(([k, v]) => existing.metadata?.labels?.[k] === v);
        if (!matches || !isReady(existing)) continue;
        if (st.currentHealthy - 1 < st.desiredHealthy) {
          return {
            code: 429,
            body: status(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
              causes: [
                {
                  reason: 'DisruptionBudget',
                  message: `The disruption budget ${pdb.metadata?.name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently`,
                },
              ],
            }),
          };
        }
      }
      store.delete(key);
      return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
    }

    if (sub === 'scale') {
      if (!existing) return notFound(objName);
      if (!t.subresources?.includes('scale'))
        return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
      const scaleOf = (o: Obj) => ({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: objName,
          namespace: ns,
          uid: o.metadata?.uid,
          resourceVersion: o.metadata?.resourceVersion,
          creationTimestamp: o.metadata?.creationTimestamp,
        },
        spec: { replicas: get(o, 'spec.replicas') ?? 1 },
        status: { replicas: get(o, 'status.replicas') ?? 0, selector: selectorText(o) },
      });
      if (method === 'GET') return { code: 200, body: scaleOf(existing) };
      if (method === 'PATCH') {
        const p = JSON.parse(body) as { spec?: { replicas?: number } };
        const replicas = p.spec?.replicas;
        if (typeof replicas !== 'number' || replicas < 0) {
          return {
            code: 422,
            body: status(
              422,
              'Invalid',
              `Scale.autoscaling "${objName}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
            ),
          };
        }
        const updated = finalize(
          { ...structuredClone(existing), spec: { ...(existing.spec as object), replicas } },
          t,
          q.get('fieldManager') ?? 'unknown',
          'Update',
          existing,
        );
        if (!dryRun) store.set(key, updated);
        return { code: 200, body: scaleOf(updated) };
      }
      return { code: 405, body: status(405, 'MethodNotAllowed', 'method not allowed') };
    }
    if (sub) return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };

    if (method === 'GET') {
      if (!existing) return notFound(objName);
      const obj = withComputedStatus(existing);
      if (wantsTable)
        return {
          code: 200,
          body: table(t, [obj], q.get('includeObject') ?? 'Metadata', { resourceVersion: String(rv) }),
        };
      return { code: 200, body: obj };
    }

    if (method === 'PATCH') {
      const ct = String(headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      const manager = q.get('fieldManager');
      let patched: Obj;
      let operation: 'Apply' | 'Update' = 'Update';
      try {
        if (ct === 'application/apply-patch+yaml') {
          if (!manager)
            return { code: 400, body: status(400, 'BadRequest', 'PATCH, fieldManager is required for apply requests') };
          const applied = loadedYaml().parse(body) as Obj;
          if (applied.metadata?.name !== objName)
            return {
              code: 400,
              body: status(400, 'BadRequest', 'the name of the object does not match the name on the URL'),
            };
          patched = existing ? (mergePatch(existing, applied) as Obj) : applied;
          if (t.namespaced) patched.metadata = { ...patched.metadata, namespace: ns };
          operation = 'Apply';
        } else {
          if (!existing) return notFound(objName);
          const p = JSON.parse(body) as unknown;
          if (ct === 'application/json-patch+json')
            patched = jsonPatch(existing, p as Array<{ op: string; path: string; value?: unknown }>);
          else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json')
            patched = mergePatch(existing, p) as Obj;
          else
            return {
              code: 415,
              body: status(
                415,
                'UnsupportedMediaType',
                `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
              ),
            };
        }
      } catch (error) {
        return {
          code: 422,
          body: status(422, 'Invalid', `the patch could not be applied: ${(error as Error).message}`),
        };
      }
      const result = finalize(patched, t, manager ?? 'unknown', operation, existing);
      if (!dryRun) store.set(key, result);
      return { code: existing ? 200 : 201, body: result };
    }

    if (method === 'DELETE') {
      if (!existing) return notFound(objName);
      if (!dryRun) store.delete(key);
      return {
        code: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: objName, group: t.group, kind: t.plural, uid: existing.metadata?.uid },
        },
      };
    }
    return { code: 405, body: status(405, 'MethodNotAllowed', 'method not allowed') };
  };

  const server = https.createServer(
    {
      key: SANDBOX_SERVER_KEY,
      cert: SANDBOX_SERVER_CERT,
      ca: SANDBOX_CA_CERT,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'https://fake');
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        const record: ReceivedKubeRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams.entries()),
        };
        if (req.headers['content-type']) record.contentType = req.headers['content-type'];
        if (req.headers.accept) record.accept = req.headers.accept;
        if (peer?.subject?.CN) record.clientCertificate = String(peer.subject.CN);
        if (body) record.body = body.slice(0, 4096);
        requests.push(record);
        if (requests.length > MAX_REQUESTS) requests.splice(0, requests.length - MAX_REQUESTS);
        const send = (code: number, payload: unknown, text?: string) => {
          const out = text ?? JSON.stringify(payload);
          res.writeHead(code, {
            'Content-Type': text !== undefined ? 'text/plain' : 'application/json',
            'Audit-Id': randomUUID(),
            'Content-Length': Buffer.byteLength(out),
          });
          res.end(out);
        };
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const tokenOk = bearer !== undefined && (options.tokens ?? []).includes(bearer);
        if (!socket.authorized && !tokenOk) {
          send(401, status(401, 'Unauthorized', 'Unauthorized'));
          return;
        }
        const answer = () => {
          try {
            const a = handle(req.method ?? 'GET', url, body, req.headers);
            send(a.code, a.body, a.text);
          } catch (error) {
            send(500, status(500, 'InternalError', `fake kube: ${(error as Error).message}`));
          }
        };
        const answerWhenReady = () => {
          // Server-side apply sends YAML.
          if (String(req.headers['content-type']).includes('yaml')) {
            loadYaml().then(answer, (error: Error) => send(500, status(500, 'InternalError', error.message)));
          } else answer();
        };
        if (delayMs) setTimeout(answerWhenReady, delayMs);
        else answerWhenReady();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    url,
    port,
    requests,
    kubeconfig: (contextName = 'sandbox-user-kubernetes') =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        `    server: ${url}`,
        `    certificate-authority-data: ${b64(SANDBOX_CA_CERT)}`,
        '  name: kubernetes',
        'contexts:',
        '- context:',
        '    cluster: kubernetes',
        '    user: sandbox-user',
        `  name: ${contextName}`,
        `current-context: ${contextName}`,
        'preferences: {}',
        'users:',
        '- name: sandbox-user',
        '  user:',
        `    client-certificate-data: ${b64(SANDBOX_CLIENT_CERT)}`,
        `    client-key-data: ${b64(SANDBOX_CLIENT_KEY)}`,
        '',
      ].join('\n'),
    object: (g, plural, ns, n) => {
      const t = types.find((x) => x.group === g && x.plural === plural);
      return t ? store.get(keyOf(t, ns, n)) : undefined;
    },
    put,
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small OpenAPI v3 document for apps/v1, enough for `explain deployment.spec`. */
const APPS_OPENAPI = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
        type: 'object',
        properties: {
          apiVersion: {
            type: 'string',
            description: 'APIVersion defines the versioned schema of this representation of an object.',
          },
          kind: {
            type: 'string',
            description: 'Kind is a string value representing the REST resource this object represents.',
          },
          metadata: {
            allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
            description: 'Standard object metadata.',
          },
          spec: {
            allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
            description: 'Specification of the desired behavior of the Deployment.',
          },
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
        type: 'object',
        required: ['selector', 'template'],
        properties: {
          replicas: { type: 'integer', format: 'int32', description: 'Number of desired pods. Defaults to 1.' },
          selector: { type: 'object', description: 'Label selector for pods.' },
          template: { type: 'object', description: 'Template describes the pods that will be created.' },
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        description: 'ObjectMeta is metadata that all persisted resources must have.',
        type: 'object',
        properties: { name: { type: 'string', description: 'Name must be unique within a namespace.' } },
      },
    },
  },
};
