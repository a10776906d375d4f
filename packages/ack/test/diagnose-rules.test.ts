import { OpsError } from '@opsmcp/core';
import { describe, expect, it } from 'vitest';
import { collectSnapshot, type DiagnoseTarget } from '../src/diagnose/collect.js';
import { diagnoseWorkload } from '../src/diagnose/index.js';
import type { ContainerStatus, KubeEvent, Node, Pod, WorkloadKind } from '../src/diagnose/kube-types.js';
import {
  evaluateRules,
  imagePullCause,
  logHint,
  parseSchedulingMessage,
  WORKLOAD_RULES,
} from '../src/diagnose/rules.js';
import type { WorkloadSource } from '../src/diagnose/source.js';
import { DIAGNOSE_THRESHOLDS } from '../src/diagnose/thresholds.js';
import type { Finding } from '../src/diagnose/types.js';
import { formatBytes, parseQuantity } from '../src/kubernetes/quantity.js';
import { SANDBOX_NOW, type SandboxObject, sandboxWorkloads } from '../src/sandbox/workloads.js';

type Dataset = typeof sandboxWorkloads;
const NOW = Date.parse(SANDBOX_NOW);

/** Serves a dataset of plain objects the way the API server would answer the source's reads. */
function memorySource(data: Dataset): WorkloadSource & { calls: string[] } {
  const calls: string[] = [];
  const byKind: Record<WorkloadKind, SandboxObject[]> = {
    Pod: data.pods,
    Deployment: data.deployments,
    StatefulSet: data.statefulSets,
    DaemonSet: data.daemonSets,
    Job: data.jobs,
  };
  const matches = (labels: Record<string, string> | undefined, selector: string) =>
    selector.split(',').every((term) => {
      const [k, v] = term.split('=');
      return labels?.[k as string] === v;
    });
  return {
    calls,
    async getWorkload(kind, namespace, name) {
      calls.push(`get ${kind} ${namespace}/${name}`);
      const object = byKind[kind].find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
      if (!object) throw new OpsError('RESOURCE_NOT_FOUND', `${kind} ${name} not found`);
      return { kind, object: structuredClone(object) } as never;
    },
    async listPods(namespace, selector) {
      calls.push(`list pods ${namespace} ${selector}`);
      const items = data.pods.filter((p) => p.metadata.namespace === namespace && matches(p.metadata.labels, selector));
      return { items: structuredClone(items) as never, more: false };
    },
    async listReplicaSets(namespace, selector) {
      calls.push(`list replicasets ${namespace} ${selector}`);
      return structuredClone(
        data.replicaSets.filter((r) => r.metadata.namespace === namespace && matches(r.metadata.labels, selector)),
      ) as never;
    },
    async listEvents(namespace, involved) {
      calls.push(`list events ${namespace} ${involved.kind}/${involved.name}`);
      return structuredClone(
        data.events.filter(
          (e) => e.metadata.namespace === namespace && (e.involvedObject as { uid: string }).uid === involved.uid,
        ),
      ) as never;
    },
    async readLog(namespace, pod, container, { previous, tailLines }) {
      calls.push(`log ${namespace}/${pod}/${container} previous=${previous}`);
      const log = data.logs[`${namespace}/${pod}/${container}`];
      const text = previous ? log?.previous : log?.current;
      if (text === undefined)
        throw new OpsError(
          'INVALID_ARGUMENT',
          `previous terminated container "${container}" in pod "${pod}" not found`,
        );
      return text.split('\n').slice(-tailLines).join('\n');
    },
    async getNode(name) {
      calls.push(`get node ${name}`);
      return structuredClone(data.nodes.find((n) => n.metadata.name === name)) as never;
    },
    async listNodes() {
      calls.push('list nodes');
      return structuredClone(data.nodes) as never;
    },
    async getPersistentVolumeClaim(namespace, name) {
      calls.push(`get pvc ${namespace}/${name}`);
      return structuredClone(
        data.persistentVolumeClaims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name),
      ) as never;
    },
    async podMetrics(namespace, pod) {
      calls.push(`metrics ${namespace}/${pod}`);
      return structuredClone(
        data.podMetrics.find((m) => m.metadata.namespace === namespace && m.metadata.name === pod),
      ) as never;
    },
  };
}

const target = (kind: WorkloadKind, name: string, namespace = 'shop'): DiagnoseTarget => ({ kind, namespace, name });
const diagnose = (t: DiagnoseTarget, data: Dataset = sandboxWorkloads) =>
  diagnoseWorkload(memorySource(data), t, { now: NOW });
