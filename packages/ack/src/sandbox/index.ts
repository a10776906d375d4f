import { randomBytes } from 'node:crypto';
import { type CsFake, type CsFakeOptions, startCsFake } from './cs-fake.js';
import { startSandboxKube } from './kube-sandbox.js';
import { startObservabilitySandbox } from './sls-sandbox.js';

export {
  type CsSandboxState,
  createCsSandboxState,
  PROD_CLUSTER_ID,
  PROD_DEFAULT_POOL_ID,
  PROD_DIAGNOSIS_ID,
  PROD_GPU_POOL_ID,
  PROD_REPORT_ID,
  STAGING_CLUSTER_ID,
  STAGING_DEFAULT_POOL_ID,
  STAGING_FAILED_POOL_ID,
} from './cs-data.js';
export {
  type CsFake,
  type CsFakeKey,
  type CsFakeOptions,
  type CsInjectedFailure,
  type CsReceivedRequest,
  type KubeconfigTarget,
  startCsFake,
} from './cs-fake.js';

export const SANDBOX_NOTICE =
  'simulated Alibaba Cloud ACK account (two invented clusters in cn-hangzhou and cn-beijing, served by an in-process fake CS API)';

/** A fake backend the sandbox started, stopped with the sandbox. */
interface RunningFake {
  stop(): Promise<void>;
}

/**
 * Starts the fake CS API with fresh random keys and returns the settings that point the server
 * at it. Requests are still signed and verified, so the sandbox runs the real client path.
 */
export async function startSandbox(
  log: { info(message: string, fields?: Record<string, unknown>): void },
  options: Pick<CsFakeOptions, 'kubeconfigFor'> = {},
) {
  const accessKeyId = `LTAISANDBOX${randomBytes(8).toString('hex').toUpperCase()}`;
  const accessKeySecret = randomBytes(24).toString('base64url');
  // The simulated Kubernetes API server; the fake CS hands out kubeconfigs for it.
  const kube = await startSandboxKube();
  log.info('sandbox Kubernetes API started', { endpoint: kube.fake.url });
  const cs: CsFake = await startCsFake({
    keys: [{ accessKeyId, accessKeySecret }],
    kubeconfigFor: kube.kubeconfigFor,
    ...options,
  });
  log.info('sandbox CS API started', { endpoint: cs.url });
  // Simulated SLS, ARMS, STS and Prometheus for the logs and metrics tools.
  const observability = await startObservabilitySandbox({ keys: [{ accessKeyId, accessKeySecret }] });
  log.info('sandbox SLS, ARMS and Prometheus started', { sls: observability.settings.slsEndpoint });
  const fakes: RunningFake[] = [cs, kube, observability];
  return {
    settings: {
      alibabaAccessKeyId: accessKeyId,
      alibabaAccessKeySecret: accessKeySecret,
      alibabaSecurityToken: undefined,
      credentialSource: 'env' as const,
      csEndpoint: cs.url,
      ...observability.settings,
    },
    notice: SANDBOX_NOTICE,
    stop: async () => {
      await Promise.all(fakes.map((fake) => fake.stop()));
    },
    cs,
  };
}
