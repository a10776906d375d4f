/** A small invented cluster for the kubectl tests, served by the TLS fake API server. */
import { type FakeKube, type FakeKubeOptions, startFakeKube } from '../src/sandbox/kube-fake.js';

const T0 = '2026-12-04T10:00:00Z';
let uid = 0;
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `00000000-0000-4000-a000-${String(++uid).padStart(12, '0')}`,
  resourceVersion: String(100 + uid),
  creationTimestamp: T0,
  ...extra,
});

const ready = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [{ name: 'web', ready: true, restartCount: 0, state: { running: {} } }],
};

const webDeploymentUid = 'dddddddd-0000-4000-a000-000000000001';
const owner = (kind: string, name: string, u = `owner-${name}`) => [
  { apiVersion: 'apps/v1', kind, name, uid: u, controller: true, blockOwnerDeletion: true },
];

function pod(
  name: string,
  node: string,
  labels: Record<string, string>,
  ownerRefs?: unknown[],
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, 'shop', { labels, ...(ownerRefs ? { ownerReferences: ownerRefs } : {}), ...extra }),
    spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: { ...ready, podIP: `10.0.0.${uid}` },
  };
}

export const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXBhc3N3b3Jk'; // base64("super-secret-password")
export const SECRET_LAST_APPLIED =
  '{"apiVersion":"v1","data":{"password":"c3VwZXItc2VjcmV0LXBhc3N3b3Jk"},"kind":"Secret"}';
export const DOCKER_CONFIG = 'eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiZFhObGNqcHdZWE56In19fQ==';

export const BIG_LOG_LINES = 20_000;

export function fixtureObjects(): object[] {
  uid = 0;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('default'), status: { phase: 'Active' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('shop'), status: { phase: 'Active' } },
    ...['node-a', 'node-b', 'node-c'].map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(n, undefined, { labels: { 'kubernetes.io/hostname': n } }),
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        allocatable: { cpu: '4', memory: '16Gi' },
        addresses: [{ type: 'InternalIP', address: '10.1.0.1' }],
        nodeInfo: { kubeletVersion: 'v1.31.1-aliyun.1' },
      },
    })),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web', 'shop', {
        uid: webDeploymentUid,
        generation: 3,
        labels: { app: 'web' },
        annotations: { 'deployment.kubernetes.io/revision': '2' },
      }),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
      status: {
        observedGeneration: 3,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
      },
    },
    ...[
      ['web-7d9f', '2', 'nginx:1.27'],
      ['web-5c8b', '1', 'nginx:1.25'],
    ].map(([name, rev, image]) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(name as string, 'shop', {
        labels: { app: 'web', 'pod-template-hash': (name as string).slice(4) },
        annotations: { 'deployment.kubernetes.io/revision': rev },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: webDeploymentUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: {
        replicas: rev === '2' ? 3 : 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web', 'pod-template-hash': (name as string).slice(4) } },
          spec: { containers: [{ name: 'web', image }] },
        },
      },
      status: { replicas: rev === '2' ? 3 : 0 },
    })),
    pod('web-7d9f-aaaaa', 'node-a', { app: 'web' }, owner('ReplicaSet', 'web-7d9f')),
    pod('web-7d9f-bbbbb', 'node-a', { app: 'web' }, owner('ReplicaSet', 'web-7d9f')),
    pod('web-7d9f-ccccc', 'node-b', { app: 'web' }, owner('ReplicaSet', 'web-7d9f')),
    pod('api-6b7c-ddddd', 'node-c', { app: 'api' }, owner('ReplicaSet', 'api-6b7c')),
    pod('chatty-0', 'node-c', { app: 'chatty' }, owner('StatefulSet', 'chatty')),
    pod('logtail-xx1', 'node-c', { app: 'logtail' }, owner('DaemonSet', 'logtail')),
    pod('logtail-xx2', 'node-b', { app: 'logtail' }, owner('DaemonSet', 'logtail')),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('web-pdb', 'shop'),
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('db-creds', 'shop', {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': SECRET_LAST_APPLIED },
      }),
      type: 'Opaque',
      data: { password: SECRET_VALUE },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('registry-pull', 'shop'),
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': DOCKER_CONFIG },
    },
    ...[1, 2].map((i) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(`web-7d9f-aaaaa.${i}`, 'shop'),
      involvedObject: { kind: 'Pod', name: 'web-7d9f-aaaaa', namespace: 'shop' },
      reason: i === 1 ? 'Scheduled' : 'BackOff',
      type: i === 1 ? 'Normal' : 'Warning',
      message:
        i === 1 ? 'Successfully assigned shop/web-7d9f-aaaaa to node-a' : 'Back-off restarting failed container web',
      lastTimestamp: i === 1 ? '2026-12-04T10:05:00Z' : '2026-12-04T10:01:00Z',
      count: i,
      source: { component: i === 1 ? 'default-scheduler' : 'kubelet' },
    })),
    {
      apiVersion: 'example.opsmcp.io/v1',
      kind: 'Widget',
      metadata: meta('gizmo', 'shop'),
      spec: { size: 3 },
    },
  ];
}

export function fixtureLogs(): Record<string, { current: string; previous?: string }> {
  const big = Array.from({ length: BIG_LOG_LINES }, (_, i) => `line ${i + 1} ${'x'.repeat(20)}`).join('\n');
  return {
    'shop/chatty-0/web': { current: big },
    'shop/web-7d9f-aaaaa/web': { current: 'GET / 200\nGET /healthz 200', previous: 'panic: out of memory' },
  };
}

const podMetric = (name: string, cpu: string, memory: string) => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: { name, namespace: 'shop', creationTimestamp: T0 },
  timestamp: T0,
  window: '20s',
  containers: [{ name: 'web', usage: { cpu, memory } }],
});

export async function startFixtureKube(overrides: Partial<FakeKubeOptions> = {}): Promise<FakeKube> {
  return startFakeKube({
    data: {
      objects: fixtureObjects(),
      logs: fixtureLogs(),
      podMetrics: [podMetric('web-7d9f-aaaaa', '120m', '256Mi'), podMetric('web-7d9f-bbbbb', '30m', '64Mi')],
      nodeMetrics: ['node-a', 'node-b', 'node-c'].map((n, i) => ({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'NodeMetrics',
        metadata: { name: n, creationTimestamp: T0 },
        timestamp: T0,
        window: '20s',
        usage: { cpu: `${(i + 1) * 1000}m`, memory: `${(i + 1) * 2}Gi` },
      })),
    },
    customTypes: [
      {
        group: 'example.opsmcp.io',
        version: 'v1',
        kind: 'Widget',
        plural: 'widgets',
        singular: 'widget',
        namespaced: true,
        shortNames: ['wd'],
      },
    ],
    now: () => Date.parse('2026-12-04T12:00:00Z'),
    ...overrides,
  });
}
