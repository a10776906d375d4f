import { incidentQueries } from '../observability/metric-guidance.js';
import { PROD_CLUSTER_ID, SANDBOX_AUDIT_PROJECT, STAGING_CLUSTER_ID } from './cs-data.js';
import type { SlsRow } from './sls-fake.js';
import { SANDBOX_NOW, type SandboxObject, sandboxWorkloads } from './workloads.js';

/**
 * The sandbox's logs and metrics, telling the same stories as its cluster (cs-data.ts) and
 * workloads (workloads.ts), from SLS (events, API-server audit, control-plane logs) and from a
 * Prometheus-compatible API. Times are relative to the moment of each request, so "15 minutes
 * ago" stays 15 minutes ago however long the sandbox runs; the Kubernetes events keep their
 * distance from the workloads' simulated now.
 *
 * - The Service `shop/coupons` (port 8081 → 8080) was created three days ago by
 *   kubernetes-admin and deleted 15 minutes ago by `system:serviceaccount:ci:cleanup-bot`; the
 *   audit log keeps its spec in the request and response objects.
 * - The Deployment `shop/checkout` had its memory limit lowered from 512Mi to 256Mi 191 minutes
 *   ago, just before its current pod started; since then its container climbs to the limit and
 *   is OOMKilled about every 27 minutes (7 times, the last 7 minutes ago), which the metrics
 *   show as a sawtooth up to the limit.
 */

// Which clusters collect audit and control-plane logs is the CS fake's to say (cs-data.ts).
export { SANDBOX_ACCOUNT_ID, SANDBOX_AUDIT_PROJECT } from './cs-data.js';

export const DELETED_SERVICE = {
  namespace: 'shop',
  name: 'coupons',
  port: 8081,
  targetPort: 8080,
  deletedBy: 'system:serviceaccount:ci:cleanup-bot',
  deletedMinutesAgo: 15,
} as const;

const MI = 1024 * 1024;
export const CHECKOUT_MEMORY_LIMIT = 256 * MI;
/** Minutes before now at which the checkout container was OOMKilled, newest first. */
export const CHECKOUT_KILLS_MINUTES_AGO = [7, 34, 61, 88, 115, 142, 169] as const;

const ago = (nowSeconds: number, minutes: number) => Math.round(nowSeconds - minutes * 60);

function row(time: number, fields: Record<string, unknown>): SlsRow {
  const out: SlsRow = { __time__: String(time), __source__: '172.16.0.201', __topic__: '' };
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

const couponsService = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: DELETED_SERVICE.name, namespace: DELETED_SERVICE.namespace, labels: { app: 'coupons' } },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'coupons' },
    ports: [{ name: 'http', protocol: 'TCP', port: DELETED_SERVICE.port, targetPort: DELETED_SERVICE.targetPort }],
  },
};

function auditRow(
  time: number,
  e: {
    verb: string;
    user: string;
    groups: string[];
    resource: string;
    namespace: string;
    name: string;
    code: number;
    ip: string;
    agent: string;
    requestObject?: unknown;
    responseObject?: unknown;
    apiGroup?: string;
  },
): SlsRow {
  const path = `/${e.apiGroup ? `apis/${e.apiGroup}/v1` : 'api/v1'}/namespaces/${e.namespace}/${e.resource}/${e.name}`;
  return row(time, {
    verb: e.verb,
    user: { username: e.user, groups: e.groups },
    objectRef: {
      resource: e.resource,
      namespace: e.namespace,
      name: e.name,
      apiVersion: 'v1',
      ...(e.apiGroup ? { apiGroup: e.apiGroup } : {}),
    },
    responseStatus: { metadata: {}, code: e.code },
    sourceIPs: [e.ip],
    userAgent: e.agent,
    requestURI: e.verb === 'create' ? path.slice(0, path.lastIndexOf('/')) : path,
    stage: 'ResponseComplete',
    level: e.requestObject || e.responseObject ? 'RequestResponse' : 'Metadata',
    requestReceivedTimestamp: new Date(time * 1000).toISOString(),
    ...(e.requestObject ? { requestObject: e.requestObject } : {}),
    ...(e.responseObject ? { responseObject: e.responseObject } : {}),
  });
}

