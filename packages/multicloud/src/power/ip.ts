import { isIPv4, isIPv6 } from 'node:net';

/**
 * An IP address in one canonical form, so the same address always compares equal: IPv4 as
 * given (trimmed), IPv6 compressed and lower-cased (RFC 5952: leading zeros dropped, the longest
 * run of two or more zero groups as `::`). Anything that is not an IP comes back trimmed.
 */
export function normalizeIp(value: string): string {
  const trimmed = value.trim();
  const unbracketed = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  if (isIPv4(unbracketed)) return unbracketed;
  if (!isIPv6(unbracketed)) return trimmed;
  return compressIpv6(expandIpv6(unbracketed.toLowerCase()));
}

/** True for an IPv4 or IPv6 address (brackets allowed around IPv6). */
export function isIpAddress(value: string): boolean {
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  return isIPv4(v) || isIPv6(v);
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail becomes two groups). */
function expandIpv6(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
