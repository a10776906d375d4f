import { type FakeVolcengineOptions, startFakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { RocketMQClient, type RocketMQClientOptions } from '../src/volcengine/client.js';
import { parseEndpoint } from '../src/volcengine/endpoint.js';

export const KEYS = {
  accessKeyId: 'AKLTTESTROCKETMQ0000000001',
  secretAccessKey: 'TestSecretKeyForTheFakeEndpoint0000000000==',
};

export const INSTANCE_4X = 'rocketmq-cnoeea6b32118fc2';
export const INSTANCE_5X = 'rocketmq-cnngc3e21b8a7d40';
export const INSTANCE_FAILED = 'rocketmq-cnlk7d0f5a92e31b';

/** The one fake endpoint (the sandbox's), accepting the test keys. */
export function startFake(options: Partial<FakeVolcengineOptions> = {}) {
  return startFakeVolcengine({ keys: [KEYS], ...options });
}

/** Settings that point the server at a fake with the test keys (and never at a real file). */
export function settingsFor(fake: { url: string }, extra: Record<string, unknown> = {}) {
  return {
    endpoint: fake.url,
    accessKey: KEYS.accessKeyId,
    secretKey: KEYS.secretAccessKey,
    credentialFile: '/nonexistent/opsmcp-test-credential',
    ...extra,
  };
}

export function clientFor(fake: { url: string }, options: Partial<RocketMQClientOptions> = {}) {
  return new RocketMQClient({
    endpoint: parseEndpoint(fake.url),
    region: 'cn-beijing',
    credentials: async () => ({ ...KEYS }),
    timeoutMs: 2000,
    maxRetries: 2,
    retryBaseMs: 5,
    ...options,
  });
}
