/**
 * Key deletion and automatic rotation, both due on the engine clock. Timers are derived state:
 * `restoreTimers` rebuilds them from the key records when the service (re)loads.
 */
import type {
  CancelKeyDeletionRequest, CancelKeyDeletionResponse, DisableKeyRotationRequest, EnableKeyRotationRequest,
  GetKeyRotationStatusRequest, GetKeyRotationStatusResponse, ListKeyRotationsRequest, ListKeyRotationsResponse,
  RotateKeyOnDemandRequest, RotateKeyOnDemandResponse, ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse,
} from '../../generated/kms.ts';
import type { Clock, TimerHandle } from '../../state/types.ts';
import type { RequestContext, ServiceRuntime } from '../framework/define.ts';
import { randomBytes } from './crypto.ts';
import { disabled, invalidState, outOfRange, pendingDeletion, unsupported } from './errors.ts';
import { materialId } from './metadata.ts';
import { page } from './paging.ts';
import { KEYS, type KeyRecord } from './records.ts';
import { findKey, putKey, requestScope, runtimeOf, scopeOf, scopeOfKey, type Scope } from './scope.ts';

const DAY = 86_400_000;

const timers = new WeakMap<Clock, Map<string, TimerHandle>>();

function timersOf(owner: { clock: Clock }): Map<string, TimerHandle> {
  let m = timers.get(owner.clock);
  if (!m) timers.set(owner.clock, (m = new Map()));
  return m;
}

function timerKey(key: KeyRecord, what: 'delete' | 'rotate'): string {
  return `${key.account}/${key.region}/${key.id}/${what}`;
}

function cancelTimer(owner: { clock: Clock }, name: string): void {
  const m = timersOf(owner);
  m.get(name)?.cancel();
  m.delete(name);
}

/** The key's record as it is now, through the runtime (timers outlive the request that set them). */
function current(rt: ServiceRuntime, key: KeyRecord): { scope: Scope; key: KeyRecord | undefined } {
  const scope = scopeOf(rt, key.account, key.region);
  return { scope, key: scope.keys.get(key.id) };
}

function scheduleDeletion(owner: { clock: Clock; scheduler: Scope['scheduler'] }, key: KeyRecord): void {
  const name = timerKey(key, 'delete');
  cancelTimer(owner, name);
  timersOf(owner).set(name, owner.scheduler.at(key.deletion!.at, () => {
    timersOf(owner).delete(name);
    const rt = runtimeOf(owner);
    const { scope, key: now } = current(rt, key);
    if (now?.deletion) deleteKey(scope, now);
  }));
}

/** Removes a key with its aliases and grants, as AWS does when the waiting period ends. */
function deleteKey(scope: Scope, key: KeyRecord): void {
  scope.keys.delete(key.id);
  for (const [name, a] of [...scope.aliases.entries()]) if (a.keyId === key.id) scope.aliases.delete(name);
  for (const k of [...scope.grants.keys({ prefix: `${key.id}/` })]) scope.grants.delete(k);
  cancelTimer(scope, timerKey(key, 'rotate'));
}

function scheduleRotation(owner: { clock: Clock; scheduler: Scope['scheduler'] }, key: KeyRecord): void {
  const name = timerKey(key, 'rotate');
  cancelTimer(owner, name);
  if (!key.rotation) return;
  timersOf(owner).set(name, owner.scheduler.at(key.rotation.next, () => {
    timersOf(owner).delete(name);
    const rt = runtimeOf(owner);
    const { scope, key: now } = current(rt, key);
    if (!now?.rotation) return;
    const at = now.rotation.next;
    const next = rotated(now, at, 'AUTOMATIC');
    scope.keys.put(now.id, next);
    syncReplicas(scope, next);
    scheduleRotation(owner, next);
  }));
}

/** A multi-Region primary's replicas share its material, so its rotations reach them too. */
function syncReplicas(scope: Scope, primary: KeyRecord): void {
  if (primary.primaryRegion) return;
  for (const region of primary.replicaRegions) {
    const other = scopeOf(scope, primary.account, region);
    const replica = other.keys.get(primary.id);
    if (replica) other.keys.put(primary.id, { ...replica, materials: primary.materials, rotations: primary.rotations });
  }
}

function rotated(key: KeyRecord, at: number, type: 'AUTOMATIC' | 'ON_DEMAND'): KeyRecord {
  const rotation = key.rotation && type === 'AUTOMATIC' ? { ...key.rotation, next: at + key.rotation.periodDays * DAY } : key.rotation;
  return { ...key, materials: [...key.materials, randomBytes(32)], rotations: [...key.rotations, { at, type }], ...(rotation ? { rotation } : {}) };
}

export function restoreTimers(rt: ServiceRuntime): void {
  for (const t of timersOf(rt).values()) t.cancel();
  timersOf(rt).clear();
  for (const [, key] of rt.state.table<KeyRecord>(KEYS).entries()) {
    if (key.deletion) scheduleDeletion(rt, key);
    else if (key.rotation) scheduleRotation(rt, key);
  }
}

