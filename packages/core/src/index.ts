export { cacheKey, RuntimeCache } from './cache.js';
export { type RunCliOptions, runCli } from './cli.js';
export { mapBounded } from './concurrency.js';
export {
  type CliActions,
  ConfigError,
  type ConfigSources,
  helpText,
  ownSettingsSpecOf,
  parseArgv,
  parseDotEnv,
  printableConfig,
  type ResolvedConfig,
  resolveConfig,
  type SettingSource,
  settingsSpecOf,
} from './config.js';
export { currentRequestContext, type RequestContext, runWithRequestContext } from './context.js';
export {
  AUTH_MODES,
  type AuthMode,
  type CoreSettings,
  coreSettingsSpec,
  LOG_LEVELS,
  TRANSPORTS,
  type Transport,
} from './core-settings.js';
export {
  ALIBABA_HEADER_HINT,
  type AlibabaCredentials,
  alibabaProvider,
  alibabaSettings,
  type CredentialConfig,
  type CredentialProvider,
  isHeaderSafe,
  parseAlibabaHeaders,
  parseTenantId,
  parseVolcengineAuthorization,
  TENANT_ID_PATTERN,
  VEFAAS_CREDENTIAL_FILE,
  VOLCENGINE_HEADER_HINT,
  type VolcengineCredentials,
  volcengineProvider,
  volcengineSettings,
} from './credentials/index.js';
export {
  type AnyServerDefinition,
  type CheckResult,
  type ContextInit,
  type CoreSettingOverride,
  defineServer,
  type HttpAnswer,
  type HttpExtension,
  type HttpRequestView,
  type SandboxHandle,
  type ServerDefinition,
  type ServerHookInit,
  type SettingsOfServer,
  type ToolCallRecord,
} from './definition.js';
export {
  ERROR_CODES,
  type ErrorCode,
  formatErrorText,
  isOpsError,
  OpsError,
  type OpsErrorOptions,
  type UpstreamInfo,
} from './errors.js';
export type { Principal } from './http/auth-principal.js';
export { type HttpHandle, serveHttp } from './http/index.js';
export { BodyTooLargeError, isLoopbackAddress, readJsonBody } from './http/security.js';
export {
  backoffDelay,
  cancellationError,
  DEFAULT_REQUEST_ID_HEADERS,
  defaultHttpError,
  HTTP_RETRY,
  type HttpErrorInfo,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
  requestJson,
  sleep,
  untilAborted,
  upstreamErrorDetail,
} from './http-client.js';
export {
  createLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  REDACTED,
  redact,
} from './log.js';
export { MIN_POLL_INTERVAL_MS, type PollOptions, pollUntil } from './poll.js';
export { scrubSecrets } from './redaction.js';
export {
  type CatalogEntry,
  type CreateServerOptions,
  createRuntimeFromConfig,
  createServer,
  describePlan,
  describeZodError,
  errorResult,
  readToolListings,
  ServerRuntime,
  type ToolSchemas,
  toolListings,
} from './runtime.js';
export { parse, type SettingSpec, type SettingsOf, type SettingsSpec, setting } from './settings.js';
export {
  type Access,
  type AnyToolDefinition,
  type AnyZodObject,
  type CacheFn,
  type CacheOptions,
  type ConfirmArguments,
  type ConfirmCheck,
  type ConfirmPlan,
  type CredentialsFn,
  defineTool,
  deriveAnnotations,
  type RequestCredentials,
  type RequestInfo,
  type ToolContext,
  type ToolDefinition,
} from './tool.js';
