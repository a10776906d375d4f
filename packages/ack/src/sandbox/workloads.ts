/**
 * The sandbox cluster's Kubernetes objects, as the API server would answer them (JSON shapes of
 * core/v1, apps/v1, batch/v1, policy/v1 and metrics.k8s.io/v1beta1), plus container logs and
 * metrics. Namespace `shop` holds one workload per kind of trouble the diagnosis knows:
 *
 * - `frontend` (Deployment, 3 replicas): healthy; a PodDisruptionBudget with minAvailable 3
 *   guards it, so draining a node that runs one of its pods is blocked.
 * - `checkout` (Deployment): its container is OOMKilled again and again (limit 256Mi, usage
 *   near it); an older pod was evicted from the node under memory pressure.
 * - `recommender` (Deployment): CrashLoopBackOff, exit code 1, a Python stack trace (missing
 *   MODEL_BUCKET) in the previous container's log.
 * - `payments` (Deployment): the rollout to `registry.example.com/payments:v9` is stuck
 *   (ProgressDeadlineExceeded) because the image does not exist (ImagePullBackOff); the v8
 *   pods keep serving.
 * - `search` (Deployment): running but never ready (readiness probe answers 503).
 * - `train-model` (Job): its pod asks for 64 CPUs and stays Pending (Insufficient cpu).
 * - `db-migrate` (Job): failed, backoffLimit reached.
 * - `orders-db` (StatefulSet): Pending, its PersistentVolumeClaim is unbound (unknown
 *   StorageClass); `cart-redis` (StatefulSet) is healthy with a Bound claim.
 * - Secret `payments-db` with data (masked on output unless allowed).
 *
 * `kube-system` runs the DaemonSet `logtail-ds` with one pod on each of the three nodes;
 * node `cn-hangzhou.10.0.1.23` has MemoryPressure. Every name and value is invented.
 */
import { createHash } from 'node:crypto';

/** A Kubernetes object as JSON: the fields every object has, anything else by kind. */
export interface SandboxObject {
  apiVersion: string;
  kind: string;
  metadata: SandboxObjectMeta;
  [field: string]: unknown;
}

export interface SandboxObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller: boolean;
    blockOwnerDeletion: boolean;
  }>;
  generateName?: string;
}

/** A container's log: the running container's and the one before its last restart. */
export interface SandboxLog {
  current: string;
  previous?: string;
}

/** The time the sandbox's status and events describe ("now" in the simulated cluster). */
export const SANDBOX_NOW = '2026-12-04T12:00:00Z';
export const SANDBOX_NAMESPACE = 'shop';

const NOW_MS = Date.parse(SANDBOX_NOW);
const minutesAgo = (m: number) => new Date(NOW_MS - m * 60_000).toISOString().replace('.000Z', 'Z');

/** Stable, UUID-shaped ids so the data is the same in every run. */
const uidOf = (key: string) => {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

let resourceVersion = 481_000;
const nextVersion = () => {
  resourceVersion += 7;
  return String(resourceVersion);
};

function meta(
  kind: string,
  name: string,
  namespace: string | undefined,
  extra: Partial<SandboxObjectMeta> & { createdMinutesAgo?: number } = {},
): SandboxObjectMeta {
  const { createdMinutesAgo = 60 * 24 * 12, ...rest } = extra;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: uidOf(`${kind}/${namespace ?? ''}/${name}`),
    resourceVersion: nextVersion(),
    creationTimestamp: minutesAgo(createdMinutesAgo),
    ...rest,
  };
}

