import type { AlibabaCredentials } from '@opsmcp/core';

/**
 * A module's CommonJS export under native ESM is `{ default: module.exports }`, whose own
 * `default` is the class; bundlers and test runners sometimes unwrap one level already.
 */
export function defaultExport<T>(loaded: unknown): T {
  const outer = (loaded as { default?: unknown }).default ?? loaded;
  if (typeof outer === 'function') return outer as T;
  return ((outer as { default?: unknown }).default ?? outer) as T;
}

/** The credential part of an Alibaba Cloud SDK config: the keys, or the official default chain. */
export async function credentialConfig(credentials: AlibabaCredentials): Promise<Record<string, unknown>> {
  if (credentials.kind === 'access_key') {
    return {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
    };
  }
  // RRSA/OIDC, profiles, the instance's RAM role: the official chain, refreshed by the library.
  const Credential = defaultExport<new () => unknown>(await import('@alicloud/credentials'));
  return { credential: new Credential() };
}

/** A stable text for a credential identity, for cache keys (never the secret itself). */
export function credentialIdentity(credentials: AlibabaCredentials): string {
  return credentials.kind === 'access_key' ? `ak:${credentials.accessKeyId}` : 'chain';
}
