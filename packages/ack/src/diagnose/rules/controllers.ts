import {
  containersOf,
  defineRule,
  describeEvent,
  describeTermination,
  isTerminal,
  lastTermination,
  logEvidence,
  logHint,
  newestFirst,
} from '../facts.js';
import type { Pod, ReplicaSet } from '../kube-types.js';

/* Rules about the workload controllers: rollouts, Jobs, pod creation, availability. */

/** The Deployment's newest ReplicaSet (highest revision). */
export function newestReplicaSet(replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  const revision = (rs: ReplicaSet) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return [...replicaSets].sort((a, b) => revision(b) - revision(a))[0];
}

function podProblems(pod: Pod): string[] {
  if (pod.status?.phase === 'Pending' && !pod.spec?.nodeName) {
    const c = pod.status.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
    return [`not scheduled${c?.message ? `: ${c.message}` : ''}`];
  }
  const problems = containersOf(pod).flatMap(({ status }) => {
    if (status.state?.waiting?.reason) return [`${status.name} waiting: ${status.state.waiting.reason}`];
    if (status.state?.terminated && status.state.terminated.exitCode !== 0) {
      return [`${status.name} terminated: exit code ${status.state.terminated.exitCode}`];
    }
    if (!status.ready) return [`${status.name} not ready`];
    return [];
  });
  return problems;
}

export const rolloutStuck = defineRule(
  'ROLLOUT-STUCK',
  'A Deployment rollout stopped progressing (ProgressDeadlineExceeded)',
  (s) => {
    if (s.workload.kind !== 'Deployment') return [];
    const d = s.workload.object;
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return [];
    const newest = newestReplicaSet(s.replicaSets);
    const previous = newest
      ? newestReplicaSet(s.replicaSets.filter((rs) => rs !== newest && (rs.status?.replicas ?? 0) > 0))
      : undefined;
    const newPods = newest
      ? s.pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === newest.metadata.uid))
      : [];
    const images = (rs: ReplicaSet | undefined) =>
      (rs?.spec?.template?.spec?.containers ?? []).map((c) => c.image).join(', ');
    const revision = (rs: ReplicaSet | undefined) => rs?.metadata.annotations?.['deployment.kubernetes.io/revision'];
    const st = d.status ?? {};
    return [
      {
        severity: 'critical' as const,
        title: `Rollout of Deployment ${d.metadata.name} is stuck (ProgressDeadlineExceeded)`,
        evidence: [
          `condition Progressing=False, reason ProgressDeadlineExceeded since ${progressing.lastTransitionTime ?? progressing.lastUpdateTime ?? '?'}: ${progressing.message ?? ''}`.trim(),
          `replicas: desired ${d.spec?.replicas ?? 1}, updated ${st.updatedReplicas ?? 0}, ready ${st.readyReplicas ?? 0}, available ${st.availableReplicas ?? 0}, unavailable ${st.unavailableReplicas ?? 0}`,
          ...(newest
            ? [`new ReplicaSet ${newest.metadata.name} (revision ${revision(newest) ?? '?'}): ${images(newest)}`]
            : []),
          ...(previous
            ? [
                `previous ReplicaSet ${previous.metadata.name} (revision ${revision(previous) ?? '?'}): ${images(previous)}, ${previous.status?.readyReplicas ?? 0} ready`,
              ]
            : []),
          ...newPods.map((p) => `new pod ${p.metadata.name}: ${podProblems(p).join('; ') || 'no problem visible'}`),
        ],
        fix: `Fix what keeps the new pods from becoming available (the pod findings name it); the rollout then continues on its own. Or go back to the previous revision: kubectl rollout undo deployment/${d.metadata.name}${revision(previous) ? ` --to-revision=${revision(previous)}` : ''}.`,
        object: { kind: 'Deployment', namespace: d.metadata.namespace, name: d.metadata.name },
      },
    ];
  },
);

