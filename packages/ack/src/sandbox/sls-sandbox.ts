import { resolveDomainToLoopback } from '../observability/host-resolver.js';
import { type AcsFake, armsRoutes, startAcsFake, stsRoutes } from './arms-fake.js';
import { startSandboxPrometheus } from './arms-prometheus-fake.js';
import { PROD_CLUSTER_ID, STAGING_CLUSTER_ID } from './cs-data.js';
import { SANDBOX_ACCOUNT_ID, sandboxAiTool, sandboxSlsRows } from './observability-data.js';
import { SLS_FAKE_DOMAIN, type SlsFake, type SlsFakeKey, startSlsFake } from './sls-fake.js';

/**
 * The sandbox's logs and metrics: a simulated SLS (reached as `sls.test:<port>`, which only this
 * process resolves, to 127.0.0.1), ARMS and STS, and a Prometheus-compatible API for the
 * simulated metrics. Which clusters collect which logs is the CS fake's to say.
 */
export async function startObservabilitySandbox(options: { keys: SlsFakeKey[] }) {
  const stopResolving = resolveDomainToLoopback(SLS_FAKE_DOMAIN);
  const prometheus = await startSandboxPrometheus();
  const sls: SlsFake = await startSlsFake({
    keys: options.keys,
    rows: (p, l) => sandboxSlsRows(p, l),
    aiTool: sandboxAiTool,
  });
  const cloud: AcsFake = await startAcsFake({
    keys: options.keys,
    routes: {
      ...armsRoutes(() => [
        {
          clusterId: PROD_CLUSTER_ID,
          regionId: 'cn-hangzhou',
          httpApiInterUrl: `${prometheus.url}/api/v1/prometheus/${PROD_CLUSTER_ID}`,
          httpApiIntraUrl: `${prometheus.url}/api/v1/prometheus/${PROD_CLUSTER_ID}`,
        },
        {
          clusterId: STAGING_CLUSTER_ID,
          regionId: 'cn-beijing',
          httpApiInterUrl: `${prometheus.url}/api/v1/prometheus/${STAGING_CLUSTER_ID}`,
          httpApiIntraUrl: `${prometheus.url}/api/v1/prometheus/${STAGING_CLUSTER_ID}`,
        },
      ]),
      ...stsRoutes(SANDBOX_ACCOUNT_ID),
    },
  });
  return {
    settings: {
      armsEndpoint: cloud.url,
      stsEndpoint: cloud.url,
      slsEndpoint: `http://${sls.endpoint}`,
      prometheusEndpointMode: 'ARMS_PUBLIC' as const,
    },
    sls,
    cloud,
    stop: async () => {
      await Promise.all([sls.stop(), cloud.stop(), prometheus.stop()]);
      stopResolving();
    },
  };
}
