/**
 * What users, groups and roles share: inline policies, attached managed policies, tags and
 * permissions boundaries. Each kind is described once (`KINDS`) and the operations are generic.
 */
import type { RequestContext } from '../framework/define.ts';
import type { Table } from '../../state/types.ts';
import { awsManagedName, isAwsManaged } from './aws-managed.ts';
import { limitExceeded, noSuchEntity } from './errors.ts';
import { paginate } from './paginate.ts';
import { parsePolicy, policySize } from './policy-document.ts';
import { nameKey, tables, type GroupRecord, type Principal, type RoleRecord, type UserRecord } from './store.ts';
import { mergeTags, removeTags } from './tags.ts';
import type { Tag } from './store.ts';

export type Kind = 'user' | 'group' | 'role';

interface KindInfo {
  label: string;
  quotaName: string;
  /** Inline policy size quota (characters, whitespace excluded). */
  inlineSize: number;
  table(ctx: RequestContext): Table<Principal>;
  nameOf(p: Principal): string;
}

export const KINDS: Record<Kind, KindInfo> = {
  user: { label: 'user', quotaName: 'User', inlineSize: 2048, table: (c) => tables(c).users, nameOf: (p) => (p as UserRecord).UserName },
  group: { label: 'group', quotaName: 'Group', inlineSize: 5120, table: (c) => tables(c).groups, nameOf: (p) => (p as GroupRecord).GroupName },
  role: { label: 'role', quotaName: 'Role', inlineSize: 10240, table: (c) => tables(c).roles, nameOf: (p) => (p as RoleRecord).RoleName },
};

const MAX_ATTACHED = 10;

export function getPrincipal<P extends Principal>(ctx: RequestContext, kind: Kind, name: string): P {
  const found = KINDS[kind].table(ctx).get(nameKey(name));
  if (!found) throw noSuchEntity(`The ${KINDS[kind].label} with name ${name} cannot be found.`);
  return found as P;
}

export function savePrincipal(ctx: RequestContext, kind: Kind, p: Principal): void {
  KINDS[kind].table(ctx).put(nameKey(KINDS[kind].nameOf(p)), p);
}

export function putInline(ctx: RequestContext, kind: Kind, name: string, policyName: string, document: string): void {
  const p = getPrincipal(ctx, kind, name);
  parsePolicy(document, 'identity');
  const size = policySize(document) + Object.entries(p.inline).filter(([n]) => n !== policyName).reduce((n, [, d]) => n + policySize(d), 0);
  if (size > KINDS[kind].inlineSize) throw limitExceeded(`Maximum policy size of ${KINDS[kind].inlineSize} bytes exceeded for ${kind} ${name}`);
  savePrincipal(ctx, kind, { ...p, inline: { ...p.inline, [policyName]: document } });
}

export function getInline(ctx: RequestContext, kind: Kind, name: string, policyName: string): string {
  const doc = getPrincipal(ctx, kind, name).inline[policyName];
  if (doc === undefined) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return doc;
}

export function deleteInline(ctx: RequestContext, kind: Kind, name: string, policyName: string): void {
  const p = getPrincipal(ctx, kind, name);
  if (p.inline[policyName] === undefined) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  const inline = { ...p.inline };
  delete inline[policyName];
  savePrincipal(ctx, kind, { ...p, inline });
}

export function listInline(ctx: RequestContext, kind: Kind, name: string, input: { Marker?: string; MaxItems?: number }) {
  const page = paginate(Object.keys(getPrincipal(ctx, kind, name).inline).sort(), input);
  return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

/** A managed policy's name for an ARN that must be attachable in this account. */
export function attachablePolicyName(ctx: RequestContext, arn: string): string {
  if (isAwsManaged(arn)) return awsManagedName(arn);
  const policy = tables(ctx).policies.get(arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy.PolicyName;
}

export function attach(ctx: RequestContext, kind: Kind, name: string, arn: string): void {
  const p = getPrincipal(ctx, kind, name);
  attachablePolicyName(ctx, arn);
  if (p.attached.includes(arn)) return;
  if (p.attached.length >= MAX_ATTACHED) throw limitExceeded(`Cannot exceed quota for PoliciesPer${KINDS[kind].quotaName}: ${MAX_ATTACHED}`);
  savePrincipal(ctx, kind, { ...p, attached: [...p.attached, arn] });
}

export function detach(ctx: RequestContext, kind: Kind, name: string, arn: string): void {
  const p = getPrincipal(ctx, kind, name);
  if (!p.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  savePrincipal(ctx, kind, { ...p, attached: p.attached.filter((a) => a !== arn) });
}

export function listAttached(ctx: RequestContext, kind: Kind, name: string, input: { Marker?: string; MaxItems?: number; PathPrefix?: string }) {
  const p = getPrincipal(ctx, kind, name);
  const policies = p.attached
    .filter((arn) => !input.PathPrefix || policyPath(arn).startsWith(input.PathPrefix))
    .map((arn) => ({ PolicyArn: arn, PolicyName: attachedName(ctx, arn) }));
  const page = paginate(policies, input);
  return { AttachedPolicies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function attachedName(ctx: RequestContext, arn: string): string {
  return isAwsManaged(arn) ? awsManagedName(arn) : tables(ctx).policies.get(arn)?.PolicyName ?? awsManagedName(arn);
}

/** `arn:aws:iam::123:policy/a/b/Name` -> `/a/b/`. */
export function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}

export function tag(ctx: RequestContext, kind: Kind, name: string, tags: Tag[]): void {
  const p = getPrincipal(ctx, kind, name);
  savePrincipal(ctx, kind, { ...p, Tags: mergeTags(p.Tags, tags, `${kind} ${name}`) });
}

export function untag(ctx: RequestContext, kind: Kind, name: string, keys: string[]): void {
  const p = getPrincipal(ctx, kind, name);
  savePrincipal(ctx, kind, { ...p, Tags: removeTags(p.Tags, keys) });
}

export function listTags(tags: Tag[], input: { Marker?: string; MaxItems?: number }) {
  const page = paginate(tags, input);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function setBoundary(ctx: RequestContext, kind: Kind, name: string, arn: string | undefined): void {
  const p = getPrincipal(ctx, kind, name);
  if (arn !== undefined) attachablePolicyName(ctx, arn);
  const next = { ...p };
  if (arn === undefined) delete next.PermissionsBoundary;
  else next.PermissionsBoundary = arn;
  savePrincipal(ctx, kind, next);
}

export function boundaryOut(arn: string | undefined) {
  return arn === undefined ? undefined : { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
}

/** Every principal of a kind that attaches (or bounds itself with) the policy. */
export function attachedTo(ctx: RequestContext, kind: Kind, arn: string): Principal[] {
  return [...KINDS[kind].table(ctx).entries()].map(([, p]) => p).filter((p) => p.attached.includes(arn));
}
