import { isOpsError, type ToolContext } from '@opsmcp/core';
import { isIpAddress, normalizeIp } from '../power/ip.js';
import type { ProviderId } from '../providers/types.js';
import { isNonPublicIp } from './ip.js';
import { type IpinfoAnswer, lookupIp } from './ipinfo.js';

export { isNonPublicIp } from './ip.js';
export { type IpinfoAnswer, type IpinfoLookupOptions, lookupIp, parseIpinfo } from './ipinfo.js';

/**
 * Autonomous systems of each provider's compute networks. The number decides first: the AS
 * holder's name is not always the brand (Vultr's is "The Constant Company, LLC").
 */
export const PROVIDER_ASNS: Readonly<Record<string, ProviderId>> = {
  AS16509: 'aws',
  AS14618: 'aws',
  AS14061: 'digitalocean',
  AS20473: 'vultr',
  AS37963: 'alibaba',
  AS45102: 'alibaba',
  AS24429: 'alibaba',
  AS134963: 'alibaba',
};

/** Name patterns, tried on the AS holder, its domain and the reverse DNS name when the number is unknown. */
export const PROVIDER_NAME_PATTERNS: ReadonlyArray<readonly [ProviderId, RegExp]> = [
  ['digitalocean', /digital\s?ocean/i],
  ['aws', /amazon|amazonaws\.com|\baws\b/i],
  ['vultr', /vultr|the constant company/i],
  ['alibaba', /alibaba|aliyun|alicloud/i],
];

/** How long an answer for one address is reused: AS assignments change rarely. */
export const DETECTION_CACHE_TTL_MS = 10 * 60 * 1000;

export interface Detection {
  provider: ProviderId | null;
  source: 'ipinfo';
  /** Which evidence decided: the AS number or a name; absent when nothing matched. */
  matchedBy?: 'asn' | 'name';
  asn?: string;
  org?: string;
  hostname?: string;
  /** Private or reserved address: no cloud provider can be told from it. */
  bogon?: boolean;
  /** Why ipinfo could not be asked or did not answer (the lookup is then inconclusive, not a failure). */
  error?: string;
}

/** The provider an ipinfo answer points at, by AS number first, then by name. */
export function providerFromIpinfo(answer: IpinfoAnswer): Pick<Detection, 'provider' | 'matchedBy'> {
  if (answer.asn) {
    const byNumber = PROVIDER_ASNS[answer.asn];
    if (byNumber) return { provider: byNumber, matchedBy: 'asn' };
  }
  const names = [answer.org, answer.domain, answer.hostname].filter((v): v is string => v !== null);
  for (const [provider, pattern] of PROVIDER_NAME_PATTERNS) {
    if (names.some((name) => pattern.test(name))) return { provider, matchedBy: 'name' };
  }
  return { provider: null };
}

interface DetectionSettings {
  ipinfoApiUrl?: string;
  ipinfoToken?: string;
  requestTimeoutMs?: number;
  maxRetries?: number;
}

/**
 * Which cloud an IP address belongs to, according to ipinfo. Never throws for an inconclusive
 * lookup: ipinfo being down, rate-limited or not knowing the address gives `provider: null`
 * with the reason, so the caller can go on to ask each configured provider.
 */
// biome-ignore lint/suspicious/noExplicitAny: called from tools of every toolset
export async function detectProviderByIp(ctx: ToolContext<any, any>, ip: string): Promise<Detection> {
  if (!isIpAddress(ip)) {
    return { provider: null, source: 'ipinfo', error: `"${ip.slice(0, 64)}" is not an IP address.` };
  }
  const address = normalizeIp(ip);
  if (isNonPublicIp(address)) {
    return { provider: null, source: 'ipinfo', bogon: true, error: `${address} is a private or reserved address.` };
  }
  const settings = ctx.settings as DetectionSettings;
  let answer: IpinfoAnswer;
  try {
    answer = await ctx.cache(
      ['ipinfo', address],
      () =>
        lookupIp(address, {
          baseUrl: settings.ipinfoApiUrl ?? 'https://ipinfo.io',
          ...(settings.ipinfoToken ? { token: settings.ipinfoToken } : {}),
          timeoutMs: settings.requestTimeoutMs ?? 15_000,
          maxRetries: settings.maxRetries ?? 2,
          signal: ctx.signal,
        }),
      { ttlMs: DETECTION_CACHE_TTL_MS },
    );
  } catch (error) {
    // A cancelled or timed-out call ends here; only the lookup's own failure is inconclusive.
    if (ctx.signal.aborted || (isOpsError(error) && error.code === 'CANCELLED')) throw error;
    const reason = isOpsError(error) ? `${error.code}: ${error.message}` : 'the lookup failed';
    ctx.log.warn('ipinfo lookup failed', { reason });
    return { provider: null, source: 'ipinfo', error: `ipinfo could not be asked about ${address} (${reason})` };
  }
  const found = providerFromIpinfo(answer);
  return {
    provider: found.provider,
    source: 'ipinfo',
    ...(found.matchedBy ? { matchedBy: found.matchedBy } : {}),
    ...(answer.asn ? { asn: answer.asn } : {}),
    ...(answer.org ? { org: answer.org } : {}),
    ...(answer.hostname ? { hostname: answer.hostname } : {}),
    ...(answer.bogon ? { bogon: true } : {}),
  };
}
