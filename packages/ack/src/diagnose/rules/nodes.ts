import {
  activeInspected,
  defineRule,
  describeEvent,
  type FindingBody,
  isEvicted,
  newestFirst,
  nodeCondition,
  podObject,
} from '../facts.js';
import type { Node } from '../kube-types.js';
import type { WorkloadSnapshot } from '../types.js';

/* Rules about evictions and the nodes the workload runs on. */

export const evicted = defineRule('POD-EVICTED', 'A pod was evicted by its node (resource pressure)', (s) =>
  s.inspected
    .filter((i) => isEvicted(i.pod))
    .map(({ pod, events }) => {
      const message = pod.status?.message ?? '';
      const resource = /low on resource: ([\w-]+)/.exec(message)?.[1];
      const usage = /Container (\S+) was using (\S+), request is (\S+)/.exec(message);
      return {
        severity: 'warning' as const,
        title: `Pod ${pod.metadata.name} was evicted from node ${pod.spec?.nodeName ?? '?'}${resource ? ` (node low on ${resource})` : ''}`,
        evidence: [
          `status Failed, reason Evicted: ${message.trim()}`,
          ...(usage
            ? [`container ${usage[1]} used ${usage[2]} with a request of ${(usage[3] ?? '').replace(/,$/, '')}`]
            : []),
          // The kubelet's event repeats the status message: shown only when it says something else.
          ...newestFirst(events.filter((e) => e.reason === 'Evicted' && e.message?.trim() !== message.trim()))
            .slice(0, 1)
            .map(describeEvent),
        ],
        fix: usage
          ? `Set the memory request of ${usage[1]} near its real usage (${usage[2]}) so the scheduler does not overcommit the node, and check the node's pressure; delete evicted pods once read (kubectl delete pod ${pod.metadata.name}), the controller already replaced it.`
          : `Find what filled the node (${resource ?? 'resources'}), set requests near real usage; delete evicted pods once read (kubectl delete pod ${pod.metadata.name}).`,
        object: podObject(pod),
      };
    }),
);

/** Nodes that run the workload's live pods, with those pods' names. */
function activeNodes(s: WorkloadSnapshot): Array<{ name: string; node: Node | null; pods: string[] }> {
  const byNode = new Map<string, string[]>();
  for (const { pod } of activeInspected(s)) {
    const name = pod.spec?.nodeName;
    if (name) byNode.set(name, [...(byNode.get(name) ?? []), pod.metadata.name]);
  }
  return [...byNode].map(([name, pods]) => ({ name, node: s.nodes[name] ?? null, pods }));
}

const PRESSURE_FIX: Record<string, string> = {
  MemoryPressure:
    'The node is short of memory and evicts pods: set memory requests near real usage across the node (overcommitted limits cause this), move heavy pods off it, or use larger nodes.',
  DiskPressure:
    'The node is short of disk: clean unused images and logs (the kubelet garbage-collects images), limit ephemeral-storage of pods, or enlarge the system disk.',
  PIDPressure: 'The node is running out of process ids: find the pod forking without bound, set pod pid limits.',
};

export const nodePressure = defineRule(
  'NODE-PRESSURE',
  'A node running the workload reports memory, disk or PID pressure',
  (s) => {
    const out: FindingBody[] = [];
    for (const { name, node, pods } of activeNodes(s)) {
      if (!node) continue;
      for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) {
        const c = nodeCondition(node, type);
        if (c?.status !== 'True') continue;
        out.push({
          severity: 'warning',
          title: `Node ${name} has ${type}`,
          evidence: [
            `condition ${type}=True since ${c.lastTransitionTime ?? '?'}: ${c.reason ?? ''} ${c.message ?? ''}`.trim(),
            `runs ${pods.join(', ')}`,
            ...(node.spec?.taints ?? [])
              .filter((x) => x.key.startsWith('node.kubernetes.io/'))
              .map((x) => `taint ${x.key}:${x.effect}`),
          ],
          fix: PRESSURE_FIX[type] as string,
          object: { kind: 'Node', name },
        });
      }
    }
    return out;
  },
);

export const nodeNotReady = defineRule(
  'NODE-NOT-READY',
  'A node running the workload is NotReady, unknown or gone',
  (s) => {
    const out: FindingBody[] = [];
    for (const { name, node, pods } of activeNodes(s)) {
      if (!node) {
        out.push({
          severity: 'critical',
          title: `Node ${name} no longer exists`,
          evidence: [`pods ${pods.join(', ')} are bound to node ${name}, which the API server does not know`],
          fix: 'The node was removed: the pods are deleted after the eviction timeout; delete them now (kubectl delete pod --force) so their controller recreates them on live nodes.',
          object: { kind: 'Node', name },
        });
        continue;
      }
      const ready = nodeCondition(node, 'Ready');
      if (ready?.status === 'True') continue;
      out.push({
        severity: 'critical',
        title: `Node ${name} is ${ready?.status === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'NotReady'}`,
        evidence: [
          `condition Ready=${ready?.status ?? 'missing'} since ${ready?.lastTransitionTime ?? '?'}: ${ready?.reason ?? ''} ${ready?.message ?? ''}`.trim(),
          `runs ${pods.join(', ')}`,
        ],
        fix: 'Check the node: kubelet and container runtime status, the ECS instance state, its network; on ACK run the node diagnosis (diagnose_resource type node) or repair/replace the node in its node pool.',
        object: { kind: 'Node', name },
      });
    }
    return out;
  },
);
