import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { callTool, connectInMemory } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROD_CLUSTER_ID } from '../src/sandbox/index.js';
import { SANDBOX_SERVER_CERT, SANDBOX_SERVER_KEY } from '../src/sandbox/kube-sandbox-certs.js';
import { type SandboxObject, sandboxWorkloads } from '../src/sandbox/workloads.js';
import { ackServer } from '../src/server.js';

const TOKEN = 'sandbox-bearer-token-7f3a9c2e5b1d';
const CONTEXT = 'shop-cluster';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

/**
 * A Kubernetes API server on 127.0.0.1 (TLS with the sandbox's server certificate) serving the
 * sandbox objects: it checks the bearer token, answers the read paths the diagnosis uses with
 * the API's JSON shapes and Status errors, and records every request.
 */
function startFakeKubernetes() {
  const seen: Seen[] = [];
  const overrides = new Map<string, { status: number; reason: string; message: string }>();
  const status = (res: ServerResponse, code: number, reason: string, message: string) => {
    res.writeHead(code, { 'content-type': 'application/json', 'audit-id': 'c0ffee00-1111-2222-3333-444455556666' });
    res.end(
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
    );
  };
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const selectorMatches = (labels: Record<string, string> | undefined, selector: string | null) =>
    !selector ||
    selector.split(',').every((term) => {
      const m = /^([\w./-]+)=([\w.-]+)$/.exec(term);
      if (!m) throw new Error(`unsupported selector term ${term}`);
      return labels?.[m[1] as string] === m[2];
    });
  const collections: Record<string, SandboxObject[]> = {
    '/api/v1/pods': sandboxWorkloads.pods,
    '/apis/apps/v1/deployments': sandboxWorkloads.deployments,
    '/apis/apps/v1/statefulsets': sandboxWorkloads.statefulSets,
    '/apis/apps/v1/daemonsets': sandboxWorkloads.daemonSets,
    '/apis/apps/v1/replicasets': sandboxWorkloads.replicaSets,
    '/apis/batch/v1/jobs': sandboxWorkloads.jobs,
    '/api/v1/persistentvolumeclaims': sandboxWorkloads.persistentVolumeClaims,
    '/api/v1/events': sandboxWorkloads.events,
  };
  const listKinds: Record<string, string> = {
    pods: 'PodList',
    deployments: 'DeploymentList',
    statefulsets: 'StatefulSetList',
    daemonsets: 'DaemonSetList',
    replicasets: 'ReplicaSetList',
    jobs: 'JobList',
    persistentvolumeclaims: 'PersistentVolumeClaimList',
    events: 'EventList',
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', `${req.method} is not allowed here`);
    const override = overrides.get(url.pathname);
    if (override) return status(res, override.status, override.reason, override.message);

    if (url.pathname === '/api/v1/nodes') {
      return json(res, {
        kind: 'NodeList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '481999' },
        items: sandboxWorkloads.nodes,
      });
    }
    const node = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url.pathname);
    if (node) {
      const found = sandboxWorkloads.nodes.find((n) => n.metadata.name === decodeURIComponent(node[1] as string));
      return found ? json(res, found) : status(res, 404, 'NotFound', `nodes "${node[1]}" not found`);
    }
    const metrics = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (metrics) {
      const found = sandboxWorkloads.podMetrics.find(
        (m) => m.metadata.namespace === metrics[1] && m.metadata.name === metrics[2],
      );
      return found
        ? json(res, found)
        : status(res, 404, 'NotFound', `podmetrics.metrics.k8s.io "${metrics[2]}" not found`);
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log) {
      const container = url.searchParams.get('container');
      const entry = sandboxWorkloads.logs[`${log[1]}/${log[2]}/${container}`];
      const previous = url.searchParams.get('previous') === 'true';
      const text = previous ? entry?.previous : entry?.current;
      if (text === undefined) {
        return status(
          res,
          400,
          'BadRequest',
          `previous terminated container "${container}" in pod "${log[2]}" not found`,
        );
      }
      const tail = Number(url.searchParams.get('tailLines') ?? 'NaN');
      const lines = text.split('\n');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${(Number.isNaN(tail) ? lines : lines.slice(-tail)).join('\n')}\n`);
      return;
    }
    const scoped = /^(\/api\/v1|\/apis\/apps\/v1|\/apis\/batch\/v1)\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/.exec(
      url.pathname,
    );
    const items = scoped ? collections[`${scoped[1]}/${scoped[3]}`] : undefined;
    if (!scoped || !items) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const [, , namespace, plural, name] = scoped;
    const inNamespace = items.filter((o) => o.metadata.namespace === namespace);
    if (name) {
      const found = inNamespace.find((o) => o.metadata.name === decodeURIComponent(name));
      return found ? json(res, found) : status(res, 404, 'NotFound', `${plural} "${name}" not found`);
    }
    let list = inNamespace.filter((o) => selectorMatches(o.metadata.labels, url.searchParams.get('labelSelector')));
    const fieldSelector = url.searchParams.get('fieldSelector');
    if (plural === 'events' && fieldSelector) {
      const uid = /^involvedObject\.uid=([\w-]+)$/.exec(fieldSelector)?.[1];
      if (!uid) return status(res, 400, 'BadRequest', `unsupported field selector ${fieldSelector}`);
      list = list.filter((e) => (e.involvedObject as { uid: string }).uid === uid);
    }
    return json(res, {
      kind: listKinds[plural as string],
      apiVersion: 'v1',
      metadata: { resourceVersion: '481999' },
      items: list,
    });
  };

  const server = https.createServer({ cert: SANDBOX_SERVER_CERT, key: SANDBOX_SERVER_KEY }, handle);
  return new Promise<{ url: string; seen: Seen[]; overrides: typeof overrides; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `https://127.0.0.1:${port}`,
        seen,
        overrides,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

let fake: Awaited<ReturnType<typeof startFakeKubernetes>>;
let dir: string;
let kubeconfigPath: string;
const open: Array<{ close(): Promise<void> }> = [];

const kubeconfig = (server: string, token: string) => `apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: tester
  user:
    token: ${token}
contexts:
- name: ${CONTEXT}
  context:
    cluster: sandbox
    user: tester
current-context: ${CONTEXT}
`;

beforeAll(async () => {
  fake = await startFakeKubernetes();
  dir = await mkdtemp(path.join(os.tmpdir(), 'diagnose-workload-'));
  kubeconfigPath = path.join(dir, 'config');
  await writeFile(kubeconfigPath, kubeconfig(fake.url, TOKEN));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.seen.length = 0;
  fake.overrides.clear();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function connect(settings: Record<string, unknown> = {}) {
  const conn = await connectInMemory(ackServer, {
    settings: { kubeconfigMode: 'LOCAL', kubeconfigPath, maxRetries: 0, ...settings },
  });
  open.push(conn);
  return conn.client;
}

interface Structured {
  cluster_id: string;
  target: { kind: string; namespace: string; name: string };
  verdict: string;
  findings: Array<{
    rule_id: string;
    severity: string;
    title: string;
    evidence: string[];
    fix: string;
    object: Record<string, string>;
  }>;
  pods_total: number;
  pods_inspected: number;
  notes: string[];
}

async function diagnose(args: Record<string, unknown>, settings?: Record<string, unknown>) {
  const result = await callTool(await connect(settings), 'diagnose_workload', {
    cluster_id: CONTEXT,
    namespace: 'shop',
    ...args,
  });
  return { ...result, out: result.structured as Structured | undefined };
}

describe('diagnose_workload against a Kubernetes API on 127.0.0.1', () => {
  it('an OOM pod: names the OOMKilled container, its 256Mi limit, the usage near it and the fix', async () => {
    const { isError, out, text } = await diagnose({ kind: 'deploy', name: 'checkout' });
    expect(isError).toBe(false);
    expect(out?.cluster_id).toBe(CONTEXT);
    expect(out?.target).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    expect(out?.verdict).toBe('failing');
    const oom = out?.findings[0];
    expect(oom?.rule_id).toBe('POD-OOM-KILLED');
    expect(oom?.evidence).toContain('memory limit 256Mi, request 128Mi');
    expect(oom?.evidence.join('\n')).toContain('245Mi = 96% of the limit');
    expect(oom?.fix).toContain('--limits=memory=384Mi');
    expect(out?.findings.map((f) => f.rule_id)).toEqual(['POD-OOM-KILLED', 'POD-EVICTED', 'NODE-PRESSURE']);
    expect(text).toMatch(
      /^Deployment shop\/checkout in shop-cluster: FAILING — 1 critical, 2 warnings \(2 of 2 pods inspected\)/,
    );
    expect(text).toContain('[critical] POD-OOM-KILLED: Container app of pod checkout-');
    // Only reads, each with the kubeconfig's bearer token; the previous run's log, 30 lines.
    expect(fake.seen.every((r) => r.method === 'GET' && r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const logs = fake.seen.filter((r) => r.path.endsWith('/log'));
    expect(logs.map((r) => [r.query.get('container'), r.query.get('previous'), r.query.get('tailLines')])).toEqual([
      ['app', 'true', '30'],
    ]);
    expect(
      fake.seen.some((r) => r.path.startsWith('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/checkout-')),
    ).toBe(true);
    expect(fake.seen.find((r) => r.path === '/api/v1/namespaces/shop/pods')?.query.get('labelSelector')).toBe(
      'app=checkout',
    );
  });

  it('a resource anomaly: the recommender crash loop is traced to the missing MODEL_BUCKET in its previous log', async () => {
    const { out, text } = await diagnose({ kind: 'Deployment', name: 'recommender' });
    expect(out?.verdict).toBe('failing');
    expect(out?.findings.map((f) => f.rule_id)).toEqual(['WORKLOAD-UNAVAILABLE', 'POD-CRASH-LOOP']);
    const crash = out?.findings[1];
    expect(crash?.title).toMatch(/crash-looping \(exit code 1\)$/);
    expect(crash?.evidence).toContain("  KeyError: 'MODEL_BUCKET'");
    expect(crash?.fix).toContain('MODEL_BUCKET');
    expect(text).toContain("      KeyError: 'MODEL_BUCKET'");
  });

  it('a stuck rollout: payments waits on an image that does not exist', async () => {
    const { out } = await diagnose({ kind: 'deployments.apps', name: 'payments' });
    expect(out?.findings.map((f) => f.rule_id)).toEqual(['ROLLOUT-STUCK', 'POD-IMAGE-PULL']);
    expect(out?.findings[1]?.title).toBe(
      'Image registry.example.com/payments:v9 of container payments cannot be pulled (not found)',
    );
  });

  it('a Pending job pod and an unbound claim', async () => {
    const job = await diagnose({ kind: 'job', name: 'train-model' });
    expect(job.out?.findings.map((f) => f.rule_id)).toEqual(['POD-UNSCHEDULABLE']);
    expect(job.out?.findings[0]?.fix).toContain('no node of this cluster can ever run it');
    const sts = await diagnose({ kind: 'sts', name: 'orders-db' });
    expect(sts.out?.findings.map((f) => f.rule_id)).toEqual([
      'WORKLOAD-UNAVAILABLE',
      'POD-UNSCHEDULABLE',
      'PVC-UNBOUND',
    ]);
    expect(fake.seen.some((r) => r.path === '/api/v1/namespaces/shop/persistentvolumeclaims/data-orders-db-0')).toBe(
      true,
    );
  });

  it('a healthy workload: frontend is healthy, with no findings and no log read', async () => {
    const { out, text } = await diagnose({ kind: 'deployment', name: 'frontend' });
    expect(out).toMatchObject({ verdict: 'healthy', findings: [], pods_total: 3, pods_inspected: 3, notes: [] });
    expect(text).toContain('HEALTHY');
    expect(text).toContain('No problem found: no rule fired');
    expect(fake.seen.some((r) => r.path.endsWith('/log'))).toBe(false);
  });

  it('without cluster_id uses DEFAULT_CLUSTER_ID (a context in LOCAL mode)', async () => {
    const client = await connect({ defaultClusterId: CONTEXT });
    const result = await callTool(client, 'diagnose_workload', {
      namespace: 'kube-system',
      kind: 'ds',
      name: 'logtail-ds',
    });
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({ cluster_id: CONTEXT, verdict: 'degraded', pods_inspected: 3 });
  });

  it('a workload that does not exist is RESOURCE_NOT_FOUND', async () => {
    const { isError, text, out } = await diagnose({ kind: 'deployment', name: 'nope' });
    expect(isError).toBe(true);
    expect(out).toBe(undefined);
    expect(text).toContain('RESOURCE_NOT_FOUND');
    expect(text).toContain('Deployment nope not found in namespace shop');
  });

  it('a refused read of the workload is PERMISSION_DENIED with the upstream reason and audit id', async () => {
    fake.overrides.set('/apis/apps/v1/namespaces/shop/deployments/checkout', {
      status: 403,
      reason: 'Forbidden',
      message:
        'deployments.apps "checkout" is forbidden: User "tester" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
    });
    const { isError, text } = await diagnose({ kind: 'deployment', name: 'checkout' });
    expect(isError).toBe(true);
    expect(text).toContain('PERMISSION_DENIED');
    expect(text).toContain('cannot get resource "deployments"');
    expect(text).toContain('Forbidden');
    expect(text).toContain('c0ffee00-1111-2222-3333-444455556666');
  });

  it('events and metrics that cannot be read become notes, and the rules still run', async () => {
    fake.overrides.set('/api/v1/namespaces/shop/events', {
      status: 403,
      reason: 'Forbidden',
      message: 'events is forbidden',
    });
    for (const m of sandboxWorkloads.podMetrics) {
      fake.overrides.set(`/apis/metrics.k8s.io/v1beta1/namespaces/${m.metadata.namespace}/pods/${m.metadata.name}`, {
        status: 503,
        reason: 'ServiceUnavailable',
        message: 'the server is currently unable to handle the request',
      });
    }
    const { out } = await diagnose({ kind: 'deployment', name: 'checkout' });
    expect(out?.findings[0]?.rule_id).toBe('POD-OOM-KILLED');
    expect(out?.findings[0]?.evidence.join('\n')).toContain('memory usage unknown');
    expect(out?.notes.some((n) => n.startsWith('events of pod checkout-') && n.includes('PERMISSION_DENIED'))).toBe(
      true,
    );
    expect(out?.notes.some((n) => n.includes('metrics.k8s.io'))).toBe(true);
  });

  it('credentials the cluster refuses are INVALID_CREDENTIALS', async () => {
    const badPath = path.join(dir, 'bad-config');
    await writeFile(badPath, kubeconfig(fake.url, 'not-the-right-token-000000'));
    const { isError, text } = await diagnose({ kind: 'deployment', name: 'checkout' }, { kubeconfigPath: badPath });
    expect(isError).toBe(true);
    expect(text).toContain('INVALID_CREDENTIALS');
    expect(text).not.toContain('not-the-right-token-000000');
  });

  it.each([
    [{ kind: 'cronjob', name: 'x' }, 'kind'],
    [{ kind: 'deployment', name: 'Checkout_1' }, 'name'],
    [{ kind: 'deployment', name: 'checkout', namespace: 'Shop' }, 'namespace'],
    [{ kind: 'deployment', name: 'checkout', cluster_id: '-bad id' }, 'cluster_id'],
  ])('bad input %j is INVALID_ARGUMENT naming %s, and nothing is sent', async (args, field) => {
    const { isError, text } = await diagnose(args);
    expect(isError).toBe(true);
    expect(text).toContain('INVALID_ARGUMENT');
    expect(text).toContain(field);
    expect(fake.seen).toEqual([]);
  });
});

describe('diagnose_workload in the sandbox (--sandbox: the fake CS API hands out a kubeconfig for the fake Kubernetes API)', () => {
  it('diagnoses the sandbox workloads of a sandbox cluster the same way', async () => {
    const conn = await connectInMemory(ackServer, { settings: { sandbox: true } });
    open.push(conn);
    const call = async (kind: string, name: string, namespace = 'shop') =>
      (await callTool(conn.client, 'diagnose_workload', { cluster_id: PROD_CLUSTER_ID, namespace, kind, name }))
        .structured as unknown as Structured;
    const checkout = await call('deployment', 'checkout');
    expect(checkout.cluster_id).toBe(PROD_CLUSTER_ID);
    expect(checkout.findings.map((f) => f.rule_id)).toEqual(['POD-OOM-KILLED', 'POD-EVICTED', 'NODE-PRESSURE']);
    expect(checkout.findings[0]?.evidence.join('\n')).toContain('245Mi = 96% of the limit');
    expect((await call('deployment', 'frontend')).verdict).toBe('healthy');
    expect((await call('deployment', 'payments')).findings.map((f) => f.rule_id)).toEqual([
      'ROLLOUT-STUCK',
      'POD-IMAGE-PULL',
    ]);
    expect((await call('job', 'db-migrate')).findings.map((f) => f.rule_id)).toEqual(['JOB-FAILED']);
  });
});
