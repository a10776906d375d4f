import { randomBytes } from 'node:crypto';
import { type FakeKube, startFakeKube } from './kube-fake.js';
import { SANDBOX_CA_CERT } from './kube-sandbox-certs.js';
import { sandboxWorkloads } from './workloads.js';

/**
 * The sandbox's Kubernetes API: the simulated API server serving the sandbox workloads, and
 * what the fake CS API's DescribeClusterUserKubeconfig hands out for it (a random bearer token
 * and the sandbox CA, so TLS is verified as with a real cluster).
 */
export async function startSandboxKube(): Promise<{
  fake: FakeKube;
  kubeconfigFor: () => { server: string; token: string; certificateAuthorityData: string };
  stop(): Promise<void>;
}> {
  const token = randomBytes(24).toString('base64url');
  const w = sandboxWorkloads;
  const fake = await startFakeKube({
    data: {
      objects: [
        ...w.namespaces,
        ...w.nodes,
        ...w.pods,
        ...w.deployments,
        ...w.replicaSets,
        ...w.statefulSets,
        ...w.daemonSets,
        ...w.jobs,
        ...w.services,
        ...w.configMaps,
        ...w.secrets,
        ...w.persistentVolumeClaims,
        ...w.podDisruptionBudgets,
        ...w.events,
      ],
      logs: w.logs,
      podMetrics: w.podMetrics,
      nodeMetrics: w.nodeMetrics,
    },
    tokens: [token],
  });
  return {
    fake,
    kubeconfigFor: () => ({
      server: fake.url,
      token,
      certificateAuthorityData: Buffer.from(SANDBOX_CA_CERT).toString('base64'),
    }),
    stop: () => fake.stop(),
  };
}
