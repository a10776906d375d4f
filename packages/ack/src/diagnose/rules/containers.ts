import { formatBytes, parseQuantity } from '../../kubernetes/quantity.js';
import {
  activeInspected,
  containersOf,
  controllerOf,
  defineRule,
  describeEvent,
  describeTermination,
  eventContainer,
  type FindingBody,
  isTerminal,
  kubectlRef,
  logEvidence,
  logHint,
  newestFirst,
  podObject,
  probeText,
} from '../facts.js';
import type { Severity } from '../types.js';

/* Rules about containers: OOM kills, crash loops, image pulls, creation errors, probes. */

export const oomKilled = defineRule(
  'POD-OOM-KILLED',
  'A container was killed for exceeding its memory limit (OOMKilled)',
  (s, t) => {
    const out: FindingBody[] = [];
    for (const inspected of s.inspected) {
      const { pod } = inspected;
      if (pod.status?.phase === 'Succeeded') continue;
      for (const { status, spec } of containersOf(pod)) {
        const term = [status.state?.terminated, status.lastState?.terminated].find((x) => x?.reason === 'OOMKilled');
        if (!term) continue;
        const finished = Date.parse(term.finishedAt ?? '');
        const recent = Number.isNaN(finished) || s.now - finished <= t.oomRecentHours * 3_600_000;
        const severity: Severity = !recent
          ? 'info'
          : status.restartCount >= t.oomRestartsCritical || status.state?.waiting
            ? 'critical'
            : 'warning';
        const limit = parseQuantity(spec?.resources?.limits?.memory);
        const request = parseQuantity(spec?.resources?.requests?.memory);
        const usage = parseQuantity(inspected.metrics?.containers.find((c) => c.name === status.name)?.usage.memory);
        const evidence = [
          `container ${status.name} was terminated with reason OOMKilled, exit code ${term.exitCode}${term.finishedAt ? `, at ${term.finishedAt}` : ''}`,
          `restart count ${status.restartCount}${status.state?.waiting?.reason ? `, now waiting: ${status.state.waiting.reason}` : status.state?.running ? ', running again' : ''}`,
          limit !== undefined
            ? `memory limit ${spec?.resources?.limits?.memory}${request !== undefined ? `, request ${spec?.resources?.requests?.memory}` : ''}`
            : 'no memory limit: the kernel killed it because the node ran out of memory',
        ];
        if (usage !== undefined) {
          const pct = limit ? Math.round((usage / limit) * 100) : undefined;
          evidence.push(
            `memory usage now ${formatBytes(usage)}${pct !== undefined ? ` = ${pct}% of the limit${pct >= t.memoryNearLimitPct ? ' (near the limit again)' : ''}` : ''} (metrics.k8s.io)`,
          );
        } else if (!isTerminal(pod)) {
          evidence.push('memory usage unknown: the metrics API (metrics.k8s.io) did not answer for this pod');
        }
        evidence.push(...logEvidence(inspected, status.name, true));
        const controller = controllerOf(pod);
        // A bare pod's resources cannot be changed in place: its manifest is changed and the pod recreated.
        const how = (flags: string) =>
          controller
            ? `kubectl set resources ${kubectlRef(pod)} -c ${status.name} ${flags}`
            : `change ${flags} of container ${status.name} in the pod's manifest and recreate the pod`;
        const suggested = limit ? Math.ceil((limit * t.memoryLimitRaiseFactor) / 2 ** 26) * 2 ** 26 : undefined;
        const fix = suggested
          ? `If ${formatBytes(limit as number)} is simply too small for the work, raise the memory limit (e.g. to ${formatBytes(suggested)}): ${how(`--limits=memory=${formatBytes(suggested)}`)}; keep the request near the real usage. If usage keeps growing until it is killed after every restart, look for a leak (heap profile, caches without bounds) before raising it again.`
          : `Set a memory request and limit that match the real usage (${how('--requests=memory=… --limits=memory=…')}) so the scheduler places the pod where the memory exists; look for a leak if usage grows without bound.`;
        out.push({
          severity,
          title: `Container ${status.name} of pod ${pod.metadata.name} was OOMKilled${status.restartCount ? ` (${status.restartCount} restarts)` : ''}`,
          evidence,
          fix,
          object: podObject(pod, status.name),
        });
      }
    }
    return out;
  },
);

