import {
  type AlibabaCredentials,
  type CacheFn,
  type ContextInit,
  type CoreSettings,
  type Logger,
  OpsError,
  type SettingsOf,
} from '@opsmcp/core';
import { type ackSettings, REGION_PATTERN } from '../settings.js';
import { CsApi, type CsSdkClient, type CsSdkModels } from './client.js';
import { type CsEndpoint, defaultCsHost, parseCsEndpoint } from './endpoint.js';

export type AckSettings = SettingsOf<typeof ackSettings> & CoreSettings;

interface LoadedCs {
  sdk: CsSdkClient;
  models: CsSdkModels;
}

/**
 * A module's CommonJS export under native ESM is `{ default: module.exports }`, whose own
 * `default` is the class; bundlers and test runners sometimes unwrap one level already.
 */
function defaultExport<T>(loaded: unknown): T {
  const outer = (loaded as { default?: unknown }).default ?? loaded;
  if (typeof outer === 'function') return outer as T;
  return ((outer as { default?: unknown }).default ?? outer) as T;
}

/**
 * The region CS calls go to: the request's own (`X-Aliyun-Region`), else the cluster's when the
 * caller knows it, else the configured one.
 */
export function chooseRegion(credentials: AlibabaCredentials, settingsRegion: string, clusterRegion?: string): string {
  const region =
    (credentials.kind === 'access_key' ? credentials.region : undefined) ?? clusterRegion ?? settingsRegion;
  if (!REGION_PATTERN.test(region)) {
    throw new OpsError('INVALID_ARGUMENT', `"${region.slice(0, 40)}" is not a region id such as cn-hangzhou.`);
  }
  return region;
}

/** Builds the SDK client; the SDK and the credentials library load here, on the first CS call. */
async function createCsSdk(
  credentials: AlibabaCredentials,
  region: string,
  endpoint: CsEndpoint | undefined,
  timeoutMs: number,
): Promise<LoadedCs> {
  const [csModule, coreModule] = await Promise.all([import('@alicloud/cs20151215'), import('@alicloud/openapi-core')]);
  const Cs = defaultExport<new (config: unknown) => CsSdkClient>(csModule);
  const util = ((coreModule as { $OpenApiUtil?: unknown }).$OpenApiUtil ??
    (coreModule as { default: { $OpenApiUtil: unknown } }).default.$OpenApiUtil) as CsSdkModels & {
    Config: new (map: Record<string, unknown>) => unknown;
  };
  const config: Record<string, unknown> = {
    regionId: region,
    // The SDK's own default is 3 s, too short for a busy CS API.
    readTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
  };
  if (endpoint) {
    config.endpoint = endpoint.host;
    config.protocol = endpoint.protocol;
  }
  if (credentials.kind === 'access_key') {
    config.accessKeyId = credentials.accessKeyId;
    config.accessKeySecret = credentials.accessKeySecret;
    if (credentials.securityToken) config.securityToken = credentials.securityToken;
  } else {
    // RRSA/OIDC, profiles, the instance's RAM role: the official chain, refreshed by the library.
    const Credential = defaultExport<new () => unknown>(await import('@alicloud/credentials'));
    config.credential = new Credential();
  }
  return { sdk: new Cs(new util.Config(config)), models: { Params: util.Params, OpenApiRequest: util.OpenApiRequest } };
}

export interface BuildCsApiOptions {
  credentials: AlibabaCredentials;
  settings: Pick<AckSettings, 'region' | 'csEndpoint' | 'apiTimeout' | 'maxRetries'>;
  /** The region of the cluster the calls are about, when known. */
  clusterRegion?: string;
  /** Where SDK clients are kept between calls (the runtime's, per credential identity). */
  cache?: CacheFn;
  signal?: AbortSignal;
  log?: Logger;
  maxRetries?: number;
}

/** A CS API over an SDK client for these credentials, region and endpoint. */
export async function buildCsApi(options: BuildCsApiOptions): Promise<CsApi> {
  const { settings, credentials } = options;
  const region = chooseRegion(credentials, settings.region, options.clusterRegion);
  const endpoint = settings.csEndpoint ? parseCsEndpoint(settings.csEndpoint) : undefined;
  const timeoutMs = settings.apiTimeout * 1000;
  const create = () => createCsSdk(credentials, region, endpoint, timeoutMs);
  const loaded = options.cache
    ? await options.cache(['cs', region, endpoint?.protocol ?? 'https', endpoint?.host ?? '', timeoutMs], create)
    : await create();
  return new CsApi({
    ...loaded,
    region,
    endpoint: endpoint?.host ?? defaultCsHost(region),
    maxRetries: options.maxRetries ?? settings.maxRetries,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

/** The CS API for one tool call, its SDK client shared by the calls with the same credentials. */
export async function openCsApi(init: ContextInit<AckSettings>, clusterRegion?: string): Promise<CsApi> {
  return buildCsApi({
    credentials: await init.credentials<AlibabaCredentials>('alibaba'),
    settings: init.settings,
    ...(clusterRegion ? { clusterRegion } : {}),
    cache: init.cache,
    signal: init.signal,
    log: init.log,
  });
}
