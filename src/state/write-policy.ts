/** Inline writes averaging slower than this send the next ones to the thread pool. */
export const INLINE_LIMIT_MS = 5;
/** How long writes stay on the thread pool before inline writes are tried again. */
export const THREAD_POOL_MS = 1000;
/** Weight of the newest write in the running average: one stall alone does not switch. */
const WEIGHT = 1 / 8;

/**
 * Decides whether the journal writes (and, in fsync mode, syncs) a group commit on the event
 * loop or on libuv's thread pool. On a fast disk the thread pool's round trip costs more than
 * the sync itself, and on a loaded machine its completion waits behind request work: inline
 * writes measured 1.5x to 2x the PutItem throughput in fsync mode. A slow disk must not stall
 * every other request, though: once the running average of inline writes passes
 * INLINE_LIMIT_MS, writes go to the thread pool for THREAD_POOL_MS, then are tried inline again
 * starting from half the limit, so a slow disk blocks the event loop for a few writes a second.
 */
export class WritePolicy {
  private averageMs = 0;
  private threadPoolUntil = -Infinity;

  inline(now: number): boolean {
    return now >= this.threadPoolUntil;
  }

  /** Reports how long an inline write took. */
  tookInline(ms: number, now: number): void {
    this.averageMs += (ms - this.averageMs) * WEIGHT;
    if (this.averageMs <= INLINE_LIMIT_MS) return;
    this.threadPoolUntil = now + THREAD_POOL_MS;
    this.averageMs = INLINE_LIMIT_MS / 2;
  }
}
