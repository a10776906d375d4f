import { BlockList, isIP } from 'node:net';

/** Address ranges that are never a cloud VM's public address (private, loopback, link-local, CGNAT…). */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for private, loopback, link-local, CGNAT and multicast addresses. */
export function isNonPublicIp(ip: string): boolean {
  const version = isIP(ip);
  if (version === 0) return false;
  return NON_PUBLIC.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}