const ownedBy = (owner: SandboxObject) => [
  {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Nodes

const NODE_NAMES = ['cn-hangzhou.10.0.1.21', 'cn-hangzhou.10.0.1.22', 'cn-hangzhou.10.0.1.23'] as const;
const [NODE_A, NODE_B, NODE_C] = NODE_NAMES;

function node(name: string, ip: string, zone: string, memoryPressure: boolean): SandboxObject {
  const condition = (type: string, status: string, reason: string, message: string, since = 60 * 24 * 12) => ({
    type,
    status,
    lastHeartbeatTime: minutesAgo(1),
    lastTransitionTime: minutesAgo(since),
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('Node', name, undefined, {
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'ecs.g7.xlarge',
        'topology.kubernetes.io/region': 'cn-hangzhou',
        'topology.kubernetes.io/zone': zone,
        'alibabacloud.com/nodepool-id': 'np-4f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    }),
    spec: {
      podCIDR: `172.20.${ip.split('.')[3]}.0/26`,
      providerID: `cn-hangzhou.i-bp1${createHash('md5').update(name).digest('hex').slice(0, 17)}`,
      ...(memoryPressure
        ? { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: minutesAgo(35) }] }
        : {}),
    },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '123722704Ki', memory: '15896772Ki', pods: '64' },
      allocatable: { cpu: '3900m', 'ephemeral-storage': '114022843818', memory: '13243076Ki', pods: '64' },
      conditions: [
        memoryPressure
          ? condition(
              'MemoryPressure',
              'True',
              'KubeletHasInsufficientMemory',
              'kubelet has insufficient memory available',
              35,
            )
          : condition(
              'MemoryPressure',
              'False',
              'KubeletHasSufficientMemory',
              'kubelet has sufficient memory available',
            ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: createHash('md5').update(`machine/${name}`).digest('hex'),
        systemUUID: uidOf(`system/${name}`).toUpperCase(),
        bootID: uidOf(`boot/${name}`),
        kernelVersion: '5.10.134-18.al8.x86_64',
        osImage: 'Alibaba Cloud Linux 3.2104 U11 (OpenAnolis Edition)',
        containerRuntimeVersion: 'containerd://1.6.36',
        kubeletVersion: 'v1.32.1-aliyun.1',
        kubeProxyVersion: 'v1.32.1-aliyun.1',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

const nodes: SandboxObject[] = [
  node(NODE_A, '10.0.1.21', 'cn-hangzhou-h', false),
  node(NODE_B, '10.0.1.22', 'cn-hangzhou-i', false),
  node(NODE_C, '10.0.1.23', 'cn-hangzhou-j', true),
];

const NODE_IPS: Record<string, string> = {
  [NODE_A]: '10.0.1.21',
  [NODE_B]: '10.0.1.22',
  [NODE_C]: '10.0.1.23',
};

// ---------------------------------------------------------------------------------------------
// Namespaces

const namespaces: SandboxObject[] = ['default', 'kube-system', SANDBOX_NAMESPACE].map((name) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: meta('Namespace', name, undefined, {
    labels: { 'kubernetes.io/metadata.name': name },
    createdMinutesAgo: 60 * 24 * 30,
  }),
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
}));

// ---------------------------------------------------------------------------------------------
// Workload builders: a controller, its ReplicaSet and its pods, wired by labels and owners.

interface ContainerSpec {
  name: string;
  image: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  port?: number;
  readinessPath?: string;
  livenessPath?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  command?: string[];
}

function containerSpec(c: ContainerSpec) {
  const probe = (path: string, initialDelaySeconds: number) => ({
    httpGet: { path, port: c.port ?? 8080, scheme: 'HTTP' },
    initialDelaySeconds,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  return {
    name: c.name,
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.port ? { ports: [{ name: 'http', containerPort: c.port, protocol: 'TCP' }] } : {}),
    ...(c.env ? { env: c.env } : {}),
    resources: {
      ...(c.limits ? { limits: c.limits } : {}),
      ...(c.requests ? { requests: c.requests } : {}),
    },
    ...(c.readinessPath ? { readinessProbe: probe(c.readinessPath, 5) } : {}),
    ...(c.livenessPath ? { livenessProbe: probe(c.livenessPath, 15) } : {}),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function podTemplate(
  labels: Record<string, string>,
  containers: ContainerSpec[],
  extraSpec: Record<string, unknown> = {},
) {
  return {
    metadata: { labels },
    spec: {
      containers: containers.map(containerSpec),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
      ...extraSpec,
    },
  };
}

type ContainerState =
  | { running: { startedAt: string } }
  | { waiting: { reason: string; message?: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        message?: string;
        startedAt: string;
        finishedAt: string;
        containerID?: string;
      };
    };

interface ContainerStatusSpec {
  name: string;
  state: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restartCount: number;
  started?: boolean;
  image: string;
  imageID?: string;
}

function containerStatus(pod: string, s: ContainerStatusSpec) {
  const pulled = !('waiting' in s.state && /Image|ErrImage/.test(s.state.waiting.reason));
  return {
    name: s.name,
    state: s.state,
    lastState: s.lastState ?? {},
    ready: s.ready,
    restartCount: s.restartCount,
    image: s.image,
    imageID: pulled
      ? (s.imageID ?? `${s.image.split(':')[0]}@sha256:${createHash('sha256').update(s.image).digest('hex')}`)
      : '',
    ...(pulled ? { containerID: `containerd://${createHash('sha256').update(`${pod}/${s.name}`).digest('hex')}` } : {}),
    started: s.started ?? 'running' in s.state,
  };
}

interface PodSpec {
  name: string;
  namespace?: string;
  owner?: SandboxObject;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  node?: string;
  podIp?: string;
  createdMinutesAgo: number;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  reason?: string;
  message?: string;
  ready?: boolean;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; minutesAgo?: number }>;
  containerStatuses?: ContainerStatusSpec[];
  extraSpec?: Record<string, unknown>;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

function pod(p: PodSpec): SandboxObject {
  const namespace = p.namespace ?? SANDBOX_NAMESPACE;
  const created = minutesAgo(p.createdMinutesAgo);
  const scheduled = p.node !== undefined;
  const ready = p.ready ?? false;
  type Condition = NonNullable<PodSpec['conditions']>[number];
  const defaultConditions: Condition[] = scheduled
    ? [
        { type: 'PodReadyToStartContainers', status: p.phase === 'Running' ? 'True' : 'False' },
        { type: 'Initialized', status: 'True' },
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          ...(ready
            ? {}
            : {
                reason: 'ContainersNotReady',
                message: `containers with unready status: [${p.containers.map((c) => c.name).join(' ')}]`,
              }),
        },
        {
          type: 'ContainersReady',
          status: ready ? 'True' : 'False',
          ...(ready
            ? {}
            : {
                reason: 'ContainersNotReady',
                message: `containers with unready status: [${p.containers.map((c) => c.name).join(' ')}]`,
              }),
        },
        { type: 'PodScheduled', status: 'True' },
      ]
    : [];
  const conditions = (p.conditions ?? defaultConditions).map((c) => ({
    type: c.type,
    status: c.status,
    lastProbeTime: null,
    lastTransitionTime: minutesAgo(c.minutesAgo ?? p.createdMinutesAgo - 1),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('Pod', p.name, namespace, {
      createdMinutesAgo: p.createdMinutesAgo,
      labels: p.labels,
      ...(p.owner ? { ownerReferences: ownedBy(p.owner), generateName: p.name.replace(/[a-z0-9]+$/, '') } : {}),
    }),
    spec: {
      ...podTemplate(p.labels, p.containers, p.extraSpec).spec,
      restartPolicy: p.restartPolicy ?? 'Always',
      serviceAccountName: 'default',
      ...(p.node ? { nodeName: p.node } : {}),
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: p.phase,
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.message ? { message: p.message } : {}),
      conditions,
      ...(p.node ? { hostIP: NODE_IPS[p.node], hostIPs: [{ ip: NODE_IPS[p.node] }] } : {}),
      ...(p.podIp ? { podIP: p.podIp, podIPs: [{ ip: p.podIp }] } : {}),
      ...(scheduled ? { startTime: created } : {}),
      ...(p.containerStatuses ? { containerStatuses: p.containerStatuses.map((s) => containerStatus(p.name, s)) } : {}),
      qosClass: qosClass(p.containers),
    },
  };
}

function qosClass(containers: ContainerSpec[]): string {
  const hasAny = containers.some((c) => c.requests || c.limits);
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every(
    (c) =>
      c.limits?.cpu &&
      c.limits?.memory &&
      (c.requests?.cpu ?? c.limits.cpu) === c.limits.cpu &&
      (c.requests?.memory ?? c.limits.memory) === c.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

interface DeploymentSpec {
  name: string;
  replicas: number;
  containers: ContainerSpec[];
  createdMinutesAgo?: number;
  generation?: number;
  status: {
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    unavailableReplicas?: number;
  };
  progressing?: { status: 'True' | 'False'; reason: string; message: string; minutesAgo: number };
  available?: { status: 'True' | 'False'; reason: string; message: string; minutesAgo: number };
}

function deployment(d: DeploymentSpec): SandboxObject {
  const labels = { app: d.name };
  const generation = d.generation ?? 1;
  const condition = (type: string, c: { status: string; reason: string; message: string; minutesAgo: number }) => ({
    type,
    status: c.status,
    lastUpdateTime: minutesAgo(c.minutesAgo),
    lastTransitionTime: minutesAgo(c.minutesAgo),
    reason: c.reason,
    message: c.message,
  });
  const allAvailable = d.status.availableReplicas >= d.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('Deployment', d.name, SANDBOX_NAMESPACE, {
      generation,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': String(generation) },
      createdMinutesAgo: d.createdMinutesAgo ?? 60 * 24 * 12,
    }),
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: labels },
      template: podTemplate(labels, d.containers),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: generation,
      ...d.status,
      conditions: [
        condition(
          'Available',
          d.available ?? {
            status: allAvailable ? 'True' : 'False',
            reason: allAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: allAvailable
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
            minutesAgo: 30,
          },
        ),
        condition(
          'Progressing',
          d.progressing ?? {
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${d.name}-${templateHash(d.name, generation)}" has successfully progressed.`,
            minutesAgo: 60 * 24,
          },
        ),
      ],
    },
  };
}

/** The pod-template-hash of a Deployment's revision (stable per name and revision). */
function templateHash(name: string, revision: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = createHash('sha256').update(`${name}/${revision}`).digest();
  return Array.from(h.subarray(0, 9), (b) => alphabet[b % alphabet.length])
    .join('')
    .slice(0, 10);
}

function replicaSet(
  owner: SandboxObject,
  revision: number,
  containers: ContainerSpec[],
  replicas: number,
  status: { readyReplicas: number; availableReplicas: number },
  createdMinutesAgo: number,
): SandboxObject {
  const hash = templateHash(owner.metadata.name, revision);
  const labels = { app: owner.metadata.name, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('ReplicaSet', `${owner.metadata.name}-${hash}`, SANDBOX_NAMESPACE, {
      generation: 1,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String((owner.spec as { replicas: number }).replicas),
        'deployment.kubernetes.io/max-replicas': String((owner.spec as { replicas: number }).replicas + 1),
        'deployment.kubernetes.io/revision': String(revision),
      },
      ownerReferences: ownedBy(owner),
      createdMinutesAgo,
    }),
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: podTemplate(labels, containers),
    },
    status: {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: status.readyReplicas,
      availableReplicas: status.availableReplicas,
      observedGeneration: 1,
    },
  };
}

const podSuffix = (key: string) => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = createHash('sha256').update(key).digest();
  return Array.from(h.subarray(0, 5), (b) => alphabet[b % alphabet.length]).join('');
};

const running = (m: number): ContainerState => ({ running: { startedAt: minutesAgo(m) } });

// ---------------------------------------------------------------------------------------------
// frontend: healthy, three replicas on the two nodes without pressure, guarded by a PDB.

const FRONTEND_CONTAINER: ContainerSpec = {
  name: 'web',
  image: 'registry.example.com/shop/frontend:v3.4.2',
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
  port: 8080,
  readinessPath: '/healthz/ready',
  livenessPath: '/healthz/live',
};
const frontend = deployment({
  name: 'frontend',
  replicas: 3,
  containers: [FRONTEND_CONTAINER],
  generation: 4,
  status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
  available: {
    status: 'True',
    reason: 'MinimumReplicasAvailable',
    message: 'Deployment has minimum availability.',
    minutesAgo: 60 * 24 * 3,
  },
});
const frontendRs = replicaSet(
  frontend,
  4,
  [FRONTEND_CONTAINER],
  3,
  { readyReplicas: 3, availableReplicas: 3 },
  60 * 24 * 3,
);
const frontendHash = templateHash('frontend', 4);
const frontendPods = [NODE_A, NODE_B, NODE_A].map((nodeName, i) =>
  pod({
    name: `frontend-${frontendHash}-${podSuffix(`frontend/${i}`)}`,
    owner: frontendRs,
    labels: { app: 'frontend', 'pod-template-hash': frontendHash },
    containers: [FRONTEND_CONTAINER],
    node: nodeName,
    podIp: `172.20.${21 + (nodeName === NODE_B ? 1 : 0)}.${10 + i}`,
    createdMinutesAgo: 60 * 24 * 3,
    phase: 'Running',
    ready: true,
    containerStatuses: [
      { name: 'web', image: FRONTEND_CONTAINER.image, state: running(60 * 24 * 3 - 1), ready: true, restartCount: 0 },
    ],
  }),
);

// ---------------------------------------------------------------------------------------------
// checkout: OOMKilled repeatedly at a 256Mi limit; an older pod was evicted under memory pressure.

const CHECKOUT_CONTAINER: ContainerSpec = {
  name: 'app',
  image: 'registry.example.com/shop/checkout:v2.7.0',
  requests: { cpu: '200m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  port: 8080,
  readinessPath: '/ready',
};
const checkout = deployment({
  name: 'checkout',
  replicas: 1,
  containers: [CHECKOUT_CONTAINER],
  generation: 2,
  status: { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
});
const checkoutRs = replicaSet(
  checkout,
  2,
  [CHECKOUT_CONTAINER],
  1,
  { readyReplicas: 1, availableReplicas: 1 },
  60 * 24 * 2,
);
const checkoutHash = templateHash('checkout', 2);
const checkoutPod = pod({
  name: `checkout-${checkoutHash}-${podSuffix('checkout/1')}`,
  owner: checkoutRs,
  labels: { app: 'checkout', 'pod-template-hash': checkoutHash },
  containers: [CHECKOUT_CONTAINER],
  node: NODE_C,
  podIp: '172.20.23.14',
  createdMinutesAgo: 190,
  phase: 'Running',
  ready: true,
  containerStatuses: [
    {
      name: 'app',
      image: CHECKOUT_CONTAINER.image,
      state: running(6),
      lastState: {
        terminated: {
          exitCode: 137,
          reason: 'OOMKilled',
          startedAt: minutesAgo(24),
          finishedAt: minutesAgo(7),
          containerID: `containerd://${createHash('sha256').update('checkout/previous').digest('hex')}`,
        },
      },
      ready: true,
      restartCount: 7,
    },
  ],
});
const checkoutEvictedPod = pod({
  name: `checkout-${checkoutHash}-${podSuffix('checkout/0')}`,
  owner: checkoutRs,
  labels: { app: 'checkout', 'pod-template-hash': checkoutHash },
  containers: [CHECKOUT_CONTAINER],
  node: NODE_C,
  createdMinutesAgo: 60 * 24 * 2,
  phase: 'Failed',
  reason: 'Evicted',
  message:
    'The node was low on resource: memory. Threshold quantity: 100Mi, available: 82340Ki. Container app was using 251Mi, request is 128Mi, has larger consumption of memory. ',
  conditions: [
    {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'TerminationByKubelet',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 82340Ki. ',
      minutesAgo: 192,
    },
    { type: 'Ready', status: 'False', reason: 'PodFailed', minutesAgo: 192 },
    { type: 'PodScheduled', status: 'True', minutesAgo: 60 * 24 * 2 },
  ],
  containerStatuses: [
    {
      name: 'app',
      image: CHECKOUT_CONTAINER.image,
      state: {
        terminated: {
          exitCode: 137,
          reason: 'ContainerStatusUnknown',
          message: 'The container could not be located when the pod was terminated',
          startedAt: minutesAgo(60 * 24 * 2 - 1),
          finishedAt: minutesAgo(192),
        },
      },
      ready: false,
      restartCount: 2,
      started: false,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// recommender: CrashLoopBackOff, exit code 1, a configuration error in the previous log.

const RECOMMENDER_CONTAINER: ContainerSpec = {
  name: 'recommender',
  image: 'registry.example.com/shop/recommender:v1.9.0',
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
  port: 9000,
  livenessPath: '/health',
  env: [
    { name: 'MODEL_REGION', value: 'cn-hangzhou' },
    { name: 'LOG_LEVEL', value: 'info' },
  ],
};
const recommender = deployment({
  name: 'recommender',
  replicas: 1,
  containers: [RECOMMENDER_CONTAINER],
  generation: 3,
  createdMinutesAgo: 60 * 24 * 5,
  status: { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 1 },
});
const recommenderRs = replicaSet(
  recommender,
  3,
  [RECOMMENDER_CONTAINER],
  1,
  { readyReplicas: 0, availableReplicas: 0 },
  55,
);
const recommenderHash = templateHash('recommender', 3);
const recommenderPod = pod({
  name: `recommender-${recommenderHash}-${podSuffix('recommender/1')}`,
  owner: recommenderRs,
  labels: { app: 'recommender', 'pod-template-hash': recommenderHash },
  containers: [RECOMMENDER_CONTAINER],
  node: NODE_B,
  podIp: '172.20.22.31',
  createdMinutesAgo: 55,
  phase: 'Running',
  ready: false,
  containerStatuses: [
    {
      name: 'recommender',
      image: RECOMMENDER_CONTAINER.image,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 5m0s restarting failed container=recommender pod=recommender-${recommenderHash}-${podSuffix('recommender/1')}_shop(${uidOf(`Pod/shop/recommender-${recommenderHash}-${podSuffix('recommender/1')}`)})`,
        },
      },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: minutesAgo(4),
          finishedAt: minutesAgo(4),
          containerID: `containerd://${createHash('sha256').update('recommender/previous').digest('hex')}`,
        },
      },
      ready: false,
      restartCount: 12,
      started: false,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// payments: rollout from v8 to v9 stuck, the v9 image does not exist.

const PAYMENTS_V8: ContainerSpec = {
  name: 'payments',
  image: 'registry.example.com/payments:v8',
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
  port: 8443,
  readinessPath: '/ready',
  env: [
    { name: 'DB_HOST', value: 'pgm-bp1payments.pg.rds.aliyuncs.com' },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'payments-db', key: 'password' } } },
  ],
};
const PAYMENTS_V9: ContainerSpec = { ...PAYMENTS_V8, image: 'registry.example.com/payments:v9' };
const payments = deployment({
  name: 'payments',
  replicas: 2,
  containers: [PAYMENTS_V9],
  generation: 9,
  status: { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 },
  progressing: {
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: `ReplicaSet "payments-${templateHash('payments', 9)}" has timed out progressing.`,
    minutesAgo: 32,
  },
  available: {
    status: 'True',
    reason: 'MinimumReplicasAvailable',
    message: 'Deployment has minimum availability.',
    minutesAgo: 60 * 24 * 6,
  },
});
const paymentsOldRs = replicaSet(
  payments,
  8,
  [PAYMENTS_V8],
  2,
  { readyReplicas: 2, availableReplicas: 2 },
  60 * 24 * 6,
);
const paymentsNewRs = replicaSet(payments, 9, [PAYMENTS_V9], 1, { readyReplicas: 0, availableReplicas: 0 }, 42);
const paymentsOldHash = templateHash('payments', 8);
const paymentsNewHash = templateHash('payments', 9);
const paymentsOldPods = [NODE_A, NODE_B].map((nodeName, i) =>
  pod({
    name: `payments-${paymentsOldHash}-${podSuffix(`payments/8/${i}`)}`,
    owner: paymentsOldRs,
    labels: { app: 'payments', 'pod-template-hash': paymentsOldHash },
    containers: [PAYMENTS_V8],
    node: nodeName,
    podIp: `172.20.${nodeName === NODE_A ? 21 : 22}.${40 + i}`,
    createdMinutesAgo: 60 * 24 * 6,
    phase: 'Running',
    ready: true,
    containerStatuses: [
      { name: 'payments', image: PAYMENTS_V8.image, state: running(60 * 24 * 6 - 1), ready: true, restartCount: 0 },
    ],
  }),
);
const paymentsNewPod = pod({
  name: `payments-${paymentsNewHash}-${podSuffix('payments/9/0')}`,
  owner: paymentsNewRs,
  labels: { app: 'payments', 'pod-template-hash': paymentsNewHash },
  containers: [PAYMENTS_V9],
  node: NODE_B,
  podIp: '172.20.22.47',
  createdMinutesAgo: 42,
  phase: 'Pending',
  ready: false,
  containerStatuses: [
    {
      name: 'payments',
      image: PAYMENTS_V9.image,
      state: {
        waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/payments:v9"' },
      },
      ready: false,
      restartCount: 0,
      started: false,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// search: running, never ready (readiness probe 503).

const SEARCH_CONTAINER: ContainerSpec = {
  name: 'search',
  image: 'registry.example.com/shop/search:v5.1.0',
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '2', memory: '2Gi' },
  port: 9200,
  readinessPath: '/_cluster/health',
};
const search = deployment({
  name: 'search',
  replicas: 1,
  containers: [SEARCH_CONTAINER],
  generation: 1,
  status: { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 1 },
});
const searchRs = replicaSet(search, 1, [SEARCH_CONTAINER], 1, { readyReplicas: 0, availableReplicas: 0 }, 60 * 24 * 12);
const searchHash = templateHash('search', 1);
const searchPod = pod({
  name: `search-${searchHash}-${podSuffix('search/0')}`,
  owner: searchRs,
  labels: { app: 'search', 'pod-template-hash': searchHash },
  containers: [SEARCH_CONTAINER],
  node: NODE_A,
  podIp: '172.20.21.52',
  createdMinutesAgo: 80,
  phase: 'Running',
  ready: false,
  containerStatuses: [
    { name: 'search', image: SEARCH_CONTAINER.image, state: running(79), ready: false, restartCount: 0, started: true },
  ],
});

// ---------------------------------------------------------------------------------------------
// Jobs: train-model (Pending, asks for 64 CPUs) and db-migrate (failed, backoffLimit reached).

function job(
  name: string,
  containers: ContainerSpec[],
  backoffLimit: number,
  createdMinutesAgo: number,
  status: Record<string, unknown>,
): SandboxObject {
  const j: SandboxObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('Job', name, SANDBOX_NAMESPACE, { generation: 1, createdMinutesAgo }),
    spec: {},
    status,
  };
  const labels = {
    'batch.kubernetes.io/controller-uid': j.metadata.uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': j.metadata.uid,
    'job-name': name,
  };
  j.metadata.labels = labels;
  j.spec = {
    parallelism: 1,
    completions: 1,
    backoffLimit,
    completionMode: 'NonIndexed',
    suspend: false,
    podReplacementPolicy: 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': j.metadata.uid } },
    template: {
      ...podTemplate(labels, containers),
      spec: { ...podTemplate(labels, containers).spec, restartPolicy: 'Never' },
    },
  };
  return j;
}

const TRAIN_CONTAINER: ContainerSpec = {
  name: 'trainer',
  image: 'registry.example.com/ml/trainer:2026.11',
  requests: { cpu: '64', memory: '128Gi' },
  limits: { cpu: '64', memory: '128Gi' },
  command: ['python', '-m', 'trainer', '--epochs', '40'],
};
const trainModel = job('train-model', [TRAIN_CONTAINER], 2, 25, {
  active: 1,
  ready: 0,
  terminating: 0,
  startTime: minutesAgo(25),
  uncountedTerminatedPods: {},
});
const trainLabels = trainModel.metadata.labels as Record<string, string>;
const trainPod = pod({
  name: `train-model-${podSuffix('train-model/0')}`,
  owner: trainModel,
  labels: trainLabels,
  containers: [TRAIN_CONTAINER],
  createdMinutesAgo: 25,
  phase: 'Pending',
  restartPolicy: 'Never',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      minutesAgo: 25,
    },
  ],
});

const MIGRATE_CONTAINER: ContainerSpec = {
  name: 'migrate',
  image: 'registry.example.com/shop/db-migrate:v41',
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  command: ['/migrate', 'up'],
};
const dbMigrate = job('db-migrate', [MIGRATE_CONTAINER], 3, 70, {
  failed: 4,
  terminating: 0,
  ready: 0,
  startTime: minutesAgo(70),
  uncountedTerminatedPods: {},
  conditions: [
    {
      type: 'FailureTarget',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      lastProbeTime: minutesAgo(58),
      lastTransitionTime: minutesAgo(58),
    },
    {
      type: 'Failed',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      lastProbeTime: minutesAgo(58),
      lastTransitionTime: minutesAgo(58),
    },
  ],
});
const migrateLabels = dbMigrate.metadata.labels as Record<string, string>;
/** Minutes ago each attempt started: the job controller backs off 10s, 20s, 40s… between them. */
const MIGRATE_STARTS = [70, 69, 67, 63];
const migratePods = MIGRATE_STARTS.map((startedMinutesAgo, i) => {
  const name = `db-migrate-${podSuffix(`db-migrate/${i}`)}`;
  return pod({
    name,
    owner: dbMigrate,
    labels: migrateLabels,
    containers: [MIGRATE_CONTAINER],
    node: i % 2 === 0 ? NODE_A : NODE_B,
    createdMinutesAgo: startedMinutesAgo,
    phase: 'Failed',
    restartPolicy: 'Never',
    conditions: [
      { type: 'Initialized', status: 'True', minutesAgo: startedMinutesAgo },
      { type: 'Ready', status: 'False', reason: 'PodFailed', minutesAgo: startedMinutesAgo - 1 },
      { type: 'ContainersReady', status: 'False', reason: 'PodFailed', minutesAgo: startedMinutesAgo - 1 },
      { type: 'PodScheduled', status: 'True', minutesAgo: startedMinutesAgo },
    ],
    containerStatuses: [
      {
        name: 'migrate',
        image: MIGRATE_CONTAINER.image,
        state: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: minutesAgo(startedMinutesAgo),
            finishedAt: minutesAgo(startedMinutesAgo - 1),
          },
        },
        ready: false,
        restartCount: 0,
        started: false,
      },
    ],
  });
});

// ---------------------------------------------------------------------------------------------
// StatefulSets: cart-redis (healthy, Bound claim) and orders-db (claim unbound).

function statefulSet(
  name: string,
  containers: ContainerSpec[],
  storageClassName: string,
  status: Record<string, unknown>,
): SandboxObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('StatefulSet', name, SANDBOX_NAMESPACE, { generation: 1, labels }),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      serviceName: name,
      template: podTemplate(labels, containers),
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName,
            resources: { requests: { storage: '20Gi' } },
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: { observedGeneration: 1, ...status },
  };
}

function claim(owner: SandboxObject, storageClassName: string, bound: boolean): SandboxObject {
  const name = `data-${owner.metadata.name}-0`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('PersistentVolumeClaim', name, SANDBOX_NAMESPACE, {
      labels: { app: owner.metadata.name },
      annotations: bound
        ? {
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.beta.kubernetes.io/storage-provisioner': 'diskplugin.csi.alibabacloud.com',
            'volume.kubernetes.io/storage-provisioner': 'diskplugin.csi.alibabacloud.com',
          }
        : {},
      createdMinutesAgo: bound ? 60 * 24 * 12 : 40,
    }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: '20Gi' } },
      volumeMode: 'Filesystem',
      ...(bound ? { volumeName: `d-bp1${podSuffix(name)}cartredisdisk0` } : {}),
    },
    status: bound
      ? { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '20Gi' } }
      : { phase: 'Pending' },
  };
}

