import { OpsError } from '../errors.js';
import { parse, setting } from '../settings.js';
import { type CredentialProvider, isHeaderSafe } from './provider.js';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * Alibaba Cloud credentials: an access key pair (with an STS token for temporary keys), or the
 * SDK's default chain (RRSA/OIDC in an ACK pod, CLI profiles, the instance's RAM role), which
 * the server package resolves with the official credentials library.
 */
export type AlibabaCredentials =
  | { kind: 'access_key'; accessKeyId: string; accessKeySecret: string; securityToken?: string; region?: string }
  | { kind: 'default_chain' };

export const ALIBABA_HEADER_HINT =
  'Send X-Aliyun-Access-Key-Id and X-Aliyun-Access-Key-Secret (plus X-Aliyun-Security-Token for STS keys, X-Aliyun-Region for a region).';

const invalid = (message: string) => new OpsError('INVALID_CREDENTIALS', message, { hint: ALIBABA_HEADER_HINT });

/**
 * Alibaba Cloud per-request credentials from `X-Aliyun-Access-Key-Id`, `-Access-Key-Secret`,
 * `-Security-Token` and `X-Aliyun-Region`. Undefined when none is sent; INVALID_CREDENTIALS
 * when only half a key pair is, or a value could not go into a signed header.
 */
export function parseAlibabaHeaders(headers: Headers): AlibabaCredentials | undefined {
  const accessKeyId = headers['x-aliyun-access-key-id']?.trim();
  const accessKeySecret = headers['x-aliyun-access-key-secret']?.trim();
  const securityToken = headers['x-aliyun-security-token']?.trim() || undefined;
  if (!accessKeyId && !accessKeySecret) {
    if (securityToken) throw invalid('X-Aliyun-Security-Token needs X-Aliyun-Access-Key-Id and -Secret with it.');
    return undefined;
  }
  if (!accessKeyId || !accessKeySecret) {
    throw invalid('Both X-Aliyun-Access-Key-Id and X-Aliyun-Access-Key-Secret are required.');
  }
  for (const [name, value] of [
    ['X-Aliyun-Access-Key-Id', accessKeyId],
    ['X-Aliyun-Access-Key-Secret', accessKeySecret],
    ['X-Aliyun-Security-Token', securityToken],
  ] as const) {
    if (value && !isHeaderSafe(value)) throw invalid(`${name} has invalid characters.`);
  }
  const region = headers['x-aliyun-region']?.trim() || undefined;
  if (region && !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `X-Aliyun-Region "${region.slice(0, 40)}" is not a region id such as cn-hangzhou.`,
    );
  }
  return {
    kind: 'access_key',
    accessKeyId,
    accessKeySecret,
    ...(securityToken ? { securityToken } : {}),
    ...(region ? { region } : {}),
  };
}

/** What a tenant id may be: it travels in a header and names tenants in files and logs. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** `X-Tenant-ID`: which tenant a shared deployment acts for; opaque to core. */
export function parseTenantId(headers: Headers): string | undefined {
  const value = headers['x-tenant-id']?.trim();
  if (!value) return undefined;
  if (!TENANT_ID_PATTERN.test(value)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      'X-Tenant-ID must be 1–128 characters of letters, digits, ".", "_", ":" or "-".',
    );
  }
  return value;
}

export const alibabaSettings = {
  alibabaAccessKeyId: setting({
    schema: parse.string(),
    flag: 'access-key-id',
    env: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ACCESS_KEY_ID'],
    description: 'Alibaba Cloud AccessKey ID (else the default credential chain)',
  }),
  alibabaAccessKeySecret: setting({
    schema: parse.string(),
    flag: 'access-key-secret',
    env: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ACCESS_KEY_SECRET', 'ACCESS_SECRET_KEY'],
    secret: true,
    description: 'Alibaba Cloud AccessKey secret',
  }),
  alibabaSecurityToken: setting({
    schema: parse.string(),
    flag: 'security-token',
    env: ['ALIBABA_CLOUD_SECURITY_TOKEN'],
    secret: true,
    description: 'STS security token that goes with temporary keys',
  }),
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Env variables of the default chain that tell it where to look (names only). */
const CHAIN_VARIABLES = [
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_ECS_METADATA',
];

/**
 * Alibaba Cloud: the configured key pair, else the default chain. Per request, the
 * `X-Aliyun-*` headers.
 */
export const alibabaProvider: CredentialProvider<AlibabaCredentials> & { chainVariables: readonly string[] } = {
  id: 'alibaba',
  title: 'Alibaba Cloud',
  settings: alibabaSettings,
  chainVariables: CHAIN_VARIABLES,
  async fromEnv(settings) {
    const accessKeyId = str(settings.alibabaAccessKeyId);
    const accessKeySecret = str(settings.alibabaAccessKeySecret);
    if (accessKeyId && accessKeySecret) {
      const securityToken = str(settings.alibabaSecurityToken);
      return { kind: 'access_key', accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
    }
    if (accessKeyId || accessKeySecret) {
      const missing = accessKeyId ? 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' : 'ALIBABA_CLOUD_ACCESS_KEY_ID';
      throw new OpsError('CREDENTIALS_MISSING', `${missing} is not set (the other half of the key pair is).`, {
        hint: 'Set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or neither to use the default credential chain.',
      });
    }
    return { kind: 'default_chain' };
  },
  configured: (settings) => Boolean(str(settings.alibabaAccessKeyId) && str(settings.alibabaAccessKeySecret)),
  parseHeaders: parseAlibabaHeaders,
  headerHint: ALIBABA_HEADER_HINT,
  secrets: (c) => (c.kind === 'access_key' ? [c.accessKeySecret, ...(c.securityToken ? [c.securityToken] : [])] : []),
  identity: (c) =>
    c.kind === 'access_key' ? `${c.accessKeyId}\n${c.accessKeySecret}\n${c.securityToken ?? ''}` : 'default_chain',
};
