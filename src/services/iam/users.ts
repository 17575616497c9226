/** IAM users, their group memberships and login profiles. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate, underPath } from './paginate.ts';
import { checkPassword } from './password-policy.ts';
import * as P from './principals.ts';
import { nameKey, tables, values, type GroupRecord, type UserRecord } from './store.ts';
import { mergeTags } from './tags.ts';

const MAX_GROUPS_PER_USER = 10;

export function userOut(u: UserRecord, withTags = true) {
  return {
    Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: u.CreateDate,
    PermissionsBoundary: P.boundaryOut(u.PermissionsBoundary),
    Tags: withTags && u.Tags.length ? u.Tags : undefined,
  };
}

export function userArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:user${path}${name}`;
}

export function CreateUser(i: T.CreateUserRequest, ctx: RequestContext) {
  const t = tables(ctx);
  if (t.users.has(nameKey(i.UserName))) throw alreadyExists(`User with name ${i.UserName} already exists.`);
  if (i.PermissionsBoundary) P.attachablePolicyName(ctx, i.PermissionsBoundary);
  const path = i.Path ?? '/';
  const u: UserRecord = {
    UserName: i.UserName, UserId: uniqueId(ctx.ids, 'AIDA'), Path: path, Arn: userArn(ctx.account, path, i.UserName),
    CreateDate: ctx.clock.now(), inline: {}, attached: [], Tags: mergeTags([], i.Tags, `user ${i.UserName}`), groups: [],
  };
  if (i.PermissionsBoundary) u.PermissionsBoundary = i.PermissionsBoundary;
  t.users.put(nameKey(u.UserName), u);
  return { User: userOut(u) };
}

export function GetUser(i: T.GetUserRequest, ctx: RequestContext) {
  if (i.UserName !== undefined) return { User: userOut(P.getPrincipal<UserRecord>(ctx, 'user', i.UserName)) };
  const caller = ctx.caller?.arn.match(/^arn:aws:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/);
  if (caller) return { User: userOut(P.getPrincipal<UserRecord>(ctx, 'user', caller[1]!)) };
  // The account's root user: AWS answers with the account id as its user id.
  return { User: { UserId: ctx.account, Arn: `arn:aws:iam::${ctx.account}:root`, CreateDate: 0 } };
}

export function ListUsers(i: T.ListUsersRequest, ctx: RequestContext) {
  const page = paginate(underPath(values(tables(ctx).users), i.PathPrefix), i);
  return { Users: page.items.map((u) => userOut(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function UpdateUser(i: T.UpdateUserRequest, ctx: RequestContext) {
  const t = tables(ctx);
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName);
  const name = i.NewUserName ?? u.UserName;
  if (nameKey(name) !== nameKey(u.UserName) && t.users.has(nameKey(name))) throw alreadyExists(`User with name ${name} already exists.`);
  const path = i.NewPath ?? u.Path;
  t.users.delete(nameKey(u.UserName));
  t.users.put(nameKey(name), { ...u, UserName: name, Path: path, Arn: userArn(ctx.account, path, name) });
  if (name !== u.UserName) {
    for (const [key, k] of t.accessKeys.entries({ prefix: `${nameKey(u.UserName)}/` })) {
      t.accessKeys.delete(key);
      t.accessKeys.put(`${nameKey(name)}/${k.AccessKeyId}`, { ...k, UserName: name });
      t.keyIndex.put(k.AccessKeyId, { account: ctx.account, userName: name });
    }
  }
  return {};
}

export function DeleteUser(i: T.DeleteUserRequest, ctx: RequestContext) {
  const t = tables(ctx);
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName);
  if (Object.keys(u.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (u.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (u.groups.length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  if (t.accessKeys.keys({ prefix: `${nameKey(u.UserName)}/` }).next().done === false) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (u.loginProfile) throw deleteConflict('Cannot delete entity, must delete login profile first.');
  t.users.delete(nameKey(u.UserName));
  return {};
}

export function AddUserToGroup(i: T.AddUserToGroupRequest, ctx: RequestContext) {
  const g = P.getPrincipal<GroupRecord>(ctx, 'group', i.GroupName);
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName);
  if (u.groups.includes(nameKey(g.GroupName))) return {};
  if (u.groups.length >= MAX_GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
  P.savePrincipal(ctx, 'user', { ...u, groups: [...u.groups, nameKey(g.GroupName)] } as UserRecord);
  return {};
}

export function RemoveUserFromGroup(i: T.RemoveUserFromGroupRequest, ctx: RequestContext) {
  const g = P.getPrincipal<GroupRecord>(ctx, 'group', i.GroupName);
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName);
  if (!u.groups.includes(nameKey(g.GroupName))) throw noSuchEntity(`The user with name ${i.UserName} cannot be found.`);
  P.savePrincipal(ctx, 'user', { ...u, groups: u.groups.filter((n) => n !== nameKey(g.GroupName)) } as UserRecord);
  return {};
}

export function ListGroupsForUser(i: T.ListGroupsForUserRequest, ctx: RequestContext) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', i.UserName);
  const groups = tables(ctx).groups;
  const page = paginate(u.groups.map((n) => groups.get(n)).filter((g): g is GroupRecord => !!g), i);
  return { Groups: page.items.map(groupOut), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function groupOut(g: GroupRecord) {
  return { Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: g.CreateDate };
}

export function CreateLoginProfile(i: T.CreateLoginProfileRequest, ctx: RequestContext) {
  const name = i.UserName ?? callerUserName(ctx);
  const u = P.getPrincipal<UserRecord>(ctx, 'user', name);
  if (u.loginProfile) throw alreadyExists(`Login Profile for user ${u.UserName} already exists.`);
  if (i.Password !== undefined) checkPassword(ctx, i.Password);
  const loginProfile = { CreateDate: ctx.clock.now(), PasswordResetRequired: i.PasswordResetRequired ?? false };
  P.savePrincipal(ctx, 'user', { ...u, loginProfile } as UserRecord);
  return { LoginProfile: { UserName: u.UserName, ...loginProfile } };
}

function loginProfileOf(ctx: RequestContext, name: string) {
  const u = P.getPrincipal<UserRecord>(ctx, 'user', name);
  if (!u.loginProfile) throw noSuchEntity(`Login Profile for User ${u.UserName} cannot be found.`);
  return { u, profile: u.loginProfile };
}

export function GetLoginProfile(i: T.GetLoginProfileRequest, ctx: RequestContext) {
  const { u, profile } = loginProfileOf(ctx, i.UserName ?? callerUserName(ctx));
  return { LoginProfile: { UserName: u.UserName, ...profile } };
}

export function UpdateLoginProfile(i: T.UpdateLoginProfileRequest, ctx: RequestContext) {
  const { u, profile } = loginProfileOf(ctx, i.UserName);
  if (i.Password !== undefined) checkPassword(ctx, i.Password);
  const next = { ...profile, PasswordResetRequired: i.PasswordResetRequired ?? profile.PasswordResetRequired };
  P.savePrincipal(ctx, 'user', { ...u, loginProfile: next } as UserRecord);
  return {};
}

export function DeleteLoginProfile(i: T.DeleteLoginProfileRequest, ctx: RequestContext) {
  const { u } = loginProfileOf(ctx, i.UserName ?? callerUserName(ctx));
  const next = { ...u };
  delete next.loginProfile;
  P.savePrincipal(ctx, 'user', next);
  return {};
}

/** Operations whose UserName defaults to the caller's own IAM user. */
export function callerUserName(ctx: RequestContext): string {
  const m = ctx.caller?.arn.match(/:user\/(?:.*\/)?([^/]+)$/);
  if (!m) throw noSuchEntity('Must specify userName when calling with non-User credentials');
  return m[1]!;
}

/** The caller changes its own console password (kumo keeps no password, only the policy check). */
export function ChangePassword(i: T.ChangePasswordRequest, ctx: RequestContext) {
  loginProfileOf(ctx, callerUserName(ctx));
  checkPassword(ctx, i.NewPassword);
  return {};
}
