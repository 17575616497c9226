import type { CreateAliasRequest, DeleteAliasRequest, ListAliasesRequest, ListAliasesResponse, UpdateAliasRequest } from '../../generated/kms.ts';
import type { AwsError, RequestContext } from '../framework/define.ts';
import { alreadyExists, invalidAliasName, invalidKeyUsage, notFound, pendingDeletion } from './errors.ts';
import { page } from './paging.ts';
import type { KeyRecord } from './records.ts';
import { aliasArn, findKey, requestScope, type Scope } from './scope.ts';

const NAME = /^alias\/[a-zA-Z0-9/_-]+$/;
const RESERVED = 'alias/aws/';

function checkName(name: string): void {
  if (!NAME.test(name) || name.length > 256) {
    throw invalidAliasName(`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`);
  }
  if (name.startsWith(RESERVED)) throw reserved(name);
}

function reserved(name: string): AwsError {
  return invalidAliasName(`Aliases that begin with alias/aws are reserved: ${name}`);
}

/** An alias target: a key id or key ARN (never another alias), not pending deletion. */
function target(scope: Scope, keyId: string): KeyRecord {
  if (keyId.startsWith('alias/') || /:alias\//.test(keyId)) throw invalidKeyUsage('Aliases must refer to keys. Not aliases');
  const key = findKey(scope, keyId, false);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key.arn);
  return key;
}

/** Points an alias at a key; kumo uses it for AWS managed keys' `alias/aws/<service>` too. */
export function putAlias(scope: Scope, name: string, keyId: string): void {
  const now = scope.clock.now();
  const prior = scope.aliases.get(name);
  scope.aliases.put(name, { name, keyId, createdAt: prior?.createdAt ?? now, updatedAt: now });
}

export function CreateAlias(input: CreateAliasRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  checkName(input.AliasName);
  const key = target(scope, input.TargetKeyId);
  if (scope.aliases.has(input.AliasName)) throw alreadyExists(`An alias with the name ${aliasArn(scope, input.AliasName)} already exists`);
  putAlias(scope, input.AliasName, key.id);
  return {};
}

export function UpdateAlias(input: UpdateAliasRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  checkName(input.AliasName);
  const alias = scope.aliases.get(input.AliasName);
  if (!alias) throw notFound(`Alias ${aliasArn(scope, input.AliasName)} is not found.`);
  const key = target(scope, input.TargetKeyId);
  const old = scope.keys.get(alias.keyId);
  if (old && (old.usage !== key.usage || (old.spec === 'SYMMETRIC_DEFAULT') !== (key.spec === 'SYMMETRIC_DEFAULT'))) {
    throw invalidKeyUsage(`${key.arn} has a different key type or key usage than the alias's current key ${old.arn}.`);
  }
  putAlias(scope, input.AliasName, key.id);
  return {};
}

export function DeleteAlias(input: DeleteAliasRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  if (input.AliasName.startsWith(RESERVED)) throw reserved(input.AliasName);
  if (!scope.aliases.delete(input.AliasName)) throw notFound(`Alias ${aliasArn(scope, input.AliasName)} is not found.`);
  return {};
}

export function ListAliases(input: ListAliasesRequest, ctx: RequestContext): ListAliasesResponse {
  const scope = requestScope(ctx);
  const keyId = input.KeyId === undefined ? undefined : findKey(scope, input.KeyId, false).id;
  const all = [...scope.aliases.entries()].map(([, a]) => a).filter((a) => keyId === undefined || a.keyId === keyId);
  const p = page(all, (a) => a.name, input.Limit, input.Marker, 100);
  return {
    Aliases: p.items.map((a) => ({
      AliasName: a.name,
      AliasArn: aliasArn(scope, a.name),
      TargetKeyId: a.keyId,
      CreationDate: new Date(a.createdAt),
      LastUpdatedDate: new Date(a.updatedAt),
    })),
    Truncated: p.Truncated,
    ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}),
  };
}
