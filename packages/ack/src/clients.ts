import type { ContextInit } from '@opsmcp/core';
import type { CsApi } from './cs/client.js';
import { type AckSettings, openCsApi } from './cs/open.js';
import type { KubeClient } from './kubernetes/index.js';
import type { ObservabilityClients } from './observability/clients.js';

/** What an ACK tool handler gets in `ctx.clients`: one lazy factory per backend. */
export interface AckClients {
  /** The CS (cluster management) API, in the request's region, else `region` (a cluster's own), else the configured one. */
  cs(region?: string): Promise<CsApi>;
  /** A Kubernetes API client for a cluster (default DEFAULT_CLUSTER_ID), credentials per KUBECONFIG_MODE. */
  kube(clusterId?: string): Promise<KubeClient>;
  /**
   * Logs and metrics of a cluster: SLS, its audit and control-plane log projects, its Prometheus.
   * Optional so that test servers built around other tools need not provide it.
   */
  observability?(): Promise<ObservabilityClients>;
}

/** Builds the per-call clients; nothing connects or loads an SDK until a tool asks. */
export function createAckClients(init: ContextInit<AckSettings>): AckClients {
  return {
    cs: (region) => openCsApi(init, region),
    // The Kubernetes modules (and their YAML parser) load on the first kubectl call only.
    kube: async (clusterId) => {
      const { createKubeClientFactory } = await import('./kubernetes/index.js');
      return createKubeClientFactory({
        settings: init.settings,
        cache: init.cache,
        cs: () => openCsApi(init),
        signal: init.signal,
        timeoutSeconds: init.settings.kubectlTimeout,
        maxRetries: init.settings.maxRetries,
      })(clusterId);
    },
    observability: async () => (await import('./observability/clients.js')).createObservabilityClients(init),
  };
}
