import { scopedTable } from '../../state/index.ts';
import type { Clock, TimerHandle } from '../../state/types.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';

const runtimes = new WeakMap<Clock, ServiceRuntime>();
const timers = new WeakMap<Clock, Map<string, TimerHandle>>();

/** Remembers the service runtime of a kumo, found again by its clock (one per kumo). */
export function rememberRuntime(rt: ServiceRuntime): void {
  runtimes.set(rt.clock, rt);
  for (const t of timersOf(rt).values()) t.cancel();
  timersOf(rt).clear();
}

function timersOf(owner: { clock: Clock }): Map<string, TimerHandle> {
  let m = timers.get(owner.clock);
  if (!m) timers.set(owner.clock, (m = new Map()));
  return m;
}

/** What arming a timer needs: the secret's scope and the engine's clock and scheduler. */
export type TimerOwner = Pick<RequestContext, 'account' | 'region' | 'clock' | 'scheduler'>;

/** Runs `fn` at `at` under `name`, replacing any timer of that name. */
export function setTimer(owner: TimerOwner, name: string, at: number, fn: (ctx: RequestContext) => void): void {
  clearTimer(owner, name);
  const { account, region } = owner;
  timersOf(owner).set(name, owner.scheduler.at(at, () => {
    timersOf(owner).delete(name);
    const rt = runtimes.get(owner.clock);
    if (rt) fn(contextFor(rt, account, region));
  }));
}

export function clearTimer(owner: { clock: Clock }, name: string): void {
  timersOf(owner).get(name)?.cancel();
  timersOf(owner).delete(name);
}

/** A request context for work the clock starts (deletions, scheduled rotations): no caller, the secret's scope. */
export function contextFor(rt: ServiceRuntime, account: string, region: string): RequestContext {
  const prefix = `${account}/${region}/`;
  return {
    service: rt.service, operation: 'Scheduled', account, region, requestId: rt.ids.requestId(), endpoint: rt.endpoint(), protocol: 'json',
    clock: rt.clock, scheduler: rt.scheduler, ids: rt.ids, state: rt.state, services: rt.services,
    table: (name) => scopedTable(rt.state.table(name), prefix),
  };
}

export function timerName(ctx: { account: string; region: string }, name: string, what: 'delete' | 'rotate'): string {
  return `${ctx.account}/${ctx.region}/${what}/${name}`;
}
