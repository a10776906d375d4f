import { z } from 'zod';
import type { MetricsMatrix } from './client.js';

/** Bounds of the monitoring tool: the range asked for and the points returned per series. */
export const DIGITALOCEAN_MONITORING = {
  defaultHours: 1,
  /** A week: the range an operator looks at when a droplet misbehaves; longer ranges only get coarser. */
  maxHours: 168,
  /** Longer series are averaged into this many buckets. */
  maxPoints: 360,
} as const;

export interface Point {
  /** Unix seconds. */
  time: number;
  value: number;
}

export const seriesSchema = z.object({
  unit: z.string(),
  points: z.array(z.object({ time: z.string().describe('ISO 8601, UTC'), value: z.number() })),
  average: z.number().nullable(),
  max: z.number().nullable(),
  latest: z.number().nullable(),
});
export type Series = z.infer<typeof seriesSchema>;

/** The (time, value) pairs of a matrix's series, summed over series whose labels match. */
function samplesByTime(matrix: MetricsMatrix, match: (labels: Record<string, string>) => boolean): Map<number, number> {
  const out = new Map<number, number>();
  for (const series of matrix.data?.result ?? []) {
    if (!match(series.metric ?? {})) continue;
    for (const [time, raw] of series.values ?? []) {
      const value = Number(raw);
      const t = Number(time);
      if (!Number.isFinite(value) || !Number.isFinite(t)) continue;
      out.set(t, (out.get(t) ?? 0) + value);
    }
  }
  return out;
}

/**
 * CPU utilisation in percent per interval from the cumulative CPU-seconds counters per mode:
 * between two samples, 1 − Δidle / ΣΔ(all modes). An interval where a counter went backwards
 * (the agent or the droplet restarted) or nothing was counted is skipped; each value is stamped
 * with the interval's end.
 */
export function cpuUtilisation(matrix: MetricsMatrix): Point[] {
  const byMode = new Map<string, Map<number, number>>();
  for (const series of matrix.data?.result ?? []) {
    const mode = series.metric?.mode;
    if (!mode || byMode.has(mode)) continue;
    byMode.set(
      mode,
      samplesByTime(matrix, (labels) => labels.mode === mode),
    );
  }
  const idle = byMode.get('idle');
  if (!idle) return [];
  // Only instants every mode was sampled at can be compared.
  const times = [...idle.keys()].filter((t) => [...byMode.values()].every((m) => m.has(t))).sort((a, b) => a - b);
  const points: Point[] = [];
  for (let i = 1; i < times.length; i++) {
    const before = times[i - 1] as number;
    const after = times[i] as number;
    let total = 0;
    let reset = false;
    for (const samples of byMode.values()) {
      const delta = (samples.get(after) as number) - (samples.get(before) as number);
      if (delta < 0) reset = true;
      total += delta;
    }
    if (reset || total <= 0) continue;
    const idleDelta = (idle.get(after) as number) - (idle.get(before) as number);
    points.push({ time: after, value: (1 - idleDelta / total) * 100 });
  }
  return points;
}

/** A gauge's samples (bandwidth, memory), summed over matching series, sorted by time. */
export function gauge(matrix: MetricsMatrix, match: (labels: Record<string, string>) => boolean = () => true): Point[] {
  return [...samplesByTime(matrix, match).entries()]
    .map(([time, value]) => ({ time, value }))
    .sort((a, b) => a.time - b.time);
}

/** Used memory in percent: 1 − available / total at the instants both were sampled. */
export function memoryUsedPercent(total: Point[], available: Point[]): Point[] {
  const totals = new Map(total.map((p) => [p.time, p.value]));
  return available
    .filter((p) => (totals.get(p.time) ?? 0) > 0)
    .map((p) => ({ time: p.time, value: (1 - p.value / (totals.get(p.time) as number)) * 100 }));
}

/** Averages a sorted series into at most `maxPoints` consecutive buckets (each stamped with its last time). */
export function downsample(points: Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / maxPoints);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({
      time: (bucket[bucket.length - 1] as Point).time,
      value: bucket.reduce((sum, p) => sum + p.value, 0) / bucket.length,
    });
  }
  return out;
}

/** The typical spacing of a series' samples, in seconds (null with fewer than two). */
export function stepOf(points: Point[]): number | null {
  if (points.length < 2) return null;
  const gaps = points.slice(1).map((p, i) => p.time - (points[i] as Point).time);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The output form of a series: ISO times, rounded values, and average / max / latest. */
export function toSeries(points: Point[], unit: string, digits = 2): Series {
  const values = points.map((p) => p.value);
  return {
    unit,
    points: points.map((p) => ({ time: new Date(p.time * 1000).toISOString(), value: round(p.value, digits) })),
    average: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, digits) : null,
    max: values.length ? round(Math.max(...values), digits) : null,
    latest: values.length ? round(values[values.length - 1] as number, digits) : null,
  };
}