const ids = (findings: Finding[]) => findings.map((f) => f.rule_id);
const only = (findings: Finding[], id: string) => {
  const list = findings.filter((f) => f.rule_id === id);
  expect(list, `findings of ${id}`).toHaveLength(1);
  return list[0] as Finding;
};
const text = (f: Finding) => [f.title, ...f.evidence, f.fix].join('\n');

/** A deep copy of the sandbox to bend into a case the sandbox does not show. */
const variant = (change: (d: Dataset) => void): Dataset => {
  const copy = structuredClone(sandboxWorkloads);
  change(copy);
  return copy;
};
const asPod = (o: SandboxObject | undefined): Pod => {
  if (!o) throw new Error('no such pod in the dataset');
  return o as unknown as Pod;
};
/** The first pod whose name starts with `prefix` (and in `phase`, when given), as a mutable Pod. */
const podOf = (d: Dataset, prefix: string, phase?: string): Pod =>
  asPod(d.pods.find((p) => p.metadata.name.startsWith(prefix) && (!phase || asPod(p).status?.phase === phase)));
const firstStatus = (pod: Pod): ContainerStatus => {
  const status = pod.status?.containerStatuses?.[0];
  if (!status) throw new Error(`pod ${pod.metadata.name} has no container status`);
  return status;
};

/** Every case below, so the coverage test can check each rule fires somewhere. */
const firing = new Set<string>();
const record = (findings: Finding[]) => {
  for (const f of findings) firing.add(f.rule_id);
  return findings;
};

