import { OpsError, requestJson } from '@opsmcp/core';

export const IPINFO_SERVICE = 'ipinfo';

/** What ipinfo says about one address, from any of its response shapes. */
export interface IpinfoAnswer {
  ip: string;
  /** `AS20473`, from `org` ("AS20473 The Constant Company, LLC"), `asn.asn` or the lite API's `asn`. */
  asn: string | null;
  /** The AS holder's name ("The Constant Company, LLC"). */
  org: string | null;
  /** The AS holder's domain, when the plan reports it. */
  domain: string | null;
  hostname: string | null;
  country: string | null;
  /** Private or reserved addresses: ipinfo knows nothing about them. */
  bogon: boolean;
}

export interface IpinfoLookupOptions {
  /** e.g. https://ipinfo.io */
  baseUrl: string;
  /** Optional: ipinfo answers without one, at low rate limits. */
  token?: string;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

/** `GET {base}/{ip}`, with the token as a Bearer header (never in the query, where it could be logged). */
export async function lookupIp(ip: string, options: IpinfoLookupOptions): Promise<IpinfoAnswer> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const response = await requestJson<unknown>({
    service: IPINFO_SERVICE,
    method: 'GET',
    url: `${base}/${encodeURIComponent(ip)}`,
    ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    read: true,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return parseIpinfo(ip, response.body);
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** Reads the free (`org`), paid (`asn` object) and lite (`asn`, `as_name`) shapes alike. */
export function parseIpinfo(ip: string, body: unknown): IpinfoAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OpsError(
      'UPSTREAM_ERROR',
      `${IPINFO_SERVICE} answered the lookup of ${ip} with something other than a JSON object.`,
      {
        retryable: false,
      },
    );
  }
  const record = body as Record<string, unknown>;
  let asn: string | null = null;
  let org: string | null = null;
  let domain: string | null = null;
  if (typeof record.asn === 'object' && record.asn !== null) {
    const object = record.asn as Record<string, unknown>;
    asn = text(object.asn);
    org = text(object.name);
    domain = text(object.domain);
  } else if (text(record.asn)) {
    asn = text(record.asn);
    org = text(record.as_name);
    domain = text(record.as_domain);
  }
  const orgField = text(record.org);
  if (orgField) {
    const match = /^(AS\d+)\s+(.*)$/i.exec(orgField);
    if (match) {
      asn ??= (match[1] as string).toUpperCase();
      org ??= text(match[2]);
    } else {
      org ??= orgField;
    }
  }
  return {
    ip: text(record.ip) ?? ip,
    asn: asn ? normalizeAsn(asn) : null,
    org,
    domain,
    hostname: text(record.hostname),
    country: text(record.country_code) ?? text(record.country),
    bogon: record.bogon === true,
  };
}

/** `AS20473`, whether the source wrote `AS20473`, `as20473` or `20473`. */
function normalizeAsn(value: string): string | null {
  const match = /^(?:AS)?(\d+)$/i.exec(value.trim());
  return match ? `AS${match[1]}` : null;
}
