import { isOpsError, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import type { WorkloadKind } from '../../diagnose/kube-types.js';
import type { AuditEntry } from '../../observability/audit.js';
import { slsTerm } from '../../observability/audit.js';
import {
  buildTimeline,
  type ContainerMetrics,
  containerMetrics,
  type DiagnosisSummary,
  likelyCause,
  type WarningEvent,
} from '../../observability/incident.js';
import { incidentQueries } from '../../observability/metric-guidance.js';
import type { PrometheusSeries } from '../../observability/prometheus.js';
import { isoOf, parseTime } from '../../observability/time.js';
import { ackTool } from '../context.js';
import { searchAuditLog } from './audit-search.js';
import { ClusterId, clusterLogProject, DNS_LABEL, DNS_SUBDOMAIN, observability, TimeText } from './common.js';
import { runPromql } from './promql.js';

/** Kinds tried, in order, for a name: the diagnosis needs the object's kind. */
const KINDS: WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'];

const SourceStatus = z.object({
  source: z.enum(['diagnosis', 'audit', 'events', 'metrics']),
  status: z.enum(['ok', 'failed', 'skipped']),
  detail: z.string(),
});
type SourceStatus = z.infer<typeof SourceStatus>;

const output = z.object({
  cluster_id: z.string(),
  target: z.object({ namespace: z.string().nullable(), name: z.string().nullable() }),
  window: z.object({ from: z.string(), to: z.string() }),
  likely_cause: z.object({
    summary: z.string(),
    evidence: z.array(z.string()),
    confidence: z.enum(['high', 'medium', 'low']),
  }),
  timeline: z.array(z.object({ time: z.string(), source: z.enum(['audit', 'event', 'metrics']), summary: z.string() })),
  diagnosis: z
    .object({
      kind: z.string(),
      verdict: z.string(),
      findings: z.array(
        z.object({
          rule_id: z.string(),
          severity: z.string(),
          title: z.string(),
          evidence: z.array(z.string()),
          fix: z.string(),
        }),
      ),
    })
    .nullable()
    .describe('diagnose_workload on the object, when it is a workload that exists'),
  audit_entries: z.array(
    z.object({
      time: z.string().nullable(),
      verb: z.string().nullable(),
      user: z.string().nullable(),
      object: z.string(),
      response_code: z.number().nullable(),
      source_ips: z.array(z.string()),
    }),
  ),
  warning_events: z.array(
    z.object({
      time: z.string().nullable(),
      reason: z.string(),
      message: z.string(),
      object: z.string(),
      count: z.number(),
    }),
  ),
  metrics: z.array(
    z.object({
      pod: z.string(),
      container: z.string(),
      restarts_in_window: z.number().nullable(),
      memory_peak_bytes: z.number().nullable(),
      memory_peak_time: z.string().nullable(),
      memory_limit_bytes: z.number().nullable(),
      memory_peak_ratio: z.number().nullable(),
      cpu_peak_cores: z.number().nullable(),
      cpu_limit_cores: z.number().nullable(),
    }),
  ),
  sources: z.array(SourceStatus).describe('What each source gave, or why it could not'),
});
type Output = z.infer<typeof output>;

function format(out: Output): string {
  const target = out.target.name
    ? `${out.target.namespace}/${out.target.name}`
    : (out.target.namespace ?? 'the cluster');
  const lines = [
    `Incident on ${target} in ${out.cluster_id}, ${out.window.from} – ${out.window.to}`,
    '',
    `Likely cause (${out.likely_cause.confidence} confidence): ${out.likely_cause.summary}`,
    ...out.likely_cause.evidence.map((e) => `  - ${e}`),
  ];
  if (out.timeline.length)
    lines.push('', 'Timeline:', ...out.timeline.map((t) => `  ${t.time}  [${t.source}] ${t.summary}`));
  if (out.diagnosis) {
    lines.push('', `Diagnosis of ${out.diagnosis.kind}: ${out.diagnosis.verdict}`);
    for (const f of out.diagnosis.findings) lines.push(`  [${f.severity}] ${f.title} — fix: ${f.fix}`);
  }
  const missing = out.sources.filter((s) => s.status !== 'ok');
  if (missing.length)
    lines.push('', 'Sources not used:', ...missing.map((s) => `  ${s.source}: ${s.status}: ${s.detail}`));
  return lines.join('\n');
}

function eventRow(row: Record<string, string>): WarningEvent | undefined {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(row.eventId ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const involved = (event.involvedObject ?? {}) as Record<string, unknown>;
  const seconds = Number(row.__time__);
  return {
    time:
      typeof event.lastTimestamp === 'string'
        ? event.lastTimestamp
        : Number.isFinite(seconds) && seconds > 0
          ? isoOf(seconds)
          : null,
    reason: String(event.reason ?? ''),
    message: String(event.message ?? ''),
    object: `${String(involved.kind ?? '')} ${involved.namespace ? `${String(involved.namespace)}/` : ''}${String(involved.name ?? '')}`,
    count: typeof event.count === 'number' ? event.count : 1,
  };
}

const failed = (source: SourceStatus['source'], error: unknown): SourceStatus => ({
  source,
  status: 'failed',
  detail: isOpsError(error) ? `${error.code}: ${error.message}` : String(error),
});

export const investigateIncident = ackTool({
  name: 'investigate_incident',
  title: 'Investigate an incident',
  description:
    'One call that gathers, concurrently, what explains trouble with an object: the workload diagnosis (as diagnose_workload), the API-server audit ' +
    'entries touching it (who changed or deleted it, with the logged object bodies), its warning events from SLS, and its restart, memory and CPU ' +
    'series against their limits from Prometheus; answers with a timeline and the likely cause. E.g. "who deleted service shop/coupons 15 minutes ago ' +
    'and what was its port" or "why does checkout keep restarting". Each source that cannot answer is named with the reason; the rest still count.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    namespace: z
      .string()
      .min(1)
      .max(63)
      .regex(DNS_LABEL, 'a namespace is a DNS label')
      .optional()
      .describe('Namespace (default: default when a name is given; all namespaces otherwise)'),
    name: z
      .string()
      .min(1)
      .max(253)
      .regex(DNS_SUBDOMAIN, 'a name is a DNS subdomain: lowercase letters, digits, "-" and "."')
      .optional()
      .describe('Name of the object: a workload (its pods are included), a pod or a service'),
    since: TimeText.default('1h').describe('How far back to look: an age (1h, 30m, 2d) or a time'),
  }),
  output,
  format,
  async handler(args, ctx) {
    const now = Date.now();
    const start = parseTime(args.since, 'since', now);
    const end = now / 1000;
    if (!(start < end)) throw new OpsError('INVALID_ARGUMENT', 'since must be in the past.');
    const namespace = args.namespace ?? (args.name ? 'default' : undefined);
    const name = args.name;
    const clients = await observability(ctx);
    const sources: SourceStatus[] = [];

    type DiagnosisOutcome =
      | { state: 'found'; summary: DiagnosisSummary & { kind: string } }
      | { state: 'absent' }
      | { state: 'unknown' };
    const diagnosisTask = (async (): Promise<DiagnosisOutcome> => {
      if (!namespace || !name) {
        sources.push({ source: 'diagnosis', status: 'skipped', detail: 'needs a namespace and a name' });
        return { state: 'unknown' };
      }
      try {
        const { diagnoseWorkload, kubeWorkloadSource } = await import('../../diagnose/index.js');
        const kube = await ctx.clients.kube(args.cluster_id);
        const source = kubeWorkloadSource(kube.api);
        for (const kind of KINDS) {
          try {
            const result = await diagnoseWorkload(source, { kind, namespace, name });
            sources.push({
              source: 'diagnosis',
              status: 'ok',
              detail: `${kind} ${namespace}/${name}: ${result.verdict}`,
            });
            return {
              state: 'found',
              summary: {
                kind,
                verdict: result.verdict,
                findings: result.findings.map((f) => ({
                  rule_id: f.rule_id,
                  severity: f.severity,
                  title: f.title,
                  evidence: f.evidence,
                  fix: f.fix,
                })),
              },
            };
          } catch (error) {
            if (!(isOpsError(error) && error.code === 'RESOURCE_NOT_FOUND')) throw error;
          }
        }
        sources.push({
          source: 'diagnosis',
          status: 'ok',
          detail: `no workload or pod named ${namespace}/${name} exists now`,
        });
        return { state: 'absent' };
      } catch (error) {
        sources.push(failed('diagnosis', error));
        return { state: 'unknown' };
      }
    })();

    const auditTask = (async (): Promise<AuditEntry[]> => {
      try {
        const result = await searchAuditLog(clients, {
          clusterId: args.cluster_id,
          filter: {
            ...(namespace ? { namespace } : {}),
            ...(name ? { resourceName: `${name}*` } : { verbs: ['create', 'update', 'patch', 'delete'] }),
          },
          start,
          end,
          limit: 50,
          includeObjects: true,
          allowSecretData: ctx.settings.allowSecretData,
        });
        sources.push({
          source: 'audit',
          status: 'ok',
          detail: `${result.entries.length} entries from ${result.project}/${result.logstore}`,
        });
        return result.entries;
      } catch (error) {
        sources.push(failed('audit', error));
        return [];
      }
    })();

    // A deleted object's creation is often older than the window; its spec (ports) comes from there.
    const creationTask = (async (): Promise<AuditEntry[]> => {
      if (!namespace || !name) return [];
      try {
        const result = await searchAuditLog(clients, {
          clusterId: args.cluster_id,
          filter: { namespace, resourceName: name, verbs: ['create'] },
          start: end - 30 * 86_400,
          end,
          limit: 5,
          includeObjects: true,
          allowSecretData: ctx.settings.allowSecretData,
        });
        return result.entries;
      } catch {
        return [];
      }
    })();

    const eventsTask = (async (): Promise<WarningEvent[]> => {
      try {
        const region = await clients.clusterRegion(args.cluster_id);
        const clauses = ['level: "Warning"'];
        if (namespace) clauses.push(`eventId.involvedObject.namespace: ${slsTerm(namespace)}`);
        if (name) clauses.push(`eventId.involvedObject.name: ${slsTerm(`${name}*`)}`);
        const answer = await (await clients.sls(region)).getLogs({
          project: clusterLogProject(args.cluster_id),
          logstore: 'k8s-event',
          from: start,
          to: end,
          query: clauses.join(' and '),
          line: 50,
          reverse: true,
        });
        const events = answer.rows.map(eventRow).filter((e): e is WarningEvent => e !== undefined);
        sources.push({ source: 'events', status: 'ok', detail: `${events.length} warning events from k8s-event` });
        return events;
      } catch (error) {
        sources.push(failed('events', error));
        return [];
      }
    })();

    const metricsTask = (async (): Promise<ContainerMetrics[]> => {
      if (!namespace) {
        sources.push({ source: 'metrics', status: 'skipped', detail: 'needs a namespace' });
        return [];
      }
      try {
        const queries = incidentQueries(namespace, name ? `${name.replace(/[.]/g, '\\\\.')}.*` : '.+');
        const run = async (query: string) =>
          (await runPromql(clients, { clusterId: args.cluster_id, query, start, end, maxSeries: 50 }))
            .result as PrometheusSeries[];
        const [restarts, memory, memoryLimit, cpu, cpuLimit] = await Promise.all([
          run(queries.restarts),
          run(queries.memory_working_set),
          run(queries.memory_limit),
          run(queries.cpu_usage),
          run(queries.cpu_limit),
        ]);
        const metrics = containerMetrics({ restarts, memory, memoryLimit, cpu, cpuLimit });
        sources.push({ source: 'metrics', status: 'ok', detail: `${metrics.length} containers from Prometheus` });
        return metrics;
      } catch (error) {
        sources.push(failed('metrics', error));
        return [];
      }
    })();

    const [diagnosis, audit, creations, events, metrics] = await Promise.all([
      diagnosisTask,
      auditTask,
      creationTask,
      eventsTask,
      metricsTask,
    ]);
    const exact = name ? audit.filter((e) => e.object_ref.name === name) : audit;
    const known = new Set(exact.map((e) => `${e.time}/${e.verb}`));
    const withCreation = [...exact, ...creations.filter((c) => !known.has(`${c.time}/${c.verb}`))];
    const target = name ? `${namespace}/${name}` : namespace ? `namespace ${namespace}` : 'the cluster';
    const cause = likelyCause({
      target,
      audit: withCreation,
      events,
      metrics,
      diagnosis: diagnosis.state === 'found' ? diagnosis.summary : null,
      objectExists: diagnosis.state === 'found' ? true : diagnosis.state === 'absent' ? false : null,
    });
    const order = ['diagnosis', 'audit', 'events', 'metrics'];
    return {
      cluster_id: args.cluster_id,
      target: { namespace: namespace ?? null, name: name ?? null },
      window: { from: isoOf(start), to: isoOf(end) },
      likely_cause: cause,
      timeline: buildTimeline(
        name ? [...audit, ...creations.filter((c) => !known.has(`${c.time}/${c.verb}`))] : audit,
        events,
        metrics,
      ),
      diagnosis: diagnosis.state === 'found' ? diagnosis.summary : null,
      audit_entries: audit.map((e) => ({
        time: e.time,
        verb: e.verb,
        user: e.user.username,
        object:
          `${e.object_ref.resource ?? ''} ${e.object_ref.namespace ? `${e.object_ref.namespace}/` : ''}${e.object_ref.name ?? ''}`.trim(),
        response_code: e.response_code,
        source_ips: e.source_ips,
      })),
      warning_events: events,
      metrics,
      sources: sources.sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source)),
    };
  },
});