const REDIS_CONTAINER: ContainerSpec = {
  name: 'redis',
  image: 'registry.example.com/library/redis:7.2.5',
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
  port: 6379,
};
const cartRedis = statefulSet('cart-redis', [REDIS_CONTAINER], 'alicloud-disk-essd', {
  replicas: 1,
  readyReplicas: 1,
  currentReplicas: 1,
  updatedReplicas: 1,
  availableReplicas: 1,
  currentRevision: `cart-redis-${templateHash('cart-redis', 1)}`,
  updateRevision: `cart-redis-${templateHash('cart-redis', 1)}`,
  collisionCount: 0,
});
const cartRedisClaim = claim(cartRedis, 'alicloud-disk-essd', true);
const cartRedisPod = pod({
  name: 'cart-redis-0',
  owner: cartRedis,
  labels: {
    app: 'cart-redis',
    'apps.kubernetes.io/pod-index': '0',
    'statefulset.kubernetes.io/pod-name': 'cart-redis-0',
  },
  containers: [REDIS_CONTAINER],
  extraSpec: {
    hostname: 'cart-redis-0',
    subdomain: 'cart-redis',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-cart-redis-0' } }],
  },
  node: NODE_B,
  podIp: '172.20.22.60',
  createdMinutesAgo: 60 * 24 * 12,
  phase: 'Running',
  ready: true,
  containerStatuses: [
    { name: 'redis', image: REDIS_CONTAINER.image, state: running(60 * 24 * 12 - 1), ready: true, restartCount: 0 },
  ],
});

