import { type CredentialProvider, isHeaderSafe, OpsError, parse, setting } from '@opsmcp/core';

/** A Vultr API key, sent as `Authorization: Bearer`. */
export interface VultrCredentials {
  apiKey: string;
}

export const VULTR_HEADER_HINT = 'Send the Vultr API key in the X-Vultr-Api-Key header.';

export const vultrSettings = {
  vultrApiKey: setting({
    schema: parse.string(),
    flag: 'vultr-api-key',
    env: ['VULTR_API_KEY'],
    secret: true,
    description: "Vultr API key (its access control list must allow this server's IP address)",
  }),
};

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/**
 * Vultr: the API key from VULTR_API_KEY. Per request, the `X-Vultr-Api-Key` header, so
 * `Authorization` stays free for the server's own API key.
 */
export const vultrProvider: CredentialProvider<VultrCredentials> = {
  id: 'vultr',
  title: 'Vultr',
  settings: vultrSettings,
  async fromEnv(settings) {
    const apiKey = text(settings.vultrApiKey);
    if (!apiKey) {
      throw new OpsError('PROVIDER_NOT_AVAILABLE', 'Vultr is not configured: no API key is set.', {
        retryable: false,
        hint: "Set VULTR_API_KEY (or --vultr-api-key) to a Vultr API key, allow this host in the key's access control list, and restart the server.",
      });
    }
    return { apiKey };
  },
  configured: (settings) => text(settings.vultrApiKey) !== undefined,
  parseHeaders(headers) {
    const apiKey = headers['x-vultr-api-key']?.trim();
    if (!apiKey) return undefined;
    if (!isHeaderSafe(apiKey)) {
      throw new OpsError('INVALID_CREDENTIALS', 'X-Vultr-Api-Key has invalid characters.', { hint: VULTR_HEADER_HINT });
    }
    return { apiKey };
  },
  headerHint: VULTR_HEADER_HINT,
  secrets: (credentials) => [credentials.apiKey],
  identity: (credentials) => credentials.apiKey,
};