export const crashLoop = defineRule(
  'POD-CRASH-LOOP',
  'A container keeps exiting and is in CrashLoopBackOff (OOM kills are POD-OOM-KILLED)',
  (s) => {
    const out: FindingBody[] = [];
    for (const inspected of s.inspected) {
      const { pod } = inspected;
      for (const { status } of containersOf(pod)) {
        if (status.state?.waiting?.reason !== 'CrashLoopBackOff') continue;
        const term = status.lastState?.terminated;
        if (term?.reason === 'OOMKilled') continue;
        const logs = logEvidence(inspected, status.name, true);
        const tail = inspected.logs.find((l) => l.container === status.name && l.previous)?.lines ?? [];
        const hint = logHint(tail);
        const evidence = [
          `container ${status.name} is waiting in CrashLoopBackOff after ${status.restartCount} restarts`,
          term ? `last run: ${describeTermination(term)}` : 'no record of the last run',
          ...(status.state.waiting.message ? [`kubelet: ${status.state.waiting.message}`] : []),
          ...logs,
        ];
        if (logs.length === 0)
          evidence.push('no log lines from the previous container (it printed nothing, or the log was not readable)');
        const code = term?.exitCode;
        const fix = [
          hint ? `Cause: ${hint}.` : undefined,
          code === 127 || code === 126
            ? 'The command cannot run: check the image entrypoint/command and the binary path.'
            : code === 137
              ? 'Killed by SIGKILL without OOMKilled: usually a failed liveness probe; check the probe and the startup time.'
              : 'Read the full log of the previous run (kubectl logs --previous) and fix the error it ends with; the container restarts on its own once it starts cleanly.',
          `Then roll out the fix (kubectl rollout restart ${kubectlRef(pod)} after changing configuration).`,
        ]
          .filter(Boolean)
          .join(' ');
        out.push({
          severity: 'critical',
          title: `Container ${status.name} of pod ${pod.metadata.name} is crash-looping${code !== undefined ? ` (exit code ${code})` : ''}`,
          evidence,
          fix,
          object: podObject(pod, status.name),
        });
      }
    }
    return out;
  },
);

type PullCause = 'not_found' | 'unauthorized' | 'network' | 'rate_limited' | 'invalid_name' | 'unknown';

/** Why an image pull failed, from the kubelet's messages. */
export function imagePullCause(messages: string[]): PullCause {
  const text = messages.join('\n');
  if (/InvalidImageName|invalid reference format|couldn't parse image/i.test(text)) return 'invalid_name';
  if (/not found|manifest unknown|name unknown|NotFound|does not exist/i.test(text)) return 'not_found';
  if (/unauthorized|authentication required|access denied|denied|forbidden|\b401\b|\b403\b|pull access/i.test(text))
    return 'unauthorized';
  if (/toomanyrequests|rate limit|429/i.test(text)) return 'rate_limited';
  if (
    /i\/o timeout|dial tcp|connection refused|no such host|TLS handshake timeout|context deadline exceeded|network is unreachable|connection reset/i.test(
      text,
    )
  ) {
    return 'network';
  }
  return 'unknown';
}

const PULL_FIX: Record<PullCause, (image: string) => string> = {
  not_found: (image) =>
    `The image ${image} does not exist in the registry: push that tag, or point the workload at a tag that exists (kubectl set image …). If the repository is private, a missing imagePullSecret can look the same.`,
  unauthorized: (image) =>
    `The registry refused the pull of ${image}: add an imagePullSecret with valid credentials to the pod or its service account (for ACR, a docker-registry Secret or the aliyun-acr-credential-helper), and check the repository's access rules.`,
  network: (image) =>
    `The node cannot reach the registry of ${image}: check DNS, the VPC's NAT gateway or the registry's VPC endpoint, and security groups.`,
  rate_limited: (image) => `The registry throttles pulls of ${image}: use a mirror or a registry with credentials.`,
  invalid_name: (image) => `The image reference ${image} is not valid: fix its spelling in the pod template.`,
  unknown: (image) =>
    `Pulling ${image} fails: read the event messages above; check the tag, credentials and the node's network.`,
};

export const imagePull = defineRule(
  'POD-IMAGE-PULL',
  'A container image cannot be pulled (ErrImagePull / ImagePullBackOff)',
  (s) => {
    const out: FindingBody[] = [];
    for (const inspected of s.inspected) {
      const { pod } = inspected;
      for (const { status, spec } of containersOf(pod)) {
        const reason = status.state?.waiting?.reason;
        if (!reason || !/^(ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)$/.test(reason)) continue;
        const image = spec?.image ?? status.image ?? '?';
        const pullEvents = newestFirst(
          inspected.events.filter(
            (e) =>
              e.type === 'Warning' &&
              (eventContainer(e) === undefined || eventContainer(e) === status.name) &&
              /Failed to pull image|Failed to resolve|pull access denied|InvalidImageName/i.test(e.message ?? ''),
          ),
        );
        const messages = [status.state?.waiting?.message ?? '', ...pullEvents.map((e) => e.message ?? '')];
        const cause = imagePullCause(messages);
        out.push({
          severity: 'critical',
          title: `Image ${image} of container ${status.name} cannot be pulled (${cause.replace('_', ' ')})`,
          evidence: [
            `container ${status.name} is waiting: ${reason}${status.state?.waiting?.message ? ` — ${status.state.waiting.message}` : ''}`,
            ...pullEvents.slice(0, 2).map(describeEvent),
          ],
          fix: PULL_FIX[cause](image),
          object: podObject(pod, status.name),
        });
      }
    }
    return out;
  },
);

export const containerCreate = defineRule(
  'POD-CONTAINER-CREATE',
  'A container cannot be created or started (CreateContainerConfigError, RunContainerError…)',
  (s) => {
    const out: FindingBody[] = [];
    for (const inspected of s.inspected) {
      const { pod } = inspected;
      for (const { status } of containersOf(pod)) {
        const reason = status.state?.waiting?.reason;
        if (
          !reason ||
          !/^(CreateContainerConfigError|CreateContainerError|RunContainerError|ContainerCannotRun|PreCreateHookError|PostStartHookError)$/.test(
            reason,
          )
        ) {
          continue;
        }
        const message = status.state?.waiting?.message ?? '';
        const missing = /(secret|configmap) "([^"]+)" not found/i.exec(message);
        const missingKey = /couldn't find key (\S+) in (Secret|ConfigMap) ([\w.-]+\/[\w.-]+)/i.exec(message);
        const fix = missing
          ? `Create the ${missing[1]} ${missing[2]} in namespace ${pod.metadata.namespace} (or fix the name the pod template refers to).`
          : missingKey
            ? `Add the key ${missingKey[1]} to the ${missingKey[2]} ${missingKey[3]} (or fix the key the pod template refers to).`
            : 'Read the message above: fix the referenced configuration, volume or command in the pod template.';
        out.push({
          severity: 'critical',
          title: `Container ${status.name} of pod ${pod.metadata.name} cannot start: ${reason}`,
          evidence: [
            `container ${status.name} is waiting: ${reason}${message ? ` — ${message}` : ''}`,
            ...newestFirst(inspected.events.filter((e) => e.type === 'Warning' && e.reason === 'Failed'))
              .slice(0, 2)
              .map(describeEvent),
          ],
          fix,
          object: podObject(pod, status.name),
        });
      }
    }
    return out;
  },
);

