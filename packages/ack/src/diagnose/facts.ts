import type { Container, ContainerState, ContainerStatus, KubeEvent, Node, Pod, Probe } from './kube-types.js';
import type { DiagnoseThresholds } from './thresholds.js';
import type { Finding, FindingObject, InspectedPod, WorkloadSnapshot } from './types.js';

/** A diagnosis rule: a pure function of a snapshot and the thresholds, with its id. */
export interface WorkloadRule {
  id: string;
  /** What the rule looks for, one line. */
  summary: string;
  evaluate(snapshot: WorkloadSnapshot, thresholds: DiagnoseThresholds): Finding[];
}

export type FindingBody = Omit<Finding, 'rule_id'>;

export function defineRule(
  id: string,
  summary: string,
  evaluate: (snapshot: WorkloadSnapshot, t: DiagnoseThresholds) => FindingBody[],
): WorkloadRule {
  return { id, summary, evaluate: (s, t) => evaluate(s, t).map((f) => ({ rule_id: id, ...f })) };
}

// ---------------------------------------------------------------------------------------------
// Facts about pods, containers and events the rules share.

export interface ContainerFacts {
  spec: Container | undefined;
  status: ContainerStatus;
  init: boolean;
}

export function containersOf(pod: Pod): ContainerFacts[] {
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const list = (statuses: ContainerStatus[] | undefined, init: boolean) =>
    (statuses ?? []).map((status) => ({ status, init, spec: specs.find((c) => c.name === status.name) }));
  return [...list(pod.status?.initContainerStatuses, true), ...list(pod.status?.containerStatuses, false)];
}

export const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
export const isEvicted = (pod: Pod) => pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';

export function podObject(pod: Pod, container?: string): FindingObject {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    ...(container ? { container } : {}),
  };
}

/** The controller to change for a pod: a ReplicaSet's pod belongs to its Deployment. */
export function controllerOf(pod: Pod): { kind: string; name: string } | undefined {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  }
  return { kind: owner.kind, name: owner.name };
}

/** `deployment/checkout` for kubectl, or `pod/x` when the pod has no controller. */
export function kubectlRef(pod: Pod): string {
  const c = controllerOf(pod);
  return c ? `${c.kind.toLowerCase()}/${c.name}` : `pod/${pod.metadata.name}`;
}

export function eventTime(e: KubeEvent): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? undefined;
}

export const eventCount = (e: KubeEvent) => e.series?.count ?? e.count ?? 1;

export function describeEvent(e: KubeEvent): string {
  const count = eventCount(e);
  const when = eventTime(e);
  return `event ${e.reason ?? '?'}: ${(e.message ?? '').trim()}${count > 1 ? ` (×${count}` : ' ('}${count > 1 ? ', ' : ''}last ${when ?? 'unknown'})`;
}

/** The container an event is about, from `spec.containers{name}`. */
export function eventContainer(e: KubeEvent): string | undefined {
  return /spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(
    e.involvedObject.fieldPath ?? '',
  )?.[1];
}

export const newestFirst = (events: KubeEvent[]) =>
  [...events].sort((a, b) => Date.parse(eventTime(b) ?? '') - Date.parse(eventTime(a) ?? '') || 0);

export function logEvidence(inspected: InspectedPod, container: string, previous?: boolean): string[] {
  const tail = inspected.logs.find(
    (l) => l.container === container && (previous === undefined || l.previous === previous),
  );
  if (!tail || tail.lines.length === 0) return [];
  const which = tail.previous ? 'previous container' : 'current container';
  return [`last ${tail.lines.length} log lines (${which}):`, ...tail.lines.map((l) => `  ${l}`)];
}

export function lastTermination(status: ContainerStatus): NonNullable<ContainerState['terminated']> | undefined {
  return status.state?.terminated ?? status.lastState?.terminated;
}

/** What an exit code usually means, for the evidence line. */
export function exitCodeMeaning(code: number): string {
  if (code === 0) return 'exited normally';
  if (code === 1) return 'the application reported an error';
  if (code === 2) return 'misuse of a shell builtin or bad arguments';
  if (code === 126) return 'the command is not executable';
  if (code === 127) return 'the command was not found in the image';
  if (code === 128 + 9) return 'killed by SIGKILL (out of memory, or a failed liveness probe)';
  if (code === 128 + 15) return 'terminated by SIGTERM';
  if (code === 128 + 11) return 'segmentation fault';
  if (code === 128 + 6) return 'aborted (SIGABRT)';
  if (code > 128 && code < 160) return `killed by signal ${code - 128}`;
  return 'the application exited with an error';
}

export function describeTermination(t: NonNullable<ContainerState['terminated']>): string {
  return `exit code ${t.exitCode} (${exitCodeMeaning(t.exitCode)}), reason ${t.reason ?? 'unknown'}${t.finishedAt ? `, finished ${t.finishedAt}` : ''}${t.message ? `, message: ${t.message.trim().slice(0, 300)}` : ''}`;
}

/** A cause read from a crashing container's last log lines, with what to do about it. */
export function logHint(lines: string[]): string | undefined {
  const text = lines.join('\n');
  const env =
    /KeyError: '([A-Z][A-Z0-9_]*)'/.exec(text) ??
    /(?:environment variable|env var(?:iable)?)\s+"?([A-Z][A-Z0-9_]*)"?\s+(?:is\s+)?(?:not set|missing|required|undefined|empty)/i.exec(
      text,
    ) ??
    /"?([A-Z][A-Z0-9_]{2,})"?\s+(?:is\s+)?(?:not set|must be set|is required)/.exec(text);
  if (env)
    return `the log shows the environment variable ${env[1]} is missing: set it in the container's env (or the ConfigMap/Secret it reads)`;
  if (/no such file or directory/i.test(text))
    return 'the log shows a missing file: check the command, the mounted ConfigMaps/Secrets and volume paths';
  if (/connection refused|no such host|i\/o timeout|could not connect|ECONNREFUSED|ENOTFOUND/i.test(text)) {
    return 'the log shows a failed connection to a dependency: check that service (name, port, network policy) is up';
  }
  if (/permission denied|EACCES|read-only file system/i.test(text)) {
    return 'the log shows a permission error: check securityContext (runAsUser, readOnlyRootFilesystem) and file modes';
  }
  if (/address already in use|EADDRINUSE/i.test(text))
    return 'the log shows the port is already in use: check the container ports and sidecars';
  return undefined;
}

export function probeText(probe: Probe | undefined): string | undefined {
  if (!probe) return undefined;
  const target = probe.httpGet
    ? `HTTP GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port ?? '?'}`
    : probe.tcpSocket
      ? `TCP port ${probe.tcpSocket.port ?? '?'}`
      : probe.grpc
        ? `gRPC port ${probe.grpc.port ?? '?'}`
        : probe.exec
          ? `exec ${(probe.exec.command ?? []).join(' ')}`
          : 'unknown check';
  return `${target}, initialDelaySeconds ${probe.initialDelaySeconds ?? 0}, periodSeconds ${probe.periodSeconds ?? 10}, timeoutSeconds ${probe.timeoutSeconds ?? 1}, failureThreshold ${probe.failureThreshold ?? 3}`;
}

export const nodeCondition = (node: Node, type: string) => node.status?.conditions?.find((c) => c.type === type);

export const activeInspected = (s: WorkloadSnapshot) => s.inspected.filter((i) => !isTerminal(i.pod));
