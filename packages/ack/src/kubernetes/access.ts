/**
 * Where kubectl's credentials come from, per KUBECONFIG_MODE. ACK temporary kubeconfigs are
 * held in memory only (never written to disk) and renewed shortly before they expire; each
 * credential identity has its own, because the runtime cache is keyed by identity.
 */
import { readFile } from 'node:fs/promises';
import type { Agent as HttpAgent } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { type CacheFn, OpsError } from '@opsmcp/core';
import type { KubeconfigMode } from '../settings.js';
import type { KubeConnection } from './rest.js';

/** The two CS calls kubectl needs, as the CS client provides them. */
export interface ClusterKubeconfigSource {
  describeClusterDetail(clusterId: string): Promise<{ master_url?: string; region_id?: string; [k: string]: unknown }>;
  describeClusterUserKubeconfig(
    clusterId: string,
    options: { privateIpAddress: boolean; temporaryDurationMinutes: number },
  ): Promise<{ config?: string; expiration?: string }>;
}

export interface KubeAccessSettings {
  kubeconfigMode: KubeconfigMode;
  kubeconfigPath: string;
  kubeconfigTtlMinutes: number;
  defaultClusterId?: string | undefined;
}

export interface KubeAccessInit {
  settings: KubeAccessSettings;
  cache: CacheFn;
  /** The CS client (ACK modes only). */
  cs: () => ClusterKubeconfigSource | Promise<ClusterKubeconfigSource>;
  /** Where the service-account files are (INCLUSTER); tests point it elsewhere. */
  serviceAccountDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** Renew a temporary kubeconfig this long before it expires. */
export const KUBECONFIG_RENEW_BEFORE_MS = 5 * 60_000;
const LOCAL_TTL_MS = 60_000;
const INCLUSTER_TTL_MS = 10 * 60_000;
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const CLUSTER_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,252}$/;

type ClientNode = typeof import('@kubernetes/client-node');
let clientNode: Promise<ClientNode> | undefined;
/** @kubernetes/client-node is ESM and heavy: loaded on the first kubectl call only. */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}

/** The cluster a call is about: its argument, else DEFAULT_CLUSTER_ID (not needed in INCLUSTER). */
export function resolveClusterId(settings: KubeAccessSettings, clusterId: string | undefined): string {
  const id = clusterId?.trim() || settings.defaultClusterId?.trim();
  if (!id) {
    if (settings.kubeconfigMode === 'INCLUSTER') return 'in-cluster';
    if (settings.kubeconfigMode === 'LOCAL') return '';
    throw new OpsError('INVALID_ARGUMENT', 'No cluster given: pass cluster_id or set DEFAULT_CLUSTER_ID.', {
      hint: 'list_clusters shows the cluster ids.',
    });
  }
  if (!CLUSTER_ID_RE.test(id)) throw new OpsError('INVALID_ARGUMENT', `"${id}" is not a cluster id or context name.`);
  return id;
}

interface Endpoints {
  api_server_endpoint?: string;
  intranet_api_server_endpoint?: string;
}

