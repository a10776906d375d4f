import dns from 'node:dns';

/**
 * The SLS SDK always connects to `<project>.<endpoint>` and takes no agent or lookup of its own,
 * so a local SLS endpoint (the sandbox's) needs its name, and every `<project>.` name under it,
 * to resolve to the loopback address. This maps one reserved domain (`sls.test`: `.test` never
 * resolves on the internet) and its sub-domains to 127.0.0.1 and passes every other name to
 * the system resolver untouched. Only the sandbox and the tests install it.
 */

type LookupCallback = (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;

const domains = new Set<string>();
let original: typeof dns.lookup | undefined;

function matches(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  for (const domain of domains) if (name === domain || name.endsWith(`.${domain}`)) return true;
  return false;
}

/** Resolves `domain` and its sub-domains to 127.0.0.1 until the returned function is called. */
export function resolveDomainToLoopback(domain: string): () => void {
  const name = domain.toLowerCase();
  domains.add(name);
  if (!original) {
    const system = dns.lookup;
    original = system;
    const lookup = (hostname: string, options: unknown, callback?: unknown) => {
      const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
      if (typeof hostname !== 'string' || !matches(hostname)) {
        return (system as (...args: unknown[]) => void)(hostname, options, callback);
      }
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
      process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
      return undefined;
    };
    (dns as { lookup: unknown }).lookup = lookup;
  }
  return () => {
    domains.delete(name);
    if (domains.size === 0 && original) {
      (dns as { lookup: unknown }).lookup = original;
      original = undefined;
    }
  };
}
