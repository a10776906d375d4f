import { type ClientSetup, connectInMemory } from '@opsmcp/core/testing';
import { type FakeAlibabaOptions, startFakeAlibaba } from '../src/sandbox/alibaba-fake.js';
import { type FakeAwsOptions, startFakeAws } from '../src/sandbox/aws-fake.js';
import { multicloudServer } from '../src/server.js';

// The AWS SDK reads ~/.aws and the process environment even with explicit credentials, region
// and endpoint: point it at nothing so these tests see only their fakes.
process.env.AWS_CONFIG_FILE = '/nonexistent/opsmcp-multicloud-test/config';
process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/opsmcp-multicloud-test/credentials';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
for (const name of [
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_EC2',
  'AWS_ENDPOINT_URL_CLOUDWATCH',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_ECS_METADATA',
]) {
  delete process.env[name];
}

/** Test keys; long and distinctive so a leak into any output is easy to spot. */
export const AWS_KEY = {
  accessKeyId: 'AKIATESTMULTICLOUD01',
  secretAccessKey: 'awsTestSecretKey/0123456789abcdefghijklmnopqrstuv',
};
export const ALI_KEY = { accessKeyId: 'LTAItestmulticloud01', accessKeySecret: 'aliTestSecret0123456789abcdefghij' };

// us-east-1 unless noted.
export const AWS_PROD = 'i-0a1b2c3d4e5f60001'; // web-prod-01, Environment=production, running, 203.0.113.10
export const AWS_STOPPED = 'i-0a1b2c3d4e5f60002'; // batch-worker-02, stopped, no public IP
export const AWS_DEV = 'i-0a1b2c3d4e5f60003'; // dev-sandbox-03, running, 203.0.113.12
export const AWS_PRIVATE = 'i-0a1b2c3d4e5f60004'; // internal-db-01, running, private only
export const AWS_EU = 'i-0e1f2a3b4c5d60005'; // eu-west-1, eu-gateway, EIP 198.51.100.77 on a secondary ENI only

export const ECS_PROD = 'i-bp1hx8u4m2v0c7x5k301'; // order-prod-01, env=production, Running, 203.0.113.40
export const ECS_STOPPED = 'i-bp1hx8u4m2v0c7x5k302'; // report-batch, Stopped, EIP 203.0.113.41
export const ECS_TEST = 'i-bp1hx8u4m2v0c7x5k303'; // test-box, Running, 203.0.113.42
export const ECS_PRIVATE = 'i-bp1hx8u4m2v0c7x5k304'; // etl-internal, Running, no public IP, 32 vCPU / 128 GiB
export const ECS_SHANGHAI = 'i-uf6a1b2c3d4e5f6g7h01'; // cn-shanghai, cdn-origin-sh, EIP 203.0.113.45

export const startAws = (options: Partial<FakeAwsOptions> = {}) => startFakeAws({ keys: [AWS_KEY], ...options });
export const startAlibaba = (options: Partial<FakeAlibabaOptions> = {}) =>
  startFakeAlibaba({ keys: [ALI_KEY], transitionMs: 0, ...options });

/** Settings pointing the server at the fakes given (the others stay unconfigured). */
export function cloudSettings(
  fakes: { aws?: { url: string }; alibaba?: { url: string } },
  extra: Record<string, unknown> = {},
) {
  return {
    ...(fakes.aws
      ? {
          awsAccessKeyId: AWS_KEY.accessKeyId,
          awsSecretAccessKey: AWS_KEY.secretAccessKey,
          awsEc2Endpoint: fakes.aws.url,
          awsCloudwatchEndpoint: fakes.aws.url,
          awsRegions: ['us-east-1', 'eu-west-1'],
        }
      : {}),
    ...(fakes.alibaba
      ? {
          alibabaAccessKeyId: ALI_KEY.accessKeyId,
          alibabaAccessKeySecret: ALI_KEY.accessKeySecret,
          alibabaEcsEndpoint: fakes.alibaba.url,
          alibabaRegions: ['cn-hangzhou', 'cn-shanghai'],
        }
      : {}),
    maxRetries: 0,
    requestTimeoutMs: 5000,
    ...extra,
  };
}

export const connect = (settings: Record<string, unknown>, setup: ClientSetup = {}) =>
  connectInMemory(multicloudServer, { settings, ...setup });
