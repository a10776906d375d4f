import { OpsError } from '../errors.js';
import type { RequestCredentials } from '../tool.js';

/**
 * Volcengine per-request credentials: `Authorization: Bearer base64({"AccessKeyId",
 * "SecretAccessKey","SessionToken"})`, the format veFaaS-hosted MCP gateways send.
 * Returns undefined when the header is absent; throws INVALID_CREDENTIALS when it is malformed.
 */
export function parseVolcengineAuthorization(header: string | undefined): RequestCredentials | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(m[1] as string, 'base64').toString('utf8'));
  } catch {
    throw new OpsError('INVALID_CREDENTIALS', 'The Authorization header is not base64-encoded JSON credentials.', {
      hint: 'Send Authorization: Bearer base64({"AccessKeyId":"…","SecretAccessKey":"…","SessionToken":"…"}).',
    });
  }
  const o = (data ?? {}) as Record<string, unknown>;
  const accessKeyId = typeof o.AccessKeyId === 'string' ? o.AccessKeyId.trim() : '';
  const secretAccessKey = typeof o.SecretAccessKey === 'string' ? o.SecretAccessKey.trim() : '';
  if (!accessKeyId || !secretAccessKey) {
    throw new OpsError('INVALID_CREDENTIALS', 'The Authorization credentials lack AccessKeyId or SecretAccessKey.', {
      hint: 'Send Authorization: Bearer base64({"AccessKeyId":"…","SecretAccessKey":"…","SessionToken":"…"}).',
    });
  }
  const sessionToken = typeof o.SessionToken === 'string' && o.SessionToken.trim() ? o.SessionToken.trim() : undefined;
  return { kind: 'volcengine', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