const POSTGRES_CONTAINER: ContainerSpec = {
  name: 'postgres',
  image: 'registry.example.com/library/postgres:16.4',
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '2', memory: '2Gi' },
  port: 5432,
};
const ordersDb = statefulSet('orders-db', [POSTGRES_CONTAINER], 'alicloud-disk-essd-pl3', {
  replicas: 1,
  currentReplicas: 1,
  updatedReplicas: 1,
  availableReplicas: 0,
  currentRevision: `orders-db-${templateHash('orders-db', 1)}`,
  updateRevision: `orders-db-${templateHash('orders-db', 1)}`,
  collisionCount: 0,
});
const ordersDbClaim = claim(ordersDb, 'alicloud-disk-essd-pl3', false);
const ordersDbPod = pod({
  name: 'orders-db-0',
  owner: ordersDb,
  labels: {
    app: 'orders-db',
    'apps.kubernetes.io/pod-index': '0',
    'statefulset.kubernetes.io/pod-name': 'orders-db-0',
  },
  containers: [POSTGRES_CONTAINER],
  extraSpec: {
    hostname: 'orders-db-0',
    subdomain: 'orders-db',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-orders-db-0' } }],
  },
  createdMinutesAgo: 40,
  phase: 'Pending',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      minutesAgo: 40,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// kube-system/logtail-ds: one pod on every node.

const LOGTAIL_CONTAINER: ContainerSpec = {
  name: 'logtail',
  image: 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/logtail:v2.1.4.0-aliyun',
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '2', memory: '2Gi' },
};
const logtail: SandboxObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: meta('DaemonSet', 'logtail-ds', 'kube-system', {
    generation: 2,
    labels: { 'k8s-app': 'logtail-ds' },
    annotations: { 'deprecated.daemonset.template.generation': '2' },
    createdMinutesAgo: 60 * 24 * 30,
  }),
  spec: {
    selector: { matchLabels: { 'k8s-app': 'logtail-ds' } },
    template: podTemplate({ 'k8s-app': 'logtail-ds' }, [LOGTAIL_CONTAINER], {
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'system-node-critical',
    }),
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } },
    revisionHistoryLimit: 10,
  },
  status: {
    currentNumberScheduled: 3,
    numberMisscheduled: 0,
    desiredNumberScheduled: 3,
    numberReady: 3,
    observedGeneration: 2,
    updatedNumberScheduled: 3,
    numberAvailable: 3,
  },
};
const logtailHash = templateHash('logtail-ds', 2);
const logtailPods = NODE_NAMES.map((nodeName, i) =>
  pod({
    name: `logtail-ds-${podSuffix(`logtail/${i}`)}`,
    namespace: 'kube-system',
    owner: logtail,
    labels: { 'k8s-app': 'logtail-ds', 'controller-revision-hash': logtailHash, 'pod-template-generation': '2' },
    containers: [LOGTAIL_CONTAINER],
    extraSpec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
          },
        },
      },
      priorityClassName: 'system-node-critical',
    },
    node: nodeName,
    podIp: NODE_IPS[nodeName],
    createdMinutesAgo: 60 * 24 * 12,
    phase: 'Running',
    ready: true,
    containerStatuses: [
      {
        name: 'logtail',
        image: LOGTAIL_CONTAINER.image,
        state: running(60 * 24 * 12 - 1),
        ready: true,
        restartCount: 0,
      },
    ],
  }),
);

