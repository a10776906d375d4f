import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ToolContext } from '@opsmcp/core';
import type { AwsCredentials } from '../../credentials/aws.js';

/** The settings the AWS clients read. */
export interface AwsClientSettings {
  awsRegion: string;
  awsRegions?: string[] | undefined;
  awsEc2Endpoint?: string | undefined;
  awsCloudwatchEndpoint?: string | undefined;
  requestTimeoutMs: number;
  maxRetries: number;
}

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

const settingsOf = (ctx: AnyContext) => ctx.settings as AwsClientSettings;

/** The region a call goes to: the tool's argument, else the configured one (never the SDK's own guess). */
export function regionOf(ctx: AnyContext, region?: string): string {
  return region ?? settingsOf(ctx).awsRegion;
}

/** The regions an IP lookup searches: AWS_REGIONS, else the default region. */
export function searchRegions(ctx: AnyContext): string[] {
  const settings = settingsOf(ctx);
  return settings.awsRegions?.length ? [...new Set(settings.awsRegions)] : [settings.awsRegion];
}

/** What every AWS client gets: explicit region and endpoint, bounded attempts and timeouts, the credentials. */
async function clientConfig(ctx: AnyContext, region: string, endpoint: string | undefined) {
  const settings = settingsOf(ctx);
  const credentials = await ctx.credentials<AwsCredentials>('aws');
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    // A read is tried once plus the configured retries; the SDK backs off between attempts.
    maxAttempts: settings.maxRetries + 1,
    requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: settings.requestTimeoutMs },
    ...(credentials.kind === 'access_key'
      ? {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
          },
        }
      : credentials.profile
        ? { profile: credentials.profile }
        : {}),
  };
}

/** The EC2 client of one region, created on first use (the SDK is imported then) and cached. */
export async function ec2Client(ctx: AnyContext, region: string): Promise<EC2Client> {
  const endpoint = settingsOf(ctx).awsEc2Endpoint;
  return ctx.cache(
    ['aws-ec2', region, endpoint ?? ''],
    async () => {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      return new EC2Client(await clientConfig(ctx, region, endpoint));
    },
    { close: (client) => client.destroy() },
  );
}

/** The CloudWatch client of one region, created on first use and cached. */
export async function cloudwatchClient(ctx: AnyContext, region: string): Promise<CloudWatchClient> {
  const endpoint = settingsOf(ctx).awsCloudwatchEndpoint;
  return ctx.cache(
    ['aws-cloudwatch', region, endpoint ?? ''],
    async () => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return new CloudWatchClient(await clientConfig(ctx, region, endpoint));
    },
    { close: (client) => client.destroy() },
  );
}
