import type { Logger } from './logger.ts';
import { EngineScheduler, type TimeSource } from './scheduler.ts';
import type { Clock } from './types.ts';

/** kumo's clock: real time plus an offset, which tests can set, freeze and advance. */
export class EngineClock implements Clock, TimeSource {
  private offset = 0;
  private frozenAt: number | null = null;
  readonly scheduler: EngineScheduler;

  constructor(log: Logger) {
    this.scheduler = new EngineScheduler(this, log);
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  moveTo(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt = ms;
    else this.offset = ms - Date.now();
  }

  /** Sets the time; timers passed over fire before returning, in their order, at the new time. */
  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`clock time must be a finite number of ms, got ${ms}`);
    // A jump, unlike advance: the clock moves first, so due timers fire once, in their order, at
    // the new time, and periodic work (a sweep every minute) does not replay years of ticks.
    this.moveTo(ms);
    this.scheduler.fireDue(ms);
  }

  /** Moves the clock forward by `ms`, firing due timers in time order (each at its own time) before resolving. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance takes a non-negative number of ms, got ${ms}`);
    await this.scheduler.advanceTo(this.now() + ms);
  }

  freeze(on: boolean): void {
    if (on && this.frozenAt === null) {
      this.frozenAt = this.now();
    } else if (!on && this.frozenAt !== null) {
      this.offset = this.frozenAt - Date.now();
      this.frozenAt = null;
    }
    this.scheduler.rearm(true);
  }

  describe(): { now: string; frozen: boolean; offsetMs: number } {
    const now = this.now();
    return { now: new Date(now).toISOString(), frozen: this.frozen, offsetMs: now - Date.now() };
  }
}