const ADMIN = {
  user: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
  ip: '47.96.11.20',
  agent: 'kubectl/v1.31.1 (darwin/arm64) kubernetes/948afe5',
};
const BOT = {
  user: DELETED_SERVICE.deletedBy,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
  ip: '172.20.22.31',
  agent: 'cleanup-bot/0.4.2',
};

/** The API-server audit log of the production cluster. */
export function sandboxAuditRows(nowSeconds: number): SlsRow[] {
  const checkoutPatch = {
    spec: { template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '256Mi' } } }] } } },
  };
  return [
    auditRow(ago(nowSeconds, 60 * 24 * 3), {
      ...ADMIN,
      verb: 'create',
      resource: 'services',
      namespace: 'shop',
      name: 'coupons',
      code: 201,
      requestObject: couponsService,
      responseObject: { ...couponsService, spec: { ...couponsService.spec, clusterIP: '192.168.61.12' } },
    }),
    auditRow(ago(nowSeconds, 191), {
      ...ADMIN,
      verb: 'patch',
      resource: 'deployments',
      apiGroup: 'apps',
      namespace: 'shop',
      name: 'checkout',
      code: 200,
      requestObject: checkoutPatch,
    }),
    auditRow(ago(nowSeconds, 95), {
      ...ADMIN,
      verb: 'get',
      resource: 'pods',
      namespace: 'shop',
      name: 'checkout',
      code: 200,
    }),
    auditRow(ago(nowSeconds, 40), {
      ...ADMIN,
      verb: 'get',
      resource: 'services',
      namespace: 'shop',
      name: 'coupons',
      code: 200,
    }),
    auditRow(ago(nowSeconds, 16), {
      ...BOT,
      verb: 'get',
      resource: 'services',
      namespace: 'shop',
      name: 'coupons',
      code: 200,
    }),
    auditRow(ago(nowSeconds, DELETED_SERVICE.deletedMinutesAgo), {
      ...BOT,
      verb: 'delete',
      resource: 'services',
      namespace: 'shop',
      name: 'coupons',
      code: 200,
      responseObject: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: { name: 'coupons', kind: 'services' },
      },
      requestObject: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    }),
    auditRow(ago(nowSeconds, 14), {
      ...ADMIN,
      verb: 'get',
      resource: 'services',
      namespace: 'shop',
      name: 'coupons',
      code: 404,
    }),
    auditRow(ago(nowSeconds, 5), {
      ...ADMIN,
      verb: 'update',
      resource: 'secrets',
      namespace: 'shop',
      name: 'payments-db',
      code: 200,
      requestObject: {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: 'payments-db', namespace: 'shop' },
        data: { password: 'c2FuZGJveC1wYXNzd29yZA==' },
      },
    }),
  ];
}

/** The deleted Service's spec the sandbox's audit log keeps (its creation). */
export const DELETED_SERVICE_SPEC = couponsService;

/** The Kubernetes events (as ACK's event center stores them: the event as JSON text in `eventId`). */
export function sandboxEventRows(nowSeconds: number): SlsRow[] {
  const shift = nowSeconds - Date.parse(SANDBOX_NOW) / 1000;
  const rows: SlsRow[] = sandboxWorkloads.events.map((event: SandboxObject) => {
    const last = Date.parse(String(event.lastTimestamp)) / 1000 + shift;
    const shifted = {
      ...event,
      firstTimestamp: new Date((Date.parse(String(event.firstTimestamp)) / 1000 + shift) * 1000).toISOString(),
      lastTimestamp: new Date(last * 1000).toISOString(),
    };
    return row(Math.round(last), {
      eventId: shifted,
      level: String(event.type),
      hostname: String((event.source as { host?: string })?.host ?? ''),
    });
  });
  // The deleted Service's endpoints controller noticed the deletion.
  rows.push(
    row(ago(nowSeconds, DELETED_SERVICE.deletedMinutesAgo), {
      eventId: {
        kind: 'Event',
        involvedObject: { kind: 'Service', namespace: 'shop', name: 'coupons' },
        reason: 'Deleted',
        message: 'Service shop/coupons deleted; its endpoints were removed',
        type: 'Normal',
        lastTimestamp: new Date(ago(nowSeconds, DELETED_SERVICE.deletedMinutesAgo) * 1000).toISOString(),
        count: 1,
        source: { component: 'endpoint-controller' },
      },
      level: 'Normal',
      hostname: '',
    }),
  );
  return rows;
}

