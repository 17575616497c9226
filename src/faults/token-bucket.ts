import type { RateLimit } from './rules.ts';

/** A token bucket refilled on the engine clock, so a frozen clock holds the rate still and advancing it refills. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly limit: RateLimit, now: number) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    // A clock set backwards adds nothing rather than draining the bucket.
    if (now > this.last) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.rate);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