// ---------------------------------------------------------------------------------------------
// Services, the PDB, a ConfigMap and a Secret.

const service = (name: string, port: number, targetPort: number, clusterIP: string): SandboxObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('Service', name, SANDBOX_NAMESPACE, { labels: { app: name } }),
  spec: {
    type: 'ClusterIP',
    clusterIP,
    clusterIPs: [clusterIP],
    selector: { app: name },
    ports: [{ name: 'http', protocol: 'TCP', port, targetPort }],
    sessionAffinity: 'None',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
});

const services = [
  service('frontend', 80, 8080, '192.168.14.20'),
  service('checkout', 80, 8080, '192.168.31.7'),
  service('payments', 443, 8443, '192.168.52.113'),
  service('recommender', 80, 9000, '192.168.77.41'),
  service('search', 9200, 9200, '192.168.90.3'),
];

const frontendPdb: SandboxObject = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: meta('PodDisruptionBudget', 'frontend-pdb', SANDBOX_NAMESPACE, { generation: 1 }),
  spec: {
    minAvailable: 3,
    selector: { matchLabels: { app: 'frontend' } },
    unhealthyPodEvictionPolicy: 'IfHealthyBudget',
  },
  status: {
    observedGeneration: 1,
    disruptionsAllowed: 0,
    currentHealthy: 3,
    desiredHealthy: 3,
    expectedPods: 3,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: 'False',
        reason: 'InsufficientPods',
        message: '',
        observedGeneration: 1,
        lastTransitionTime: minutesAgo(60 * 24 * 3),
      },
    ],
  },
};

