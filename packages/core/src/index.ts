export { type RunCliOptions, runCli } from './cli.js';
export { mapBounded } from './concurrency.js';
export {
  type CliActions,
  ConfigError,
  type ConfigSources,
  helpText,
  parseArgv,
  parseDotEnv,
  printableConfig,
  type ResolvedConfig,
  resolveConfig,
  type SettingSource,
  settingsSpecOf,
} from './config.js';
export { currentRequestContext, type RequestContext, runWithRequestContext } from './context.js';
export { type CoreSettings, coreSettingsSpec, LOG_LEVELS, TRANSPORTS, type Transport } from './core-settings.js';
export {
  parseAlibabaHeaders,
  parseRequestCredentials,
  parseTenantId,
  parseVolcengineAuthorization,
} from './credentials/index.js';
export {
  type AnyServerDefinition,
  type CheckResult,
  type ContextInit,
  type CoreSettingOverride,
  type CredentialSource,
  defineServer,
  type SandboxHandle,
  type ServerDefinition,
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
export { type HttpHandle, serveHttp } from './http/index.js';
export {
  createLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  REDACTED,
  redact,
} from './log.js';
export {
  type CatalogEntry,
  type CreateServerOptions,
  createRuntimeFromConfig,
  createServer,
  describeZodError,
  errorResult,
  ServerRuntime,
} from './runtime.js';
export { parse, type SettingSpec, type SettingsOf, type SettingsSpec, setting } from './settings.js';
export {
  type Access,
  type AnyToolDefinition,
  type AnyZodObject,
  type ConfirmRequest,
  defineTool,
  deriveAnnotations,
  type RequestCredentials,
  type RequestInfo,
  type ToolContext,
  type ToolDefinition,
} from './tool.js';
