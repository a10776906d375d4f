/** Parsers for the values StarRocks sends: SHOW output is all text (`"903.127 GB"`, `"44.72 %"`, `'NULL'`). */

const pad = (n: number) => String(n).padStart(2, '0');

/** Parses an FE datetime string as UTC milliseconds. FE-local time: only differences matter. */
export function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
}

/** A number from a number or numeric string; NULL, empty and 'NULL' become undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (t === '' || t.toUpperCase() === 'NULL') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** `"44.72 %"` -> 44.72. */
export function percent(value: unknown): number | undefined {
  return typeof value === 'string' ? num(value.replace('%', '')) : num(value);
}

const UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 };

/** `"903.127 GB"` / `"0.000 "` / `"15.6GB"` / a number of bytes -> bytes. */
export function bytes(value: unknown): number | undefined {
  if (typeof value !== 'string') return num(value);
  const m = /^\s*([\d.]+)\s*(B|KB|MB|GB|TB|PB)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT[(m[2] ?? 'B').toUpperCase()] ?? 1);
}

export function bool(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** A string, or undefined for SQL NULL / the literal 'NULL' / empty text. */
export function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value);
  return s === '' || s === 'NULL' ? undefined : s;
}

/** JSON text or an already parsed object -> object; anything else -> undefined. */
export function json(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string' || value.trim() === '' || value === 'NULL') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const GiB = 1024 ** 3;

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
