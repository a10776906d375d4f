import { formatBytes, formatCpu, parseQuantity } from '../../kubernetes/quantity.js';
import { defineRule, describeEvent, type FindingBody, newestFirst, podObject } from '../facts.js';
import type { Node, Pod } from '../kube-types.js';

/* Rules about pods that wait for a node, and the claims they wait for. */

export interface SchedulingReason {
  kind:
    | 'insufficient'
    | 'taint'
    | 'node_selector'
    | 'unbound_pvc'
    | 'volume'
    | 'anti_affinity'
    | 'too_many_pods'
    | 'cordoned'
    | 'ports'
    | 'other';
  nodes: number | undefined;
  text: string;
  /** The resource for `insufficient`, the taint for `taint`. */
  detail?: string;
}

/** The reasons of a FailedScheduling message ("0/3 nodes are available: 3 Insufficient cpu. preemption: …"). */
export function parseSchedulingMessage(message: string): { available?: string; reasons: SchedulingReason[] } {
  const main = message.split(/\.?\s*preemption:/)[0] ?? message;
  const head = /^(\d+\/\d+) nodes are available:?\s*/.exec(main);
  const body = head ? main.slice(head[0].length) : main;
  const parts = body
    .split(/,\s+(?=\d+\s|pod has|persistentvolumeclaim)/i)
    .map((p) => p.trim().replace(/\.$/, ''))
    .filter(Boolean);
  const reasons = parts.map((text): SchedulingReason => {
    const n = /^(\d+)\s+(.*)$/.exec(text);
    const nodes = n ? Number(n[1]) : undefined;
    const rest = n ? (n[2] as string) : text;
    const insufficient = /^Insufficient (\S+)/i.exec(rest);
    if (insufficient) return { kind: 'insufficient', nodes, text, detail: insufficient[1] };
    const taint = /taint \{([^}]*)\}/i.exec(rest);
    if (taint) return { kind: 'taint', nodes, text, detail: taint[1] };
    if (/didn't match (Pod's )?node affinity|node selector|didn't match node selector/i.test(rest))
      return { kind: 'node_selector', nodes, text };
    if (/unbound (immediate )?PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found/i.test(rest))
      return { kind: 'unbound_pvc', nodes, text };
    if (/volume node affinity conflict|max volume count|volume.*zone/i.test(rest))
      return { kind: 'volume', nodes, text };
    if (/pod (anti-)?affinity/i.test(rest)) return { kind: 'anti_affinity', nodes, text };
    if (/Too many pods/i.test(rest)) return { kind: 'too_many_pods', nodes, text };
    if (/unschedulable/i.test(rest)) return { kind: 'cordoned', nodes, text };
    if (/free ports/i.test(rest)) return { kind: 'ports', nodes, text };
    return { kind: 'other', nodes, text };
  });
  return { ...(head ? { available: head[1] } : {}), reasons };
}

function podRequests(pod: Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [resource, value] of Object.entries(c.resources?.requests ?? {})) {
      sum[resource] = (sum[resource] ?? 0) + (parseQuantity(value) ?? 0);
    }
  }
  return sum;
}

/** "64 CPU", "500m CPU", "128Gi memory", "1 nvidia.com/gpu". */
const formatResource = (resource: string, value: number) =>
  resource === 'cpu'
    ? `${formatCpu(value)} CPU`
    : /memory|storage/.test(resource)
      ? `${formatBytes(value)} ${resource}`
      : `${value} ${resource}`;

/** The most of a resource one node can give pods (its allocatable), when nodes were read. */
function largestAllocatable(nodes: Node[] | undefined, resource: string): { node: string; value: number } | undefined {
  let best: { node: string; value: number } | undefined;
  for (const n of nodes ?? []) {
    const value = parseQuantity(n.status?.allocatable?.[resource]);
    if (value !== undefined && (!best || value > best.value)) best = { node: n.metadata.name, value };
  }
  return best;
}

function schedulingFix(reason: SchedulingReason, pod: Pod, nodes: Node[] | undefined): string {
  const requests = podRequests(pod);
  switch (reason.kind) {
    case 'insufficient': {
      const r = reason.detail ?? 'resources';
      const asked = requests[r];
      const largest = largestAllocatable(nodes, r);
      if (asked !== undefined && largest && asked > largest.value) {
        return `The pod asks for ${formatResource(r, asked)} but the largest node offers ${formatResource(r, largest.value)}: no node of this cluster can ever run it. Lower the request to what the work needs, or add a node pool whose instance type has more than ${formatResource(r, asked)} allocatable.`;
      }
      const askedText = asked !== undefined ? ` (the pod asks for ${formatResource(r, asked)})` : '';
      return `No node has enough free ${r}${askedText}: lower the request if it is more than the work needs, or add capacity — scale out the node pool (or enable its autoscaler) with instances large enough for one pod.`;
    }
    case 'taint':
      return `Nodes carry the taint {${reason.detail}} the pod does not tolerate: add a matching toleration if the pod belongs there, or schedule it elsewhere; node.kubernetes.io/* taints come from node conditions and clear when the node recovers.`;
    case 'node_selector':
      return "No node has the labels the pod's nodeSelector/nodeAffinity requires: fix the selector or label a node pool accordingly.";
    case 'unbound_pvc':
      return "The pod's PersistentVolumeClaim is not bound: see the PVC finding (StorageClass, provisioner events).";
    case 'volume':
      return "The pod's volume can only attach to nodes in another zone or the node has no more volume slots: move the pod to the volume's zone or add nodes there.";
    case 'anti_affinity':
      return 'Pod (anti-)affinity rules leave no node: relax them (preferred instead of required) or add nodes.';
    case 'too_many_pods':
      return 'The nodes reached their pod limit: add nodes or raise max pods per node (node pool setting).';
    case 'cordoned':
      return 'Nodes are cordoned (unschedulable): uncordon them when maintenance is over, or add nodes.';
    case 'ports':
      return 'The requested hostPort is taken on every node: drop hostPort or free it.';
    default:
      return 'Read the scheduler message above and change the pod constraints or add matching nodes.';
  }
}

