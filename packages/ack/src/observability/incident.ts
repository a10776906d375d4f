import type { AuditEntry } from './audit.js';
import type { PrometheusSeries } from './prometheus.js';

/**
 * What investigate_incident concludes from what it gathered: a timeline from every source and
 * the likely cause, each claim with the evidence it rests on. Pure functions of the gathered
 * data, so every rule is tested without a cluster.
 */

export interface TimelineItem {
  time: string;
  source: 'audit' | 'event' | 'metrics';
  summary: string;
}

export interface WarningEvent {
  time: string | null;
  reason: string;
  message: string;
  object: string;
  count: number;
}

export interface ContainerMetrics {
  pod: string;
  container: string;
  restarts_in_window: number | null;
  memory_peak_bytes: number | null;
  memory_peak_time: string | null;
  memory_limit_bytes: number | null;
  /** Peak working set over the limit. */
  memory_peak_ratio: number | null;
  cpu_peak_cores: number | null;
  cpu_limit_cores: number | null;
}

export interface DiagnosisSummary {
  verdict: string;
  findings: Array<{ rule_id: string; severity: string; title: string; evidence: string[]; fix: string }>;
}

export interface LikelyCause {
  summary: string;
  evidence: string[];
  confidence: 'high' | 'medium' | 'low';
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Per-container figures from the restart, memory and CPU series of the window. */
export function containerMetrics(series: {
  restarts: PrometheusSeries[];
  memory: PrometheusSeries[];
  memoryLimit: PrometheusSeries[];
  cpu: PrometheusSeries[];
  cpuLimit: PrometheusSeries[];
}): ContainerMetrics[] {
  const key = (s: PrometheusSeries) => `${s.metric.pod ?? ''}/${s.metric.container ?? ''}`;
  const points = (s: PrometheusSeries) =>
    (s.values ?? (s.value ? [s.value] : []))
      .map(([t, v]) => [Number(t), Number(v)] as const)
      .filter(([, v]) => Number.isFinite(v));
  const last = (s: PrometheusSeries | undefined) => {
    const p = s ? points(s) : [];
    return p.length ? (p[p.length - 1] as readonly [number, number])[1] : null;
  };
  const byKey = (list: PrometheusSeries[]) => new Map(list.map((s) => [key(s), s]));
  const memory = byKey(series.memory);
  const memoryLimit = byKey(series.memoryLimit);
  const cpu = byKey(series.cpu);
  const cpuLimit = byKey(series.cpuLimit);
  const restarts = byKey(series.restarts);
  const keys = new Set([...restarts.keys(), ...memory.keys()]);
  const out: ContainerMetrics[] = [];
  for (const k of keys) {
    const [pod = '', container = ''] = k.split('/');
    const r = restarts.get(k);
    const rp = r ? points(r) : [];
    const mp = memory.get(k) ? points(memory.get(k) as PrometheusSeries) : [];
    const peak = mp.reduce<readonly [number, number] | undefined>(
      (best, p) => (!best || p[1] > best[1] ? p : best),
      undefined,
    );
    const limit = last(memoryLimit.get(k));
    const cp = cpu.get(k) ? points(cpu.get(k) as PrometheusSeries) : [];
    out.push({
      pod,
      container,
      restarts_in_window: rp.length ? Math.max(0, (rp[rp.length - 1]?.[1] ?? 0) - (rp[0]?.[1] ?? 0)) : null,
      memory_peak_bytes: peak ? peak[1] : null,
      memory_peak_time: peak ? iso(peak[0]) : null,
      memory_limit_bytes: limit,
      memory_peak_ratio: peak && limit ? Math.round((peak[1] / limit) * 1000) / 1000 : null,
      cpu_peak_cores: cp.length ? Math.max(...cp.map((p) => p[1])) : null,
      cpu_limit_cores: last(cpuLimit.get(k)),
    });
  }
  return out.sort((a, b) => (b.restarts_in_window ?? 0) - (a.restarts_in_window ?? 0));
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}Mi`;

function describeAudit(e: AuditEntry): string {
  const who = e.user.username ?? 'someone';
  const what = `${e.object_ref.resource ?? 'object'} ${e.object_ref.namespace ? `${e.object_ref.namespace}/` : ''}${e.object_ref.name ?? ''}`;
  const from = e.source_ips.length ? ` from ${e.source_ips.join(', ')}` : '';
  const code = e.response_code !== null ? ` (HTTP ${e.response_code})` : '';
  return `${who} ${e.verb ?? 'touched'} ${what}${from}${code}`;
}

/** Ports of a Service found in an audited request or response body. */
export function servicePorts(entries: AuditEntry[]): string[] {
  for (const e of entries) {
    for (const body of [e.response_object, e.request_object]) {
      const spec = (body as { kind?: string; spec?: { ports?: Array<Record<string, unknown>> } } | undefined)?.spec;
      if ((body as { kind?: string } | undefined)?.kind === 'Service' && Array.isArray(spec?.ports)) {
        return spec.ports.map(
          (p) =>
            `${p.name ? `${String(p.name)} ` : ''}${String(p.port)}${p.targetPort !== undefined ? `→${String(p.targetPort)}` : ''}/${String(p.protocol ?? 'TCP')}`,
        );
      }
    }
  }
  return [];
}

/** Every source's items in time order. */
export function buildTimeline(
  audit: AuditEntry[],
  events: WarningEvent[],
  metrics: ContainerMetrics[],
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of audit) {
    if (e.time && e.verb && !['get', 'list', 'watch'].includes(e.verb))
      items.push({ time: e.time, source: 'audit', summary: describeAudit(e) });
  }
  for (const e of events) {
    if (e.time)
      items.push({
        time: e.time,
        source: 'event',
        summary: `${e.reason} on ${e.object}${e.count > 1 ? ` (×${e.count})` : ''}: ${e.message}`,
      });
  }
  for (const m of metrics) {
    if (
      m.memory_peak_time &&
      m.memory_peak_ratio !== null &&
      m.memory_peak_ratio >= 0.9 &&
      m.memory_peak_bytes !== null &&
      m.memory_limit_bytes !== null
    ) {
      items.push({
        time: m.memory_peak_time,
        source: 'metrics',
        summary: `${m.pod}/${m.container} memory peaked at ${mib(m.memory_peak_bytes)} of its ${mib(m.memory_limit_bytes)} limit (${Math.round(m.memory_peak_ratio * 100)}%)`,
      });
    }
  }
  return items.sort((a, b) => a.time.localeCompare(b.time));
}

/** The most likely cause, from the strongest evidence first: a deletion, an OOM pattern, the diagnosis, warnings. */
export function likelyCause(input: {
  target: string;
  audit: AuditEntry[];
  events: WarningEvent[];
  metrics: ContainerMetrics[];
  diagnosis: DiagnosisSummary | null;
  objectExists: boolean | null;
}): LikelyCause {
  const deletion = input.audit.find((e) => e.verb === 'delete' && (e.response_code === null || e.response_code < 300));
  if (deletion && input.objectExists !== true) {
    const ports = servicePorts(input.audit);
    return {
      summary: `${input.target} was deleted by ${deletion.user.username ?? 'an unknown user'} at ${deletion.time ?? 'an unknown time'}${deletion.source_ips.length ? ` from ${deletion.source_ips.join(', ')}` : ''}${deletion.user_agent ? ` (${deletion.user_agent})` : ''}.${ports.length ? ` Its ports were ${ports.join(', ')}.` : ''}`,
      evidence: [
        `audit: ${describeAudit(deletion)}`,
        ...(ports.length
          ? [
              `audit: the ${deletion.object_ref.resource} spec logged when it was created or deleted lists ports ${ports.join(', ')}`,
            ]
          : []),
      ],
      confidence: 'high',
    };
  }
  const oom = input.metrics.find((m) => (m.restarts_in_window ?? 0) > 0 && (m.memory_peak_ratio ?? 0) >= 0.9);
  const oomEvents = input.events.filter((e) => /OOM/i.test(e.reason) || /out of memory|OOMKilled/i.test(e.message));
  const oomFinding = input.diagnosis?.findings.find((f) => /oom/i.test(f.rule_id) || /OOM/i.test(f.title));
  if (oom || oomFinding) {
    const evidence: string[] = [];
    if (oom) {
      evidence.push(
        `metrics: ${oom.pod}/${oom.container} restarted ${oom.restarts_in_window} time(s) in the window; its memory peaked at ${oom.memory_peak_bytes !== null ? mib(oom.memory_peak_bytes) : '?'} of a ${oom.memory_limit_bytes !== null ? mib(oom.memory_limit_bytes) : '?'} limit`,
      );
    }
    if (oomEvents[0]) evidence.push(`event: ${oomEvents[0].reason}: ${oomEvents[0].message}`);
    if (oomFinding)
      evidence.push(`diagnosis: ${oomFinding.title}`, ...oomFinding.evidence.slice(0, 3).map((e) => `diagnosis: ${e}`));
    const limitChange = input.audit.find(
      (e) => (e.verb === 'patch' || e.verb === 'update') && JSON.stringify(e.request_object ?? '').includes('"memory"'),
    );
    if (limitChange)
      evidence.push(`audit: ${describeAudit(limitChange)} at ${limitChange.time} changed the memory settings`);
    return {
      summary: `${input.target} keeps restarting because its container runs out of memory: the working set climbs to the memory limit and the kernel kills it (OOMKilled).${limitChange ? ` The memory limit was changed by ${limitChange.user.username} at ${limitChange.time}.` : ''} Raise the limit above the peak or fix the growth.`,
      evidence,
      confidence: oom && (oomEvents.length || oomFinding) ? 'high' : 'medium',
    };
  }
  const top = input.diagnosis?.findings.find((f) => f.severity === 'critical') ?? input.diagnosis?.findings[0];
  if (top) {
    return {
      summary: `${input.target}: ${top.title}. ${top.fix}`,
      evidence: top.evidence.slice(0, 5).map((e) => `diagnosis: ${e}`),
      confidence: top.severity === 'critical' ? 'high' : 'medium',
    };
  }
  const warning = input.events[0];
  if (warning) {
    return {
      summary: `${input.target}: the most recent warning is ${warning.reason}: ${warning.message}`,
      evidence: input.events.slice(0, 3).map((e) => `event: ${e.reason} on ${e.object}: ${e.message}`),
      confidence: 'low',
    };
  }
  const change = input.audit.find((e) => e.verb && !['get', 'list', 'watch'].includes(e.verb));
  return {
    summary: change
      ? `No failure found for ${input.target}; the last change was: ${describeAudit(change)} at ${change.time}.`
      : `No failure found for ${input.target} in the window: no deletion, restarts, warnings or failing diagnosis.`,
    evidence: change ? [`audit: ${describeAudit(change)}`] : [],
    confidence: 'low',
  };
}
