import { REDACTED } from './log.js';

/** Shorter strings would match innocent text; secrets core knows are longer than this. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces every known secret value wherever it appears in a result (strings at any depth,
 * object keys included). Tool output is data for the model: unlike logs it is not masked by key
 * name, only by value, so a field called `credentialType` survives.
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const list = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (list.length === 0) return value;
  const scrub = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
      return out;
    }
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((item) => scrub(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[scrub(k, depth + 1) as string] = scrub(item, depth + 1);
    return out;
  };
  return scrub(value, 0) as T;
}
