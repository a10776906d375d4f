import type { ToolContext } from '@opsmcp/core';
import { createMemoryLogger } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectProviderByIp, parseIpinfo, providerFromIpinfo } from '../src/detect/index.js';
import type { FakeIpinfo } from '../src/sandbox/ipinfo-fake.js';
import { IPINFO_TOKEN, startIpinfo } from './rest-helpers.js';

let fake: FakeIpinfo;

beforeAll(async () => {
  fake = await startIpinfo();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.clearFailures();
});

/** The parts of a tool context detection uses, pointed at the fake. */
function context(settings: Record<string, unknown> = {}) {
  const { log, lines } = createMemoryLogger();
  const ctx = {
    settings: { ipinfoApiUrl: fake.url, ipinfoToken: IPINFO_TOKEN, requestTimeoutMs: 2000, maxRetries: 0, ...settings },
    signal: new AbortController().signal,
    log,
    cache: async (_key: unknown, create: () => unknown) => create(),
  } as unknown as ToolContext;
  return { ctx, lines };
}

describe('ipinfo answers', () => {
  it('reads the free shape: ASN and holder from "org"', () => {
    expect(parseIpinfo('192.0.2.30', { ip: '192.0.2.30', org: 'AS20473 The Constant Company, LLC' })).toMatchObject({
      asn: 'AS20473',
      org: 'The Constant Company, LLC',
      bogon: false,
    });
  });

  it('reads the paid shape (asn object) and the lite shape (asn + as_name)', () => {
    expect(
      parseIpinfo('198.51.100.22', {
        ip: '198.51.100.22',
        asn: { asn: 'AS14061', name: 'DigitalOcean, LLC', domain: 'digitalocean.com' },
      }),
    ).toMatchObject({ asn: 'AS14061', org: 'DigitalOcean, LLC', domain: 'digitalocean.com' });
    expect(
      parseIpinfo('203.0.113.42', { ip: '203.0.113.42', asn: 'AS45102', as_name: 'Alibaba (US) Technology Co., Ltd.' }),
    ).toMatchObject({
      asn: 'AS45102',
      org: 'Alibaba (US) Technology Co., Ltd.',
    });
  });

  it('reads a bogon answer', () => {
    expect(parseIpinfo('10.0.0.1', { ip: '10.0.0.1', bogon: true })).toMatchObject({ bogon: true, asn: null });
  });
});

describe('provider from an ipinfo answer', () => {
  const answer = (fields: Partial<ReturnType<typeof parseIpinfo>>) => ({
    ip: '192.0.2.1',
    asn: null,
    org: null,
    domain: null,
    hostname: null,
    country: null,
    bogon: false,
    ...fields,
  });

  it.each([
    ['AS16509', 'aws'],
    ['AS14618', 'aws'],
    ['AS14061', 'digitalocean'],
    ['AS20473', 'vultr'],
    ['AS37963', 'alibaba'],
    ['AS45102', 'alibaba'],
    ['AS24429', 'alibaba'],
    ['AS134963', 'alibaba'],
  ])('maps %s to %s by number', (asn, provider) => {
    expect(providerFromIpinfo(answer({ asn, org: 'Some Holder' }))).toEqual({ provider, matchedBy: 'asn' });
  });

  it('falls back to names: holder, then reverse DNS (vultrusercontent.com)', () => {
    expect(providerFromIpinfo(answer({ asn: 'AS64500', org: 'Digital Ocean Inc' }))).toEqual({
      provider: 'digitalocean',
      matchedBy: 'name',
    });
    expect(providerFromIpinfo(answer({ hostname: '192.0.2.32.vultrusercontent.com' }))).toEqual({
      provider: 'vultr',
      matchedBy: 'name',
    });
    expect(providerFromIpinfo(answer({ hostname: 'ec2-1-2-3-4.compute-1.amazonaws.com' }))).toEqual({
      provider: 'aws',
      matchedBy: 'name',
    });
  });

  it('says unknown for other networks', () => {
    expect(providerFromIpinfo(answer({ asn: 'AS64496', org: 'Example Transit Networks' }))).toEqual({ provider: null });
  });
});

describe('detectProviderByIp against the ipinfo fake', () => {
  it('detects Vultr by AS20473 although its holder is "The Constant Company" and there\'s no hostname', async () => {
    const { ctx } = context();
    const detection = await detectProviderByIp(ctx, '192.0.2.31');
    expect(detection).toEqual({
      provider: 'vultr',
      source: 'ipinfo',
      matchedBy: 'asn',
      asn: 'AS20473',
      org: 'The Constant Company, LLC',
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe('/192.0.2.31');
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${IPINFO_TOKEN}`);
    expect(fake.requests[0]?.query).toEqual({});
  });

  it('detects by name when the answer has only a reverse DNS name', async () => {
    const { ctx } = context();
    expect(await detectProviderByIp(ctx, '192.0.2.32')).toMatchObject({ provider: 'vultr', matchedBy: 'name' });
  });

  it('reads the paid-plan shape from the fake', async () => {
    const { ctx } = context();
    expect(await detectProviderByIp(ctx, '198.51.100.22')).toMatchObject({ provider: 'digitalocean', asn: 'AS14061' });
  });

  it('answers unknown for a network of no provider', async () => {
    const { ctx } = context();
    expect(await detectProviderByIp(ctx, '203.0.113.99')).toEqual({
      provider: null,
      source: 'ipinfo',
      asn: 'AS64496',
      org: 'Example Transit Networks',
    });
  });

  it('never sends a private address to ipinfo', async () => {
    const { ctx } = context();
    expect(await detectProviderByIp(ctx, '10.1.2.3')).toMatchObject({ provider: null, bogon: true });
    expect(fake.requests).toHaveLength(0);
  });

  it('calls ipinfo without a token when none is set', async () => {
    const open = await startIpinfo({ tokens: [] });
    try {
      const { ctx } = context({ ipinfoApiUrl: open.url, ipinfoToken: undefined });
      expect(await detectProviderByIp(ctx, '198.51.100.20')).toMatchObject({ provider: 'digitalocean' });
      expect(open.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await open.stop();
    }
  });

  it('turns an ipinfo failure into an inconclusive answer with the reason, never the token', async () => {
    const { ctx, lines } = context({ ipinfoToken: 'wrong-token-value-77' });
    const detection = await detectProviderByIp(ctx, '192.0.2.30');
    expect(detection.provider).toBeNull();
    expect(detection.error).toContain('PERMISSION_DENIED');
    expect(JSON.stringify(detection)).not.toContain('wrong-token-value-77');
    expect(lines.join('\n')).not.toContain('wrong-token-value-77');
  });

  it('turns an unreachable ipinfo into an inconclusive answer', async () => {
    const { ctx } = context({ ipinfoApiUrl: 'http://127.0.0.1:1' });
    const detection = await detectProviderByIp(ctx, '192.0.2.30');
    expect(detection).toMatchObject({ provider: null, source: 'ipinfo' });
    expect(detection.error).toContain('PROVIDER_NOT_AVAILABLE');
  });
});
