/** Customer managed policies and their versions; AWS managed policies are read-only. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { awsManagedDocument, awsManagedName, isAwsManaged } from './aws-managed.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from './errors.ts';
import { uniqueId } from './ids.ts';
import { paginate } from './paginate.ts';
import { parsePolicy, policySize } from './policy-document.ts';
import * as P from './principals.ts';
import { values, tables, type ManagedPolicyRecord, type PolicyVersionRecord } from './store.ts';
import { encodeDocument } from './roles.ts';
import { mergeTags, removeTags } from './tags.ts';

const MAX_VERSIONS = 5;
const POLICY_SIZE_QUOTA = 6144;
/** AWS managed policies exist since before any account: a fixed date. */
const AWS_MANAGED_DATE = Date.UTC(2015, 1, 6, 18, 39, 46);

function checkDocument(doc: string): void {
  parsePolicy(doc, 'managed');
  if (policySize(doc) > POLICY_SIZE_QUOTA) throw limitExceeded(`Cannot exceed quota for PolicySize: ${POLICY_SIZE_QUOTA}`);
}

export function getPolicy(ctx: RequestContext, arn: string): ManagedPolicyRecord {
  if (isAwsManaged(arn) && awsManagedDocument(arn) !== undefined) return awsManagedRecord(arn);
  const p = tables(ctx).policies.get(arn);
  if (!p) throw noSuchEntity(`Policy ${arn} was not found.`);
  return p;
}

function awsManagedRecord(arn: string): ManagedPolicyRecord {
  const name = awsManagedName(arn);
  return {
    PolicyName: name, PolicyId: 'ANPA' + Buffer.from(name).toString('hex').toUpperCase().slice(0, 17).padEnd(17, 'A'),
    Arn: arn, Path: P.policyPath(arn), CreateDate: AWS_MANAGED_DATE, UpdateDate: AWS_MANAGED_DATE, DefaultVersionId: 'v1',
    versions: [{ VersionId: 'v1', Document: awsManagedDocument(arn)!, CreateDate: AWS_MANAGED_DATE }], nextVersion: 2, Tags: [],
  };
}

const AWS_CATALOG = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonDynamoDBFullAccess', 'AmazonSQSFullAccess', 'AWSLambda_FullAccess', 'service-role/AWSLambdaBasicExecutionRole'];

/** The document of a policy's default version (undefined for AWS managed policies kumo has no text for). */
export function defaultDocument(ctx: RequestContext, arn: string): string | undefined {
  if (isAwsManaged(arn)) return awsManagedDocument(arn);
  const p = tables(ctx).policies.get(arn);
  return p?.versions.find((v) => v.VersionId === p.DefaultVersionId)?.Document;
}

function attachmentCount(ctx: RequestContext, arn: string): number {
  return P.attachedTo(ctx, 'user', arn).length + P.attachedTo(ctx, 'group', arn).length + P.attachedTo(ctx, 'role', arn).length;
}

function boundaryCount(ctx: RequestContext, arn: string): number {
  const t = tables(ctx);
  return [...values(t.users), ...values(t.roles)].filter((p) => p.PermissionsBoundary === arn).length;
}

function policyOut(ctx: RequestContext, p: ManagedPolicyRecord, withTags = true) {
  return {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: attachmentCount(ctx, p.Arn), PermissionsBoundaryUsageCount: boundaryCount(ctx, p.Arn), IsAttachable: true,
    Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate,
    Tags: withTags && p.Tags.length ? p.Tags : undefined,
  };
}

function versionOut(p: ManagedPolicyRecord, v: PolicyVersionRecord) {
  return { Document: encodeDocument(v.Document), VersionId: v.VersionId, IsDefaultVersion: v.VersionId === p.DefaultVersionId, CreateDate: v.CreateDate };
}

function customerPolicy(ctx: RequestContext, arn: string): ManagedPolicyRecord {
  const p = tables(ctx).policies.get(arn);
  if (!p) throw noSuchEntity(`Policy ${arn} was not found.`);
  return p;
}

export function CreatePolicy(i: T.CreatePolicyRequest, ctx: RequestContext) {
  const t = tables(ctx);
  checkDocument(i.PolicyDocument);
  if (values(t.policies).some((p) => p.PolicyName === i.PolicyName)) {
    throw alreadyExists(`A policy called ${i.PolicyName} already exists. Duplicate names are not allowed.`);
  }
  const path = i.Path ?? '/';
  const now = ctx.clock.now();
  const p: ManagedPolicyRecord = {
    PolicyName: i.PolicyName, PolicyId: uniqueId(ctx.ids, 'ANPA'), Arn: `arn:aws:iam::${ctx.account}:policy${path}${i.PolicyName}`,
    Path: path, CreateDate: now, UpdateDate: now, DefaultVersionId: 'v1',
    versions: [{ VersionId: 'v1', Document: i.PolicyDocument, CreateDate: now }], nextVersion: 2,
    Tags: mergeTags([], i.Tags, `policy ${i.PolicyName}`),
    ...(i.Description !== undefined ? { Description: i.Description } : {}),
  };
  t.policies.put(p.Arn, p);
  return { Policy: policyOut(ctx, p) };
}

export function GetPolicy(i: T.GetPolicyRequest, ctx: RequestContext) {
  return { Policy: policyOut(ctx, getPolicy(ctx, i.PolicyArn)) };
}

