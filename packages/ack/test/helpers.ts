import { type CsFake, type CsFakeKey, type CsFakeOptions, startCsFake } from '../src/sandbox/cs-fake.js';

export const TEST_KEY: CsFakeKey = {
  accessKeyId: 'LTAI5tTESTACKSERVER0001',
  accessKeySecret: 'TestSecretForTheFakeCsApi0000000001',
};

export function startFake(options: Partial<CsFakeOptions> = {}): Promise<CsFake> {
  return startCsFake({ keys: [TEST_KEY], ...options });
}

/** Settings that point the server at a fake with the test key; polling as fast as the settings allow. */
export function settingsFor(fake: CsFake) {
  return {
    csEndpoint: fake.url,
    alibabaAccessKeyId: TEST_KEY.accessKeyId,
    alibabaAccessKeySecret: TEST_KEY.accessKeySecret,
    diagnosePollInterval: 1,
    maxRetries: 2,
  };
}

export {
  PROD_CLUSTER_ID,
  PROD_DEFAULT_POOL_ID,
  PROD_DIAGNOSIS_ID,
  PROD_GPU_POOL_ID,
  PROD_REPORT_ID,
  STAGING_CLUSTER_ID,
  STAGING_FAILED_POOL_ID,
} from '../src/sandbox/cs-data.js';
