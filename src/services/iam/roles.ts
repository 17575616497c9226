/** IAM roles (trust policies, session duration) and service-linked roles. */
import { AwsError, type RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { alreadyExists, deleteConflict, invalidInput, limitExceeded, noSuchEntity } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate, underPath } from './paginate.ts';
import { parsePolicy, policySize } from './policy-document.ts';
import * as P from './principals.ts';
import { nameKey, tables, values, type RoleRecord } from './store.ts';
import { mergeTags } from './tags.ts';

const TRUST_POLICY_QUOTA = 2048;

/** IAM returns policy documents URL-encoded (SDKs do not decode them). */
export const encodeDocument = (doc: string): string => encodeURIComponent(doc);

export function roleOut(r: RoleRecord, full = true) {
  return {
    Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
    Description: r.Description, MaxSessionDuration: r.MaxSessionDuration,
    PermissionsBoundary: P.boundaryOut(r.PermissionsBoundary),
    Tags: full && r.Tags.length ? r.Tags : undefined,
    RoleLastUsed: full ? {} : undefined,
  };
}

function checkTrustPolicy(doc: string): void {
  parsePolicy(doc, 'trust');
  if (policySize(doc) > TRUST_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_QUOTA}`);
}

function newRole(ctx: RequestContext, fields: Omit<RoleRecord, 'RoleId' | 'Arn' | 'CreateDate' | 'inline' | 'attached'>): RoleRecord {
  const t = tables(ctx);
  if (t.roles.has(nameKey(fields.RoleName))) throw alreadyExists(`Role with name ${fields.RoleName} already exists.`);
  const r: RoleRecord = {
    ...fields, RoleId: uniqueId(ctx.ids, 'AROA'), Arn: `arn:aws:iam::${ctx.account}:role${fields.Path}${fields.RoleName}`,
    CreateDate: ctx.clock.now(), inline: {}, attached: [],
  };
  t.roles.put(nameKey(r.RoleName), r);
  return r;
}

export function CreateRole(i: T.CreateRoleRequest, ctx: RequestContext) {
  checkTrustPolicy(i.AssumeRolePolicyDocument);
  if (i.PermissionsBoundary) P.attachablePolicyName(ctx, i.PermissionsBoundary);
  const r = newRole(ctx, {
    RoleName: i.RoleName, Path: i.Path ?? '/', AssumeRolePolicyDocument: i.AssumeRolePolicyDocument,
    MaxSessionDuration: i.MaxSessionDuration ?? 3600, Tags: mergeTags([], i.Tags, `role ${i.RoleName}`),
    ...(i.Description !== undefined ? { Description: i.Description } : {}),
    ...(i.PermissionsBoundary ? { PermissionsBoundary: i.PermissionsBoundary } : {}),
  });
  return { Role: roleOut(r) };
}

export function GetRole(i: T.GetRoleRequest, ctx: RequestContext) {
  return { Role: roleOut(P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName)) };
}

export function ListRoles(i: T.ListRolesRequest, ctx: RequestContext) {
  const page = paginate(underPath(values(tables(ctx).roles), i.PathPrefix), i);
  return { Roles: page.items.map((r) => roleOut(r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function modifiable(r: RoleRecord): RoleRecord {
  if (r.serviceLinked) {
    throw new AwsError('UnmodifiableEntityException', `Cannot perform the operation on the protected role '${r.RoleName}' - this role is only modifiable by AWS`);
  }
  return r;
}

export function UpdateRole(i: T.UpdateRoleRequest, ctx: RequestContext) {
  const r = modifiable(P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName));
  P.savePrincipal(ctx, 'role', {
    ...r,
    ...(i.Description !== undefined ? { Description: i.Description } : {}),
    ...(i.MaxSessionDuration !== undefined ? { MaxSessionDuration: i.MaxSessionDuration } : {}),
  } as RoleRecord);
  return {};
}

export function UpdateRoleDescription(i: T.UpdateRoleDescriptionRequest, ctx: RequestContext) {
  const r = P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName);
  const next = { ...r, Description: i.Description };
  P.savePrincipal(ctx, 'role', next);
  return { Role: roleOut(next) };
}

export function UpdateAssumeRolePolicy(i: T.UpdateAssumeRolePolicyRequest, ctx: RequestContext) {
  const r = modifiable(P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName));
  checkTrustPolicy(i.PolicyDocument);
  P.savePrincipal(ctx, 'role', { ...r, AssumeRolePolicyDocument: i.PolicyDocument } as RoleRecord);
  return {};
}

function checkDeletable(ctx: RequestContext, r: RoleRecord): void {
  if (values(tables(ctx).instanceProfiles).some((p) => p.roles.includes(nameKey(r.RoleName)))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (Object.keys(r.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (r.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
}

export function DeleteRole(i: T.DeleteRoleRequest, ctx: RequestContext) {
  const r = modifiable(P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName));
  checkDeletable(ctx, r);
  tables(ctx).roles.delete(nameKey(r.RoleName));
  return {};
}

/** `elasticbeanstalk.amazonaws.com` -> `ElasticBeanstalk`-style suffixes: each label capitalised. */
function serviceRoleSuffix(service: string): string {
  const prefix = service.replace(/\.amazonaws\.com(\.cn)?$/, '');
  return prefix.split(/[.-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('');
}

export function CreateServiceLinkedRole(i: T.CreateServiceLinkedRoleRequest, ctx: RequestContext) {
  if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(i.AWSServiceName)) {
    throw invalidInput(`Invalid service name: ${i.AWSServiceName}`);
  }
  const name = `AWSServiceRoleFor${serviceRoleSuffix(i.AWSServiceName)}${i.CustomSuffix ? `_${i.CustomSuffix}` : ''}`;
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [i.AWSServiceName] }, Action: ['sts:AssumeRole'] }] });
  const r = newRole(ctx, {
    RoleName: name, Path: `/aws-service-role/${i.AWSServiceName}/`, AssumeRolePolicyDocument: trust,
    MaxSessionDuration: 3600, Tags: [], serviceLinked: true,
    ...(i.Description !== undefined ? { Description: i.Description } : {}),
  });
  return { Role: roleOut(r) };
}

/** Deletion tasks finish at once: the task id is kept on the account so its status can be read. */
export function DeleteServiceLinkedRole(i: T.DeleteServiceLinkedRoleRequest, ctx: RequestContext) {
  const r = P.getPrincipal<RoleRecord>(ctx, 'role', i.RoleName);
  if (!r.serviceLinked) throw invalidInput(`Role ${i.RoleName} is not a service-linked role.`);
  checkDeletable(ctx, r);
  tables(ctx).roles.delete(nameKey(r.RoleName));
  const service = r.Path.split('/')[2];
  const taskId = `task${r.Path}${r.RoleName}/${ctx.ids.uuid()}`;
  tables(ctx).account.put(`deletionTask/${taskId}`, service ?? '');
  return { DeletionTaskId: taskId };
}

export function GetServiceLinkedRoleDeletionStatus(i: T.GetServiceLinkedRoleDeletionStatusRequest, ctx: RequestContext) {
  if (!tables(ctx).account.has(`deletionTask/${i.DeletionTaskId}`)) throw noSuchEntity(`The deletion task with id ${i.DeletionTaskId} cannot be found.`);
  return { Status: 'SUCCEEDED' };
}