describe('diagnosis rules on the sandbox workloads', () => {
  it('finds nothing wrong with the healthy frontend Deployment, cart-redis StatefulSet and a frontend pod', async () => {
    for (const t of [
      target('Deployment', 'frontend'),
      target('StatefulSet', 'cart-redis'),
      target('Pod', sandboxWorkloads.pods[0]?.metadata.name as string),
    ]) {
      const d = await diagnose(t);
      expect(d.findings, `${t.kind} ${t.name}`).toEqual([]);
      expect(d.verdict).toBe('healthy');
    }
  });

  it('an OOM pod: checkout is OOMKilled at its 256Mi limit with usage near it, restarts counted, limit raise suggested', async () => {
    const d = await diagnose(target('Deployment', 'checkout'));
    record(d.findings);
    expect(d.verdict).toBe('failing');
    const oom = only(d.findings, 'POD-OOM-KILLED');
    expect(oom.severity).toBe('critical');
    expect(oom.object).toMatchObject({ kind: 'Pod', namespace: 'shop', container: 'app' });
    expect(oom.object.name).toMatch(/^checkout-/);
    expect(text(oom)).toContain('memory limit 256Mi, request 128Mi');
    expect(text(oom)).toContain('restart count 7');
    expect(text(oom)).toMatch(/memory usage now 245Mi = 96% of the limit \(near the limit again\)/);
    expect(oom.fix).toContain('kubectl set resources deployment/checkout -c app --limits=memory=384Mi');
    expect(text(oom)).toContain('heap in use 252 MiB');
    // The older pod evicted under memory pressure, and the node's pressure itself.
    expect(only(d.findings, 'POD-EVICTED').evidence.join('\n')).toContain(
      'container app used 251Mi with a request of 128Mi',
    );
    expect(only(d.findings, 'NODE-PRESSURE')).toMatchObject({
      severity: 'warning',
      object: { kind: 'Node', name: 'cn-hangzhou.10.0.1.23' },
      title: 'Node cn-hangzhou.10.0.1.23 has MemoryPressure',
    });
    expect(ids(d.findings)).not.toContain('WORKLOAD-UNAVAILABLE');
    expect(d.findings[0]?.severity).toBe('critical');
  });

  it('a resource anomaly: recommender crash-loops with exit code 1 and the cause is read from its previous log', async () => {
    const d = await diagnose(target('Deployment', 'recommender'));
    record(d.findings);
    expect(d.verdict).toBe('failing');
    const crash = only(d.findings, 'POD-CRASH-LOOP');
    expect(crash.title).toContain('exit code 1');
    expect(crash.evidence.join('\n')).toContain('after 12 restarts');
    expect(crash.evidence.join('\n')).toContain("KeyError: 'MODEL_BUCKET'");
    expect(crash.fix).toContain('environment variable MODEL_BUCKET is missing');
    const unavailable = only(d.findings, 'WORKLOAD-UNAVAILABLE');
    expect(unavailable).toMatchObject({
      severity: 'critical',
      title: 'Deployment recommender: 0 of 1 replicas available',
    });
  });

  it('payments: the rollout is stuck on an image that does not exist; the rollback names revision 8', async () => {
    const d = await diagnose(target('Deployment', 'payments'));
    record(d.findings);
    const rollout = only(d.findings, 'ROLLOUT-STUCK');
    expect(rollout.severity).toBe('critical');
    expect(text(rollout)).toContain('registry.example.com/payments:v9');
    expect(text(rollout)).toMatch(
      /previous ReplicaSet payments-\w+ \(revision 8\): registry.example.com\/payments:v8, 2 ready/,
    );
    expect(text(rollout)).toMatch(/new pod payments-\w+-\w+: payments waiting: ImagePullBackOff/);
    expect(rollout.fix).toContain('kubectl rollout undo deployment/payments --to-revision=8');
    const pull = only(d.findings, 'POD-IMAGE-PULL');
    expect(pull.title).toBe(
      'Image registry.example.com/payments:v9 of container payments cannot be pulled (not found)',
    );
    expect(pull.evidence.join('\n')).toContain('registry.example.com/payments:v9: not found');
    expect(pull.fix).toContain('does not exist in the registry');
    // Two v8 pods still serve: the Deployment has its 2 available replicas.
    expect(ids(d.findings)).not.toContain('WORKLOAD-UNAVAILABLE');
  });

  it('search: running but never ready, the readiness probe answers 503', async () => {
    const d = await diagnose(target('Deployment', 'search'));
    record(d.findings);
    const probe = only(d.findings, 'POD-PROBE-FAILING');
    expect(probe).toMatchObject({ severity: 'warning', object: { container: 'search' } });
    expect(probe.title).toMatch(/fails its readiness probe$/);
    expect(probe.evidence.join('\n')).toContain('Readiness probe failed: HTTP probe failed with statuscode: 503 (×472');
    expect(probe.evidence.join('\n')).toContain('readinessProbe: HTTP GET /_cluster/health on port 9200');
    expect(probe.evidence.join('\n')).toContain('master not discovered yet');
  });

  it('train-model: its pod asks for 64 CPUs and no node has them', async () => {
    const d = await diagnose(target('Job', 'train-model'));
    record(d.findings);
    const pending = only(d.findings, 'POD-UNSCHEDULABLE');
    expect(pending.severity).toBe('critical');
    expect(pending.evidence).toContain('3 node(s): Insufficient cpu');
    expect(pending.evidence).toContain('pod requests: 64 CPU, 128Gi memory');
    expect(pending.evidence).toContain(
      'the largest node offers 3900m CPU to pods (cn-hangzhou.10.0.1.21, allocatable)',
    );
    expect(pending.fix).toContain(
      'The pod asks for 64 CPU but the largest node offers 3900m CPU: no node of this cluster can ever run it.',
    );
    expect(ids(d.findings)).not.toContain('JOB-FAILED');
  });

  it('db-migrate: the Job reached its backoff limit; the last pod exit code and log are shown', async () => {
    const d = await diagnose(target('Job', 'db-migrate'));
    record(d.findings);
    const job = only(d.findings, 'JOB-FAILED');
    expect(job.title).toBe('Job db-migrate failed: BackoffLimitExceeded');
    expect(job.evidence).toContain('pods failed 4, succeeded 0, backoffLimit 3');
    expect(job.evidence.join('\n')).toMatch(/last failed pod db-migrate-\w+, container migrate: exit code 1/);
    expect(job.evidence.join('\n')).toContain('relation "orders_created_at_idx" already exists');
    expect(job.fix).toContain('kubectl delete job db-migrate');
  });

  it('orders-db: Pending on an unbound claim whose StorageClass does not exist', async () => {
    const d = await diagnose(target('StatefulSet', 'orders-db'));
    record(d.findings);
    expect(only(d.findings, 'POD-UNSCHEDULABLE').fix).toContain('PersistentVolumeClaim is not bound');
    const pvc = only(d.findings, 'PVC-UNBOUND');
    expect(pvc).toMatchObject({
      severity: 'critical',
      object: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-orders-db-0' },
      title: 'PersistentVolumeClaim data-orders-db-0 is Pending (StorageClass alicloud-disk-essd-pl3 not found)',
    });
    expect(pvc.evidence.join('\n')).toContain('storageclass.storage.k8s.io "alicloud-disk-essd-pl3" not found (×161');
    expect(only(d.findings, 'WORKLOAD-UNAVAILABLE').title).toBe('StatefulSet orders-db: 0 of 1 replicas available');
  });

  it('logtail-ds: the DaemonSet pod on the node with MemoryPressure makes it degraded', async () => {
    const d = await diagnose(target('DaemonSet', 'logtail-ds', 'kube-system'));
    record(d.findings);
    expect(ids(d.findings)).toEqual(['NODE-PRESSURE']);
    expect(d.verdict).toBe('degraded');
    expect(d.pods_inspected).toBe(3);
  });

  it('a single pod target: the payments v9 pod alone shows the image pull failure', async () => {
    const d = await diagnose(target('Pod', podOf(sandboxWorkloads, 'payments-', 'Pending').metadata.name));
    expect(ids(d.findings)).toEqual(['POD-IMAGE-PULL']);
    expect(d.pods_inspected).toBe(1);
  });
});

