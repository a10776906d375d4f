import { describe, expect, it } from 'vitest';
import {
  cpuUtilisation,
  downsample,
  gauge,
  memoryUsedPercent,
  stepOf,
  toSeries,
} from '../src/providers/digitalocean/monitoring.js';

/** The monitoring API's CPU answer: cumulative CPU-seconds per mode at two instants 120 s apart. */
const cpuMatrix = {
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      {
        metric: { host_id: '401234567', mode: 'idle' },
        values: [
          [1709888100, '182311.42'],
          [1709888220, '182426.90'],
        ],
      },
      {
        metric: { host_id: '401234567', mode: 'user' },
        values: [
          [1709888100, '9120.55'],
          [1709888220, '9124.80'],
        ],
      },
      {
        metric: { host_id: '401234567', mode: 'system' },
        values: [
          [1709888100, '3301.10'],
          [1709888220, '3302.05'],
        ],
      },
    ],
  },
} as const;

describe('CPU utilisation from cumulative counters', () => {
  it('is 1 − Δidle/ΣΔ per interval (hand-computed: Δidle 115.48 of ΣΔ 120.68 → 4.31 %)', () => {
    const points = cpuUtilisation(cpuMatrix as never);
    expect(points).toHaveLength(1);
    expect(points[0]?.time).toBe(1709888220);
    // Δidle = 182426.90 − 182311.42 = 115.48; Δuser = 4.25; Δsystem = 0.95; ΣΔ = 120.68.
    // 1 − 115.48 / 120.68 = 5.20 / 120.68 = 0.043089…
    expect(points[0]?.value).toBeCloseTo(4.3089, 3);
  });

  it('sorts out-of-order samples and skips an interval where a counter went backwards', () => {
    const matrix = {
      data: {
        result: [
          {
            metric: { mode: 'idle' },
            values: [
              [300, '90'],
              [100, '10'],
              [200, '50'],
              [400, '5'],
            ],
          },
          {
            metric: { mode: 'user' },
            values: [
              [100, '0'],
              [400, '1'],
              [300, '30'],
              [200, '10'],
            ],
          },
        ],
      },
    };
    const points = cpuUtilisation(matrix as never);
    // 100→200: Δidle 40, Δuser 10 → 20 %; 200→300: Δidle 40, Δuser 20 → 33.33 %; 300→400: reset, skipped.
    expect(points.map((p) => p.time)).toEqual([200, 300]);
    expect(points[0]?.value).toBeCloseTo(20, 6);
    expect(points[1]?.value).toBeCloseTo(33.333, 2);
  });

  it('gives nothing without an idle series', () => {
    expect(cpuUtilisation({ data: { result: [] } })).toEqual([]);
  });
});

describe('gauges, memory and bounds', () => {
  it('reads bandwidth samples sorted by time', () => {
    const points = gauge({
      data: {
        result: [
          {
            metric: { direction: 'outbound' },
            values: [
              [1709888220, '0.9127'],
              [1709888100, '0.8413'],
            ],
          },
        ],
      },
    } as never);
    expect(points).toEqual([
      { time: 1709888100, value: 0.8413 },
      { time: 1709888220, value: 0.9127 },
    ]);
    expect(stepOf(points)).toBe(120);
  });

  it('computes memory used as 1 − available/total', () => {
    const used = memoryUsedPercent(
      [{ time: 60, value: 4096 }],
      [
        { time: 60, value: 1024 },
        { time: 120, value: 2048 },
      ],
    );
    expect(used).toEqual([{ time: 60, value: 75 }]);
  });

  it('averages long series into at most maxPoints buckets, and summarises them', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ time: (i + 1) * 60, value: i }));
    const down = downsample(points, 4);
    expect(down).toEqual([
      { time: 180, value: 1 },
      { time: 360, value: 4 },
      { time: 540, value: 7 },
      { time: 600, value: 9 },
    ]);
    expect(toSeries(down, 'percent')).toMatchObject({ average: 5.25, max: 9, latest: 9, unit: 'percent' });
    expect(toSeries(down, 'percent').points[0]).toEqual({ time: '1970-01-01T00:03:00.000Z', value: 1 });
  });
});
