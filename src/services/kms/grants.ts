import type {
  CreateGrantRequest, CreateGrantResponse, GrantListEntry, ListGrantsRequest, ListGrantsResponse, ListRetirableGrantsRequest,
  RetireGrantRequest, RevokeGrantRequest,
} from '../../generated/kms.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { pendingDeletion, validation } from './errors.ts';
import { page } from './paging.ts';
import type { GrantRecord } from './records.ts';
import { findKey, requestScope, scopeOfKey, type Scope } from './scope.ts';

function entry(g: GrantRecord): GrantListEntry {
  return {
    KeyId: g.keyId,
    GrantId: g.id,
    ...(g.name !== undefined ? { Name: g.name } : {}),
    CreationDate: new Date(g.createdAt),
    GranteePrincipal: g.grantee,
    ...(g.retiring !== undefined ? { RetiringPrincipal: g.retiring } : {}),
    IssuingAccount: `arn:aws:iam::${g.issuingAccount}:root`,
    Operations: g.operations,
    ...(g.constraints ? { Constraints: g.constraints } : {}),
  };
}

function invalidGrantId(): AwsError {
  return new AwsError('InvalidGrantIdException', 'Grant ID not found');
}

export function CreateGrant(input: CreateGrantRequest, ctx: RequestContext): CreateGrantResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId, false);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (input.Operations.length === 0) throw validation('Operations must contain at least one operation.');
  const own = scopeOfKey(scope, key);
  // AWS answers the existing grant when the same named grant is created again.
  if (input.Name !== undefined) {
    for (const [, g] of own.grants.entries({ prefix: `${key.id}/` })) {
      if (g.name === input.Name && g.grantee === input.GranteePrincipal && sameOps(g.operations, input.Operations)) {
        return { GrantId: g.id, GrantToken: g.token };
      }
    }
  }
  const id = ctx.ids.hex(32);
  const grant: GrantRecord = {
    id,
    keyId: key.id,
    token: ctx.ids.base64(48).replace(/=+$/, ''),
    ...(input.Name !== undefined ? { name: input.Name } : {}),
    grantee: input.GranteePrincipal,
    ...(input.RetiringPrincipal !== undefined ? { retiring: input.RetiringPrincipal } : {}),
    operations: input.Operations,
    ...(input.Constraints ? { constraints: input.Constraints } : {}),
    createdAt: ctx.clock.now(),
    issuingAccount: ctx.account,
  };
  own.grants.put(`${key.id}/${id}`, grant);
  return { GrantId: id, GrantToken: grant.token };
}

function sameOps(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

export function ListGrants(input: ListGrantsRequest, ctx: RequestContext): ListGrantsResponse {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId, false);
  const all = [...scopeOfKey(scope, key).grants.entries({ prefix: `${key.id}/` })].map(([, g]) => g)
    .filter((g) => (input.GrantId === undefined || g.id === input.GrantId) && (input.GranteePrincipal === undefined || g.grantee === input.GranteePrincipal));
  const p = page(all, (g) => g.id, input.Limit, input.Marker, 100);
  return { Grants: p.items.map(entry), Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
}

export function ListRetirableGrants(input: ListRetirableGrantsRequest, ctx: RequestContext): ListGrantsResponse {
  const scope = requestScope(ctx);
  const all = [...scope.grants.entries()].map(([, g]) => g).filter((g) => g.retiring === input.RetiringPrincipal);
  const p = page(all, (g) => `${g.keyId}/${g.id}`, input.Limit, input.Marker, 100);
  return { Grants: p.items.map(entry), Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
}

function removeGrant(scope: Scope, keyId: string, grantId: string): void {
  if (!scope.grants.delete(`${keyId}/${grantId}`)) throw invalidGrantId();
}

export function RevokeGrant(input: RevokeGrantRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId, false);
  removeGrant(scopeOfKey(scope, key), key.id, input.GrantId);
  return {};
}

export function RetireGrant(input: RetireGrantRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  if (input.GrantToken !== undefined) {
    for (const [k, g] of scope.grants.entries()) {
      if (g.token === input.GrantToken) {
        scope.grants.delete(k);
        return {};
      }
    }
    throw new AwsError('InvalidGrantTokenException', 'Grant token is invalid');
  }
  if (input.KeyId === undefined || input.GrantId === undefined) throw validation('Either GrantToken, or both KeyId and GrantId, must be given.');
  const key = findKey(scope, input.KeyId, false);
  removeGrant(scopeOfKey(scope, key), key.id, input.GrantId);
  return {};
}
