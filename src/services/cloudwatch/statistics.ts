import { invalidValue } from './errors.ts';
import { pointTime, type PointRecord } from './records.ts';
import type { Scope } from './store.ts';

/** Datapoints of one metric grouped into periods, and the statistics AWS computes over them. */

export interface Bucket {
  start: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  /** Value/count pairs for percentiles; undefined once a statistic set (no values) joined the bucket. */
  values: Array<[number, number]> | undefined;
  unit: string;
}

/** Periods (aligned to multiples of `period` seconds since the epoch) overlapping [start, end), ascending. */
export function buckets(scope: Scope, key: string, start: number, end: number, periodSec: number, unit?: string): Bucket[] {
  const period = periodSec * 1000;
  const out = new Map<number, Bucket>();
  const from = `${key}${String(Math.max(0, start)).padStart(16, '0')}`;
  const to = `${key}${String(Math.max(0, end)).padStart(16, '0')}`;
  for (const [k, p] of scope.points.entries({ prefix: key, start: from, end: to })) {
    if (unit !== undefined && p.unit !== unit) continue;
    const ts = pointTime(k, key);
    const b0 = Math.floor(ts / period) * period;
    let b = out.get(b0);
    if (!b) out.set(b0, (b = { start: b0, n: 0, sum: 0, min: Infinity, max: -Infinity, values: [], unit: p.unit }));
    add(b, p);
  }
  return [...out.values()].sort((a, b) => a.start - b.start);
}

function add(b: Bucket, p: PointRecord): void {
  b.n += p.n;
  b.sum += p.sum;
  b.min = Math.min(b.min, p.min);
  b.max = Math.max(b.max, p.max);
  if (p.values && b.values) p.values.forEach((v, i) => b.values!.push([v, p.counts?.[i] ?? 1]));
  else b.values = undefined;
}

const BASIC = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);

/** `p99`, `p99.9`, `p0.1`: percentiles are the only extended statistics kumo computes. */
export function checkStatistic(stat: string, parameter: string): void {
  if (BASIC.has(stat)) return;
  const m = /^p(\d{1,2}(\.\d{1,10})?|100)$/.exec(stat);
  if (!m || Number(m[1]) > 100) throw invalidValue(`The value ${stat} for parameter ${parameter} is invalid.`);
}

export function statistic(b: Bucket, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount': return b.n;
    case 'Average': return b.n ? b.sum / b.n : undefined;
    case 'Sum': return b.sum;
    case 'Minimum': return b.min;
    case 'Maximum': return b.max;
  }
  if (!b.values || b.values.length === 0) return undefined;
  const p = Number(stat.slice(1));
  const sorted = [...b.values].sort((x, y) => x[0] - y[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [v, c] of sorted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return sorted[sorted.length - 1]![0];
}
