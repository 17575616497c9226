import type { Clock, Ids, Scheduler, ServiceState, Table } from '../../state/types.ts';
import { scopedTable } from '../../state/index.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import { disabled, keyNotFound, notFound, pendingDeletion } from './errors.ts';
import { ALIASES, GRANTS, KEYS, type AliasRecord, type GrantRecord, type KeyRecord } from './records.ts';

/** KMS's tables for one account and region, and what the engine lends it. */
export interface Scope {
  account: string;
  region: string;
  keys: Table<KeyRecord>;
  aliases: Table<AliasRecord>;
  grants: Table<GrantRecord>;
  clock: Clock;
  ids: Ids;
  scheduler: Scheduler;
  state: ServiceState;
}

type Engine = Pick<RequestContext, 'clock' | 'ids' | 'scheduler' | 'state'>;

export function scopeOf(engine: Engine, account: string, region: string): Scope {
  const prefix = `${account}/${region}/`;
  const t = <V>(name: string) => scopedTable<V>(engine.state.table(name), prefix);
  return {
    account, region, keys: t(KEYS), aliases: t(ALIASES), grants: t(GRANTS),
    clock: engine.clock, ids: engine.ids, scheduler: engine.scheduler, state: engine.state,
  };
}

export function requestScope(ctx: RequestContext): Scope {
  return scopeOf(ctx, ctx.account, ctx.region);
}

const runtimes = new WeakMap<Clock, ServiceRuntime>();

/** Remembers the KMS runtime of a kumo, found again by its clock (one per kumo). */
export function rememberRuntime(rt: ServiceRuntime): void {
  runtimes.set(rt.clock, rt);
}

export function runtimeOf(caller: { clock: Clock }): ServiceRuntime {
  const rt = runtimes.get(caller.clock);
  if (!rt) throw new Error('KMS state is not loaded');
  return rt;
}

export function keyArn(s: { account: string; region: string }, id: string): string {
  return `arn:aws:kms:${s.region}:${s.account}:key/${id}`;
}

export function aliasArn(s: { account: string; region: string }, name: string): string {
  return `arn:aws:kms:${s.region}:${s.account}:${name}`;
}

const ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The key a KeyId parameter names: a key id, key ARN, alias name or alias ARN. ARNs may name
 * another account or region of this kumo (cross-account use is not policed).
 */
export function findKey(scope: Scope, keyId: string, allowAlias = true): KeyRecord {
  let s = scope;
  let ref = keyId;
  const arn = ARN.exec(keyId);
  if (arn) {
    if (arn[1] !== scope.region || arn[2] !== scope.account) s = scopeOf(scope, arn[2]!, arn[1]!);
    ref = arn[3]!;
  }
  if (ref.startsWith('alias/')) {
    if (!allowAlias) throw notFound(`Invalid keyId ${keyId}`);
    const alias = s.aliases.get(ref);
    if (!alias) throw notFound(`Alias ${aliasArn(s, ref)} is not found.`);
    ref = alias.keyId;
  } else if (ref.startsWith('key/')) {
    ref = ref.slice(4);
  }
  if (!KEY_ID.test(ref)) throw notFound(`Invalid keyId ${keyId}`);
  const key = s.keys.get(ref);
  if (!key) throw keyNotFound(keyArn(s, ref));
  return key;
}

/** A key that cryptographic operations may use: enabled, not pending deletion. */
export function usableKey(scope: Scope, keyId: string): KeyRecord {
  const key = findKey(scope, keyId);
  checkUsable(key);
  return key;
}

export function checkUsable(key: KeyRecord): void {
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (key.state === 'Disabled') throw disabled(key.arn);
}

/** The scope a key record lives in (it may be another account's or region's). */
export function scopeOfKey(scope: Scope, key: KeyRecord): Scope {
  return key.account === scope.account && key.region === scope.region ? scope : scopeOf(scope, key.account, key.region);
}

export function putKey(scope: Scope, key: KeyRecord): void {
  scopeOfKey(scope, key).keys.put(key.id, key);
}
