/**
 * kubectl and kubectl_write end to end: an MCP client, the tools, the Kubernetes client over
 * TLS with the client certificate of an ACK-style kubeconfig, and the fake API server.
 */
import { defineServer } from '@opsmcp/core';
import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AckClients } from '../src/clients.js';
import type { ClusterKubeconfigSource } from '../src/kubernetes/access.js';
import { createKubeClientFactory } from '../src/kubernetes/index.js';
import type { FakeKube } from '../src/sandbox/kube-fake.js';
import { SANDBOX_CLIENT_KEY } from '../src/sandbox/kube-sandbox-certs.js';
import { ackSettings } from '../src/settings.js';
import { kubectl, kubectlWrite } from '../src/tools/kubectl.js';
import { BIG_LOG_LINES, DOCKER_CONFIG, SECRET_LAST_APPLIED, SECRET_VALUE, startFixtureKube } from './kube-fixtures.js';

const CLUSTER = 'c0123456789abcdef0123456789abcdef';

let fake: FakeKube;
const csCalls: Array<{ action: string; clusterId: string; options?: unknown }> = [];

function csFor(kube: () => FakeKube): ClusterKubeconfigSource {
  return {
    async describeClusterDetail(clusterId) {
      csCalls.push({ action: 'DescribeClusterDetail', clusterId });
      return {
        region_id: 'cn-hangzhou',
        master_url: JSON.stringify({ api_server_endpoint: kube().url, intranet_api_server_endpoint: '' }),
      };
    },
    async describeClusterUserKubeconfig(clusterId, options) {
      csCalls.push({ action: 'DescribeClusterUserKubeconfig', clusterId, options });
      return {
        config: kube().kubeconfig(`user-${clusterId}`),
        expiration: new Date(Date.now() + 60 * 60_000).toISOString(),
      };
    },
  };
}

/** The kubectl tools on their own, with CS replaced by a recording stand-in that hands out the fake's kubeconfig. */
const testServer = defineServer({
  name: 'ack-kubectl-test',
  packageName: '@opsmcp/ack-kubectl-test',
  version: '0.0.0',
  title: 'kubectl test',
  instructions: 'kubectl tools only',
  settings: ackSettings,
  tools: [kubectl, kubectlWrite],
  createContext: (init): AckClients => ({
    cs: () => Promise.reject(new Error('not used')),
    kube: (clusterId) =>
      createKubeClientFactory({
        settings: init.settings,
        cache: init.cache,
        cs: () => csFor(() => fake),
        signal: init.signal,
        timeoutSeconds: init.settings.kubectlTimeout,
        maxRetries: 0,
      })(clusterId),
  }),
});

type Conn = InMemoryConnection;
let conn: Conn;

async function open(
  settings: Record<string, unknown> = {},
  onElicit?: (message: string) => { action: 'accept' | 'decline'; content?: { confirm: boolean } },
) {
  return connectInMemory(testServer, {
    settings: { defaultClusterId: CLUSTER, listMaxItems: 500, ...settings },
    ...(onElicit ? { onElicit } : {}),
  });
}

const run = (c: Conn, command: string, extra: Record<string, unknown> = {}) =>
  callTool(c.client, 'kubectl', { command, ...extra });
const write = (c: Conn, command: string, extra: Record<string, unknown> = {}) =>
  callTool(c.client, 'kubectl_write', { command, confirm: true, ...extra });

