import { createHash } from 'node:crypto';
import type { Logger } from './log.js';
import type { CacheOptions } from './tool.js';

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
  close: ((value: unknown) => void | Promise<void>) | undefined;
}

/** Hashes a cache key (and the identity it belongs to): map keys never hold a secret. */
export function cacheKey(identity: string, key: string | readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([identity, key]))
    .digest('base64url');
}

/**
 * The runtime's keyed cache of expensive things (connection pools, SDK clients, kubeconfigs):
 * created once per key, shared by concurrent callers, dropped when expired, least recently used
 * ones evicted beyond `maxEntries`, and all closed by `close()` so nothing outlives the runtime.
 */
export class RuntimeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly log: Logger,
    private readonly maxEntries = 1000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get<V>(hashedKey: string, create: () => V | Promise<V>, options: CacheOptions<V> = {}): Promise<V> {
    if (this.closed) throw new Error('The server is shutting down.');
    const now = Date.now();
    const found = this.entries.get(hashedKey);
    if (found && found.expiresAt > now) {
      // Map order is insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(hashedKey);
      this.entries.set(hashedKey, found);
      return found.value as Promise<V>;
    }
    if (found) this.release(hashedKey, found);

    const entry: Entry = {
      value: Promise.resolve().then(create),
      expiresAt: Number.POSITIVE_INFINITY,
      close: options.close as Entry['close'],
    };
    this.entries.set(hashedKey, entry);
    this.evictBeyondLimit();
    try {
      const value = (await entry.value) as V;
      const ttl = typeof options.ttlMs === 'function' ? options.ttlMs(value) : options.ttlMs;
      if (ttl !== undefined) entry.expiresAt = Date.now() + Math.max(0, ttl);
      if (this.closed) await options.close?.(value);
      return value;
    } catch (error) {
      // A failed creation is not cached: the next call tries again.
      if (this.entries.get(hashedKey) === entry) this.entries.delete(hashedKey);
      throw error;
    }
  }

  private evictBeyondLimit(): void {
    while (this.entries.size > this.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.release(oldest, entry);
    }
  }

  private release(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (!entry.close) return;
    const close = entry.close;
    const done = entry.value
      .then((value) => close(value))
      .catch((error: unknown) => this.log.warn('closing a cached value failed', { error }))
      .finally(() => this.closing.delete(done));
    this.closing.add(done);
  }

  /** Closes every cached value; later `get` calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [key, entry] of [...this.entries]) this.release(key, entry);
    await Promise.all([...this.closing]);
  }
}
