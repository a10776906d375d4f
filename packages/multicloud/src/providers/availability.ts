import { OpsError, type ToolContext } from '@opsmcp/core';
import type { ProviderId, ProviderModule } from './types.js';

/** What to set to make each provider available (names only, never values). */
export const PROVIDER_VARIABLES: Readonly<Record<ProviderId, string>> = {
  aws: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE)',
  digitalocean: 'DIGITALOCEAN_TOKEN',
  vultr: 'VULTR_API_KEY',
  alibaba:
    'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALIBABA_CLOUD_PROFILE, ALIBABA_CLOUD_ROLE_ARN with an OIDC token file, ALIBABA_CLOUD_CREDENTIALS_FILE)',
};

/** Whether the server has credentials for this provider (without reading any secret's value out). */
export function isAvailable(module: ProviderModule, settings: Record<string, unknown>): boolean {
  return module.credentials.configured(settings);
}

/** PROVIDER_NOT_AVAILABLE, naming what to set, unless the provider is configured. */
// biome-ignore lint/suspicious/noExplicitAny: any tool's context
export function assertAvailable(ctx: ToolContext<any, any>, module: ProviderModule): void {
  if (isAvailable(module, ctx.settings as Record<string, unknown>)) return;
  throw new OpsError('PROVIDER_NOT_AVAILABLE', `${module.title} is not configured on this server.`, {
    hint: `Set ${PROVIDER_VARIABLES[module.id]} in the server's environment and restart it.`,
  });
}

/**
 * The env variables (names only) behind the provider's settings that have a value, plus the
 * default-chain variables set in the process environment. Never a value.
 */
export function variablesSet(
  module: ProviderModule,
  settings: Record<string, unknown>,
  chainVariables: readonly string[] = [],
): string[] {
  const names: string[] = [];
  for (const [key, spec] of Object.entries(module.credentials.settings)) {
    const value = settings[key];
    const set = typeof value === 'string' ? value.trim() !== '' : value === true;
    if (set && spec.env[0]) names.push(spec.env[0]);
  }
  for (const name of chainVariables) if (process.env[name]?.trim()) names.push(name);
  return names;
}
