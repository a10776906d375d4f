import { type AlibabaCredentials, backoffDelay, OpsError, sleep, type ToolContext } from '@opsmcp/core';
import { isRetryableAlibabaError, mapAlibabaError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** The settings the ECS client reads. */
export interface AlibabaClientSettings {
  alibabaRegion: string;
  alibabaRegions?: string[] | undefined;
  alibabaEcsEndpoint?: string | undefined;
  requestTimeoutMs: number;
  maxRetries: number;
}

type EcsModule = typeof import('@alicloud/ecs20140526');
export type EcsModels = EcsModule;
/** The SDK's client class instance. */
export type EcsClient = InstanceType<EcsModule['default']>;

/** The SDK client and its request classes. */
export interface LoadedEcs {
  client: EcsClient;
  models: EcsModels;
}

const settingsOf = (ctx: AnyContext) => ctx.settings as AlibabaClientSettings;

export function alibabaRegionOf(ctx: AnyContext, region?: string): string {
  return region ?? settingsOf(ctx).alibabaRegion;
}

/** The regions an IP lookup searches: ALIBABA_CLOUD_REGIONS, else the default region. */
export function alibabaSearchRegions(ctx: AnyContext): string[] {
  const s = settingsOf(ctx);
  return s.alibabaRegions?.length ? [...new Set(s.alibabaRegions)] : [s.alibabaRegion];
}

/** `https://host:port/` → the SDK's `endpoint` (host:port, no scheme) and `protocol`. */
export function splitEndpoint(url: string): { endpoint: string; protocol: 'HTTP' | 'HTTPS' } {
  const parsed = new URL(url);
  return { endpoint: parsed.host, protocol: parsed.protocol === 'http:' ? 'HTTP' : 'HTTPS' };
}

/**
 * The CommonJS module under native ESM is `{ default: module.exports }`; bundlers may unwrap
 * one level. Either way the exports object holds the request classes and `default` the client.
 */
function exportsOf(loaded: unknown): EcsModule {
  const outer = (loaded as { default?: unknown }).default;
  return (outer && typeof outer === 'object' ? outer : loaded) as EcsModule;
}

async function createEcs(ctx: AnyContext, region: string): Promise<LoadedEcs> {
  const settings = settingsOf(ctx);
  const credentials = await ctx.credentials<AlibabaCredentials>('alibaba');
  const [ecsLoaded, coreLoaded] = await Promise.all([
    import('@alicloud/ecs20140526'),
    import('@alicloud/openapi-core'),
  ]);
  const ecs = exportsOf(ecsLoaded);
  const core = ((coreLoaded as { $OpenApiUtil?: unknown }).$OpenApiUtil ??
    (coreLoaded as unknown as { default: { $OpenApiUtil: unknown } }).default.$OpenApiUtil) as {
    Config: new (map: Record<string, unknown>) => unknown;
  };
  const config: Record<string, unknown> = {
    regionId: region,
    readTimeout: settings.requestTimeoutMs,
    connectTimeout: Math.min(settings.requestTimeoutMs, 10_000),
  };
  if (settings.alibabaEcsEndpoint) Object.assign(config, splitEndpoint(settings.alibabaEcsEndpoint));
  if (credentials.kind === 'access_key') {
    config.accessKeyId = credentials.accessKeyId;
    config.accessKeySecret = credentials.accessKeySecret;
    if (credentials.securityToken) config.securityToken = credentials.securityToken;
  } else {
    // Profiles, RRSA/OIDC, the instance's RAM role: the official chain, refreshed by the library.
    const loaded = (await import('@alicloud/credentials')) as unknown as { default: unknown };
    const outer = loaded.default as { default?: unknown } | (new () => unknown);
    const Credential = (typeof outer === 'function' ? outer : outer.default) as new () => unknown;
    config.credential = new Credential();
  }
  const Client = ecs.default as unknown as new (config: unknown) => EcsClient;
  return { client: new Client(new core.Config(config)), models: ecs };
}

/** The ECS client of one region, created on first use (the SDK is imported then) and cached. */
export function ecsClient(ctx: AnyContext, region: string): Promise<LoadedEcs> {
  const s = settingsOf(ctx);
  return ctx.cache(['alibaba-ecs', region, s.alibabaEcsEndpoint ?? '', s.requestTimeoutMs], () =>
    createEcs(ctx, region),
  );
}

/** Options of one SDK call: its timeouts. */
export function runtimeOf(ctx: AnyContext) {
  const s = settingsOf(ctx);
  return { readTimeout: s.requestTimeoutMs, connectTimeout: Math.min(s.requestTimeoutMs, 10_000) } as never;
}

/**
 * One ECS call. Reads retry (bounded, with backoff) after throttling, a 5xx or a lost
 * connection; writes are sent once. Errors come back as core errors with the RequestId.
 */
export async function callEcs<T>(
  ctx: AnyContext,
  what: string,
  read: boolean,
  call: () => Promise<T>,
  state?: string,
): Promise<T> {
  const attempts = read ? settingsOf(ctx).maxRetries + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw new OpsError('CANCELLED', `${what} was cancelled.`);
    try {
      return await call();
    } catch (error) {
      if (attempt < attempts && isRetryableAlibabaError(error)) {
        await sleep(backoffDelay(attempt), ctx.signal);
        continue;
      }
      throw mapAlibabaError(error, what, state);
    }
  }
}
