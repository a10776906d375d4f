import type { CredentialSource } from '../definition.js';
import type { RequestCredentials } from '../tool.js';
import { parseAlibabaHeaders } from './alibaba.js';
import { parseVolcengineAuthorization } from './volcengine.js';

export { parseAlibabaHeaders, parseTenantId } from './alibaba.js';
export { parseVolcengineAuthorization } from './volcengine.js';

/** Header names that carry credentials: never logged, never echoed. */
export const CREDENTIAL_HEADERS = [
  'authorization',
  'x-api-key',
  'x-aliyun-access-key-id',
  'x-aliyun-access-key-secret',
  'x-aliyun-security-token',
  'cookie',
] as const;

/** Parses the credentials of a request in the format the server declared. */
export function parseRequestCredentials(
  source: Pick<CredentialSource<unknown>, 'kind'>,
  headers: Readonly<Record<string, string | undefined>>,
): RequestCredentials | undefined {
  return source.kind === 'volcengine'
    ? parseVolcengineAuthorization(headers.authorization)
    : parseAlibabaHeaders(headers);
}