// Probes and readiness.

export const probeFailing = defineRule(
  'POD-PROBE-FAILING',
  'A container fails its readiness/liveness/startup probe or stays not ready',
  (s, t) => {
    const out: FindingBody[] = [];
    for (const inspected of activeInspected(s)) {
      const { pod } = inspected;
      for (const { status, spec, init } of containersOf(pod)) {
        if (init || !status.state?.running) continue;
        const unhealthy = newestFirst(
          inspected.events.filter(
            (e) => e.reason === 'Unhealthy' && (eventContainer(e) ?? status.name) === status.name,
          ),
        );
        const liveness = unhealthy.filter((e) => /^Liveness probe/i.test(e.message ?? ''));
        const livenessRestarts = liveness.length > 0 && status.restartCount > 0;
        const since = Date.parse(status.state.running.startedAt ?? '');
        const notReadyLong = !status.ready && (Number.isNaN(since) || s.now - since > t.notReadyGraceSeconds * 1000);
        if (!notReadyLong && !livenessRestarts) continue;
        const severity: Severity =
          livenessRestarts && status.restartCount >= t.livenessRestartsCritical ? 'critical' : 'warning';
        const kinds = [...new Set(unhealthy.map((e) => /^(\w+) probe/i.exec(e.message ?? '')?.[1]).filter(Boolean))];
        const evidence = [
          `container ${status.name}: running since ${status.state.running.startedAt ?? '?'}, ready ${status.ready}, restarts ${status.restartCount}`,
          ...unhealthy.slice(0, 3).map(describeEvent),
          ...(['readinessProbe', 'livenessProbe', 'startupProbe'] as const)
            .filter((p) => spec?.[p])
            .map((p) => `${p}: ${probeText(spec?.[p])}`),
          ...logEvidence(inspected, status.name, false),
        ];
        if (unhealthy.length === 0) evidence.push('no Unhealthy events recorded (events expire after about an hour)');
        const fix = livenessRestarts
          ? 'The liveness probe fails and the kubelet restarts the container: check what the probe endpoint answers (logs above); if the app is only slow to start, add a startupProbe or raise initialDelaySeconds/failureThreshold — never point liveness at a dependency check.'
          : 'The container runs but reports not ready, so it receives no Service traffic: the probe result and the logs above say why (often a dependency the app waits for); if it only needs longer to start, raise initialDelaySeconds/failureThreshold or add a startupProbe.';
        out.push({
          severity,
          title: `Container ${status.name} of pod ${pod.metadata.name} ${kinds.length ? `fails its ${kinds.join('/').toLowerCase()} probe` : 'is not ready'}`,
          evidence,
          fix,
          object: podObject(pod, status.name),
        });
      }
    }
    return out;
  },
);
