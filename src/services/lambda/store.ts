/**
 * The Lambda service's view of one kumo: scoped tables for requests and background work, and
 * the per-kumo machinery (executor, in-flight counts, async queue, pollers) found again from any
 * context through the engine's clock, which is one object per kumo.
 */
import { scopedTable, type Clock, type Ids, type Scheduler, type ServiceState, type Table } from '../../state/index.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import { Executor } from '../../lambda/executor.ts';
import type {
  AliasRecord, FunctionRecord, InvokeConfigRecord, LayerVersionRecord, MappingRecord, PolicyRecord, ProvisionedRecord,
  UrlConfigRecord, VersionRecord,
} from './records.ts';
import type { Scope } from './names.ts';

export interface ScopeEnv extends Scope {
  state: ServiceState;
  clock: Clock;
  ids: Ids;
}

/** The Lambda tables of one (account, region). */
export class LambdaScope {
  readonly prefix: string;
  readonly functions: Table<FunctionRecord>;
  readonly versions: Table<VersionRecord>;
  readonly aliases: Table<AliasRecord>;
  readonly policies: Table<PolicyRecord>;
  readonly invokeConfigs: Table<InvokeConfigRecord>;
  readonly urls: Table<UrlConfigRecord>;
  readonly provisioned: Table<ProvisionedRecord>;
  readonly layers: Table<LayerVersionRecord>;
  readonly layerNames: Table<number>;

  constructor(readonly env: ScopeEnv) {
    this.prefix = `${env.account}/${env.region}/`;
    const t = <V>(name: string) => scopedTable(env.state.table<V>(name), this.prefix);
    this.functions = t('functions');
    this.versions = t('versions');
    this.aliases = t('aliases');
    this.policies = t('policies');
    this.invokeConfigs = t('invokeConfigs');
    this.urls = t('urls');
    this.provisioned = t('provisioned');
    this.layers = t('layers');
    this.layerNames = t('layerNames');
  }

  get account(): string {
    return this.env.account;
  }

  get region(): string {
    return this.env.region;
  }

  /** Mappings are looked up by uuid alone, so their table is not scoped. */
  get mappings(): Table<MappingRecord> {
    return this.env.state.table<MappingRecord>('mappings');
  }
}

export function scopeOf(ctx: RequestContext): LambdaScope {
  return new LambdaScope({ account: ctx.account, region: ctx.region, state: ctx.state, clock: ctx.clock, ids: ctx.ids });
}

/** What lives as long as the kumo, not as long as a request. */
export class LambdaRuntime {
  readonly executor: Executor;
  /** Invocations running now, by `account/region/function` (reserved concurrency). */
  readonly inflight = new Map<string, number>();
  /** Background work (async invocations, pollers) cancelled on reset. */
  readonly timers = new Set<{ cancel(): void }>();
  /** Event source mappings whose poller is running. */
  readonly pollers = new Set<string>();
  endpoint: () => string;

  constructor(public rt: ServiceRuntime) {
    this.executor = new Executor();
    this.endpoint = rt.endpoint;
  }

  get state(): ServiceState {
    return this.rt.state;
  }

  get scheduler(): Scheduler {
    return this.rt.scheduler;
  }

  scope(account: string, region: string): LambdaScope {
    return new LambdaScope({ account, region, state: this.rt.state, clock: this.rt.clock, ids: this.rt.ids });
  }

  /** Stops background work and kills every function process (kumo stops, or the state under them was replaced). */
  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.pollers.clear();
    await this.executor.close();
  }
}

const runtimes = new WeakMap<Clock, LambdaRuntime>();

export function installRuntime(rt: ServiceRuntime): LambdaRuntime {
  let r = runtimes.get(rt.clock);
  if (!r) {
    r = new LambdaRuntime(rt);
    runtimes.set(rt.clock, r);
  } else {
    r.rt = rt;
  }
  return r;
}

export function runtimeOf(caller: { clock: Clock }): LambdaRuntime {
  const r = runtimes.get(caller.clock);
  if (!r) throw new Error('the lambda service is not initialised for this kumo');
  return r;
}
