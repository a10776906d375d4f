/** kubectl without a kubectl binary: the client factory for `ctx.clients.kube()` and the verb dispatcher. */
import type { CacheFn } from '@opsmcp/core';
import { OpsError } from '@opsmcp/core';
import { type KubeAccessInit, kubeConnection } from './access.js';
import type { KubectlCommand } from './command.js';
import { type Discovery, discover } from './discovery.js';
import * as read from './read.js';
import { KubeApi, type KubeConnection } from './rest.js';
import type { ExecContext, KubectlResult, Verb } from './types.js';
import * as write from './write.js';

export type { ClusterKubeconfigSource, KubeAccessInit, KubeAccessSettings } from './access.js';
export { type KubectlCommand, parseCommand } from './command.js';
export { maskSecrets } from './mask.js';
export { KubeApi, type KubeConnection } from './rest.js';
export type { ExecContext, KubectlResult, KubeObject } from './types.js';

/** One cluster, for one call: its REST API and cached discovery. */
export interface KubeClient {
  clusterId: string;
  api: KubeApi;
  connection: KubeConnection;
  discovery(): Promise<Discovery>;
}

export interface KubeClientInit extends KubeAccessInit {
  signal: AbortSignal;
  /** Seconds one API request may take (KUBECTL_TIMEOUT). */
  timeoutSeconds: number;
  maxRetries: number;
}

const DISCOVERY_TTL_MS = 10 * 60_000;

/** Builds `kube(clusterId?)`: the connection from the runtime cache (per identity), discovery cached per cluster. */
export function createKubeClientFactory(init: KubeClientInit): (clusterId?: string) => Promise<KubeClient> {
  return async (clusterId) => {
    const connection = await kubeConnection(init, clusterId);
    const api = new KubeApi(connection, {
      signal: init.signal,
      timeoutMs: init.timeoutSeconds * 1000,
      maxRetries: init.maxRetries,
    });
    const cache: CacheFn = init.cache;
    return {
      clusterId: connection.clusterId,
      api,
      connection,
      discovery: () =>
        cache(
          ['kube-discovery', init.settings.kubeconfigMode, connection.clusterId, connection.server.href],
          () => discover(api),
          {
            ttlMs: DISCOVERY_TTL_MS,
          },
        ),
    };
  };
}

const VERBS: Record<string, Verb> = {
  get: read.get,
  describe: read.describe,
  logs: read.logs,
  events: read.events,
  top: read.top,
  'api-resources': read.apiResources,
  'api-versions': read.apiVersions,
  version: read.version,
  'cluster-info': read.clusterInfo,
  explain: read.explain,
  'rollout status': read.rolloutStatus,
  'rollout history': read.rolloutHistory,
  'rollout restart': write.rolloutRestart,
  'rollout undo': write.rolloutUndo,
  apply: write.apply,
  create: write.create,
  scale: write.scale,
  label: write.label,
  annotate: write.annotate,
  patch: write.patch,
  cordon: write.cordon,
  uncordon: write.uncordon,
  delete: write.deleteVerb,
  drain: write.drain,
};

/** Runs a parsed command against a cluster. */
export async function executeCommand(cmd: KubectlCommand, ctx: ExecContext, manifest?: string): Promise<KubectlResult> {
  const key = cmd.verb === 'rollout' ? `rollout ${cmd.sub}` : cmd.verb;
  const verb = VERBS[key];
  if (!verb) throw new OpsError('OPERATION_NOT_SUPPORTED', `kubectl ${key} is not implemented.`);
  if (manifest !== undefined && cmd.verb !== 'apply' && cmd.verb !== 'create') {
    throw new OpsError('INVALID_ARGUMENT', `The manifest argument is only for apply and create, not ${key}.`);
  }
  return verb(cmd, ctx, manifest);
}

export { planChange } from './plan.js';
