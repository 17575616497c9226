import type { KumoConfig } from '../../config.ts';
import { SERVICE_LOADERS } from '../registry.ts';
import { scopedTable, type StateEngine } from '../../state/index.ts';
import type { CallerIdentity, InternalServices, RequestContext, ServiceDefinition, ServiceRuntime } from './define.ts';

export interface ContextFields {
  operation: string;
  account: string;
  region: string;
  requestId: string;
  endpoint: string;
  protocol: string;
  accessKeyId?: string;
  caller?: CallerIdentity;
}

/**
 * Owns the implemented services: loads them on the first request, runs their init hooks against
 * the state engine, and builds the per-request context handlers receive.
 */
export class ServiceHost {
  private all: Promise<void> | undefined;
  private allLoaded = false;
  private readonly ready = new Map<string, ServiceDefinition>();
  private readonly identities: Array<(accessKeyId: string) => CallerIdentity | undefined> = [];
  readonly internal: InternalServices = {};
  /** kumo's listening endpoint, set once it listens. */
  endpoint = '';

  constructor(private readonly engine: StateEngine, private readonly config: KumoConfig) {}

  /** Implemented and enabled by KUMO_SERVICES. */
  enabled(id: string): boolean {
    return id in SERVICE_LOADERS && (!this.config.services || this.config.services.includes(id));
  }

  enabledServices(): string[] {
    return Object.keys(SERVICE_LOADERS).filter((id) => this.enabled(id)).sort();
  }

  loaded(): string[] {
    return [...this.ready.keys()].sort();
  }

  /**
   * Every enabled service loads together, once, on the first request (not at startup): a service's
   * internal API, identity hook or timers must be live whichever service a request names.
   */
  ensureLoaded(): Promise<void> {
    this.all ??= this.loadEverything();
    return this.all;
  }

  private async loadEverything(): Promise<void> {
    const ids = this.enabledServices();
    const defs = await Promise.all(ids.map(async (id) => [id, (await SERVICE_LOADERS[id]!()).default] as const));
    for (const [id, def] of defs) {
      if (def.internal) this.internal[id] = typeof def.internal === 'function' ? def.internal(this.runtime(def)) : def.internal;
    }
    for (const [id, def] of defs) {
      await def.init?.(this.runtime(def));
      if (def.identity) {
        const rt = this.runtime(def);
        this.identities.push((key) => def.identity!(key, rt));
      }
      this.ready.set(id, def);
    }
    this.allLoaded = true;
  }

  /** definition() without a promise, once every service is loaded (undefined before, or if not enabled). */
  loadedDefinition(id: string): ServiceDefinition | undefined {
    return this.allLoaded ? this.ready.get(id) : undefined;
  }

  async definition(id: string): Promise<ServiceDefinition | undefined> {
    if (!this.enabled(id)) return undefined;
    await this.ensureLoaded();
    return this.ready.get(id);
  }

  loadAll(): Promise<void> {
    return this.ensureLoaded();
  }

  /** Re-runs init hooks after the state under them was replaced (reset, snapshot load). */
  async reinit(service?: string): Promise<void> {
    for (const [id, def] of this.ready) {
      if (service === undefined || service === id) await def.init?.(this.runtime(def));
    }
  }

  /** The identity a service issued this access key to (call after ensureLoaded). */
  identity(accessKeyId: string): CallerIdentity | undefined {
    for (const resolve of this.identities) {
      const found = resolve(accessKeyId);
      if (found) return found;
    }
    return undefined;
  }

  runtime(def: ServiceDefinition): ServiceRuntime {
    const e = this.engine;
    return {
      service: def.name, state: e.service(def.name), clock: e.clock, scheduler: e.schedulerFor(def.name), ids: e.ids, services: this.internal,
      endpoint: () => this.endpoint,
      contextFor: (account, region, operation) => this.context(def, {
        operation, account, region, requestId: e.ids.requestId(), endpoint: this.endpoint, protocol: 'internal',
      }),
    };
  }

  /** Runs every loaded service's close hook (kumo is stopping). */
  async close(): Promise<void> {
    for (const def of this.ready.values()) await def.close?.(this.runtime(def));
  }

  context(def: ServiceDefinition, f: ContextFields): RequestContext {
    const e = this.engine;
    const state = e.service(def.name);
    const prefix = def.global ? `${f.account}/` : `${f.account}/${f.region}/`;
    return {
      service: def.name,
      ...f,
      clock: e.clock,
      scheduler: e.schedulerFor(def.name),
      ids: e.ids,
      state,
      services: this.internal,
      table: (name) => scopedTable(state.table(name), prefix),
    };
  }
}
