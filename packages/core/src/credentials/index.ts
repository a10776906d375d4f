import type { CredentialSource } from '../definition.js';
import type { RequestCredentials } from '../tool.js';
import { parseAlibabaHeaders } from './alibaba.js';
import { parseVolcengineAuthorization } from './volcengine.js';

export { parseAlibabaHeaders, parseTenantId } from './alibaba.js';
export { parseVolcengineAuthorization } from './volcengine.js';

/** Parses the credentials of a request in the format the server declared. */
export function parseRequestCredentials(
  source: Pick<CredentialSource<unknown>, 'kind'>,
  headers: Readonly<Record<string, string | undefined>>,
): RequestCredentials | undefined {
  return source.kind === 'volcengine'
    ? parseVolcengineAuthorization(headers.authorization)
    : parseAlibabaHeaders(headers);
}
