import { OpsError } from '@opsmcp/core';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/** Accepted time text: RFC 3339 / ISO 8601, unix seconds or milliseconds, `now`, or an age (`30m`, `2h`, `7d`). */
export const TIME_PATTERN =
  /^(now|now-\d{1,6}[smhdw]|\d{1,6}[smhdw]|\d{9,13}(\.\d+)?|\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?(Z|[+-]\d{2}:?\d{2})?)$/i;

export const TIME_HINT =
  'Use RFC 3339 (2025-11-03T10:00:00+08:00), unix seconds (1762135200), now, or an age before now such as 30m, 2h, 7d.';

/**
 * Unix seconds (fractional allowed) of a time text. An age (`30m`, `now-30m`) counts back from
 * `nowMs`; a 13-digit number is read as milliseconds, a shorter one as seconds.
 */
export function parseTime(value: string, field: string, nowMs: number = Date.now()): number {
  const text = value.trim();
  const now = nowMs / 1000;
  if (/^now$/i.test(text)) return now;
  const age = /^(?:now-)?(\d{1,6})([smhdw])$/i.exec(text);
  if (age) return now - Number(age[1]) * UNIT_SECONDS[(age[2] as string).toLowerCase() as keyof typeof UNIT_SECONDS];
  if (/^\d{9,13}(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return text.split('.')[0]!.length >= 13 ? n / 1000 : n;
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new OpsError('INVALID_ARGUMENT', `${field} "${text.slice(0, 40)}" is not a time.`, { hint: TIME_HINT });
  }
  return ms / 1000;
}

/** A start/end pair in unix seconds, checked to be in order. */
export function parseTimeRange(
  start: string,
  end: string | undefined,
  nowMs: number = Date.now(),
): { start: number; end: number } {
  const from = parseTime(start, 'start_time', nowMs);
  const to = end === undefined ? nowMs / 1000 : parseTime(end, 'end_time', nowMs);
  if (!(from < to)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `start_time (${new Date(from * 1000).toISOString()}) must be before end_time (${new Date(to * 1000).toISOString()}).`,
      { hint: TIME_HINT },
    );
  }
  return { start: from, end: to };
}

/** Seconds as an RFC 3339 UTC text. */
export const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();
