import { randomBytes } from 'node:crypto';
import { startFakeAlibaba } from './alibaba-fake.js';
import { startFakeAws } from './aws-fake.js';
import { startFakeDigitalOcean } from './digitalocean-fake.js';
import { startFakeIpinfo } from './ipinfo-fake.js';
import { startFakeVultr } from './vultr-fake.js';

export { type FakeAlibaba, type FakeAlibabaOptions, startFakeAlibaba } from './alibaba-fake.js';
export { type FakeAws, type FakeAwsOptions, startFakeAws } from './aws-fake.js';
export { type FakeDigitalOcean, type FakeDigitalOceanOptions, startFakeDigitalOcean } from './digitalocean-fake.js';
export { type FakeIpinfo, type FakeIpinfoOptions, startFakeIpinfo } from './ipinfo-fake.js';
export { type FakeVultr, type FakeVultrOptions, startFakeVultr } from './vultr-fake.js';

export const SANDBOX_NOTICE =
  'simulated AWS, DigitalOcean, Vultr, Alibaba Cloud and ipinfo (invented instances served by in-process fake endpoints)';

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Starts every provider's fake with fresh random credentials and returns the settings that
 * point the server at them. Requests are still signed (AWS SigV4, Alibaba ACS3) or carry their
 * tokens, and the fakes check them, so the sandbox runs the real client paths.
 */
export async function startSandbox(log: { info(message: string, fields?: Record<string, unknown>): void }) {
  const aws = {
    accessKeyId: `AKIASANDBOX${randomBytes(5).toString('hex').toUpperCase()}`,
    secretAccessKey: secret(30),
  };
  const alibaba = { accessKeyId: `LTAIsandbox${randomBytes(6).toString('hex')}`, accessKeySecret: secret(22) };
  const digitaloceanToken = `dop_v1_${randomBytes(32).toString('hex')}`;
  const vultrApiKey = randomBytes(18).toString('hex').toUpperCase();

  const fakes = await Promise.all([
    startFakeAws({ keys: [aws] }),
    startFakeAlibaba({ keys: [alibaba] }),
    startFakeDigitalOcean({ tokens: [digitaloceanToken] }),
    startFakeVultr({ apiKeys: [vultrApiKey] }),
    startFakeIpinfo(),
  ]);
  const [awsFake, alibabaFake, digitaloceanFake, vultrFake, ipinfoFake] = fakes;
  log.info('sandbox cloud endpoints started', {
    aws: awsFake.url,
    alibaba: alibabaFake.url,
    digitalocean: digitaloceanFake.url,
    vultr: vultrFake.url,
    ipinfo: ipinfoFake.url,
  });
  return {
    settings: {
      awsAccessKeyId: aws.accessKeyId,
      awsSecretAccessKey: aws.secretAccessKey,
      awsSessionToken: undefined,
      awsProfile: undefined,
      awsRegion: 'us-east-1',
      awsRegions: ['us-east-1', 'eu-west-1'],
      awsEc2Endpoint: awsFake.url,
      awsCloudwatchEndpoint: awsFake.url,
      alibabaAccessKeyId: alibaba.accessKeyId,
      alibabaAccessKeySecret: alibaba.accessKeySecret,
      alibabaSecurityToken: undefined,
      alibabaRegion: 'cn-hangzhou',
      alibabaRegions: ['cn-hangzhou', 'cn-shanghai'],
      alibabaEcsEndpoint: alibabaFake.url,
      digitaloceanToken,
      digitaloceanApiUrl: `${digitaloceanFake.url}/v2`,
      vultrApiKey,
      vultrApiUrl: `${vultrFake.url}/v2`,
      ipinfoToken: undefined,
      ipinfoApiUrl: ipinfoFake.url,
    },
    notice: SANDBOX_NOTICE,
    stop: async () => {
      await Promise.all(fakes.map((fake) => fake.stop()));
    },
  };
}
