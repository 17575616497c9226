import { parseDuration } from '../control/duration.ts';
import { FaultRuleError } from './rule-error.ts';

/** Longest delay a rule may ask for: past this it is a hang, which a client timeout test should ask of its own server. */
const MAX_DELAY_MS = 10 * 60_000;

/**
 * A delay: fixed (`points` has one entry), or a distribution given by percentiles, sampled by
 * interpolating linearly between them. Below the lowest percentile the delay is `min` (default:
 * the lowest value), above the highest it is `max` (default: the highest value).
 */
export interface DelaySpec {
  /** [quantile in 0..1, milliseconds], ascending in both. */
  points: Array<[number, number]>;
}

function ms(v: unknown, field: string): number {
  const out = parseDuration(v);
  if (out === undefined) throw new FaultRuleError(field, 'must be non-negative milliseconds or an ISO 8601 duration (PT0.5S)');
  if (out > MAX_DELAY_MS) throw new FaultRuleError(field, `must be at most ${MAX_DELAY_MS} ms`);
  return out;
}

export function parseDelay(raw: unknown): DelaySpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { points: [[0, ms(raw, 'delay')]] };
  const obj = raw as Record<string, unknown>;
  const pairs: Array<[number, number]> = [];
  let min: number | undefined;
  let max: number | undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'min') min = ms(value, 'delay.min');
    else if (key === 'max') max = ms(value, 'delay.max');
    else {
      const m = /^p(\d{1,2}(?:\.\d+)?)$/.exec(key);
      if (!m) throw new FaultRuleError(`delay.${key}`, 'unknown field; use min, max and percentiles p1..p99 (p50, p99.9)');
      pairs.push([Number(m[1]) / 100, ms(value, `delay.${key}`)]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0]);
  if (min !== undefined) pairs.unshift([0, min]);
  if (max !== undefined) pairs.push([1, max]);
  if (pairs.length === 0) throw new FaultRuleError('delay', 'needs at least one of min, max or a percentile such as p50');
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i]![1] < pairs[i - 1]![1]) throw new FaultRuleError('delay', 'values must not decrease as the percentile grows');
  }
  return { points: pairs };
}

/** The delay in whole milliseconds for a uniform draw `u` in [0, 1). */
export function sampleDelay(spec: DelaySpec, u: number): number {
  const p = spec.points;
  if (u <= p[0]![0]) return p[0]![1];
  for (let i = 1; i < p.length; i++) {
    const [q1, v1] = p[i]!;
    if (u <= q1) {
      const [q0, v0] = p[i - 1]!;
      return q1 === q0 ? v1 : Math.round(v0 + ((v1 - v0) * (u - q0)) / (q1 - q0));
    }
  }
  return p[p.length - 1]![1];
}
