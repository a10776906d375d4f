import { isOpsError, mapBounded } from '@opsmcp/core';
import type { KubeEvent, Node, Pod, ReplicaSet, WorkloadKind } from './kube-types.js';
import { eventTime, newestReplicaSet } from './rules.js';
import { selectorString, type WorkloadSource } from './source.js';
import { DIAGNOSE_THRESHOLDS, type DiagnoseThresholds } from './thresholds.js';
import type { ClaimState, InspectedPod, LogTail, WorkloadSnapshot } from './types.js';

export interface DiagnoseTarget {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface CollectOptions {
  /** The rules' "now" (epoch ms); the current time by default. */
  now?: number;
  thresholds?: DiagnoseThresholds;
}

/** How much a pod needs looking at: problem pods are inspected first. */
function problemScore(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  if (pod.status?.phase === 'Pending' && !pod.spec?.nodeName) return 5;
  if (statuses.some((s) => s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing')) return 5;
  if (pod.status?.phase === 'Running' && statuses.some((s) => !s.ready)) return 4;
  if (statuses.some((s) => s.restartCount > 0)) return 3;
  if (pod.status?.phase === 'Failed') return 2;
  if (pod.status?.phase === 'Pending') return 2;
  return 0;
}

const created = (pod: Pod) => Date.parse(pod.metadata.creationTimestamp ?? '') || 0;

/** The containers whose log says something about a failure, with the run to read. */
function logPlan(pod: Pod): Array<{ container: string; previous: boolean }> {
  if (pod.status?.reason === 'Evicted') return [];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const plan: Array<{ container: string; previous: boolean }> = [];
  for (const s of statuses) {
    const last = s.lastState?.terminated;
    if (s.state?.waiting?.reason === 'CrashLoopBackOff' || (last && s.restartCount > 0 && last.exitCode !== 0)) {
      plan.push({ container: s.name, previous: true });
    } else if (s.state?.terminated && s.state.terminated.exitCode !== 0) {
      plan.push({ container: s.name, previous: false });
    } else if (s.state?.running && !s.ready) {
      plan.push({ container: s.name, previous: false });
    }
  }
  return plan;
}

function toLines(text: string, t: DiagnoseThresholds): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines
    .slice(-t.logTailLines)
    .map((l) => (l.length > t.logLineMaxChars ? `${l.slice(0, t.logLineMaxChars)}…` : l));
}

const newestEvents = (events: KubeEvent[], t: DiagnoseThresholds) =>
  [...events]
    .sort((a, b) => (Date.parse(eventTime(b) ?? '') || 0) - (Date.parse(eventTime(a) ?? '') || 0))
    .slice(0, t.maxEventsPerObject);

/**
 * Reads the workload, its pods and, for the pods that matter most, their events, failing
 * containers' logs, metrics, nodes and claims — concurrently and within the thresholds' bounds.
 * Only the workload read may fail the diagnosis; anything else missing becomes a note.
 */
export async function collectSnapshot(
  source: WorkloadSource,
  target: DiagnoseTarget,
  options: CollectOptions = {},
): Promise<{ snapshot: WorkloadSnapshot; notes: string[] }> {
  const t = options.thresholds ?? DIAGNOSE_THRESHOLDS;
  const notes: string[] = [];
  const { namespace } = target;

  /** A secondary read: its failure is noted, not fatal (a cancelled call still stops everything). */
  const soft = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (isOpsError(error) && (error.code === 'CANCELLED' || error.code === 'TIMEOUT')) throw error;
      const reason = isOpsError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
      notes.push(`${what} could not be read (${reason})`);
      return fallback;
    }
  };

  const workload = await source.getWorkload(target.kind, namespace, target.name);
  const uid = workload.object.metadata.uid;