/** Control-plane component logs. */
export function sandboxControlPlaneRows(component: string, nowSeconds: number): SlsRow[] {
  if (component === 'apiserver') {
    return [
      row(ago(nowSeconds, 95), {
        level: 'W',
        source: 'reflector.go:561',
        message: 'watch of *v1.Endpoints ended with: very short watch',
      }),
      row(ago(nowSeconds, DELETED_SERVICE.deletedMinutesAgo), {
        level: 'I',
        source: 'httplog.go:132',
        message: `"HTTP" verb="DELETE" URI="/api/v1/namespaces/shop/services/coupons" latency="9.8ms" userAgent="cleanup-bot/0.4.2" audit-ID="5d1c2e0a-0b8e-4d7e-9c51-0f8f2e6f4a11" srcIP="172.20.22.31:50412" resp=200`,
      }),
    ];
  }
  if (component === 'kcm') {
    return [
      row(ago(nowSeconds, DELETED_SERVICE.deletedMinutesAgo), {
        level: 'I',
        source: 'endpointslice_controller.go:312',
        message: 'Deleting EndpointSlices for deleted Service shop/coupons',
      }),
      ...CHECKOUT_KILLS_MINUTES_AGO.map((m) =>
        row(ago(nowSeconds, m - 0.05), {
          level: 'I',
          source: 'replica_set.go:676',
          message: 'Pod shop/checkout container app restarted (OOMKilled)',
        }),
      ),
    ];
  }
  if (component === 'scheduler') {
    return [
      row(ago(nowSeconds, 50), {
        level: 'I',
        source: 'schedule_one.go:1004',
        message:
          'Unable to schedule pod; no fit; waiting pod="shop/train-model" err="0/3 nodes are available: 3 Insufficient cpu."',
      }),
    ];
  }
  return [];
}

/** Every logstore of the sandbox's SLS, by project; undefined for one that does not exist. */
export function sandboxSlsRows(
  project: string,
  logstore: string,
  nowSeconds = Date.now() / 1000,
): SlsRow[] | undefined {
  if (project === `k8s-log-${STAGING_CLUSTER_ID}`) return logstore === 'k8s-event' ? [] : undefined;
  if (project !== SANDBOX_AUDIT_PROJECT) return undefined;
  if (logstore === 'k8s-event') return sandboxEventRows(nowSeconds);
  if (logstore === `audit-${PROD_CLUSTER_ID}`) return sandboxAuditRows(nowSeconds);
  const component = new RegExp(`^(apiserver|kcm|scheduler)-${PROD_CLUSTER_ID}$`).exec(logstore)?.[1];
  return component ? sandboxControlPlaneRows(component, nowSeconds) : undefined;
}

/** The sandbox's answers of SLS's AI tools: a few known questions, clearly simulated. */
export function sandboxAiTool(toolName: string, params: Record<string, string>): string {
  const question = (params['sys.query'] ?? '').replace(/^当前时间: [^,]*, 问题:/, '');
  const head = `(sandbox: simulated ${toolName} answer for "${question.slice(0, 80)}")\n------answer------\n`;
  if (toolName === 'text_to_sql') return `${head}level: Warning`;
  if (toolName === 'text_to_promql') {
    return `${head}sum by (pod) (container_memory_working_set_bytes{namespace="shop",container!=""})`;
  }
  if (toolName === 'diagnosis_sql') {
    return `${head}An analytic statement must follow a search and a "|": write "* | SELECT …", and quote values containing ":".`;
  }
  return `${head}`;
}

// --- metrics ------------------------------------------------------------------------------

interface SandboxPodSeries {
  namespace: string;
  pod: string;
  container: string;
  restartsAt(t: number): number;
  memoryAt(t: number): number;
  memoryLimit: number | undefined;
  cpuAt(t: number): number;
  cpuLimit: number | undefined;
}

function quantity(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, m: 0.001, Ki: 1024, Mi: MI, Gi: 1024 * MI, Ti: 1024 * 1024 * MI }[
    (m[2] ?? '') as '' | 'm' | 'Ki' | 'Mi' | 'Gi' | 'Ti'
  ];
  return Number(m[1]) * unit;
}

