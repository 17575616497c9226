/** Long-term access keys of IAM users (AKIA...), indexed across accounts so requests signed with them resolve to their user. */
import type { CallerIdentity, RequestContext, ServiceRuntime } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { limitExceeded, noSuchEntity } from './errors.ts';
import { accessKeyId, secretAccessKey } from './ids.ts';
import { paginate } from './paginate.ts';
import * as P from './principals.ts';
import { KEY_INDEX, nameKey, tables, type AccessKeyRecord, type KeyIndexEntry, type UserRecord } from './store.ts';
import { callerUserName } from './users.ts';

const MAX_KEYS_PER_USER = 2;

function keysOf(ctx: RequestContext, userName: string): AccessKeyRecord[] {
  return [...tables(ctx).accessKeys.entries({ prefix: `${nameKey(userName)}/` })].map(([, k]) => k);
}

function findKey(ctx: RequestContext, userName: string, keyId: string): AccessKeyRecord {
  const k = tables(ctx).accessKeys.get(`${nameKey(userName)}/${keyId}`);
  if (!k) throw noSuchEntity(`The Access Key with id ${keyId} cannot be found.`);
  return k;
}

export function CreateAccessKey(i: T.CreateAccessKeyRequest, ctx: RequestContext) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName ?? callerUserName(ctx));
  if (keysOf(ctx, u.UserName).length >= MAX_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
  const t = tables(ctx);
  const k: AccessKeyRecord = {
    AccessKeyId: accessKeyId(ctx.ids, 'AKIA'), SecretAccessKey: secretAccessKey(ctx.ids), UserName: u.UserName,
    Status: 'Active', CreateDate: ctx.clock.now(),
  };
  t.accessKeys.put(`${nameKey(u.UserName)}/${k.AccessKeyId}`, k);
  t.keyIndex.put(k.AccessKeyId, { account: ctx.account, userName: u.UserName });
  return { AccessKey: k };
}

export function ListAccessKeys(i: T.ListAccessKeysRequest, ctx: RequestContext) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName ?? callerUserName(ctx));
  const page = paginate(keysOf(ctx, u.UserName), i);
  return {
    AccessKeyMetadata: page.items.map((k) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate })),
    IsTruncated: page.IsTruncated, Marker: page.Marker,
  };
}

export function UpdateAccessKey(i: T.UpdateAccessKeyRequest, ctx: RequestContext) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName ?? callerUserName(ctx));
  const k = findKey(ctx, u.UserName, i.AccessKeyId);
  tables(ctx).accessKeys.put(`${nameKey(u.UserName)}/${k.AccessKeyId}`, { ...k, Status: i.Status });
  return {};
}

export function DeleteAccessKey(i: T.DeleteAccessKeyRequest, ctx: RequestContext) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName ?? callerUserName(ctx));
  const k = findKey(ctx, u.UserName, i.AccessKeyId);
  const t = tables(ctx);
  t.accessKeys.delete(`${nameKey(u.UserName)}/${k.AccessKeyId}`);
  t.keyIndex.delete(k.AccessKeyId);
  return {};
}

/** Keys are never used against a real service, so "last used" is always N/A, as for a fresh key. */
export function GetAccessKeyLastUsed(i: T.GetAccessKeyLastUsedRequest, ctx: RequestContext) {
  const entry = tables(ctx).keyIndex.get(i.AccessKeyId);
  if (!entry || entry.account !== ctx.account) throw noSuchEntity(`The Access Key with id ${i.AccessKeyId} cannot be found.`);
  return { UserName: entry.userName, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } };
}

/** The dispatcher's question: whose AKIA key is this? */
export function identityOfKey(accessKeyId: string, rt: ServiceRuntime): CallerIdentity | undefined {
  const entry = rt.state.table<KeyIndexEntry>(KEY_INDEX).get(accessKeyId);
  if (!entry) return undefined;
  const user = rt.state.table<UserRecord>('users').get(`${entry.account}/${nameKey(entry.userName)}`);
  if (!user) return undefined;
  return { account: entry.account, arn: user.Arn, userId: user.UserId };
}
