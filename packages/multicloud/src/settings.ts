import { alibabaSettings, parse, setting } from '@opsmcp/core';
import { z } from 'zod';
import { awsSettings } from './credentials/aws.js';
import { digitaloceanSettings } from './credentials/digitalocean.js';
import { vultrSettings } from './credentials/vultr.js';

const trimmed = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), schema);
const regionId = trimmed(z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'a region id such as us-east-1'));
const regionList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'region ids such as us-east-1')).max(40),
);
const httpUrl = trimmed(z.url({ protocol: /^https?$/ }));

/** Every provider's settings: AWS, DigitalOcean, Vultr, Alibaba Cloud, ipinfo, and the HTTP limits. */
export const multicloudSettings = {
  // AWS EC2 and CloudWatch (read only): keys and profile with the credential provider.
  ...awsSettings,
  awsRegion: setting({
    schema: regionId,
    flag: 'aws-region',
    env: ['AWS_DEFAULT_REGION', 'AWS_REGION'],
    default: 'us-east-1',
    description: 'AWS region of tools called without one',
  }),
  awsRegions: setting({
    schema: regionList,
    flag: 'aws-regions',
    env: ['AWS_REGIONS'],
    description:
      'Comma-separated AWS regions searched (concurrently) when an instance is looked up by IP; default: the AWS region',
  }),
  awsEc2Endpoint: setting({
    schema: httpUrl,
    flag: 'aws-ec2-endpoint',
    env: ['AWS_ENDPOINT_URL_EC2'],
    description: 'EC2 endpoint URL override (e.g. a VPC endpoint); default https://ec2.<region>.amazonaws.com',
  }),
  awsCloudwatchEndpoint: setting({
    schema: httpUrl,
    flag: 'aws-cloudwatch-endpoint',
    env: ['AWS_ENDPOINT_URL_CLOUDWATCH'],
    description: 'CloudWatch endpoint URL override; default https://monitoring.<region>.amazonaws.com',
  }),

  // DigitalOcean.
  ...digitaloceanSettings,
  digitaloceanApiUrl: setting({
    schema: httpUrl,
    flag: 'digitalocean-api-url',
    env: ['DIGITALOCEAN_API_URL'],
    default: 'https://api.digitalocean.com/v2',
    description: 'DigitalOcean API base URL',
  }),

  // Vultr.
  ...vultrSettings,
  vultrApiUrl: setting({
    schema: httpUrl,
    flag: 'vultr-api-url',
    env: ['VULTR_API_URL'],
    default: 'https://api.vultr.com/v2',
    description: 'Vultr API base URL',
  }),

  // Alibaba Cloud ECS.
  ...alibabaSettings,
  alibabaRegion: setting({
    schema: regionId,
    flag: 'alibaba-region',
    env: ['ALIBABA_CLOUD_REGION_ID'],
    default: 'cn-hangzhou',
    description: 'Alibaba Cloud region of tools called without one',
  }),
  alibabaRegions: setting({
    schema: regionList,
    flag: 'alibaba-regions',
    env: ['ALIBABA_CLOUD_REGIONS'],
    description:
      'Comma-separated Alibaba Cloud regions searched (concurrently) when an instance is looked up by IP; default: the Alibaba region',
  }),
  alibabaEcsEndpoint: setting({
    schema: httpUrl,
    flag: 'alibaba-ecs-endpoint',
    env: ['ALIBABA_CLOUD_ECS_ENDPOINT'],
    description: 'ECS endpoint as a full URL (e.g. https://ecs-vpc.cn-hangzhou.aliyuncs.com); default per region',
  }),

  // ipinfo (provider detection by IP).
  ipinfoToken: setting({
    schema: parse.string(),
    flag: 'ipinfo-token',
    env: ['IPINFO_API_TOKEN'],
    secret: true,
    description: 'ipinfo.io token for provider detection (optional; tokenless calls have low limits)',
  }),
  ipinfoApiUrl: setting({
    schema: httpUrl,
    flag: 'ipinfo-api-url',
    env: ['IPINFO_API_URL'],
    default: 'https://ipinfo.io',
    description: 'ipinfo API base URL',
  }),

  requestTimeoutMs: setting({
    schema: parse.integer(100, 600_000),
    flag: 'request-timeout-ms',
    env: ['MULTICLOUD_REQUEST_TIMEOUT_MS'],
    default: 15_000,
    description: 'Longest one provider API request may take',
  }),
  maxRetries: setting({
    schema: parse.integer(0, 5),
    flag: 'max-retries',
    env: ['MULTICLOUD_MAX_RETRIES'],
    default: 2,
    description: 'Retries of a read after throttling, a 5xx or a reset connection (power calls are never retried)',
  }),
};