export function ListPolicies(i: T.ListPoliciesRequest, ctx: RequestContext) {
  const scope = i.Scope ?? 'All';
  let list: ManagedPolicyRecord[] = [];
  if (scope !== 'Local') list.push(...AWS_CATALOG.map((n) => awsManagedRecord(`arn:aws:iam::aws:policy/${n}`)));
  if (scope !== 'AWS') list.push(...values(tables(ctx).policies));
  if (i.PathPrefix) list = list.filter((p) => p.Path.startsWith(i.PathPrefix!));
  if (i.OnlyAttached) list = list.filter((p) => attachmentCount(ctx, p.Arn) > 0);
  if (i.PolicyUsageFilter === 'PermissionsBoundary') list = list.filter((p) => boundaryCount(ctx, p.Arn) > 0);
  if (i.PolicyUsageFilter === 'PermissionsPolicy') list = list.filter((p) => attachmentCount(ctx, p.Arn) > 0);
  const page = paginate(list, i);
  return { Policies: page.items.map((p) => policyOut(ctx, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function DeletePolicy(i: T.DeletePolicyRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  if (attachmentCount(ctx, p.Arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (p.versions.length > 1) {
    throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  }
  tables(ctx).policies.delete(p.Arn);
  return {};
}

export function CreatePolicyVersion(i: T.CreatePolicyVersionRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  checkDocument(i.PolicyDocument);
  if (p.versions.length >= MAX_VERSIONS) {
    throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
  }
  const now = ctx.clock.now();
  const v = { VersionId: `v${p.nextVersion}`, Document: i.PolicyDocument, CreateDate: now };
  const next = { ...p, versions: [...p.versions, v], nextVersion: p.nextVersion + 1, UpdateDate: now, DefaultVersionId: i.SetAsDefault ? v.VersionId : p.DefaultVersionId };
  tables(ctx).policies.put(p.Arn, next);
  return { PolicyVersion: versionOut(next, v) };
}

function versionOf(p: ManagedPolicyRecord, versionId: string): PolicyVersionRecord {
  const v = p.versions.find((x) => x.VersionId === versionId);
  if (!v) throw noSuchEntity(`Policy ${p.Arn} version ${versionId} does not exist or is not attachable.`);
  return v;
}

export function GetPolicyVersion(i: T.GetPolicyVersionRequest, ctx: RequestContext) {
  const p = getPolicy(ctx, i.PolicyArn);
  return { PolicyVersion: versionOut(p, versionOf(p, i.VersionId)) };
}

export function ListPolicyVersions(i: T.ListPolicyVersionsRequest, ctx: RequestContext) {
  const p = getPolicy(ctx, i.PolicyArn);
  const page = paginate([...p.versions].reverse(), i);
  return { Versions: page.items.map((v) => ({ ...versionOut(p, v), Document: undefined })), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function DeletePolicyVersion(i: T.DeletePolicyVersionRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  const v = versionOf(p, i.VersionId);
  if (v.VersionId === p.DefaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
  tables(ctx).policies.put(p.Arn, { ...p, versions: p.versions.filter((x) => x !== v) });
  return {};
}

export function SetDefaultPolicyVersion(i: T.SetDefaultPolicyVersionRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  versionOf(p, i.VersionId);
  tables(ctx).policies.put(p.Arn, { ...p, DefaultVersionId: i.VersionId, UpdateDate: ctx.clock.now() });
  return {};
}

export function ListEntitiesForPolicy(i: T.ListEntitiesForPolicyRequest, ctx: RequestContext) {
  checkPolicyExists(ctx, i.PolicyArn);
  const filter = i.EntityFilter;
  const path = (x: { Path: string }) => !i.PathPrefix || x.Path.startsWith(i.PathPrefix);
  const users = filter && filter !== 'User' ? [] : P.attachedTo(ctx, 'user', i.PolicyArn).filter(path);
  const groups = filter && filter !== 'Group' ? [] : P.attachedTo(ctx, 'group', i.PolicyArn).filter(path);
  const roles = filter && filter !== 'Role' ? [] : P.attachedTo(ctx, 'role', i.PolicyArn).filter(path);
  const all = [
    ...users.map((u) => ({ kind: 'user', name: P.KINDS.user.nameOf(u), id: (u as { UserId?: string }).UserId })),
    ...groups.map((g) => ({ kind: 'group', name: P.KINDS.group.nameOf(g), id: (g as { GroupId?: string }).GroupId })),
    ...roles.map((r) => ({ kind: 'role', name: P.KINDS.role.nameOf(r), id: (r as { RoleId?: string }).RoleId })),
  ];
  const page = paginate(all, i);
  return {
    PolicyUsers: page.items.filter((e) => e.kind === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
    PolicyGroups: page.items.filter((e) => e.kind === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
    PolicyRoles: page.items.filter((e) => e.kind === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
    IsTruncated: page.IsTruncated, Marker: page.Marker,
  };
}

function checkPolicyExists(ctx: RequestContext, arn: string): void {
  if (!isAwsManaged(arn)) customerPolicy(ctx, arn);
}

export function TagPolicy(i: T.TagPolicyRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  tables(ctx).policies.put(p.Arn, { ...p, Tags: mergeTags(p.Tags, i.Tags, `policy ${p.PolicyName}`) });
  return {};
}

export function UntagPolicy(i: T.UntagPolicyRequest, ctx: RequestContext) {
  const p = customerPolicy(ctx, i.PolicyArn);
  tables(ctx).policies.put(p.Arn, { ...p, Tags: removeTags(p.Tags, i.TagKeys) });
  return {};
}

export function ListPolicyTags(i: T.ListPolicyTagsRequest, ctx: RequestContext) {
  return P.listTags(customerPolicy(ctx, i.PolicyArn).Tags, i);
}
