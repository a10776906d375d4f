import { describe, expect, it } from 'vitest';
import { digitaloceanProvider } from '../src/credentials/digitalocean.js';
import { vultrProvider } from '../src/credentials/vultr.js';
import { rejection } from './rest-helpers.js';

describe('digitaloceanProvider', () => {
  it('is configured by digitaloceanToken and hands it out as the only secret', async () => {
    const settings = { digitaloceanToken: ' dop_v1_abc ' };
    expect(digitaloceanProvider.configured(settings)).toBe(true);
    const credentials = await digitaloceanProvider.fromEnv(settings);
    expect(credentials).toEqual({ token: 'dop_v1_abc' });
    expect(digitaloceanProvider.secrets(credentials)).toEqual(['dop_v1_abc']);
  });

  it('is absent without a token: PROVIDER_NOT_AVAILABLE naming DIGITALOCEAN_TOKEN', async () => {
    expect(digitaloceanProvider.configured({})).toBe(false);
    const error = await rejection(digitaloceanProvider.fromEnv({ digitaloceanToken: '  ' }));
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.hint).toContain('DIGITALOCEAN_TOKEN');
  });

  it('reads X-DigitalOcean-Token, leaving Authorization alone, and rejects control characters', () => {
    expect(digitaloceanProvider.parseHeaders({ authorization: 'Bearer x' })).toBeUndefined();
    expect(digitaloceanProvider.parseHeaders({ 'x-digitalocean-token': 'dop_v1_h' })).toEqual({ token: 'dop_v1_h' });
    expect(() => digitaloceanProvider.parseHeaders({ 'x-digitalocean-token': 'a b' })).toThrow(/invalid characters/);
  });
});

describe('vultrProvider', () => {
  it('is configured by vultrApiKey and hands it out as the only secret', async () => {
    const credentials = await vultrProvider.fromEnv({ vultrApiKey: 'KEY123' });
    expect(credentials).toEqual({ apiKey: 'KEY123' });
    expect(vultrProvider.secrets(credentials)).toEqual(['KEY123']);
    expect(vultrProvider.configured({ vultrApiKey: 'KEY123' })).toBe(true);
  });

  it('is absent without a key: PROVIDER_NOT_AVAILABLE naming VULTR_API_KEY', async () => {
    expect(vultrProvider.configured({})).toBe(false);
    const error = await rejection(vultrProvider.fromEnv({}));
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.hint).toContain('VULTR_API_KEY');
  });

  it('reads X-Vultr-Api-Key', () => {
    expect(vultrProvider.parseHeaders({})).toBeUndefined();
    expect(vultrProvider.parseHeaders({ 'x-vultr-api-key': 'K1' })).toEqual({ apiKey: 'K1' });
  });
});