beforeAll(async () => {
  fake = await startFixtureKube();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(async () => {
  conn = await open();
});
afterEach(async () => {
  await conn.close();
});

describe('kubectl get', () => {
  it('prints the API server Table, asking for as=Table, over TLS with the kubeconfig client certificate', async () => {
    const r = await run(conn, 'get pods -n shop');
    expect(r.isError).toBe(false);
    const lines = r.text.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(r.text).toMatch(/web-7d9f-aaaaa\s+1\/1\s+Running\s+0\s+120m/);
    expect(r.text).not.toContain('NODE');
    const req = fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/pods');
    expect(req?.accept).toContain('as=Table;v=v1;g=meta.k8s.io');
    expect(req?.query.limit).toBe('500');
    expect(req?.clientCertificate).toBe('sandbox-user');
    expect(r.structured).toMatchObject({ cluster_id: CLUSTER, truncated: false, command: 'kubectl get pods -n shop' });
  });

  it('wide adds the priority columns, -A the namespace, --show-labels the labels', async () => {
    const r = await run(conn, 'get pods -A -o wide --show-labels -l app=web');
    expect(r.text.split('\n')[0]).toMatch(
      /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s+LABELS$/,
    );
    expect(r.text).toMatch(/shop\s+web-7d9f-ccccc.*node-b.*app=web/);
    expect(r.text).not.toContain('api-6b7c');
    expect(fake.requests.findLast((q) => q.path === '/api/v1/pods')?.query.labelSelector).toBe('app=web');
  });

  it('-o name, json, yaml and jsonpath', async () => {
    const name = await run(conn, 'get deploy -n shop -o name');
    expect(name.text).toBe('deployment.apps/web');
    const json = await run(conn, 'get deployment web -n shop -o json');
    expect(JSON.parse(json.text)).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web' },
    });
    expect((json.structured?.items as unknown[] | undefined)?.length).toBe(1);
    const yaml = await run(conn, 'get pods -n shop -l app=web -o yaml');
    expect(yaml.text).toMatch(/^apiVersion: v1\n/);
    expect(yaml.text).toContain('\nitems:\n');
    expect(yaml.text).toContain('kind: List');
    const jp = await run(
      conn,
      `get pods -n shop -l app=web -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.nodeName}{"\\n"}{end}'`,
    );
    expect(jp.structured?.output).toBe('web-7d9f-aaaaa node-a\nweb-7d9f-bbbbb node-a\nweb-7d9f-ccccc node-b\n');
  });

  it('resolves short names, TYPE/NAME lists and CRDs through discovery', async () => {
    const r = await run(conn, 'get wd -n shop');
    expect(r.text).toMatch(/^NAME\s+AGE\ngizmo\s+120m$/);
    expect(fake.requests.some((q) => q.path === '/apis/example.opsmcp.io/v1/namespaces/shop/widgets')).toBe(true);
    const all = await run(conn, 'get all -n shop');
    expect(all.text).toContain('pod/web-7d9f-aaaaa');
    expect(all.text).toContain('deployment.apps/web');
    const mixed = await run(conn, 'get deploy/web pod/web-7d9f-aaaaa -n shop');
    expect(mixed.text).toContain('deployment.apps/web');
    expect(mixed.text).toContain('pod/web-7d9f-aaaaa');
  });

  it('bounds a list with limit and gives the continue token for the rest', async () => {
    const c = await open({ listMaxItems: 2 });
    try {
      const first = await run(c, 'get pods -n shop');
      expect(first.structured?.truncated).toBe(true);
      const token = first.structured?.continue as string;
      expect(token).toBeTruthy();
      expect(first.text).toContain(`--continue=${token}`);
      expect(String(first.structured?.output).split('\n')).toHaveLength(3);
      const next = await run(c, `get pods -n shop --continue=${token}`);
      expect(fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/pods')?.query.continue).toBe(token);
      expect(first.text).toContain('api-6b7c-ddddd');
      expect(next.text).toContain('logtail-xx1');
      expect(next.text).not.toContain('api-6b7c-ddddd');
    } finally {
      await c.close();
    }
  });

  it('maps API errors: 404 to RESOURCE_NOT_FOUND with the Status message, 403 to PERMISSION_DENIED naming the RBAC verb', async () => {
    const missing = await run(conn, 'get pod nope -n shop');
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('RESOURCE_NOT_FOUND');
    expect(missing.text).toContain('pods "nope" not found');
    const denied = await startFixtureKube({ forbidden: ['list secrets'] });
    const saved = fake;
    fake = denied;
    const c = await open();
    try {
      const r = await run(c, 'get secrets -n shop');
      expect(r.text).toContain('PERMISSION_DENIED');
      expect(r.text).toContain('cannot list resource "secrets"');
    } finally {
      fake = saved;
      await c.close();
      await denied.stop();
    }
  });

  it('answers a write verb with WRITE_DISABLED naming kubectl_write, sending nothing', async () => {
    const before = fake.requests.length;
    const r = await run(conn, 'delete pod web-7d9f-aaaaa -n shop');
    expect(r.text).toContain('WRITE_DISABLED');
    expect(r.text).toContain('kubectl_write');
    expect(fake.requests.length).toBe(before);
  });

  it('stops a command that takes longer than KUBECTL_TIMEOUT with TIMEOUT', async () => {
    const c = await open({ kubectlTimeout: 1 });
    try {
      await run(c, 'get ns');
      fake.setDelay(1500);
      const r = await run(c, 'get pods -n shop');
      expect(r.isError).toBe(true);
      expect(r.text).toContain('TIMEOUT');
    } finally {
      fake.setDelay(0);
      await c.close();
    }
  });

  it('refuses shell syntax before any request', async () => {
    const before = fake.requests.length;
    const r = await run(conn, 'get pods; rm -rf /');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('INVALID_ARGUMENT');
    expect(fake.requests.length).toBe(before);
  });
});

describe('kubectl describe, logs, events, top, discovery', () => {
  it('describe shows the object and its events, oldest first', async () => {
    const r = await run(conn, 'describe pod web-7d9f-aaaaa -n shop');
    expect(r.text).toMatch(/^Name:\s+web-7d9f-aaaaa\nNamespace:\s+shop/);
    expect(r.text).toContain('Controlled By:');
    expect(r.text).toMatch(/Warning\s+BackOff[\s\S]*Normal\s+Scheduled/);
    const ev = fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/events');
    expect(ev?.query.fieldSelector).toContain('involvedObject.name=web-7d9f-aaaaa');
  });

  it('logs asks the API for tailLines and limitBytes; a 20,000-line log returns its tail with a note', async () => {
    const r = await run(conn, 'logs chatty-0 -n shop');
    expect(r.isError).toBe(false);
    const req = fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/pods/chatty-0/log');
    expect(req?.query).toMatchObject({ tailLines: '1000', limitBytes: '262144', container: 'web' });
    const out = r.structured?.output as string;
    expect(out.trimEnd().split('\n')).toHaveLength(1000);
    expect(out.trimEnd().split('\n').at(-1)).toContain(`line ${BIG_LOG_LINES} `);
    expect(r.structured?.truncated).toBe(true);
    expect(((r.structured?.notes ?? []) as string[]).join(' ')).toMatch(/last 1000 lines/);
    const small = await run(conn, 'logs chatty-0 -n shop --tail 5 --limit-bytes 60');
    expect(fake.requests.findLast((q) => q.path.endsWith('/chatty-0/log'))?.query).toMatchObject({
      tailLines: '5',
      limitBytes: '60',
    });
    expect(small.text).toMatch(/cut at 60 bytes/);
  });

  it('logs --previous, -f answers what is there now and says so', async () => {
    const prev = await run(conn, 'logs web-7d9f-aaaaa -n shop -p');
    expect(prev.text).toContain('panic: out of memory');
    const follow = await run(conn, 'logs deploy/web -n shop -f');
    expect(follow.text).toContain('GET / 200');
    expect(follow.text).toContain('following a stream is not supported');
  });

  it('events sorted by time, --for filters by object', async () => {
    const r = await run(conn, 'events -n shop --for pod/web-7d9f-aaaaa');
    const lines = r.text.split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toContain('BackOff');
    expect(lines[2]).toContain('Scheduled');
    expect(fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/events')?.query.fieldSelector).toBe(
      'involvedObject.kind=Pod,involvedObject.name=web-7d9f-aaaaa',
    );
  });

  it('top pods and nodes read metrics.k8s.io', async () => {
    const pods = await run(conn, 'top pods -n shop --sort-by=cpu');
    expect(pods.text).toMatch(
      /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\nweb-7d9f-aaaaa\s+120m\s+256Mi\nweb-7d9f-bbbbb\s+30m\s+64Mi$/,
    );
    const nodes = await run(conn, 'top nodes');
    expect(nodes.text).toMatch(/node-b\s+2000m\s+50%\s+4096Mi\s+25%/);
  });

  it('api-resources, api-versions, version, cluster-info, explain', async () => {
    const res = await run(conn, 'api-resources');
    expect(res.text).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(res.text).toMatch(/widgets\s+wd\s+example.opsmcp.io\/v1\s+true\s+Widget/);
    expect((await run(conn, 'api-versions')).text).toContain('policy/v1');
    expect((await run(conn, 'version')).text).toContain('Server Version: v1.31.1-aliyun.1');
    expect((await run(conn, 'cluster-info')).text).toContain(`Kubernetes control plane is running at ${fake.url}`);
    const ex = await run(conn, 'explain deployment.spec');
    expect(ex.text).toContain('KIND:       Deployment');
    expect(ex.text).toMatch(/replicas\t<integer>/);
    const core = await run(conn, 'explain pod');
    expect(core.text).toContain('OPERATION_NOT_SUPPORTED');
  });
});

describe('Secret masking on every output path', () => {
  const leaks = (text: string) =>
    text.includes(SECRET_VALUE) || text.includes(DOCKER_CONFIG) || text.includes(SECRET_LAST_APPLIED);
  it.each([
    ['table', 'get secrets -n shop'],
    ['describe', 'describe secret db-creds -n shop'],
    ['json', 'get secret db-creds -n shop -o json'],
    ['yaml', 'get secrets -n shop -o yaml'],
    ['jsonpath', "get secret db-creds -n shop -o jsonpath='{.data.password}'"],
    ['dockerconfigjson', 'get secret registry-pull -n shop -o json'],
    ['list of mixed kinds', 'get secrets,deployments -n shop -o json'],
  ])('%s', async (_label, command) => {
    const r = await run(conn, command);
    expect(r.isError).toBe(false);
    expect(leaks(r.text)).toBe(false);
    expect(leaks(JSON.stringify(r.structured))).toBe(false);
  });

  it('masks the result of apply', async () => {
    const writer = await open({ allowWrite: true });
    const manifest =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-token\n  namespace: shop\nstringData:\n  token: hunter2-very-secret\n';
    const r = await write(writer, 'apply -o yaml', { manifest });
    await writer.close();
    expect(r.isError).toBe(false);
    const stored = Buffer.from('hunter2-very-secret').toString('base64');
    expect(fake.object('', 'secrets', 'shop', 'api-token')?.data).toEqual({ token: stored });
    expect(r.text).not.toContain(stored);
    expect(r.text).toContain('[masked]');
    expect(JSON.stringify(r.structured)).not.toContain(stored);
  });

  it('--allow-secret-data reveals', async () => {
    const c = await open({ allowSecretData: true });
    try {
      const r = await run(c, "get secret db-creds -n shop -o jsonpath='{.data.password}'");
      expect(r.text).toBe(SECRET_VALUE);
    } finally {
      await c.close();
    }
  });

  it('never shows the kubeconfig key', async () => {
    const keyLine = SANDBOX_CLIENT_KEY.split('\n')[1] as string;
    const r = await run(conn, 'get pods -n shop -o yaml');
    expect(r.text).not.toContain(keyLine);
  });
});

describe('kubectl_write', () => {
  let writer: Conn;
  let elicited: string[];
  let answer: 'accept' | 'decline';
  beforeEach(async () => {
    elicited = [];
    answer = 'accept';
    writer = await open({ allowWrite: true }, (message) => {
      elicited.push(message);
      return answer === 'accept' ? { action: answer, content: { confirm: true } } : { action: answer };
    });
  });
  afterEach(async () => {
    await writer.close();
  });

  it('apply is a server-side apply with field manager opsmcp, force false', async () => {
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api, namespace: shop}',
      'spec: {replicas: 2, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: "api:1"}]}}}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: api-config}',
      'data: {mode: fast}',
    ].join('\n');
    const r = await callTool(writer.client, 'kubectl_write', { command: 'apply -n shop', manifest });
    expect(r.isError).toBe(false);
    expect(elicited[0]).toContain('deployment.apps/api in namespace shop');
    expect(elicited[0]).toContain('configmap/api-config in namespace shop');
    expect(r.text).toContain('deployment.apps/api serverside-applied');
    const req = fake.requests.findLast((q) => q.path === '/apis/apps/v1/namespaces/shop/deployments/api');
    expect(req).toMatchObject({
      method: 'PATCH',
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'opsmcp', force: 'false' },
    });
    expect(fake.object('apps', 'deployments', 'shop', 'api')?.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'opsmcp',
      operation: 'Apply',
    });
    expect(fake.object('', 'configmaps', 'shop', 'api-config')?.data).toEqual({ mode: 'fast' });
  });

  it('does not echo a patch aimed at a Secret', async () => {
    const patchValue = Buffer.from('new-password-value').toString('base64');
    const r = await callTool(writer.client, 'kubectl_write', {
      command: `patch secret db-creds -n shop --type=merge -p '{"data":{"password":"${patchValue}"}}'`,
    });
    expect(r.isError).toBe(false);
    expect(elicited.at(-1)).toContain('[patch hidden: Secret data]');
    expect(elicited.at(-1)).not.toContain(patchValue);
    expect(r.text).not.toContain(patchValue);
    expect(r.structured?.command).toContain('[patch hidden]');
    expect(fake.object('', 'secrets', 'shop', 'db-creds')?.data).toEqual({ password: patchValue });
  });

  it('declined confirmation changes nothing', async () => {
    answer = 'decline';
    const before = fake.requests.filter((q) => q.method !== 'GET').length;
    const r = await callTool(writer.client, 'kubectl_write', { command: 'scale deploy/web -n shop --replicas=1' });
    expect(r.text).toContain('CONFIRMATION_FAILED');
    expect(fake.requests.filter((q) => q.method !== 'GET').length).toBe(before);
    expect(fake.object('apps', 'deployments', 'shop', 'web')?.spec).toMatchObject({ replicas: 3 });
  });

  it('scale patches the scale subresource; rollout restart sets restartedAt; cordon marks the node', async () => {
    const s = await callTool(writer.client, 'kubectl_write', { command: 'scale deployment web -n shop --replicas=4' });
    expect(s.text).toContain('deployment.apps/web scaled');
    expect(elicited[0]).toContain('Scale to 4 replicas');
    expect(fake.requests.findLast((q) => q.path.endsWith('/deployments/web/scale'))).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
    });
    expect(fake.object('apps', 'deployments', 'shop', 'web')?.spec).toMatchObject({ replicas: 4 });
    const rr = await callTool(writer.client, 'kubectl_write', { command: 'rollout restart deploy/web -n shop' });
    expect(rr.text).toContain('deployment.apps/web restarted');
    expect(fake.object('apps', 'deployments', 'shop', 'web')?.spec).toMatchObject({
      template: {
        metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
      },
    });
    const st = await run(writer, 'rollout status deployment/web -n shop');
    expect(st.text).toContain('Waiting for deployment spec update to be observed');
    const c = await callTool(writer.client, 'kubectl_write', { command: 'cordon node-a' });
    expect(c.text).toContain('node/node-a cordoned');
    expect(fake.object('', 'nodes', undefined, 'node-a')?.spec).toMatchObject({ unschedulable: true });
    await callTool(writer.client, 'kubectl_write', { command: 'uncordon node-a' });
    expect(fake.object('', 'nodes', undefined, 'node-a')?.spec).not.toHaveProperty('unschedulable');
  });

  it('rollout history lists the revisions; rollout undo puts back the previous template', async () => {
    const h = await run(writer, 'rollout history deployment/web -n shop');
    expect(h.text).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const u = await callTool(writer.client, 'kubectl_write', { command: 'rollout undo deployment/web -n shop' });
    expect(u.text).toContain('rolled back (to the template of revision 1)');
    expect(elicited.at(-1)).toContain('Roll back to the previous revision');
    const req = fake.requests.findLast(
      (q) => q.method === 'PATCH' && q.path === '/apis/apps/v1/namespaces/shop/deployments/web',
    );
    expect(req?.contentType).toBe('application/json-patch+json');
    const tpl = (fake.object('apps', 'deployments', 'shop', 'web')?.spec as Record<string, unknown> | undefined)
      ?.template;
    expect(tpl).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    });
  });

  it('label and patch', async () => {
    const l = await callTool(writer.client, 'kubectl_write', {
      command: 'label pod web-7d9f-bbbbb -n shop tier=frontend',
    });
    expect(l.text).toContain('pod/web-7d9f-bbbbb labeled');
    expect(fake.object('', 'pods', 'shop', 'web-7d9f-bbbbb')?.metadata?.labels).toMatchObject({
      tier: 'frontend',
      app: 'web',
    });
    const again = await callTool(writer.client, 'kubectl_write', {
      command: 'label pod web-7d9f-bbbbb -n shop tier=backend',
    });
    expect(again.text).toContain('--overwrite is false');
    const p = await callTool(writer.client, 'kubectl_write', {
      command: `patch wd gizmo -n shop --type=json -p '[{"op":"replace","path":"/spec/size","value":5}]'`,
    });
    expect(p.text).toContain('widget.example.opsmcp.io/gizmo patched');
    expect(fake.object('example.opsmcp.io', 'widgets', 'shop', 'gizmo')?.spec).toEqual({ size: 5 });
  });

  it('delete names each object in the confirmation; declined deletes nothing, accepted deletes', async () => {
    answer = 'decline';
    const declined = await callTool(writer.client, 'kubectl_write', {
      command: 'delete configmap,widget -n shop -l nothing-matches',
    });
    expect(declined.text).toContain('RESOURCE_NOT_FOUND');
    fake.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scratch', namespace: 'shop' }, data: {} });
    const d1 = await callTool(writer.client, 'kubectl_write', { command: 'delete cm scratch -n shop' });
    expect(d1.text).toContain('CONFIRMATION_FAILED');
    expect(elicited.at(-1)).toContain('Delete in cluster');
    expect(elicited.at(-1)).toContain('configmap/scratch in namespace shop');
    expect(elicited.at(-1)).toMatch(/Destructive/);
    expect(fake.object('', 'configmaps', 'shop', 'scratch')).toBeDefined();
    answer = 'accept';
    const d2 = await callTool(writer.client, 'kubectl_write', { command: 'delete cm scratch -n shop' });
    expect(d2.text).toContain('configmap "scratch" deleted from shop namespace');
    expect(fake.object('', 'configmaps', 'shop', 'scratch')).toBeUndefined();
  });

  it('without elicitation: CONFIRMATION_REQUIRED with the plan, then confirm: true runs it', async () => {
    const c = await open({ allowWrite: true });
    try {
      fake.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scratch2', namespace: 'shop' }, data: {} });
      const first = await callTool(c.client, 'kubectl_write', { command: 'delete cm scratch2 -n shop' });
      expect(first.text).toContain('CONFIRMATION_REQUIRED');
      expect(first.text).toContain('configmap/scratch2 in namespace shop');
      expect(fake.object('', 'configmaps', 'shop', 'scratch2')).toBeDefined();
      const second = await callTool(c.client, 'kubectl_write', {
        command: 'delete cm scratch2 -n shop',
        confirm: true,
      });
      expect(second.isError).toBe(false);
      expect(fake.object('', 'configmaps', 'shop', 'scratch2')).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  it('drain cordons, evicts through the Eviction API and skips DaemonSet pods', async () => {
    const r = await callTool(writer.client, 'kubectl_write', {
      command: 'drain node-c --ignore-daemonsets --timeout=20s',
    });
    expect(r.isError).toBe(false);
    expect(elicited.at(-1)).toContain('pod shop/api-6b7c-ddddd');
    expect(elicited.at(-1)).toContain('Not evicted: shop/logtail-xx1 (DaemonSet logtail)');
    expect(r.text).toContain('node/node-c cordoned');
    expect(r.text).toContain('evicted pod shop/api-6b7c-ddddd');
    expect(r.text).toContain('node/node-c drained');
    const ev = fake.requests.findLast((q) => q.path === '/api/v1/namespaces/shop/pods/chatty-0/eviction');
    expect(JSON.parse(ev?.body ?? '{}')).toMatchObject({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'chatty-0', namespace: 'shop' },
    });
    expect(fake.object('', 'pods', 'shop', 'logtail-xx1')).toBeDefined();
    expect(fake.object('', 'pods', 'shop', 'api-6b7c-ddddd')).toBeUndefined();
  });

  it('drain blocked by a PodDisruptionBudget stops at its timeout and says what blocks and what was done', async () => {
    const r = await callTool(writer.client, 'kubectl_write', {
      command: 'drain node-b --ignore-daemonsets --timeout=1s',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('TIMEOUT');
    expect(r.text).toContain('The disruption budget web-pdb needs 3 healthy pods and has 3 currently');
    expect(r.text).toContain('PodDisruptionBudget shop/web-pdb: 3 healthy pods, 3 needed, 0 disruptions allowed');
    expect(r.text).toContain('node/node-b cordoned');
    expect(r.text).toContain('The node stays cordoned');
    expect(fake.object('', 'pods', 'shop', 'web-7d9f-ccccc')).toBeDefined();
    expect(fake.object('', 'nodes', undefined, 'node-b')?.spec).toMatchObject({ unschedulable: true });
  });

  it('drain refuses DaemonSet pods without --ignore-daemonsets and changes nothing', async () => {
    const r = await callTool(writer.client, 'kubectl_write', { command: 'drain node-b', confirm: true });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('--ignore-daemonsets');
  });
});
