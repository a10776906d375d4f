import { OpsError } from '@opsmcp/core';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Accepted time text: ISO 8601, `now`, or an age such as `30m`, `1h`, `2d` (before now). */
export const TIME_TEXT_PATTERN = /^(now|\d{1,6}[smhdw]|\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?(Z|[+-]\d{2}:?\d{2})?)$/;

/** Milliseconds since the epoch of a time text, relative to `now`. */
export function parseTimeText(value: string, field: string, now: number = Date.now()): number {
  const text = value.trim();
  if (text === 'now') return now;
  const age = /^(\d{1,6})([smhdw])$/.exec(text);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS];
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new OpsError('INVALID_ARGUMENT', `${field} "${text.slice(0, 40)}" is not a time.`, {
      hint: 'Use ISO 8601 (2025-11-03T10:00:00+08:00), now, or an age such as 30m, 1h, 2d.',
    });
  }
  return ms;
}