export function ScheduleKeyDeletion(input: ScheduleKeyDeletionRequest, ctx: RequestContext): ScheduleKeyDeletionResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  const days = input.PendingWindowInDays ?? 30;
  if (days < 7) throw outOfRange(days, 'pendingWindowInDays', 'greater', 7);
  if (days > 30) throw outOfRange(days, 'pendingWindowInDays', 'less', 30);
  if (key.manager === 'AWS') throw unsupported(`${key.arn} is an AWS managed key and cannot be deleted.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (key.multiRegion && !key.primaryRegion && key.replicaRegions.length > 0) {
    throw unsupported(`${key.arn} is a primary key with replicas; delete its replicas first.`);
  }
  const deletion = { at: ctx.clock.now() + days * DAY, days };
  const next: KeyRecord = { ...key, state: 'PendingDeletion', deletion };
  putKey(scope, next);
  cancelTimer(ctx, timerKey(key, 'rotate'));
  scheduleDeletion(ctx, next);
  return { KeyId: key.arn, DeletionDate: new Date(deletion.at), KeyState: 'PendingDeletion', PendingWindowInDays: days };
}

export function CancelKeyDeletion(input: CancelKeyDeletionRequest, ctx: RequestContext): CancelKeyDeletionResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (key.state !== 'PendingDeletion') throw invalidState(`${key.arn} is not pending deletion.`);
  const { deletion: _, ...rest } = key;
  // AWS leaves a key whose deletion was cancelled disabled.
  const next: KeyRecord = { ...rest, state: 'Disabled' };
  putKey(scopeOfKey(scope, key), next);
  cancelTimer(ctx, timerKey(key, 'delete'));
  scheduleRotation(ctx, next);
  return { KeyId: key.arn };
}

function rotatable(key: KeyRecord): void {
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw unsupported(`${key.arn} key spec ${key.spec} does not support key rotation.`);
  if (key.primaryRegion) throw unsupported(`${key.arn} is a multi-Region replica key; its primary key in ${key.primaryRegion} sets its rotation.`);
  if (key.manager === 'AWS') throw unsupported(`${key.arn} is an AWS managed key: AWS rotates it every year.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (key.state === 'Disabled') throw disabled(key.arn);
}

export function EnableKeyRotation(input: EnableKeyRotationRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  rotatable(key);
  const days = input.RotationPeriodInDays ?? 365;
  if (days < 90) throw outOfRange(days, 'rotationPeriodInDays', 'greater', 90);
  if (days > 2560) throw outOfRange(days, 'rotationPeriodInDays', 'less', 2560);
  const next: KeyRecord = { ...key, rotation: { periodDays: days, next: ctx.clock.now() + days * DAY } };
  putKey(scope, next);
  scheduleRotation(ctx, next);
  return {};
}

export function DisableKeyRotation(input: DisableKeyRotationRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  rotatable(key);
  const { rotation: _, ...rest } = key;
  putKey(scope, rest);
  cancelTimer(ctx, timerKey(key, 'rotate'));
  return {};
}

export function GetKeyRotationStatus(input: GetKeyRotationStatusRequest, ctx: RequestContext): GetKeyRotationStatusResponse {
  const key = findKey(requestScope(ctx), input.KeyId);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw unsupported(`${key.arn} key spec ${key.spec} does not support key rotation.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  const out: GetKeyRotationStatusResponse = { KeyId: key.id, KeyRotationEnabled: key.rotation !== undefined };
  if (key.rotation) {
    out.RotationPeriodInDays = key.rotation.periodDays;
    out.NextRotationDate = new Date(key.rotation.next);
  }
  return out;
}

export function RotateKeyOnDemand(input: RotateKeyOnDemandRequest, ctx: RequestContext): RotateKeyOnDemandResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw unsupported(`${key.arn} key spec ${key.spec} does not support key rotation.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (key.state === 'Disabled') throw disabled(key.arn);
  if (key.primaryRegion) throw unsupported(`${key.arn} is a multi-Region replica key; rotate its primary key in ${key.primaryRegion}.`);
  const next = rotated(key, ctx.clock.now(), 'ON_DEMAND');
  putKey(scope, next);
  syncReplicas(scopeOfKey(scope, next), next);
  return { KeyId: key.id };
}

export function ListKeyRotations(input: ListKeyRotationsRequest, ctx: RequestContext): ListKeyRotationsResponse {
  const key = findKey(requestScope(ctx), input.KeyId);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw unsupported(`${key.arn} key spec ${key.spec} does not support key rotation.`);
  const entries = key.rotations.map((r, i) => ({ index: String(i).padStart(6, '0'), r, material: i + 1 }));
  const p = page(entries, (e) => e.index, input.Limit, input.Marker);
  return {
    Rotations: p.items.map((e) => ({
      KeyId: key.id,
      RotationDate: new Date(e.r.at),
      RotationType: e.r.type,
      KeyMaterialId: materialId(key, e.material),
      KeyMaterialState: e.material === key.materials.length - 1 ? 'CURRENT' : 'NON_CURRENT',
    })),
    Truncated: p.Truncated,
    ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}),
  };
}