function parseMasterUrl(text: unknown): Endpoints {
  if (typeof text !== 'string' || !text.trim()) return {};
  try {
    const parsed = JSON.parse(text) as Endpoints;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** Builds a connection from kubeconfig text; the context defaults to current-context. */
export async function connectionFromKubeconfig(
  text: string,
  clusterId: string,
  options: { context?: string; expiresAt?: Date; source: string },
): Promise<KubeConnection> {
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (error) {
    throw new OpsError('INVALID_ARGUMENT', `The ${options.source} could not be parsed: ${(error as Error).message}`);
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      throw new OpsError('RESOURCE_NOT_FOUND', `The ${options.source} has no context "${options.context}".`, {
        hint: `Contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }. cluster_id names a context in LOCAL mode.`,
      });
    }
    kc.setCurrentContext(options.context);
  }
  return connectionFromConfig(kc, clusterId, options);
}

async function connectionFromConfig(
  kc: InstanceType<ClientNode['KubeConfig']>,
  clusterId: string,
  options: { expiresAt?: Date; source: string },
): Promise<KubeConnection> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new OpsError('INVALID_ARGUMENT', `The ${options.source} names no cluster server.`);
  const user = kc.getCurrentUser();
  const secrets = [user?.certData, user?.keyData, user?.token, user?.password].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  // Decoded PEM too: an error quoting the certificate text must not leak it either.
  for (const data of [user?.certData, user?.keyData]) {
    if (data) {
      const pem = Buffer.from(data, 'base64').toString('utf8');
      for (const line of pem.split('\n')) if (line.length >= 40 && !line.startsWith('-----')) secrets.push(line.trim());
    }
  }
  const tls: https.RequestOptions = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(tls);
  } catch (error) {
    throw new OpsError('INVALID_CREDENTIALS', `The ${options.source} could not be used: ${(error as Error).message}`);
  }
  const staticAuth = !user?.token && !user?.authProvider && !user?.exec && !user?.username && !user?.impersonateUser;
  const server = new URL(cluster.server);
  const agentOptions: https.AgentOptions = {
    keepAlive: true,
    maxSockets: 16,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    servername: tls.servername,
  };
  if (tls.rejectUnauthorized !== undefined) agentOptions.rejectUnauthorized = tls.rejectUnauthorized;
  const agent: HttpAgent =
    server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent(agentOptions);
  const connection: KubeConnection = {
    clusterId,
    server,
    agent,
    secrets,
    async headers() {
      // Client certificates alone (ACK's kubeconfigs) need no header: skip the per-request work.
      if (staticAuth) return {};
      // Token providers (service-account files, exec plugins) may rotate: ask every time.
      const opts: https.RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(opts);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
      if (typeof opts.auth === 'string' && opts.auth !== 'undefined:undefined') {
        headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      }
      const token = headers.Authorization?.replace(/^(Bearer|Basic) /, '');
      if (token && !secrets.includes(token)) secrets.push(token);
      return headers;
    },
    close: () => agent.destroy(),
  };
  if (options.expiresAt) connection.expiresAt = options.expiresAt;
  return connection;
}

/** Expands a leading `~` to the home directory. */
export function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return p;
}

async function fetchAckKubeconfig(
  init: KubeAccessInit,
  clusterId: string,
  privateNetwork: boolean,
): Promise<KubeConnection> {
  const cs = await init.cs();
  const detail = await cs.describeClusterDetail(clusterId);
  const endpoints = parseMasterUrl(detail.master_url);
  const endpoint = privateNetwork ? endpoints.intranet_api_server_endpoint : endpoints.api_server_endpoint;
  if (!endpoint) {
    throw new OpsError(
      'OPERATION_NOT_SUPPORTED',
      privateNetwork
        ? `Cluster ${clusterId} has no private (intranet) API server endpoint, so KUBECONFIG_MODE=ACK_PRIVATE cannot reach it.`
        : `Cluster ${clusterId} has no public API server endpoint, so KUBECONFIG_MODE=ACK_PUBLIC cannot reach it.`,
      {
        hint: privateNetwork
          ? 'Use ACK_PUBLIC if the cluster exposes a public endpoint.'
          : 'Bind an EIP to the API server in the ACK console, or run this server inside the VPC with KUBECONFIG_MODE=ACK_PRIVATE.',
      },
    );
  }
  const answer = await cs.describeClusterUserKubeconfig(clusterId, {
    privateIpAddress: privateNetwork,
    // Always set: without it ACK issues a credential that lives for years.
    temporaryDurationMinutes: init.settings.kubeconfigTtlMinutes,
  });
  if (!answer.config) {
    throw new OpsError(
      'UPSTREAM_ERROR',
      `DescribeClusterUserKubeconfig returned no kubeconfig for cluster ${clusterId}.`,
    );
  }
  const parsedExpiry = answer.expiration ? new Date(answer.expiration) : undefined;
  const expiresAt =
    parsedExpiry && !Number.isNaN(parsedExpiry.getTime())
      ? parsedExpiry
      : new Date(Date.now() + init.settings.kubeconfigTtlMinutes * 60_000);
  return connectionFromKubeconfig(answer.config, clusterId, {
    expiresAt,
    source: `kubeconfig of cluster ${clusterId}`,
  });
}

