/**
 * Where kubectl's credentials come from: ACK temporary kubeconfigs (through the real server,
 * the signed CS fake and the TLS Kubernetes fake), their cache per identity and expiry, the
 * private endpoint, LOCAL contexts, INCLUSTER service accounts, and that nothing reaches disk.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CacheFn, createLogger, OpsError, RuntimeCache } from '@opsmcp/core';
import { callTool, connectInMemory, startHttp } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ClusterKubeconfigSource, kubeConnection, kubeconfigTtlMs } from '../src/kubernetes/access.js';
import { KubeApi } from '../src/kubernetes/rest.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import type { FakeKube } from '../src/sandbox/kube-fake.js';
import { SANDBOX_CA_CERT, SANDBOX_STRANGER_CERT, SANDBOX_STRANGER_KEY } from '../src/sandbox/kube-sandbox-certs.js';
import { ackServer } from '../src/server.js';
import { PROD_CLUSTER_ID, STAGING_CLUSTER_ID, settingsFor, startFake, TEST_KEY } from './helpers.js';
import { startFixtureKube } from './kube-fixtures.js';

const SECOND_KEY = { accessKeyId: 'LTAI5tTESTACKSERVER0002', accessKeySecret: 'TestSecretForTheFakeCsApi0000000002' };
const TOKEN = 'kube-token-for-the-tests-0123456789';

let kube: FakeKube;
let cs: CsFake;

beforeAll(async () => {
  kube = await startFixtureKube({ tokens: [TOKEN] });
  cs = await startFake({
    keys: [TEST_KEY, SECOND_KEY],
    kubeconfigFor: () => ({
      server: kube.url,
      token: TOKEN,
      certificateAuthorityData: Buffer.from(SANDBOX_CA_CERT).toString('base64'),
    }),
  });
});
afterAll(async () => {
  await cs.stop();
  await kube.stop();
});

const kubeconfigCalls = () => cs.requests.filter((r) => r.action === 'DescribeClusterUserKubeconfig');

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      out.push(`${p}:${statSync(p).size}`);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('ACK_PUBLIC through the server and the CS API', () => {
  it('fetches a temporary kubeconfig (TemporaryDurationMinutes always set), keeps it in memory only, and reuses it', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ack-home-'));
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'ack-tmp-'));
    const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
    process.env.HOME = home;
    process.env.TMPDIR = tmp;
    const before = [...listTree(home), ...listTree(tmp)];
    cs.clearRequests();
    const conn = await connectInMemory(ackServer, {
      settings: { ...settingsFor(cs), kubeconfigMode: 'ACK_PUBLIC', kubeconfigTtlMinutes: 30 },
    });
    try {
      const first = await callTool(conn.client, 'kubectl', {
        command: 'get deploy -n shop',
        cluster_id: PROD_CLUSTER_ID,
      });
      expect(first.isError).toBe(false);
      expect(first.text).toMatch(/web\s+3\/3/);
      const second = await callTool(conn.client, 'kubectl', {
        command: 'get pods -n shop',
        cluster_id: PROD_CLUSTER_ID,
      });
      expect(second.isError).toBe(false);
      const calls = kubeconfigCalls();
      expect(calls).toHaveLength(1);
      expect(calls[0]?.query).toMatchObject({ TemporaryDurationMinutes: '30', PrivateIpAddress: 'false' });
      expect(calls[0]?.path).toBe(`/k8s/${PROD_CLUSTER_ID}/user_config`);
      expect(first.text).not.toContain(TOKEN);
    } finally {
      await conn.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect([...listTree(home), ...listTree(tmp)]).toEqual(before);
    rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses a cluster without a public endpoint, and asks for cluster_id when none is set', async () => {
    const conn = await connectInMemory(ackServer, { settings: { ...settingsFor(cs), kubeconfigMode: 'ACK_PUBLIC' } });
    try {
      const r = await callTool(conn.client, 'kubectl', { command: 'get pods', cluster_id: STAGING_CLUSTER_ID });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('has no public API server endpoint');
      const none = await callTool(conn.client, 'kubectl', { command: 'get pods' });
      expect(none.text).toContain('INVALID_ARGUMENT');
      expect(none.text).toContain('pass cluster_id or set DEFAULT_CLUSTER_ID');
    } finally {
      await conn.close();
    }
  });

  it('ACK_PRIVATE asks for the private address', async () => {
    cs.clearRequests();
    const conn = await connectInMemory(ackServer, {
      settings: { ...settingsFor(cs), kubeconfigMode: 'ACK_PRIVATE', defaultClusterId: STAGING_CLUSTER_ID },
    });
    try {
      const r = await callTool(conn.client, 'kubectl', { command: 'get ns' });
      expect(r.isError).toBe(false);
      expect(kubeconfigCalls()[0]?.query).toMatchObject({ PrivateIpAddress: 'true', TemporaryDurationMinutes: '60' });
    } finally {
      await conn.close();
    }
  });

  it('keeps one kubeconfig per credential identity (header credentials)', async () => {
    cs.clearRequests();
    const server = await startHttp(ackServer, {
      settings: { ...settingsFor(cs), credentialSource: 'headers', kubeconfigMode: 'ACK_PUBLIC' },
    });
    const headersFor = (k: typeof TEST_KEY) => ({
      'X-Aliyun-Access-Key-Id': k.accessKeyId,
      'X-Aliyun-Access-Key-Secret': k.accessKeySecret,
    });
    try {
      const a = await server.connect({ headers: headersFor(TEST_KEY) });
      const b = await server.connect({ headers: headersFor(SECOND_KEY) });
      for (const client of [a, a, b, b]) {
        const r = await callTool(client, 'kubectl', { command: 'get nodes', cluster_id: PROD_CLUSTER_ID });
        expect(r.isError).toBe(false);
      }
      const calls = kubeconfigCalls();
      expect(calls).toHaveLength(2);
      expect(calls.map((c) => String(c.headers.authorization).match(/Credential=([^,]+)/)?.[1]).sort()).toEqual(
        [TEST_KEY.accessKeyId, SECOND_KEY.accessKeyId].sort(),
      );
    } finally {
      await server.close();
    }
  });
});

describe('kubeconfig expiry and the cache', () => {
  function source(
    kubeconfig: () => string,
    expiration: () => string | undefined,
  ): ClusterKubeconfigSource & { fetched: number } {
    const s = {
      fetched: 0,
      async describeClusterDetail() {
        return { master_url: JSON.stringify({ api_server_endpoint: 'https://x:6443' }) };
      },
      async describeClusterUserKubeconfig() {
        s.fetched++;
        const e = expiration();
        return e ? { config: kubeconfig(), expiration: e } : { config: kubeconfig() };
      },
    };
    return s;
  }
  const settings = {
    kubeconfigMode: 'ACK_PUBLIC' as const,
    kubeconfigPath: '~/.kube/config',
    kubeconfigTtlMinutes: 60,
  };

  it('renews five minutes before expiry', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    const conn = { expiresAt: new Date(now + 60 * 60_000) } as Parameters<typeof kubeconfigTtlMs>[0];
    expect(kubeconfigTtlMs(conn, now)).toBe(55 * 60_000);
    const soon = { expiresAt: new Date(now + 6 * 60_000) } as Parameters<typeof kubeconfigTtlMs>[0];
    expect(kubeconfigTtlMs(soon, now)).toBe(60_000);
  });

  it('fetches again once the cached kubeconfig is within five minutes of its expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-04T12:00:00Z'));
    const cache = new RuntimeCache(createLogger({ level: 'error', json: true }));
    try {
      const cacheFn: CacheFn = (key, create, options) => cache.get(JSON.stringify(['id', key]), create, options);
      const src = source(
        () => kube.kubeconfig(),
        () => new Date(Date.now() + 60 * 60_000).toISOString(),
      );
      const init = { settings, cache: cacheFn, cs: () => src };
      await kubeConnection(init, 'c1');
      vi.setSystemTime(Date.parse('2026-12-04T12:54:00Z'));
      await kubeConnection(init, 'c1');
      expect(src.fetched).toBe(1);
      vi.setSystemTime(Date.parse('2026-12-04T12:55:01Z'));
      await kubeConnection(init, 'c1');
      expect(src.fetched).toBe(2);
    } finally {
      vi.useRealTimers();
      await cache.close();
    }
  });
});

describe('TLS and other modes', () => {
  it('the fake refuses a client certificate its CA did not sign (INVALID_CREDENTIALS)', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const stranger = kube
      .kubeconfig()
      .replace(/client-certificate-data: .*/, `client-certificate-data: ${b64(SANDBOX_STRANGER_CERT)}`)
      .replace(/client-key-data: .*/, `client-key-data: ${b64(SANDBOX_STRANGER_KEY)}`);
    const cache = new RuntimeCache(createLogger({ level: 'error', json: true }));
    const connection = await kubeConnection(
      {
        settings: { kubeconfigMode: 'ACK_PUBLIC', kubeconfigPath: '', kubeconfigTtlMinutes: 60 },
        cache: (key, create, options) => cache.get(JSON.stringify(key), create, options),
        cs: () => ({
          describeClusterDetail: async () => ({ master_url: JSON.stringify({ api_server_endpoint: kube.url }) }),
          describeClusterUserKubeconfig: async () => ({ config: stranger }),
        }),
      },
      'c1',
    );
    const api = new KubeApi(connection, { signal: new AbortController().signal, timeoutMs: 5000, maxRetries: 0 });
    const error = await api.json({ method: 'GET', path: '/api' }, 'discovery').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).code).toBe('INVALID_CREDENTIALS');
    expect((error as OpsError).message).not.toContain(SANDBOX_STRANGER_KEY.split('\n')[1] as string);
    expect(kube.requests.at(-1)?.clientCertificate).toBe('stranger');
    await cache.close();
  });

  it('LOCAL reads the file (with ~), cluster_id names a context, the current one by default', async () => {
    const dir = mkdtempSync(path.join(os.homedir(), '.ack-kubectl-test-'));
    const file = path.join(dir, 'config');
    const text = kube.kubeconfig('first').replace('current-context: first', 'current-context: first');
    const twoContexts = text.replace(
      'contexts:\n',
      'contexts:\n- context:\n    cluster: kubernetes\n    user: sandbox-user\n  name: second\n',
    );
    writeFileSync(file, twoContexts);
    const relative = `~/${path.relative(os.homedir(), file)}`;
    const conn = await connectInMemory(ackServer, { settings: { kubeconfigMode: 'LOCAL', kubeconfigPath: relative } });
    try {
      const current = await callTool(conn.client, 'kubectl', { command: 'get ns' });
      expect(current.isError).toBe(false);
      expect(current.structured?.cluster_id).toBe('current-context');
      const named = await callTool(conn.client, 'kubectl', { command: 'get ns', cluster_id: 'second' });
      expect(named.structured?.cluster_id).toBe('second');
      const missing = await callTool(conn.client, 'kubectl', { command: 'get ns', cluster_id: 'third' });
      expect(missing.text).toContain('has no context "third"');
    } finally {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('INCLUSTER uses the service-account token and CA', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sa-'));
    writeFileSync(path.join(dir, 'token'), TOKEN);
    writeFileSync(path.join(dir, 'ca.crt'), SANDBOX_CA_CERT);
    const cache = new RuntimeCache(createLogger({ level: 'error', json: true }));
    try {
      const connection = await kubeConnection(
        {
          settings: { kubeconfigMode: 'INCLUSTER', kubeconfigPath: '', kubeconfigTtlMinutes: 60 },
          cache: (key, create, options) => cache.get(JSON.stringify(key), create, options),
          cs: () => {
            throw new Error('no CS in-cluster');
          },
          serviceAccountDir: dir,
          env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(kube.port) },
        },
        undefined,
      );
      const api = new KubeApi(connection, { signal: new AbortController().signal, timeoutMs: 5000, maxRetries: 0 });
      const version = await api.json<{ gitVersion: string }>({ method: 'GET', path: '/version' }, 'version');
      expect(version.gitVersion).toMatch(/^v1\./);
      expect(connection.secrets).toContain(TOKEN);
      const missing = await kubeConnection(
        {
          settings: { kubeconfigMode: 'INCLUSTER', kubeconfigPath: '', kubeconfigTtlMinutes: 60 },
          cache: (key, create, options) => cache.get(`other${JSON.stringify(key)}`, create, options),
          cs: () => {
            throw new Error('no CS in-cluster');
          },
          env: {},
        },
        undefined,
      ).catch((e: unknown) => e);
      expect((missing as OpsError).code).toBe('PROVIDER_NOT_AVAILABLE');
    } finally {
      await cache.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