/** The checkout container's memory: climbs after each restart and is killed at its limit. */
export function checkoutMemoryAt(t: number, nowSeconds: number): number {
  const kills = CHECKOUT_KILLS_MINUTES_AGO.map((m) => ago(nowSeconds, m));
  const lastKill = kills.find((k) => k <= t);
  const start = lastKill === undefined ? ago(nowSeconds, 189) : lastKill + 60;
  if (t < start) return 0;
  const minutes = (t - start) / 60;
  const value = 140 * MI + 105 * MI * (Math.min(minutes, 6) / 6) + Math.max(0, minutes - 6) * 0.55 * MI;
  return Math.min(CHECKOUT_MEMORY_LIMIT, Math.round(value));
}

function podSeries(nowSeconds: number): SandboxPodSeries[] {
  const usage = new Map<string, Record<string, { cpu?: string; memory?: string }>>();
  for (const m of sandboxWorkloads.podMetrics) {
    const containers = (m.containers as Array<{ name: string; usage: { cpu?: string; memory?: string } }>) ?? [];
    usage.set(
      `${m.metadata.namespace}/${m.metadata.name}`,
      Object.fromEntries(containers.map((c) => [c.name, c.usage])),
    );
  }
  const series: SandboxPodSeries[] = [];
  for (const pod of sandboxWorkloads.pods) {
    const spec = pod.spec as { containers?: Array<{ name: string; resources?: { limits?: Record<string, string> } }> };
    const statuses =
      (pod.status as { containerStatuses?: Array<{ name: string; restartCount?: number }> })?.containerStatuses ?? [];
    for (const container of spec.containers ?? []) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const used = usage.get(key)?.[container.name];
      const isCheckout = pod.metadata.name.startsWith('checkout-') && statuses.some((s) => s.restartCount === 7);
      const restarts = statuses.find((s) => s.name === container.name)?.restartCount ?? 0;
      series.push({
        namespace: pod.metadata.namespace ?? 'default',
        pod: pod.metadata.name,
        container: container.name,
        restartsAt: isCheckout
          ? (t) => CHECKOUT_KILLS_MINUTES_AGO.filter((m) => ago(nowSeconds, m) <= t).length
          : () => restarts,
        memoryAt: isCheckout ? (t) => checkoutMemoryAt(t, nowSeconds) : () => quantity(used?.memory) ?? Number.NaN,
        memoryLimit: quantity(container.resources?.limits?.memory),
        cpuAt: () => quantity(used?.cpu) ?? Number.NaN,
        cpuLimit: quantity(container.resources?.limits?.cpu),
      });
    }
  }
  return series;
}

export interface SandboxSample {
  metric: Record<string, string>;
  valueAt(t: number): number;
}

/**
 * The series of a query the sandbox Prometheus knows (those investigate_incident asks about a
 * pod or workload), or undefined for any other query.
 */
export function sandboxMetricSeries(query: string, nowSeconds: number): SandboxSample[] | undefined {
  const match = /namespace="([a-z0-9-]+)",pod=~"([^"]+)"/.exec(query);
  if (!match) return undefined;
  const [, namespace = '', pattern = ''] = match;
  const known = incidentQueries(namespace, pattern);
  const which = (Object.keys(known) as Array<keyof typeof known>).find((k) => known[k] === query);
  if (!which) return undefined;
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    return [];
  }
  const pods = podSeries(nowSeconds).filter((s) => s.namespace === namespace && regex.test(s.pod));
  const samples: SandboxSample[] = [];
  for (const s of pods) {
    const metric = { pod: s.pod, container: s.container };
    if (which === 'restarts') samples.push({ metric, valueAt: s.restartsAt });
    if (which === 'memory_working_set' && !Number.isNaN(s.memoryAt(nowSeconds)))
      samples.push({ metric, valueAt: s.memoryAt });
    if (which === 'memory_limit' && s.memoryLimit !== undefined)
      samples.push({ metric, valueAt: () => s.memoryLimit as number });
    if (which === 'cpu_usage' && !Number.isNaN(s.cpuAt(nowSeconds))) samples.push({ metric, valueAt: s.cpuAt });
    if (which === 'cpu_limit' && s.cpuLimit !== undefined)
      samples.push({ metric, valueAt: () => s.cpuLimit as number });
  }
  return samples;
}

/** The queries the sandbox Prometheus answers, for its refusal message. */
export const SANDBOX_PROMETHEUS_NOTE =
  "this sandbox's simulated Prometheus evaluates only the per-pod restart, memory and CPU queries investigate_incident sends; run other PromQL against a real cluster";
