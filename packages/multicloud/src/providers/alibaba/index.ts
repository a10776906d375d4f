import { alibabaProvider } from '@opsmcp/core';
import { assertAvailable } from '../availability.js';
import type { ProviderModule } from '../types.js';
import { findAlibabaByIp, getAlibabaInstance, powerAlibabaInstance } from './instances.js';

/**
 * Core's Alibaba Cloud credentials, counted as configured with a key pair or when the default
 * chain has something to go on (a profile, an OIDC role, a credentials file). The chain reads
 * those from the process environment itself, so that is where they are looked for.
 */
export const alibabaCredentials: typeof alibabaProvider = {
  ...alibabaProvider,
  configured: (settings) =>
    alibabaProvider.configured(settings) ||
    alibabaProvider.chainVariables.some((name) => Boolean(process.env[name]?.trim())),
};

/** Alibaba Cloud ECS: queries and power operations. */
export const alibabaModule: ProviderModule = {
  id: 'alibaba',
  title: 'Alibaba Cloud ECS',
  credentials: alibabaCredentials,
  async findByIp(ctx, ip) {
    assertAvailable(ctx, alibabaModule);
    return (await findAlibabaByIp(ctx, ip)).map((i) => i.summary);
  },
  async getInstance(ctx, id, region) {
    assertAvailable(ctx, alibabaModule);
    return (await getAlibabaInstance(ctx, id, region)).summary;
  },
  power: (ctx, id, action, options) => powerAlibabaInstance(ctx, id, action, options.region),
};

export { type AlibabaInstance, ECS_INSTANCE_ID, findAlibabaByIp, getAlibabaInstance } from './instances.js';
