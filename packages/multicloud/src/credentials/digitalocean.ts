import { type CredentialProvider, isHeaderSafe, OpsError, parse, setting } from '@opsmcp/core';

/** A DigitalOcean personal access token (or an OAuth token), sent as `Authorization: Bearer`. */
export interface DigitalOceanCredentials {
  token: string;
}

export const DIGITALOCEAN_HEADER_HINT = 'Send the DigitalOcean API token in the X-DigitalOcean-Token header.';

export const digitaloceanSettings = {
  digitaloceanToken: setting({
    schema: parse.string(),
    flag: 'digitalocean-token',
    env: ['DIGITALOCEAN_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN'],
    secret: true,
    description:
      'DigitalOcean API token (scopes: droplet:read, droplet:update for power, actions:read, monitoring:read, reserved_ip:read)',
  }),
};

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/**
 * DigitalOcean: the token from DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN). Per request, the
 * `X-DigitalOcean-Token` header, so `Authorization` stays free for the server's own API key.
 */
export const digitaloceanProvider: CredentialProvider<DigitalOceanCredentials> = {
  id: 'digitalocean',
  title: 'DigitalOcean',
  settings: digitaloceanSettings,
  async fromEnv(settings) {
    const token = text(settings.digitaloceanToken);
    if (!token) {
      throw new OpsError('PROVIDER_NOT_AVAILABLE', 'DigitalOcean is not configured: no API token is set.', {
        retryable: false,
        hint: 'Set DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN, or --digitalocean-token) to a DigitalOcean API token and restart the server.',
      });
    }
    return { token };
  },
  configured: (settings) => text(settings.digitaloceanToken) !== undefined,
  parseHeaders(headers) {
    const token = headers['x-digitalocean-token']?.trim();
    if (!token) return undefined;
    if (!isHeaderSafe(token)) {
      throw new OpsError('INVALID_CREDENTIALS', 'X-DigitalOcean-Token has invalid characters.', {
        hint: DIGITALOCEAN_HEADER_HINT,
      });
    }
    return { token };
  },
  headerHint: DIGITALOCEAN_HEADER_HINT,
  secrets: (credentials) => [credentials.token],
  identity: (credentials) => credentials.token,
};
