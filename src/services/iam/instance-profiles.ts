/** Instance profiles: containers for (at most) one role. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate, underPath } from './paginate.ts';
import * as P from './principals.ts';
import { roleOut } from './roles.ts';
import { nameKey, tables, values, type InstanceProfileRecord, type RoleRecord } from './store.ts';
import { mergeTags, removeTags } from './tags.ts';

const MAX_ROLES = 1;

function getProfile(ctx: RequestContext, name: string): InstanceProfileRecord {
  const p = tables(ctx).instanceProfiles.get(nameKey(name));
  if (!p) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return p;
}

function save(ctx: RequestContext, p: InstanceProfileRecord): void {
  tables(ctx).instanceProfiles.put(nameKey(p.InstanceProfileName), p);
}

function profileOut(ctx: RequestContext, p: InstanceProfileRecord, withTags = true) {
  const roles = tables(ctx).roles;
  return {
    Path: p.Path, InstanceProfileName: p.InstanceProfileName, InstanceProfileId: p.InstanceProfileId, Arn: p.Arn, CreateDate: p.CreateDate,
    Roles: p.roles.map((n) => roles.get(n)).filter((r): r is RoleRecord => !!r).map((r) => roleOut(r, false)),
    Tags: withTags && p.Tags.length ? p.Tags : undefined,
  };
}

export function CreateInstanceProfile(i: T.CreateInstanceProfileRequest, ctx: RequestContext) {
  if (tables(ctx).instanceProfiles.has(nameKey(i.InstanceProfileName))) throw alreadyExists(`Instance Profile ${i.InstanceProfileName} already exists.`);
  const path = i.Path ?? '/';
  const p: InstanceProfileRecord = {
    InstanceProfileName: i.InstanceProfileName, InstanceProfileId: uniqueId(ctx.ids, 'AIPA'), Path: path,
    Arn: `arn:aws:iam::${ctx.account}:instance-profile${path}${i.InstanceProfileName}`, CreateDate: ctx.clock.now(), roles: [],
    Tags: mergeTags([], i.Tags, `instance profile ${i.InstanceProfileName}`),
  };
  save(ctx, p);
  return { InstanceProfile: profileOut(ctx, p) };
}

export function GetInstanceProfile(i: T.GetInstanceProfileRequest, ctx: RequestContext) {
  return { InstanceProfile: profileOut(ctx, getProfile(ctx, i.InstanceProfileName)) };
}

export function ListInstanceProfiles(i: T.ListInstanceProfilesRequest, ctx: RequestContext) {
  const page = paginate(underPath(values(tables(ctx).instanceProfiles), i.PathPrefix), i);
  return { InstanceProfiles: page.items.map((p) => profileOut(ctx, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function ListInstanceProfilesForRole(i: T.ListInstanceProfilesForRoleRequest, ctx: RequestContext) {
  const r = P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName);
  const page = paginate(values(tables(ctx).instanceProfiles).filter((p) => p.roles.includes(nameKey(r.RoleName))), i);
  return { InstanceProfiles: page.items.map((p) => profileOut(ctx, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function DeleteInstanceProfile(i: T.DeleteInstanceProfileRequest, ctx: RequestContext) {
  const p = getProfile(ctx, i.InstanceProfileName);
  if (p.roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  tables(ctx).instanceProfiles.delete(nameKey(p.InstanceProfileName));
  return {};
}

export function AddRoleToInstanceProfile(i: T.AddRoleToInstanceProfileRequest, ctx: RequestContext) {
  const p = getProfile(ctx, i.InstanceProfileName);
  const r = P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName);
  if (p.roles.includes(nameKey(r.RoleName))) throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${MAX_ROLES}`);
  if (p.roles.length >= MAX_ROLES) throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${MAX_ROLES}`);
  save(ctx, { ...p, roles: [...p.roles, nameKey(r.RoleName)] });
  return {};
}

export function RemoveRoleFromInstanceProfile(i: T.RemoveRoleFromInstanceProfileRequest, ctx: RequestContext) {
  const p = getProfile(ctx, i.InstanceProfileName);
  const r = P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName);
  if (!p.roles.includes(nameKey(r.RoleName))) throw noSuchEntity(`The role with name ${i.RoleName} cannot be found.`);
  save(ctx, { ...p, roles: p.roles.filter((n) => n !== nameKey(r.RoleName)) });
  return {};
}

export function TagInstanceProfile(i: T.TagInstanceProfileRequest, ctx: RequestContext) {
  const p = getProfile(ctx, i.InstanceProfileName);
  save(ctx, { ...p, Tags: mergeTags(p.Tags, i.Tags, `instance profile ${p.InstanceProfileName}`) });
  return {};
}

export function UntagInstanceProfile(i: T.UntagInstanceProfileRequest, ctx: RequestContext) {
  const p = getProfile(ctx, i.InstanceProfileName);
  save(ctx, { ...p, Tags: removeTags(p.Tags, i.TagKeys) });
  return {};
}

export function ListInstanceProfileTags(i: T.ListInstanceProfileTagsRequest, ctx: RequestContext) {
  return P.listTags(getProfile(ctx, i.InstanceProfileName).Tags, i);
}
