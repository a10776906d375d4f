import { randomBytes } from 'node:crypto';
import { startFakeVolcengine } from './fake-volcengine.js';

export { createSandboxState } from './data.js';
export {
  type FakeKey,
  type FakeVolcengine,
  type FakeVolcengineOptions,
  type InjectedFailure,
  type ReceivedRequest,
  startFakeVolcengine,
} from './fake-volcengine.js';

export const SANDBOX_NOTICE =
  'simulated Volcengine RocketMQ account (three invented instances in cn-beijing, served by an in-process fake endpoint)';

/**
 * Starts the fake endpoint with fresh random keys and returns the settings that point the server
 * at it. Requests are still signed and verified, so the sandbox runs the real client path.
 */
export async function startSandbox(log: { info(message: string, fields?: Record<string, unknown>): void }) {
  const accessKey = `AKLTSANDBOX${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretKey = randomBytes(30).toString('base64');
  const fake = await startFakeVolcengine({ keys: [{ accessKeyId: accessKey, secretAccessKey: secretKey }] });
  log.info('sandbox RocketMQ endpoint started', { endpoint: fake.url });
  return {
    settings: {
      endpoint: fake.url,
      accessKey,
      secretKey,
      sessionToken: undefined,
      credentialType: 'env' as const,
    },
    notice: SANDBOX_NOTICE,
    stop: () => fake.stop(),
  };
}
