import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface Backoff {
  /** First pause (default 50 ms). */
  initialMs?: number;
  /** Each pause is the previous one times this (default 2). */
  factor?: number;
  /** Longest pause (default 1000 ms). */
  maxMs?: number;
}

export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pauses between attempts: a fixed number of ms, or exponential. */
  backoff?: number | Backoff;
  /** Names what is awaited in log lines and the timeout error. */
  description?: string;
  /** Where each retry's reason goes (default stderr); false for silence. */
  log?: ((line: string) => void) | false;
}

/** waitFor gave up: carries the last observed result or error. */
export class WaitForTimeoutError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastResult: unknown,
    readonly lastError: unknown,
  ) {
    super(message, lastError === undefined ? undefined : { cause: lastError });
    this.name = 'WaitForTimeoutError';
  }
}

/**
 * Calls `check` until it returns something other than undefined, null or false without
 * throwing, and resolves with that value: bounded polling instead of sleeps. Each retry's
 * reason (the error message or the value returned) is logged; on timeout the error holds the
 * last observed state.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const b: Required<Backoff> = typeof options.backoff === 'number'
    ? { initialMs: options.backoff, factor: 1, maxMs: options.backoff }
    : { initialMs: 50, factor: 2, maxMs: 1000, ...options.backoff };
  const log = options.log === false ? undefined : (options.log ?? ((line: string) => process.stderr.write(line + '\n')));
  const what = options.description ?? 'condition';
  const started = Date.now();
  let pause = b.initialMs;
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    let lastResult: unknown;
    let lastError: unknown;
    try {
      lastResult = await check();
      if (lastResult !== undefined && lastResult !== null && lastResult !== false) return lastResult as Exclude<T, undefined | null | false>;
      reason = `returned ${inspect(lastResult)}`;
    } catch (err) {
      lastError = err;
      reason = `threw ${err instanceof Error ? err.message.split('\n')[0] : inspect(err)}`;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      throw new WaitForTimeoutError(`waitFor(${what}) timed out after ${elapsed} ms and ${attempt} attempts; last attempt ${reason}`, attempt, lastResult, lastError);
    }
    const wait = Math.min(pause, timeoutMs - elapsed);
    log?.(`waitFor(${what}): attempt ${attempt} ${reason}; retrying in ${wait} ms`);
    await sleep(wait);
    pause = Math.min(pause * b.factor, b.maxMs);
  }
}
