/**
 * FE datetimes (`YYYY-MM-DD HH:MM:SS`, FE-local) as UTC milliseconds and back. The simulated
 * cluster only compares and shifts them, so the time zone never matters. Kept here so the sandbox
 * shares no code with the diagnostics it answers.
 */
export function feTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export function feDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