const recommenderConfig: SandboxObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta('ConfigMap', 'recommender-config', SANDBOX_NAMESPACE),
  data: { MODEL_REGION: 'cn-hangzhou', CACHE_TTL_SECONDS: '300' },
};

const paymentsDbSecret: SandboxObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: meta('Secret', 'payments-db', SANDBOX_NAMESPACE, { labels: { app: 'payments' } }),
  type: 'Opaque',
  data: {
    username: Buffer.from('payments_app').toString('base64'),
    password: Buffer.from('sandbox-not-a-real-password-7Qx2').toString('base64'),
  },
};

// ---------------------------------------------------------------------------------------------
// Events

interface EventSpec {
  object: SandboxObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count?: number;
  firstMinutesAgo: number;
  lastMinutesAgo?: number;
  component: string;
  host?: string;
  fieldPath?: string;
}

function event(e: EventSpec): SandboxObject {
  const { object } = e;
  const namespace = object.metadata.namespace ?? 'default';
  const name = `${object.metadata.name}.${createHash('sha256').update(`${object.metadata.uid}/${e.reason}/${e.message}`).digest('hex').slice(0, 16)}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('Event', name, namespace, { createdMinutesAgo: e.firstMinutesAgo }),
    involvedObject: {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid,
      apiVersion: object.apiVersion,
      resourceVersion: object.metadata.resourceVersion,
      ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
    },
    reason: e.reason,
    message: e.message,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: minutesAgo(e.firstMinutesAgo),
    lastTimestamp: minutesAgo(e.lastMinutesAgo ?? e.firstMinutesAgo),
    count: e.count ?? 1,
    type: e.type,
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}

const containerPath = (name: string) => `spec.containers{${name}}`;

const events: SandboxObject[] = [
  // checkout
  event({
    object: checkoutPod,
    type: 'Normal',
    reason: 'Pulled',
    message: `Container image "${CHECKOUT_CONTAINER.image}" already present on machine`,
    count: 8,
    firstMinutesAgo: 189,
    lastMinutesAgo: 6,
    component: 'kubelet',
    host: NODE_C,
    fieldPath: containerPath('app'),
  }),
  event({
    object: checkoutPod,
    type: 'Normal',
    reason: 'Created',
    message: 'Created container: app',
    count: 8,
    firstMinutesAgo: 189,
    lastMinutesAgo: 6,
    component: 'kubelet',
    host: NODE_C,
    fieldPath: containerPath('app'),
  }),
  event({
    object: checkoutPod,
    type: 'Normal',
    reason: 'Started',
    message: 'Started container app',
    count: 8,
    firstMinutesAgo: 189,
    lastMinutesAgo: 6,
    component: 'kubelet',
    host: NODE_C,
    fieldPath: containerPath('app'),
  }),
  event({
    object: checkoutPod,
    type: 'Warning',
    reason: 'BackOff',
    message:
      'Back-off restarting failed container app in pod ' +
      `${checkoutPod.metadata.name}_shop(${checkoutPod.metadata.uid})`,
    count: 5,
    firstMinutesAgo: 150,
    lastMinutesAgo: 7,
    component: 'kubelet',
    host: NODE_C,
    fieldPath: containerPath('app'),
  }),
  event({
    object: checkoutEvictedPod,
    type: 'Warning',
    reason: 'Evicted',
    message:
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 82340Ki. Container app was using 251Mi, request is 128Mi, has larger consumption of memory. ',
    firstMinutesAgo: 192,
    component: 'kubelet',
    host: NODE_C,
  }),
  event({
    object: nodes[2] as SandboxObject,
    type: 'Warning',
    reason: 'OOMKilling',
    message:
      'Memory cgroup out of memory: Killed process 48211 (checkout) total-vm:1389004kB, anon-rss:259044kB, file-rss:18220kB, shmem-rss:0kB, UID:1000 pgtables:812kB oom_score_adj:983',
    count: 7,
    firstMinutesAgo: 170,
    lastMinutesAgo: 7,
    component: 'kernel-monitor',
    host: NODE_C,
  }),
  event({
    object: nodes[2] as SandboxObject,
    type: 'Normal',
    reason: 'NodeHasInsufficientMemory',
    message: `Node ${NODE_C} status is now: NodeHasInsufficientMemory`,
    firstMinutesAgo: 35,
    component: 'kubelet',
    host: NODE_C,
  }),
  event({
    object: nodes[2] as SandboxObject,
    type: 'Warning',
    reason: 'EvictionThresholdMet',
    message: 'Attempting to reclaim memory',
    count: 3,
    firstMinutesAgo: 193,
    lastMinutesAgo: 35,
    component: 'kubelet',
    host: NODE_C,
  }),
  // recommender
  event({
    object: recommenderPod,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned shop/${recommenderPod.metadata.name} to ${NODE_B}`,
    firstMinutesAgo: 55,
    component: 'default-scheduler',
  }),
  event({
    object: recommenderPod,
    type: 'Normal',
    reason: 'Pulled',
    message: `Container image "${RECOMMENDER_CONTAINER.image}" already present on machine`,
    count: 13,
    firstMinutesAgo: 55,
    lastMinutesAgo: 4,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('recommender'),
  }),
  event({
    object: recommenderPod,
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container recommender in pod ${recommenderPod.metadata.name}_shop(${recommenderPod.metadata.uid})`,
    count: 241,
    firstMinutesAgo: 53,
    lastMinutesAgo: 1,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('recommender'),
  }),
  // payments
  event({
    object: payments,
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled up replica set ${paymentsNewRs.metadata.name} from 0 to 1`,
    firstMinutesAgo: 42,
    component: 'deployment-controller',
  }),
  event({
    object: paymentsNewRs,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: `Created pod: ${paymentsNewPod.metadata.name}`,
    firstMinutesAgo: 42,
    component: 'replicaset-controller',
  }),
  event({
    object: paymentsNewPod,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned shop/${paymentsNewPod.metadata.name} to ${NODE_B}`,
    firstMinutesAgo: 42,
    component: 'default-scheduler',
  }),
  event({
    object: paymentsNewPod,
    type: 'Normal',
    reason: 'Pulling',
    message: 'Pulling image "registry.example.com/payments:v9"',
    count: 9,
    firstMinutesAgo: 42,
    lastMinutesAgo: 3,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('payments'),
  }),
  event({
    object: paymentsNewPod,
    type: 'Warning',
    reason: 'Failed',
    message:
      'Failed to pull image "registry.example.com/payments:v9": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/payments:v9": failed to resolve reference "registry.example.com/payments:v9": registry.example.com/payments:v9: not found',
    count: 9,
    firstMinutesAgo: 42,
    lastMinutesAgo: 3,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('payments'),
  }),
  event({
    object: paymentsNewPod,
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ErrImagePull',
    count: 9,
    firstMinutesAgo: 42,
    lastMinutesAgo: 3,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('payments'),
  }),
  event({
    object: paymentsNewPod,
    type: 'Normal',
    reason: 'BackOff',
    message: 'Back-off pulling image "registry.example.com/payments:v9"',
    count: 180,
    firstMinutesAgo: 41,
    lastMinutesAgo: 1,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('payments'),
  }),
  event({
    object: paymentsNewPod,
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ImagePullBackOff',
    count: 180,
    firstMinutesAgo: 41,
    lastMinutesAgo: 1,
    component: 'kubelet',
    host: NODE_B,
    fieldPath: containerPath('payments'),
  }),
  // search
  event({
    object: searchPod,
    type: 'Warning',
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    count: 472,
    firstMinutesAgo: 79,
    lastMinutesAgo: 0,
    component: 'kubelet',
    host: NODE_A,
    fieldPath: containerPath('search'),
  }),
  // train-model
  event({
    object: trainModel,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: `Created pod: ${trainPod.metadata.name}`,
    firstMinutesAgo: 25,
    component: 'job-controller',
  }),
  event({
    object: trainPod,
    type: 'Warning',
    reason: 'FailedScheduling',
    message:
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    count: 6,
    firstMinutesAgo: 25,
    lastMinutesAgo: 2,
    component: 'default-scheduler',
  }),
  // db-migrate
  ...migratePods.map((p, i) =>
    event({
      object: dbMigrate,
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${p.metadata.name}`,
      firstMinutesAgo: MIGRATE_STARTS[i] as number,
      component: 'job-controller',
    }),
  ),
  event({
    object: dbMigrate,
    type: 'Warning',
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    firstMinutesAgo: 58,
    component: 'job-controller',
  }),
  // orders-db
  event({
    object: ordersDbClaim,
    type: 'Warning',
    reason: 'ProvisioningFailed',
    message: 'storageclass.storage.k8s.io "alicloud-disk-essd-pl3" not found',
    count: 161,
    firstMinutesAgo: 40,
    lastMinutesAgo: 0,
    component: 'persistentvolume-controller',
  }),
  event({
    object: ordersDbPod,
    type: 'Warning',
    reason: 'FailedScheduling',
    message:
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    count: 9,
    firstMinutesAgo: 40,
    lastMinutesAgo: 5,
    component: 'default-scheduler',
  }),
  event({
    object: ordersDb,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'create Claim data-orders-db-0 Pod orders-db-0 in StatefulSet orders-db success',
    firstMinutesAgo: 40,
    component: 'statefulset-controller',
  }),
];

