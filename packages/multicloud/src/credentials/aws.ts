import { type CredentialProvider, OpsError, parse, setting } from '@opsmcp/core';

/**
 * AWS credentials: a configured key pair (with a session token for temporary keys), or the AWS
 * SDK's default chain (profile, SSO, web identity, container or instance role), which the SDK
 * resolves itself when the client gets no `credentials`.
 */
export type AwsCredentials =
  | { kind: 'access_key'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'default_chain'; profile?: string };

export const awsSettings = {
  awsAccessKeyId: setting({
    schema: parse.string(),
    flag: 'aws-access-key-id',
    env: ['AWS_ACCESS_KEY_ID'],
    description: 'AWS access key id (else the AWS SDK default chain)',
  }),
  awsSecretAccessKey: setting({
    schema: parse.string(),
    flag: 'aws-secret-access-key',
    env: ['AWS_SECRET_ACCESS_KEY'],
    secret: true,
    description: 'AWS secret access key',
  }),
  awsSessionToken: setting({
    schema: parse.string(),
    flag: 'aws-session-token',
    env: ['AWS_SESSION_TOKEN'],
    secret: true,
    description: 'AWS session token that goes with temporary keys',
  }),
  awsProfile: setting({
    schema: parse.string(),
    flag: 'aws-profile',
    env: ['AWS_PROFILE'],
    description: 'Profile of ~/.aws/config (SSO, assume-role, credential_process) used when no keys are set',
  }),
  awsUseDefaultChain: setting({
    schema: parse.boolean(),
    flag: 'aws-use-default-chain',
    env: ['AWS_USE_DEFAULT_CHAIN'],
    switch: true,
    default: false,
    description:
      "Enable AWS with the SDK's default chain even when no key, profile or web identity is set (e.g. an EC2 instance role)",
  }),
};

/**
 * Env variables that make the SDK's default chain find credentials without keys or a profile
 * (web identity in EKS, a container role in ECS). The SDK reads them from the process
 * environment itself, so that is where they are looked for.
 */
export const AWS_CHAIN_VARIABLES = [
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
] as const;

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The chain variables set in the process environment (names only). */
export function awsChainVariablesSet(env: NodeJS.ProcessEnv = process.env): string[] {
  return AWS_CHAIN_VARIABLES.filter((name) => Boolean(env[name]?.trim()));
}

/**
 * AWS: the configured key pair, else the SDK's default chain. AWS counts as configured with a
 * key pair, a profile, web-identity / container-role variables, or AWS_USE_DEFAULT_CHAIN=true
 * (an instance role cannot be seen without asking the metadata service, so it is opted into).
 * Per-request credentials are not offered.
 */
export const awsProvider: CredentialProvider<AwsCredentials> = {
  id: 'aws',
  title: 'AWS',
  settings: awsSettings,
  async fromEnv(settings) {
    const accessKeyId = text(settings.awsAccessKeyId);
    const secretAccessKey = text(settings.awsSecretAccessKey);
    if (accessKeyId && secretAccessKey) {
      const sessionToken = text(settings.awsSessionToken);
      return { kind: 'access_key', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    }
    if (accessKeyId || secretAccessKey) {
      const missing = accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
      throw new OpsError('CREDENTIALS_MISSING', `${missing} is not set (the other half of the key pair is).`, {
        hint: 'Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither to use the AWS SDK default chain.',
      });
    }
    const profile = text(settings.awsProfile);
    return { kind: 'default_chain', ...(profile ? { profile } : {}) };
  },
  configured: (settings) =>
    Boolean(text(settings.awsAccessKeyId) && text(settings.awsSecretAccessKey)) ||
    text(settings.awsProfile) !== undefined ||
    settings.awsUseDefaultChain === true ||
    awsChainVariablesSet().length > 0,
  parseHeaders: () => undefined,
  headerHint: 'This server uses the AWS credentials of its own environment only.',
  secrets: (c) => (c.kind === 'access_key' ? [c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : [])] : []),
  identity: (c) =>
    c.kind === 'access_key'
      ? `${c.accessKeyId}\n${c.secretAccessKey}\n${c.sessionToken ?? ''}`
      : `default_chain\n${c.profile ?? ''}`,
};
