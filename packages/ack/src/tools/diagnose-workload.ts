import { OpsError, scrubSecrets } from '@opsmcp/core';
import { z } from 'zod';
import { WORKLOAD_KINDS, type WorkloadKind } from '../diagnose/kube-types.js';
import { FindingSchema, SEVERITIES, VERDICTS } from '../diagnose/types.js';
import { ackTool } from './context.js';

/** Input kinds (lower case, as kubectl names them) and the API kind each means. */
const KINDS = ['pod', 'deployment', 'statefulset', 'daemonset', 'job'] as const;
const API_KIND: Record<(typeof KINDS)[number], WorkloadKind> = {
  pod: 'Pod',
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  job: 'Job',
};
const KIND_ALIASES: Record<string, (typeof KINDS)[number]> = {
  po: 'pod',
  pods: 'pod',
  deploy: 'deployment',
  deployments: 'deployment',
  sts: 'statefulset',
  statefulsets: 'statefulset',
  ds: 'daemonset',
  daemonsets: 'daemonset',
  jobs: 'job',
};

/** "Deployment", "deploy", "deployments.apps" → "deployment". */
function normalizeKind(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const plain = value
    .trim()
    .toLowerCase()
    .replace(/\.(apps|batch)(\/v1)?$/, '')
    .replace(/^(apps|batch)\/v1\//, '');
  return KIND_ALIASES[plain] ?? plain;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const input = z.object({
  cluster_id: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/)
    .optional()
    .describe(
      'ACK cluster id (c + 32 characters); in LOCAL mode a kubeconfig context. Default: DEFAULT_CLUSTER_ID (LOCAL: the current context)',
    ),
  namespace: z
    .string()
    .min(1)
    .max(63)
    .regex(
      DNS_LABEL,
      'a namespace is a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    )
    .describe('Namespace of the workload, e.g. shop'),
  kind: z
    .preprocess(normalizeKind, z.enum(KINDS))
    .describe(
      'Kind of the workload: pod, deployment, statefulset, daemonset or job (short names po, deploy, sts, ds and plurals are accepted)',
    ),
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(DNS_SUBDOMAIN, 'a name is a DNS subdomain: lowercase letters, digits, "-" and "."')
    .describe('Name of the pod or workload, e.g. checkout'),
});

const output = z.object({
  cluster_id: z.string().describe('The cluster (or context) diagnosed'),
  target: z.object({ kind: z.enum(WORKLOAD_KINDS), namespace: z.string(), name: z.string() }),
  verdict: z.enum(VERDICTS).describe('failing: a critical finding; degraded: a warning; healthy: neither'),
  findings: z.array(FindingSchema).describe('Problems found, critical first'),
  pods_total: z.number().int().describe('Pods that belong to the workload'),
  pods_inspected: z
    .number()
    .int()
    .describe('Pods looked at in detail (events, logs of failing containers, metrics), problem pods first'),
  notes: z.array(z.string()).describe('What could not be read or was bounded'),
});

type Output = z.infer<typeof output>;

function format(out: Output): string {
  const t = out.target;
  const counts = SEVERITIES.map((s) => [s, out.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${s === 'warning' && n > 1 ? 's' : ''}`);
  const lines = [
    `${t.kind} ${t.namespace}/${t.name} in ${out.cluster_id}: ${out.verdict.toUpperCase()}${counts.length ? ` — ${counts.join(', ')}` : ''} (${out.pods_inspected} of ${out.pods_total} pods inspected)`,
  ];
  if (out.findings.length === 0)
    lines.push('', 'No problem found: no rule fired (pods running and ready, their nodes ready and without pressure).');
  for (const f of out.findings) {
    const o = f.object;
    lines.push(
      '',
      `[${f.severity}] ${f.rule_id}: ${f.title}`,
      `  object: ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${o.container ? ` (container ${o.container})` : ''}`,
      ...f.evidence.map((e) => (e.startsWith('  ') ? `    ${e}` : `  - ${e}`)),
      `  fix: ${f.fix}`,
    );
  }
  if (out.notes.length) lines.push('', 'Notes:', ...out.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

export const diagnoseWorkload = ackTool({
  name: 'diagnose_workload',
  title: 'Diagnose a workload',
  description:
    'Finds out locally, read-only and in seconds why a pod, Deployment, StatefulSet, DaemonSet or Job is unhealthy: reads the workload, its pods, their events, ' +
    "the last log lines of failing containers, pod metrics, the pods' nodes and claims, then applies rules: OOMKilled (limit vs usage), CrashLoopBackOff (exit code, log), " +
    'ImagePullBackOff (not found / unauthorized / network), Pending (insufficient cpu/memory, taints, selectors, unbound PVC), probe failures, evictions, node pressure or NotReady, ' +
    'stuck rollouts, failed Jobs, pods the controller cannot create (quota, admission). Each finding has evidence and a fix. ' +
    'For the cloud-side diagnosis of ACK (node, network, ingress…) use diagnose_resource.',
  access: 'read',
  input,
  output,
  format,
  async handler(args, ctx) {
    const { diagnoseWorkload: diagnose, kubeWorkloadSource } = await import('../diagnose/index.js');
    const kube = await ctx.clients.kube(args.cluster_id);
    const target = { kind: API_KIND[args.kind], namespace: args.namespace, name: args.name };
    try {
      const result = await diagnose(kubeWorkloadSource(kube.api), target);
      // Log lines and messages come from the cluster: keep the kubeconfig's credentials out of them.
      return scrubSecrets(
        {
          cluster_id: kube.clusterId,
          target,
          verdict: result.verdict,
          findings: result.findings,
          pods_total: result.pods_total,
          pods_inspected: result.pods_inspected,
          notes: result.notes,
        },
        kube.connection.secrets,
      );
    } catch (error) {
      if (error instanceof OpsError) {
        throw new OpsError(error.code, scrubSecrets(error.message, kube.connection.secrets), {
          ...(error.hint ? { hint: error.hint } : {}),
          ...(error.upstream ? { upstream: error.upstream } : {}),
          retryable: error.retryable,
        });
      }
      throw error;
    }
  },
});
