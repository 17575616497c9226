import type { Logger } from '../server/logger.ts';
import { createIds } from '../state/ids.ts';
import type { Clock } from '../state/types.ts';
import { sampleDelay } from './delay.ts';
import { FaultHistory, type FaultEvent } from './history.ts';
import { injectedError } from './presets.ts';
import { globMatch, resourcesOf } from './resources.ts';
import type { FaultRule, RuleMatch } from './rules.ts';
import { TokenBucket } from './token-bucket.ts';

/** What the dispatcher knows of an AWS request once its operation and input are parsed. */
export interface FaultRequest {
  service: string;
  operation: string;
  protocol: string;
  account: string;
  region: string;
  input: Record<string, unknown>;
  method: string;
  path: string;
  requestId: string;
}

/** How the connection must end, for the faults the dispatcher carries out itself. */
export type FaultCut = { kind: 'reset' } | { kind: 'truncate'; fraction: number };

/** A rule as the user wrote it, with its counters. */
export type RuleView = Record<string, unknown> & { stats: { matches: number; fired: number; active: boolean } };

interface RuleState {
  rule: FaultRule;
  matches: number;
  fired: number;
  /** Uniform draws in [0, 1): one stream per rule, so one rule's draws never shift another's. */
  random: () => number;
  bucket?: TokenBucket;
}

/** The fault rules in force, their counters and the history of fired faults. */
export class FaultInjector {
  private readonly rules = new Map<string, RuleState>();
  readonly history = new FaultHistory();

  constructor(private readonly clock: Clock, private readonly seed: string | undefined, private readonly logger: Logger) {}

  /** Adds or replaces a rule; a replaced rule starts over (counters, random stream, bucket). */
  put(rule: FaultRule): void {
    const ids = createIds(this.seed === undefined ? undefined : `${this.seed}\u0000fault\u0000${rule.id}`);
    this.rules.set(rule.id, {
      rule,
      matches: 0,
      fired: 0,
      random: () => ids.bytes(4).readUInt32LE(0) / 2 ** 32,
      bucket: rule.rateLimit && new TokenBucket(rule.rateLimit, this.clock.now()),
    });
  }

  delete(id: string): boolean {
    return this.rules.delete(id);
  }

  /** Removes every rule and forgets the history. */
  clear(): void {
    this.rules.clear();
    this.history.clear();
  }

  get(id: string): RuleView | undefined {
    const state = this.rules.get(id);
    return state && this.describe(state);
  }

  list(): RuleView[] {
    return [...this.rules.values()].map((s) => this.describe(s));
  }

  /** Rules that can still fire: inside their window (or before it) and not used up. */
  active(): number {
    const now = this.clock.now();
    let n = 0;
    for (const s of this.rules.values()) if (this.live(s, now)) n++;
    return n;
  }

  /**
   * Runs the rules for one request: waits out the delays of the rules that fire, then throws the
   * injected AwsError, or returns how to cut the connection, or returns undefined to go on.
   */
  async apply(req: FaultRequest): Promise<FaultCut | undefined> {
    if (this.rules.size === 0) return undefined;
    const now = this.clock.now();
    let resources: string[] | undefined;
    const resourcesFor = () => (resources ??= resourcesOf(req.input, req.service, req.region));
    let delay = 0;
    let error: Error | undefined;
    let cut: FaultCut | undefined;
    for (const state of this.rules.values()) {
      const { rule } = state;
      if (!inWindow(rule, now) || !matches(rule.match, req, resourcesFor) || !this.fires(state, now)) continue;
      const ruleDelay = rule.delay ? sampleDelay(rule.delay, state.random()) : 0;
      delay += ruleDelay;
      const base = { rule: rule.id, requestId: req.requestId, service: req.service, operation: req.operation, account: req.account, region: req.region };
      if (rule.error) {
        const err = injectedError(rule.error, req.service, req.protocol, rule.id);
        this.record({ ...base, action: 'error', code: err.code, status: err.status, delayMs: ruleDelay || undefined }, now);
        error = err;
        break;
      }
      if (rule.reset || rule.truncate) {
        cut = rule.reset ? { kind: 'reset' } : { kind: 'truncate', fraction: rule.truncate!.fraction };
        this.record({ ...base, action: cut.kind, delayMs: ruleDelay || undefined }, now);
        break;
      }
      this.record({ ...base, action: 'delay', delayMs: ruleDelay }, now);
    }
    // Latency is wall-clock time, whatever the engine clock does: it is what the client waits.
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (error) throw error;
    return cut;
  }

  /** Counts the match and applies the firing controls in order: after, times, rate limit, probability. */
  private fires(state: RuleState, now: number): boolean {
    const { rule } = state;
    state.matches++;
    if (state.matches <= rule.after) return false;
    if (rule.times !== undefined && state.fired >= rule.times) return false;
    if (state.bucket?.take(now)) return false;
    if (rule.probability !== undefined && state.random() >= rule.probability) return false;
    state.fired++;
    return true;
  }

  private live(s: RuleState, now: number): boolean {
    return (s.rule.until === undefined || now < s.rule.until) && (s.rule.times === undefined || s.fired < s.rule.times);
  }

  private record(event: Omit<FaultEvent, 'seq' | 'time'>, now: number): void {
    const full = this.history.add({ ...event, time: new Date(now).toISOString() });
    this.logger.log('info', 'fault', { ...full });
  }

  private describe(s: RuleState): RuleView {
    return { ...s.rule.source, stats: { matches: s.matches, fired: s.fired, active: this.live(s, this.clock.now()) } };
  }
}

function inWindow(rule: FaultRule, now: number): boolean {
  return (rule.from === undefined || now >= rule.from) && (rule.until === undefined || now < rule.until);
}

function anyGlob(patterns: string[], values: string[]): boolean {
  return patterns.some((p) => values.some((v) => globMatch(p, v)));
}

export function matches(m: RuleMatch, req: FaultRequest, resources: () => string[]): boolean {
  return (
    (!m.service || m.service.includes(req.service)) &&
    (!m.operation || m.operation.includes(req.operation)) &&
    (!m.account || m.account.includes(req.account)) &&
    (!m.region || m.region.includes(req.region)) &&
    (!m.method || m.method.includes(req.method.toUpperCase())) &&
    (!m.path || anyGlob(m.path, [req.path])) &&
    (!m.resource || anyGlob(m.resource, resources()))
  );
}
