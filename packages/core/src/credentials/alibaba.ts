import { OpsError } from '../errors.js';
import type { RequestCredentials } from '../tool.js';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * Alibaba Cloud per-request credentials from `X-Aliyun-Access-Key-Id`, `-Access-Key-Secret`,
 * `-Security-Token` and `X-Aliyun-Region`. Undefined when none is sent; INVALID_CREDENTIALS
 * when only half a key pair is.
 */
export function parseAlibabaHeaders(headers: Headers): RequestCredentials | undefined {
  const accessKeyId = headers['x-aliyun-access-key-id']?.trim();
  const accessKeySecret = headers['x-aliyun-access-key-secret']?.trim();
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret) {
    throw new OpsError(
      'INVALID_CREDENTIALS',
      'Both X-Aliyun-Access-Key-Id and X-Aliyun-Access-Key-Secret are required.',
      {
        hint: 'Send both headers (and X-Aliyun-Security-Token for STS credentials).',
      },
    );
  }
  const securityToken = headers['x-aliyun-security-token']?.trim() || undefined;
  const region = headers['x-aliyun-region']?.trim() || undefined;
  return {
    kind: 'alibaba',
    accessKeyId,
    accessKeySecret,
    ...(securityToken ? { securityToken } : {}),
    ...(region ? { region } : {}),
  };
}

/** `X-Tenant-ID`: which tenant a shared deployment acts for; opaque to core. */
export function parseTenantId(headers: Headers): string | undefined {
  const value = headers['x-tenant-id']?.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(value)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      'X-Tenant-ID must be 1–128 characters of letters, digits, ".", "_", ":" or "-".',
    );
  }
  return value;
}