  let pods: Pod[] = [];
  let replicaSets: ReplicaSet[] = [];
  let workloadEvents: KubeEvent[] = [];
  if (workload.kind === 'Pod') {
    pods = [workload.object];
  } else {
    const selector = selectorString(workload.object.spec?.selector);
    if (!selector) notes.push(`${workload.kind} ${target.name} has no label selector: no pods to inspect.`);
    const [podList, rsList, events] = await Promise.all([
      selector ? source.listPods(namespace, selector) : Promise.resolve({ items: [] as Pod[], more: false }),
      workload.kind === 'Deployment' && selector ? source.listReplicaSets(namespace, selector) : Promise.resolve([]),
      soft(
        `events of ${workload.kind} ${target.name}`,
        () => source.listEvents(namespace, { uid, name: target.name, kind: workload.kind }),
        [],
      ),
    ]);
    if (podList.more)
      notes.push(`more than ${podList.items.length} pods match the selector: only the first page was considered.`);
    replicaSets = rsList.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === uid));
    // Selectors may overlap other workloads: keep the pods this workload (or its ReplicaSets) owns.
    const owners = new Set(workload.kind === 'Deployment' ? replicaSets.map((rs) => rs.metadata.uid) : [uid]);
    pods = podList.items.filter((p) => p.metadata.ownerReferences?.some((o) => owners.has(o.uid)));
    workloadEvents = events;
    // The ReplicaSet's events say when pods cannot even be created (quota, admission).
    const newest = newestReplicaSet(replicaSets);
    if (newest) {
      workloadEvents = [
        ...workloadEvents,
        ...(await soft(
          `events of ReplicaSet ${newest.metadata.name}`,
          () =>
            source.listEvents(namespace, { uid: newest.metadata.uid, name: newest.metadata.name, kind: 'ReplicaSet' }),
          [],
        )),
      ];
    }
  }

  const ranked = [...pods].sort((a, b) => problemScore(b) - problemScore(a) || created(b) - created(a));
  const chosen = ranked.slice(0, t.maxPodsInspected);
  if (pods.length > chosen.length)
    notes.push(`inspected ${chosen.length} of ${pods.length} pods (pods with problems first).`);

  const inspected: InspectedPod[] = chosen.map((pod) => ({ pod, events: [], logs: [] }));
  const nodes: WorkloadSnapshot['nodes'] = {};
  const claims: Record<string, ClaimState> = {};
  const tasks: Array<() => Promise<void>> = [];
  let metricsMissing = 0;

  for (const entry of inspected) {
    const { pod } = entry;
    const podName = pod.metadata.name;
    tasks.push(async () => {
      const events = await soft(
        `events of pod ${podName}`,
        () => source.listEvents(namespace, { uid: pod.metadata.uid, name: podName, kind: 'Pod' }),
        [],
      );
      entry.events = newestEvents(events, t);
    });
    if (pod.status?.phase === 'Running') {
      tasks.push(async () => {
        const metrics = await source.podMetrics(namespace, podName);
        if (metrics) entry.metrics = metrics;
        else metricsMissing++;
      });
    }
  }

  const logReads = inspected
    .flatMap((entry) => logPlan(entry.pod).map((plan) => ({ entry, ...plan })))
    .slice(0, t.maxLogReads);
  for (const { entry, container, previous } of logReads) {
    tasks.push(async () => {
      const podName = entry.pod.metadata.name;
      const text = await soft(
        `log of ${podName}/${container}${previous ? ' (previous run)' : ''}`,
        () => source.readLog(namespace, podName, container, { previous, tailLines: t.logTailLines }),
        undefined,
      );
      if (text !== undefined) entry.logs.push({ container, previous, lines: toLines(text, t) } satisfies LogTail);
    });
  }

  const nodeNames = [
    ...new Set(
      inspected
        .filter((e) => e.pod.status?.phase !== 'Succeeded' && e.pod.status?.phase !== 'Failed')
        .map((e) => e.pod.spec?.nodeName)
        .filter((n): n is string => Boolean(n)),
    ),
  ];
  for (const name of nodeNames) {
    tasks.push(async () => {
      const node = await soft(`node ${name}`, async () => (await source.getNode(name)) ?? null, undefined);
      // Unreadable (e.g. no RBAC for nodes) is left out; a node that does not exist is null.
      if (node !== undefined) nodes[name] = node;
    });
  }

  let clusterNodes: Node[] | undefined;
  if (inspected.some((e) => e.pod.status?.phase === 'Pending' && !e.pod.spec?.nodeName)) {
    tasks.push(async () => {
      clusterNodes = await soft('the node list', () => source.listNodes(), undefined);
    });
  }

  const claimNames = [
    ...new Set(
      inspected
        .filter((e) => e.pod.status?.phase === 'Pending' && !e.pod.spec?.nodeName)
        .flatMap((e) => (e.pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName))
        .filter((n): n is string => Boolean(n)),
    ),
  ];
  for (const name of claimNames) {
    tasks.push(async () => {
      const claim = await soft(
        `PersistentVolumeClaim ${name}`,
        () => source.getPersistentVolumeClaim(namespace, name),
        null,
      );
      if (claim === null) return;
      const events = claim
        ? await soft(
            `events of PersistentVolumeClaim ${name}`,
            () => source.listEvents(namespace, { uid: claim.metadata.uid, name, kind: 'PersistentVolumeClaim' }),
            [],
          )
        : [];
      claims[name] = { name, ...(claim ? { claim } : {}), events: newestEvents(events, t) };
    });
  }

  const notesBefore = notes.length;
  await mapBounded(tasks, t.fetchConcurrency, (task) => task());
  // The reads above finish in any order: sort their notes so the same cluster gives the same answer.
  notes.push(...notes.splice(notesBefore).sort());
  if (metricsMissing > 0) {
    notes.push(
      `the metrics API (metrics.k8s.io) gave no usage for ${metricsMissing} running pod(s): memory/CPU usage is unknown for them.`,
    );
  }
  // Log reads finish in any order; keep each pod's tails in container order for a stable output.
  for (const entry of inspected)
    entry.logs.sort((a, b) => a.container.localeCompare(b.container) || Number(a.previous) - Number(b.previous));

  return {
    snapshot: {
      now: options.now ?? Date.now(),
      target,
      workload,
      workloadEvents: newestEvents(workloadEvents, t),
      pods,
      inspected,
      replicaSets,
      nodes,
      ...(clusterNodes ? { clusterNodes } : {}),
      claims,
    },
    notes,
  };
}
