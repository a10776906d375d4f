import { defineConfig } from 'vitest/config';

/**
 * Settings every package's tests share. Besides the console summary, each package writes
 * test-results.json, which `.ci/run` adds up into the closing `N passed, N failed` line.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
