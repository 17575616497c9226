/**
 * When the next attempt happens, per AWS's documented retry policies. Stored with each pending
 * delivery as plain data, so a restart resumes the same schedule.
 */

/** SNS delivery policy (`healthyRetryPolicy`), delays in seconds. */
export interface SnsRetryPolicy {
  kind: 'sns';
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

/** EventBridge / Scheduler target RetryPolicy: attempts and event age bound the retries. */
export interface AgeRetryPolicy {
  kind: 'age';
  maxRetries: number;
  maxAgeSeconds: number;
}

export type RetryPolicy = SnsRetryPolicy | AgeRetryPolicy;

/** HTTP/S subscriptions: 3 retries, 20 s apart (AWS's default delivery policy). */
export const SNS_HTTP_DEFAULT: SnsRetryPolicy = {
  kind: 'sns', minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3,
  numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, backoffFunction: 'linear',
};

/**
 * AWS-managed endpoints (SQS, Lambda): 3 immediate retries, 2 at 1 s, 10 backing off from 1 s
 * to 20 s, then 100,000 at 20 s — about 23 days.
 */
export const SNS_MANAGED: SnsRetryPolicy = {
  kind: 'sns', minDelayTarget: 1, maxDelayTarget: 20, numRetries: 100_015,
  numNoDelayRetries: 3, numMinDelayRetries: 2, numMaxDelayRetries: 100_000, backoffFunction: 'exponential',
};

/** EventBridge's default: 185 attempts within 24 hours. */
export const EVENTS_DEFAULT: AgeRetryPolicy = { kind: 'age', maxRetries: 185, maxAgeSeconds: 86_400 };

/**
 * Delay (ms) before retry number `retry` (1-based), or undefined when retries are exhausted.
 * `age` is how long ago the first attempt was made.
 */
export function nextDelay(p: RetryPolicy, retry: number, ageMs: number): number | undefined {
  if (p.kind === 'age') {
    if (retry > p.maxRetries) return undefined;
    // Exponential backoff from 1 s, capped at 3 minutes (which spreads 185 retries over ~24 h).
    const delay = Math.min(1000 * 2 ** Math.min(retry - 1, 20), 180_000);
    return ageMs + delay > p.maxAgeSeconds * 1000 ? undefined : delay;
  }
  if (retry > p.numRetries) return undefined;
  if (retry <= p.numNoDelayRetries) return 0;
  let i = retry - p.numNoDelayRetries;
  if (i <= p.numMinDelayRetries) return p.minDelayTarget * 1000;
  i -= p.numMinDelayRetries;
  const backoffRetries = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  if (i > backoffRetries) return p.maxDelayTarget * 1000;
  return backoff(p, i, backoffRetries) * 1000;
}

function backoff(p: SnsRetryPolicy, i: number, n: number): number {
  const min = p.minDelayTarget;
  const max = p.maxDelayTarget;
  if (n <= 1) return max;
  const f = (i - 1) / (n - 1);
  switch (p.backoffFunction) {
    case 'linear':
      return Math.round(min + (max - min) * f);
    case 'arithmetic':
      return Math.round(min + (max - min) * f * f);
    case 'geometric':
      return Math.round(min * (max / Math.max(min, 1)) ** f);
    default:
      return Math.round(Math.max(min, 1) * (max / Math.max(min, 1)) ** f);
  }
}
