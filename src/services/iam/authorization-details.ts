/** GetAccountAuthorizationDetails: every user, group, role and managed policy with their policies, paged as one list. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { paginate } from './paginate.ts';
import * as P from './principals.ts';
import { encodeDocument, roleOut } from './roles.ts';
import { tables, values, type InstanceProfileRecord, type Principal, type RoleRecord } from './store.ts';

type Item =
  | { kind: 'user'; detail: object }
  | { kind: 'group'; detail: object }
  | { kind: 'role'; detail: object }
  | { kind: 'policy'; detail: object };

function inlineList(p: Principal) {
  return Object.entries(p.inline).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: encodeDocument(doc) }));
}

function attachedList(ctx: RequestContext, kind: P.Kind, name: string) {
  return P.listAttached(ctx, kind, name, { MaxItems: 1000 }).AttachedPolicies;
}

function profilesOf(profiles: InstanceProfileRecord[], r: RoleRecord) {
  return profiles
    .filter((p) => p.roles.includes(r.RoleName.toLowerCase()))
    .map((p) => ({
      Path: p.Path, InstanceProfileName: p.InstanceProfileName, InstanceProfileId: p.InstanceProfileId, Arn: p.Arn, CreateDate: p.CreateDate,
      Roles: [roleOut(r, false)],
    }));
}

export function GetAccountAuthorizationDetails(i: T.GetAccountAuthorizationDetailsRequest, ctx: RequestContext) {
  const t = tables(ctx);
  const want = (f: T.EntityType) => !i.Filter?.length || i.Filter.includes(f);
  const items: Item[] = [];
  if (want('User')) {
    for (const u of values(t.users)) {
      items.push({ kind: 'user', detail: {
        Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: u.CreateDate,
        UserPolicyList: inlineList(u), GroupList: u.groups.map((g) => t.groups.get(g)?.GroupName ?? g),
        AttachedManagedPolicies: attachedList(ctx, 'user', u.UserName), PermissionsBoundary: P.boundaryOut(u.PermissionsBoundary),
        Tags: u.Tags,
      } });
    }
  }
  if (want('Group')) {
    for (const g of values(t.groups)) {
      items.push({ kind: 'group', detail: {
        Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: g.CreateDate,
        GroupPolicyList: inlineList(g), AttachedManagedPolicies: attachedList(ctx, 'group', g.GroupName),
      } });
    }
  }
  if (want('Role')) {
    const profiles = values(t.instanceProfiles);
    for (const r of values(t.roles)) {
      items.push({ kind: 'role', detail: {
        ...roleOut(r), InstanceProfileList: profilesOf(profiles, r), RolePolicyList: inlineList(r),
        AttachedManagedPolicies: attachedList(ctx, 'role', r.RoleName), Tags: r.Tags,
      } });
    }
  }
  if (want('LocalManagedPolicy')) {
    for (const p of values(t.policies)) {
      const attached = P.attachedTo(ctx, 'user', p.Arn).length + P.attachedTo(ctx, 'group', p.Arn).length + P.attachedTo(ctx, 'role', p.Arn).length;
      items.push({ kind: 'policy', detail: {
        PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
        AttachmentCount: attached, PermissionsBoundaryUsageCount: 0, IsAttachable: true, Description: p.Description,
        CreateDate: p.CreateDate, UpdateDate: p.UpdateDate,
        PolicyVersionList: p.versions.map((v) => ({ Document: encodeDocument(v.Document), VersionId: v.VersionId, IsDefaultVersion: v.VersionId === p.DefaultVersionId, CreateDate: v.CreateDate })),
      } });
    }
  }
  const page = paginate(items, i);
  const of = (kind: Item['kind']) => page.items.filter((x) => x.kind === kind).map((x) => x.detail);
  return {
    UserDetailList: of('user'), GroupDetailList: of('group'), RoleDetailList: of('role'), Policies: of('policy'),
    IsTruncated: page.IsTruncated, Marker: page.Marker,
  };
}
