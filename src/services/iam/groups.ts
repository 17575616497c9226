/** IAM groups. Membership lives on the user records (a user's `groups`). */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, deleteConflict } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate, underPath } from './paginate.ts';
import * as P from './principals.ts';
import { nameKey, tables, values, type GroupRecord, type UserRecord } from './store.ts';
import { groupOut, userOut } from './users.ts';

function groupArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:group${path}${name}`;
}

export function membersOf(ctx: RequestContext, groupName: string): UserRecord[] {
  const key = nameKey(groupName);
  return values(tables(ctx).users).filter((u) => u.groups.includes(key));
}

export function CreateGroup(i: T.CreateGroupRequest, ctx: RequestContext) {
  const t = tables(ctx);
  if (t.groups.has(nameKey(i.GroupName))) throw alreadyExists(`Group with name ${i.GroupName} already exists.`);
  const path = i.Path ?? '/';
  const g: GroupRecord = {
    GroupName: i.GroupName, GroupId: uniqueId(ctx.ids, 'AGPA'), Path: path, Arn: groupArn(ctx.account, path, i.GroupName),
    CreateDate: ctx.clock.now(), inline: {}, attached: [], Tags: [],
  };
  t.groups.put(nameKey(g.GroupName), g);
  return { Group: groupOut(g) };
}

export function GetGroup(i: T.GetGroupRequest, ctx: RequestContext) {
  const g = P.getPrincipal<GroupRecord>(ctx, 'group', i.GroupName);
  const page = paginate(membersOf(ctx, g.GroupName), i);
  return { Group: groupOut(g), Users: page.items.map((u) => userOut(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function ListGroups(i: T.ListGroupsRequest, ctx: RequestContext) {
  const page = paginate(underPath(values(tables(ctx).groups), i.PathPrefix), i);
  return { Groups: page.items.map(groupOut), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function UpdateGroup(i: T.UpdateGroupRequest, ctx: RequestContext) {
  const t = tables(ctx);
  const g = P.getPrincipal<GroupRecord>(ctx, 'group', i.GroupName);
  const name = i.NewGroupName ?? g.GroupName;
  if (nameKey(name) !== nameKey(g.GroupName) && t.groups.has(nameKey(name))) throw alreadyExists(`Group with name ${name} already exists.`);
  const path = i.NewPath ?? g.Path;
  if (nameKey(name) !== nameKey(g.GroupName)) {
    for (const u of membersOf(ctx, g.GroupName)) {
      t.users.put(nameKey(u.UserName), { ...u, groups: u.groups.map((n) => (n === nameKey(g.GroupName) ? nameKey(name) : n)) });
    }
  }
  t.groups.delete(nameKey(g.GroupName));
  t.groups.put(nameKey(name), { ...g, GroupName: name, Path: path, Arn: groupArn(ctx.account, path, name) });
  return {};
}

export function DeleteGroup(i: T.DeleteGroupRequest, ctx: RequestContext) {
  const g = P.getPrincipal<GroupRecord>(ctx, 'group', i.GroupName);
  if (membersOf(ctx, g.GroupName).length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  if (Object.keys(g.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (g.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  tables(ctx).groups.delete(nameKey(g.GroupName));
  return {};
}