export const unschedulable = defineRule(
  'POD-UNSCHEDULABLE',
  'A pod stays Pending because no node fits (FailedScheduling)',
  (s) => {
    const out: FindingBody[] = [];
    for (const inspected of s.inspected) {
      const { pod } = inspected;
      if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) continue;
      const condition = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const event = newestFirst(inspected.events.filter((e) => e.reason === 'FailedScheduling'))[0];
      const message = event?.message ?? (condition?.reason === 'Unschedulable' ? condition.message : undefined);
      if (!message) continue;
      const parsed = parseSchedulingMessage(message);
      const requests = podRequests(pod);
      const evidence = [
        `pod ${pod.metadata.name} is Pending since ${pod.metadata.creationTimestamp ?? pod.status.startTime ?? '?'} without a node`,
        event ? describeEvent(event) : `condition PodScheduled=False (${condition?.reason}): ${message}`,
        ...parsed.reasons.map(
          (r) => `${r.nodes !== undefined ? `${r.nodes} node(s): ` : ''}${r.text.replace(/^\d+\s+/, '')}`,
        ),
      ];
      if (Object.keys(requests).length) {
        evidence.push(
          `pod requests: ${Object.entries(requests)
            .map(([k, v]) => formatResource(k, v))
            .join(', ')}`,
        );
      }
      for (const r of parsed.reasons) {
        const largest =
          r.kind === 'insufficient' && r.detail ? largestAllocatable(s.clusterNodes, r.detail) : undefined;
        if (largest && r.detail) {
          evidence.push(
            `the largest node offers ${formatResource(r.detail, largest.value)} to pods (${largest.node}, allocatable)`,
          );
        }
      }
      const kinds = [...new Set(parsed.reasons.map((r) => r.kind))];
      const fixes = [
        ...new Map(
          parsed.reasons.map((r) => [
            r.kind === 'insufficient' ? `${r.kind}/${r.detail}` : r.kind,
            schedulingFix(r, pod, s.clusterNodes),
          ]),
        ).values(),
      ];
      out.push({
        severity: 'critical',
        title: `Pod ${pod.metadata.name} cannot be scheduled${kinds.length ? `: ${parsed.reasons.map((r) => r.text.replace(/^\d+\s+/, '')).join('; ')}` : ''}`,
        evidence,
        fix: fixes.join(' ') || schedulingFix({ kind: 'other', nodes: undefined, text: message }, pod, s.clusterNodes),
        object: podObject(pod),
      });
    }
    return out;
  },
);

export const unboundClaim = defineRule(
  'PVC-UNBOUND',
  'A PersistentVolumeClaim a pending pod needs is missing or not Bound',
  (s) => {
    const out: FindingBody[] = [];
    for (const state of Object.values(s.claims)) {
      const users = s.inspected.filter((i) =>
        i.pod.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === state.name),
      );
      const user = users[0]?.pod;
      const namespace = user?.metadata.namespace ?? s.target.namespace;
      if (!state.claim) {
        out.push({
          severity: 'critical',
          title: `PersistentVolumeClaim ${state.name} does not exist`,
          evidence: [
            `pod ${user?.metadata.name ?? '?'} mounts claim ${state.name}, which is not in namespace ${namespace}`,
          ],
          fix: `Create the PersistentVolumeClaim ${state.name} (for a StatefulSet, its volumeClaimTemplates create it), or fix the claim name in the pod template.`,
          object: { kind: 'PersistentVolumeClaim', namespace, name: state.name },
        });
        continue;
      }
      const phase = state.claim.status?.phase ?? 'Pending';
      if (phase === 'Bound') continue;
      const warnings = newestFirst(state.events.filter((e) => e.type === 'Warning'));
      const waitingForConsumer = state.events.some((e) => e.reason === 'WaitForFirstConsumer');
      // A WaitForFirstConsumer claim binds only after its pod is scheduled: it is not the cause.
      if (waitingForConsumer && warnings.length === 0) continue;
      const storageClass = state.claim.spec?.storageClassName;
      const classMissing = warnings.some((e) => /storageclass[^"]*"[^"]+" not found/i.test(e.message ?? ''));
      out.push({
        severity: 'critical',
        title: `PersistentVolumeClaim ${state.name} is ${phase}${classMissing ? ` (StorageClass ${storageClass} not found)` : ''}`,
        evidence: [
          `claim ${state.name}: phase ${phase}, storageClassName ${storageClass ?? '(default)'}, requested ${state.claim.spec?.resources?.requests?.storage ?? '?'}`,
          ...(user ? [`pod ${user.metadata.name} waits for it`] : []),
          ...warnings.slice(0, 3).map(describeEvent),
        ],
        fix: classMissing
          ? `The StorageClass ${storageClass} does not exist: use one that does (kubectl get storageclass; on ACK e.g. alicloud-disk-essd) — a claim's class cannot be changed, so delete the claim and let the workload recreate it with the right class.`
          : 'Read the provisioner events above: check the StorageClass, the CSI provisioner pods, quotas and the zone of the volume.',
        object: { kind: 'PersistentVolumeClaim', namespace, name: state.name },
      });
    }
    return out;
  },
);