/** Time to keep a temporary kubeconfig: until shortly before it expires (at least 10 s). */
export function kubeconfigTtlMs(connection: KubeConnection, now = Date.now()): number {
  if (!connection.expiresAt) return LOCAL_TTL_MS;
  return Math.max(10_000, connection.expiresAt.getTime() - now - KUBECONFIG_RENEW_BEFORE_MS);
}

async function inClusterConnection(init: KubeAccessInit): Promise<KubeConnection> {
  const env = init.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new OpsError(
      'PROVIDER_NOT_AVAILABLE',
      'KUBECONFIG_MODE=INCLUSTER but KUBERNETES_SERVICE_HOST/PORT are not set: the server is not running in a pod.',
      { hint: 'Use ACK_PUBLIC, ACK_PRIVATE or LOCAL outside a cluster.' },
    );
  }
  const dir = init.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const caFile = path.join(dir, 'ca.crt');
  const tokenFile = path.join(dir, 'token');
  try {
    await readFile(tokenFile);
  } catch {
    throw new OpsError(
      'PROVIDER_NOT_AVAILABLE',
      `KUBECONFIG_MODE=INCLUSTER but the service-account token ${tokenFile} cannot be read.`,
      {
        hint: 'Mount the service-account token (automountServiceAccountToken) or use another KUBECONFIG_MODE.',
      },
    );
  }
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  const hostPart = host.includes(':') ? `[${host}]` : host;
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server: `https://${hostPart}:${port}`, caFile, skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
    currentContext: 'in-cluster',
  });
  return connectionFromConfig(kc, 'in-cluster', { source: 'service account' });
}

/**
 * Returns the connection for a cluster (ACK modes), a context (LOCAL) or the pod's own cluster
 * (INCLUSTER), from the runtime cache when it is still fresh.
 */
export async function kubeConnection(init: KubeAccessInit, clusterIdArg: string | undefined): Promise<KubeConnection> {
  const { settings } = init;
  const mode = settings.kubeconfigMode;
  const clusterId = resolveClusterId(settings, clusterIdArg);
  const close = (c: KubeConnection) => c.close();
  switch (mode) {
    case 'ACK_PUBLIC':
    case 'ACK_PRIVATE':
      return init.cache(
        ['kubeconfig', mode, clusterId],
        () => fetchAckKubeconfig(init, clusterId, mode === 'ACK_PRIVATE'),
        {
          ttlMs: (c) => kubeconfigTtlMs(c),
          close,
        },
      );
    case 'INCLUSTER':
      return init.cache(['kubeconfig', mode], () => inClusterConnection(init), { ttlMs: INCLUSTER_TTL_MS, close });
    case 'LOCAL': {
      const file = expandHome(settings.kubeconfigPath);
      return init.cache(
        ['kubeconfig', mode, file, clusterId],
        async () => {
          let text: string;
          try {
            text = await readFile(file, 'utf8');
          } catch (error) {
            throw new OpsError(
              'CREDENTIALS_MISSING',
              `KUBECONFIG_MODE=LOCAL but ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
              {
                hint: 'Set KUBECONFIG_PATH to a readable kubeconfig file.',
              },
            );
          }
          const options: { context?: string; source: string } = { source: `kubeconfig ${file}` };
          if (clusterId) options.context = clusterId;
          const connection = await connectionFromKubeconfig(text, clusterId || 'current-context', options);
          return connection;
        },
        { ttlMs: LOCAL_TTL_MS, close },
      );
    }
  }
}