describe('diagnosis rules on variations of the sandbox', () => {
  it('NODE-NOT-READY: a node turned NotReady, and a node that no longer exists', async () => {
    const notReady = variant((d) => {
      const node = d.nodes[0] as unknown as Node;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready) throw new Error('the sandbox node has no Ready condition');
      Object.assign(ready, {
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
    });
    const d = await diagnose(target('Deployment', 'frontend'), notReady);
    record(d.findings);
    const finding = only(d.findings, 'NODE-NOT-READY');
    expect(finding).toMatchObject({ severity: 'critical', object: { kind: 'Node', name: 'cn-hangzhou.10.0.1.21' } });
    expect(finding.title).toContain('Ready=Unknown');
    expect(finding.evidence.join('\n')).toContain('Kubelet stopped posting node status.');

    const gone = variant((d) => {
      d.nodes = d.nodes.filter((n) => n.metadata.name !== 'cn-hangzhou.10.0.1.22');
    });
    const g = await diagnose(target('Deployment', 'frontend'), gone);
    expect(only(g.findings, 'NODE-NOT-READY').title).toBe('Node cn-hangzhou.10.0.1.22 no longer exists');
  });

  it('POD-CONTAINER-CREATE: a Secret the pod needs does not exist', async () => {
    const data = variant((d) => {
      const live = podOf(d, 'checkout-', 'Running');
      const status = firstStatus(live);
      (live.status ?? {}).phase = 'Pending';
      status.state = {
        waiting: { reason: 'CreateContainerConfigError', message: 'secret "checkout-stripe" not found' },
      };
      status.lastState = {};
      status.restartCount = 0;
      status.ready = false;
    });
    const d = await diagnose(target('Deployment', 'checkout'), data);
    record(d.findings);
    const f = only(d.findings, 'POD-CONTAINER-CREATE');
    expect(f.title).toMatch(/cannot start: CreateContainerConfigError$/);
    expect(f.fix).toBe(
      'Create the secret checkout-stripe in namespace shop (or fix the name the pod template refers to).',
    );
  });

  it('WORKLOAD-CREATE-FAILED: the ReplicaSet cannot create pods because the quota is used up', async () => {
    const data = variant((d) => {
      const rs = d.replicaSets.find((r) => r.metadata.name.startsWith('search-')) as SandboxObject;
      d.events.push({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${rs.metadata.name}.quota`,
          namespace: 'shop',
          uid: 'e-quota',
          resourceVersion: '1',
          creationTimestamp: SANDBOX_NOW,
        },
        involvedObject: { kind: 'ReplicaSet', namespace: 'shop', name: rs.metadata.name, uid: rs.metadata.uid },
        reason: 'FailedCreate',
        message: `Error creating: pods "${rs.metadata.name}-x" is forbidden: exceeded quota: shop-quota, requested: requests.memory=1Gi, used: requests.memory=15Gi, limited: requests.memory=16Gi`,
        type: 'Warning',
        count: 14,
        firstTimestamp: SANDBOX_NOW,
        lastTimestamp: SANDBOX_NOW,
      });
    });
    const d = await diagnose(target('Deployment', 'search'), data);
    record(d.findings);
    const f = only(d.findings, 'WORKLOAD-CREATE-FAILED');
    expect(f.object.kind).toBe('ReplicaSet');
    expect(f.evidence.join('\n')).toContain('exceeded quota: shop-quota');
    expect(f.fix).toContain('ResourceQuota in namespace shop is used up');
  });

  it('POD-PROBE-FAILING is critical when a failing liveness probe keeps restarting the container', async () => {
    const data = variant((d) => {
      firstStatus(podOf(d, 'search-')).restartCount = 5;
      const unhealthy = d.events.find((e) => e.reason === 'Unhealthy') as unknown as KubeEvent;
      unhealthy.message =
        'Liveness probe failed: Get "http://172.20.21.52:9200/_cluster/health": context deadline exceeded';
    });
    const d = await diagnose(target('Deployment', 'search'), data);
    const f = only(d.findings, 'POD-PROBE-FAILING');
    expect(f.severity).toBe('critical');
    expect(f.title).toMatch(/fails its liveness probe$/);
  });

  it('an old OOM kill (days ago) is only mentioned', async () => {
    const data = variant((d) => {
      const terminated = firstStatus(podOf(d, 'checkout-', 'Running')).lastState?.terminated;
      if (terminated) terminated.finishedAt = '2026-11-20T10:00:00Z';
    });
    const d = await diagnose(target('Deployment', 'checkout'), data);
    expect(only(d.findings, 'POD-OOM-KILLED').severity).toBe('info');
  });

  it('without metrics the OOM finding says usage is unknown and a note says why', async () => {
    const data = variant((d) => {
      d.podMetrics = [];
    });
    const d = await diagnose(target('Deployment', 'checkout'), data);
    expect(only(d.findings, 'POD-OOM-KILLED').evidence.join('\n')).toContain('memory usage unknown');
    expect(d.notes.join('\n')).toContain('metrics.k8s.io');
  });
});

describe('diagnosis bounds and coverage', () => {
  it('every rule has a case above that makes it fire', () => {
    const ruleIds = WORKLOAD_RULES.map((r) => r.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    expect(ruleIds.filter((id) => !firing.has(id))).toEqual([]);
  });

  it('inspects at most maxPodsInspected pods, problem pods first, and reads logs only of failing containers', async () => {
    const source = memorySource(sandboxWorkloads);
    const thresholds = { ...DIAGNOSE_THRESHOLDS, maxPodsInspected: 1 };
    const { snapshot, notes } = await collectSnapshot(source, target('Deployment', 'payments'), {
      now: NOW,
      thresholds,
    });
    expect(snapshot.pods).toHaveLength(3);
    expect(snapshot.inspected.map((i) => i.pod.metadata.name)).toEqual([
      podOf(sandboxWorkloads, 'payments-', 'Pending').metadata.name,
    ]);
    expect(notes).toContain('inspected 1 of 3 pods (pods with problems first).');
    const frontend = memorySource(sandboxWorkloads);
    await collectSnapshot(frontend, target('Deployment', 'frontend'), { now: NOW });
    expect(frontend.calls.filter((c) => c.startsWith('log '))).toEqual([]);
    expect(source.calls.filter((c) => c.startsWith('log '))).toEqual([]);
  });

  it('a missing workload is RESOURCE_NOT_FOUND', async () => {
    await expect(diagnose(target('Deployment', 'nope'))).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it('evaluateRules orders critical findings before warnings', async () => {
    const { snapshot } = await collectSnapshot(memorySource(sandboxWorkloads), target('Deployment', 'checkout'), {
      now: NOW,
    });
    const severities = evaluateRules(snapshot).map((f) => f.severity);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) => ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b),
      ),
    );
  });
});

describe('message parsing', () => {
  it('splits FailedScheduling messages into reasons', () => {
    expect(
      parseSchedulingMessage(
        "0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 2 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
      ),
    ).toEqual({
      available: '0/5',
      reasons: [
        {
          kind: 'taint',
          nodes: 1,
          text: '1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }',
          detail: 'node.kubernetes.io/memory-pressure: ',
        },
        { kind: 'insufficient', nodes: 2, text: '2 Insufficient memory', detail: 'memory' },
        { kind: 'node_selector', nodes: 2, text: "2 node(s) didn't match Pod's node affinity/selector" },
      ],
    });
    expect(
      parseSchedulingMessage('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.').reasons,
    ).toEqual([{ kind: 'unbound_pvc', nodes: undefined, text: 'pod has unbound immediate PersistentVolumeClaims' }]);
  });

  it('classifies image pull failures', () => {
    expect(
      imagePullCause([
        'pull access denied for x, repository does not exist or may require authorization: authorization failed',
      ]),
    ).toBe('not_found');
    expect(
      imagePullCause(['failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized']),
    ).toBe('unauthorized');
    expect(imagePullCause(['dial tcp 47.1.2.3:443: i/o timeout'])).toBe('network');
    expect(imagePullCause(['Error: InvalidImageName'])).toBe('invalid_name');
  });

  it('reads missing environment variables from log lines', () => {
    expect(logHint(["KeyError: 'DB_URL'"])).toContain('DB_URL');
    expect(logHint(['panic: environment variable REDIS_ADDR is not set'])).toContain('REDIS_ADDR');
    expect(logHint(['all good'])).toBe(undefined);
  });

  it('parses quantities', () => {
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('64')).toBe(64);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBe(undefined);
    expect(formatBytes(250880 * 1024)).toBe('245Mi');
  });
});