export const jobFailed = defineRule('JOB-FAILED', 'A Job failed (backoffLimit reached, deadline exceeded…)', (s) => {
  if (s.workload.kind !== 'Job') return [];
  const job = s.workload.object;
  const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  if (!failed) return [];
  const lastFailed = s.inspected
    .filter((i) => i.pod.status?.phase === 'Failed')
    .sort(
      (a, b) => Date.parse(b.pod.metadata.creationTimestamp ?? '') - Date.parse(a.pod.metadata.creationTimestamp ?? ''),
    )[0];
  const terminated = lastFailed
    ? containersOf(lastFailed.pod).find(
        ({ status }) => lastTermination(status) && (lastTermination(status)?.exitCode ?? 0) !== 0,
      )
    : undefined;
  const evidence = [
    `condition Failed=True, reason ${failed.reason ?? '?'} at ${failed.lastTransitionTime ?? '?'}: ${failed.message ?? ''}`.trim(),
    `pods failed ${job.status?.failed ?? 0}, succeeded ${job.status?.succeeded ?? 0}, backoffLimit ${job.spec?.backoffLimit ?? 6}${job.spec?.activeDeadlineSeconds ? `, activeDeadlineSeconds ${job.spec.activeDeadlineSeconds}` : ''}`,
  ];
  if (lastFailed && terminated) {
    const term = lastTermination(terminated.status);
    if (term)
      evidence.push(
        `last failed pod ${lastFailed.pod.metadata.name}, container ${terminated.status.name}: ${describeTermination(term)}`,
      );
    evidence.push(...logEvidence(lastFailed, terminated.status.name));
  }
  const hint =
    lastFailed && terminated
      ? logHint(lastFailed.logs.find((l) => l.container === terminated.status.name)?.lines ?? [])
      : undefined;
  const fix =
    failed.reason === 'DeadlineExceeded'
      ? 'The Job ran longer than activeDeadlineSeconds: raise it, or make the work faster / split it.'
      : `Every attempt failed${hint ? ` (${hint})` : ''}: fix the cause shown by the last pod's exit code and log, then run the Job again — a failed Job does not retry; delete it and create it anew (kubectl delete job ${job.metadata.name}, then re-apply).`;
  return [
    {
      severity: 'critical' as const,
      title: `Job ${job.metadata.name} failed: ${failed.reason ?? 'Failed'}`,
      evidence,
      fix,
      object: { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name },
    },
  ];
});

export const workloadUnavailable = defineRule(
  'WORKLOAD-UNAVAILABLE',
  'Fewer replicas are available than the workload wants',
  (s) => {
    const w = s.workload;
    let want = 0;
    let have = 0;
    if (w.kind === 'Deployment') {
      want = w.object.spec?.replicas ?? 1;
      have = w.object.status?.availableReplicas ?? 0;
    } else if (w.kind === 'StatefulSet') {
      want = w.object.spec?.replicas ?? 1;
      have = w.object.status?.readyReplicas ?? 0;
    } else if (w.kind === 'DaemonSet') {
      want = w.object.status?.desiredNumberScheduled ?? 0;
      have = w.object.status?.numberAvailable ?? w.object.status?.numberReady ?? 0;
    } else {
      return [];
    }
    if (want === 0 || have >= want) return [];
    const problems = s.pods
      .filter((p) => !isTerminal(p))
      .map((p) => ({ name: p.metadata.name, problems: podProblems(p) }))
      .filter((p) => p.problems.length);
    return [
      {
        severity: have === 0 ? ('critical' as const) : ('warning' as const),
        title: `${w.kind} ${w.object.metadata.name}: ${have} of ${want} ${w.kind === 'DaemonSet' ? 'pods' : 'replicas'} available`,
        evidence: [
          `${have} of ${want} available`,
          ...problems.slice(0, 10).map((p) => `pod ${p.name}: ${p.problems.join('; ')}`),
        ],
        fix: problems.length
          ? 'The unavailable pods are named above; the other findings give their cause and fix.'
          : 'No pod shows a problem yet: the controller may still be creating pods — check the workload events and quotas (kubectl describe).',
        object: { kind: w.kind, namespace: w.object.metadata.namespace, name: w.object.metadata.name },
      },
    ];
  },
);

export const createFailed = defineRule(
  'WORKLOAD-CREATE-FAILED',
  'The controller cannot create pods (quota, admission, PodSecurity)',
  (s) => {
    const failures = newestFirst(s.workloadEvents.filter((e) => e.type === 'Warning' && e.reason === 'FailedCreate'));
    const latest = failures[0];
    if (!latest) return [];
    const message = latest.message ?? '';
    const fix = /exceeded quota/i.test(message)
      ? `A ResourceQuota in namespace ${s.target.namespace} is used up: raise it (kubectl describe resourcequota -n ${s.target.namespace}) or lower the pods' requests.`
      : /violates PodSecurity/i.test(message)
        ? "The namespace's Pod Security level rejects the pod: set the securityContext it names (runAsNonRoot, drop capabilities, seccompProfile) or change the namespace's level."
        : /admission webhook .* denied/i.test(message)
          ? 'An admission webhook rejects the pod: read its message above and change the pod template, or the policy.'
          : /serviceaccount .* not found/i.test(message)
            ? 'The pod template names a ServiceAccount that does not exist: create it or fix the name.'
            : 'The controller cannot create pods: read the message above.';
    const w = s.workload.object;
    return [
      {
        severity: 'critical' as const,
        title: `${latest.involvedObject.kind ?? s.workload.kind} ${latest.involvedObject.name ?? w.metadata.name} cannot create pods`,
        evidence: failures.slice(0, 2).map(describeEvent),
        fix,
        object: {
          kind: latest.involvedObject.kind ?? s.workload.kind,
          namespace: latest.involvedObject.namespace ?? w.metadata.namespace,
          name: latest.involvedObject.name ?? w.metadata.name,
        },
      },
    ];
  },
);
