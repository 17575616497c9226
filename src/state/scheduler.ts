import type { Logger } from './logger.ts';
import { TimerHeap, type TimerEntry } from './timer-heap.ts';
import type { Scheduler, TimerHandle } from './types.ts';

/** The clock as the scheduler drives it. */
export interface TimeSource {
  now(): number;
  readonly frozen: boolean;
  /** Moves the clock without firing anything. */
  moveTo(ms: number): void;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Timers on kumo's clock. One real setTimeout (unref'd: timers never keep the process alive)
 * is armed for the earliest timer. While the clock is frozen nothing becomes due by itself:
 * timers fire when set() or advance() move the clock past them (timers already due fire at once).
 */
export class EngineScheduler implements Scheduler {
  private readonly heap = new TimerHeap();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: TimeSource,
    private readonly log: Logger,
  ) {}

  at(at: number, fn: () => void): TimerHandle {
    return this.schedule(at, fn, undefined);
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    return this.schedule(this.clock.now() + Math.max(0, delayMs), fn, undefined);
  }

  /** A scheduler whose timers are tagged with `owner`, so cancelOwner() can drop them (service reset). */
  forOwner(owner: string): Scheduler {
    return {
      at: (at, fn) => this.schedule(at, fn, owner),
      after: (delayMs, fn) => this.schedule(this.clock.now() + Math.max(0, delayMs), fn, owner),
    };
  }

  cancelOwner(owner?: string): void {
    for (const entry of this.heap.all().filter((e) => owner === undefined || e.owner === owner)) this.heap.remove(entry);
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Fires, in order, every timer due at or before `target`, moving the clock to each one's time. */
  fireDue(target: number): void {
    for (let top = this.heap.peek(); top && top.at <= target; top = this.heap.peek()) this.fire(top);
    this.rearm(true);
  }

  /** Like fireDue, but lets each timer's asynchronous work run before the next one fires. */
  async advanceTo(target: number): Promise<void> {
    for (let top = this.heap.peek(); top && top.at <= target; top = this.heap.peek()) {
      this.fire(top);
      await new Promise<void>((r) => setImmediate(r));
    }
    if (this.clock.now() < target) this.clock.moveTo(target);
    this.rearm(true);
  }

  /** Re-arms the real timer; `force` after the clock itself moved or changed mode. */
  rearm(force = false): void {
    const top = this.heap.peek();
    if (this.stopped || !top) return this.disarm();
    const delay = top.at - this.clock.now();
    if (this.clock.frozen && delay > 0) return this.disarm();
    if (!force && this.timer && this.armedAt <= top.at) return;
    this.disarm();
    this.armedAt = top.at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedAt = Infinity;
      this.fireDue(this.clock.now());
    }, Math.min(Math.max(delay, 0), MAX_TIMEOUT));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private schedule(at: number, fn: () => void, owner: string | undefined): TimerHandle {
    if (!Number.isFinite(at)) throw new TypeError(`timer time must be a finite number, got ${at}`);
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    const entry: TimerEntry = { at, seq: this.seq++, fn, index: -1, owner };
    this.heap.push(entry);
    this.rearm();
    return {
      at,
      cancel: () => this.heap.remove(entry),
    };
  }

  private fire(entry: TimerEntry): void {
    this.heap.remove(entry);
    if (entry.at > this.clock.now()) this.clock.moveTo(entry.at);
    try {
      entry.fn();
    } catch (err) {
      this.log('error', 'timer callback failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedAt = Infinity;
  }
}