// ---------------------------------------------------------------------------------------------
// Logs, keyed by `namespace/pod/container`.

const stamp = (m: number, s: number) => new Date(NOW_MS - m * 60_000 + s * 1000).toISOString();

const logs: Record<string, SandboxLog> = {
  [`shop/${frontendPods[0]?.metadata.name}/web`]: {
    current: [
      `${stamp(3, 0)} INFO  http GET /api/products 200 12ms`,
      `${stamp(2, 5)} INFO  http GET /api/cart 200 8ms`,
      `${stamp(1, 40)} INFO  http POST /api/cart/items 201 23ms`,
      `${stamp(0, 10)} INFO  http GET /healthz/ready 200 1ms`,
    ].join('\n'),
  },
  [`shop/${checkoutPod.metadata.name}/app`]: {
    current: [
      `${stamp(6, 0)} INFO  checkout v2.7.0 listening on :8080`,
      `${stamp(5, 10)} INFO  warmed price cache: 182340 entries`,
      `${stamp(3, 0)} WARN  order batch 7741 holds 4113 line items in memory`,
      `${stamp(1, 0)} WARN  heap in use 231 MiB`,
    ].join('\n'),
    previous: [
      `${stamp(24, 0)} INFO  checkout v2.7.0 listening on :8080`,
      `${stamp(23, 10)} INFO  warmed price cache: 182340 entries`,
      `${stamp(15, 0)} WARN  order batch 7712 holds 3921 line items in memory`,
      `${stamp(9, 30)} WARN  heap in use 239 MiB`,
      `${stamp(7, 50)} WARN  heap in use 252 MiB`,
    ].join('\n'),
  },
  [`shop/${recommenderPod.metadata.name}/recommender`]: {
    current: '',
    previous: [
      `${stamp(4, 0)} INFO  recommender 1.9.0 starting (python 3.11.9)`,
      `${stamp(4, 1)} INFO  loading settings from environment`,
      'Traceback (most recent call last):',
      '  File "/app/recommender/__main__.py", line 12, in <module>',
      '    main()',
      '  File "/app/recommender/app.py", line 48, in main',
      '    settings = Settings.from_env()',
      '  File "/app/recommender/settings.py", line 31, in from_env',
      '    bucket = os.environ["MODEL_BUCKET"]',
      '  File "<frozen os>", line 679, in __getitem__',
      "KeyError: 'MODEL_BUCKET'",
    ].join('\n'),
  },
  [`shop/${searchPod.metadata.name}/search`]: {
    current: [
      `${stamp(79, 0)} INFO  search node starting, cluster.name=shop-search`,
      `${stamp(78, 30)} WARN  master not discovered yet: have discovered []; discovery will continue`,
      `${stamp(1, 0)} WARN  master not discovered yet: have discovered []; discovery will continue`,
    ].join('\n'),
  },
  ...Object.fromEntries(
    migratePods.map((p, i) => {
      const started = MIGRATE_STARTS[i] as number;
      return [
        `shop/${p.metadata.name}/migrate`,
        {
          current: [
            `${stamp(started, 2)} INFO  connecting to pgm-bp1orders.pg.rds.aliyuncs.com:5432/orders`,
            `${stamp(started, 3)} INFO  applying 0041_add_order_index.sql`,
            `${stamp(started, 4)} ERROR relation "orders_created_at_idx" already exists (SQLSTATE 42P07)`,
            `${stamp(started, 4)} FATAL migration 0041 failed, database left at version 40`,
          ].join('\n'),
        },
      ];
    }),
  ),
  ...Object.fromEntries(
    logtailPods.map((p) => [
      `kube-system/${p.metadata.name}/logtail`,
      { current: `${stamp(1, 0)} [INFO] send success, logstore=k8s-stdout, lines=381` },
    ]),
  ),
};

