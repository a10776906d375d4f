export {
  ALIBABA_HEADER_HINT,
  type AlibabaCredentials,
  alibabaProvider,
  alibabaSettings,
  parseAlibabaHeaders,
  parseTenantId,
  TENANT_ID_PATTERN,
} from './alibaba.js';
export { type CredentialConfig, type CredentialProvider, isHeaderSafe } from './provider.js';
export {
  parseVolcengineAuthorization,
  VEFAAS_CREDENTIAL_FILE,
  VOLCENGINE_HEADER_HINT,
  type VolcengineCredentials,
  volcengineProvider,
  volcengineSettings,
} from './volcengine.js';