// ---------------------------------------------------------------------------------------------
// metrics.k8s.io

function podMetrics(p: SandboxObject, usage: Record<string, { cpu: string; memory: string }>): SandboxObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      uid: p.metadata.uid,
      resourceVersion: '',
      creationTimestamp: SANDBOX_NOW,
      labels: p.metadata.labels,
    },
    timestamp: minutesAgo(0.25),
    window: '15.019s',
    containers: Object.entries(usage).map(([name, u]) => ({ name, usage: u })),
  };
}

const podMetricsList: SandboxObject[] = [
  ...frontendPods.map((p, i) => podMetrics(p, { web: { cpu: `${38 + i * 5}m`, memory: `${180_000 + i * 3_100}Ki` } })),
  podMetrics(checkoutPod, { app: { cpu: '187m', memory: '250880Ki' } }), // 245Mi of a 256Mi limit
  podMetrics(searchPod, { search: { cpu: '412m', memory: '1288120Ki' } }),
  ...paymentsOldPods.map((p) => podMetrics(p, { payments: { cpu: '96m', memory: '301244Ki' } })),
  podMetrics(cartRedisPod, { redis: { cpu: '9m', memory: '41230Ki' } }),
  ...logtailPods.map((p) => podMetrics(p, { logtail: { cpu: '21m', memory: '98312Ki' } })),
];

const nodeMetricsList: SandboxObject[] = nodes.map((n, i) => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'NodeMetrics',
  metadata: {
    name: n.metadata.name,
    uid: n.metadata.uid,
    resourceVersion: '',
    creationTimestamp: SANDBOX_NOW,
    labels: n.metadata.labels,
  },
  timestamp: minutesAgo(0.25),
  window: '20.022s',
  usage: [
    { cpu: '1210m', memory: '6120340Ki' },
    { cpu: '1644m', memory: '7801220Ki' },
    { cpu: '2930m', memory: '12987004Ki' },
  ][i],
}));

// ---------------------------------------------------------------------------------------------

/** The sandbox cluster's objects by kind, logs by `namespace/pod/container`, and metrics. */
export const sandboxWorkloads = {
  namespaces,
  nodes,
  pods: [
    ...frontendPods,
    checkoutPod,
    checkoutEvictedPod,
    recommenderPod,
    ...paymentsOldPods,
    paymentsNewPod,
    searchPod,
    trainPod,
    ...migratePods,
    cartRedisPod,
    ordersDbPod,
    ...logtailPods,
  ],
  deployments: [frontend, checkout, recommender, payments, search],
  replicaSets: [frontendRs, checkoutRs, recommenderRs, paymentsOldRs, paymentsNewRs, searchRs],
  statefulSets: [cartRedis, ordersDb],
  daemonSets: [logtail],
  jobs: [trainModel, dbMigrate],
  services,
  configMaps: [recommenderConfig],
  secrets: [paymentsDbSecret],
  persistentVolumeClaims: [cartRedisClaim, ordersDbClaim],
  podDisruptionBudgets: [frontendPdb],
  events,
  logs,
  podMetrics: podMetricsList,
  nodeMetrics: nodeMetricsList,
} satisfies Record<string, unknown>;

export type SandboxWorkloads = typeof sandboxWorkloads;

/** Every object above in one list (metrics excluded), e.g. for a fake API server's index. */
export function allSandboxObjects(): SandboxObject[] {
  const w = sandboxWorkloads;
  return [
    ...w.namespaces,
    ...w.nodes,
    ...w.pods,
    ...w.deployments,
    ...w.replicaSets,
    ...w.statefulSets,
    ...w.daemonSets,
    ...w.jobs,
    ...w.services,
    ...w.configMaps,
    ...w.secrets,
    ...w.persistentVolumeClaims,
    ...w.podDisruptionBudgets,
    ...w.events,
  ];
}
