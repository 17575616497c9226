/** Resource policies: AddPermission/RemovePermission/GetPolicy, and the same for layer versions. */
import type {
  AddPermissionRequest, AddPermissionResponse, GetPolicyRequest, GetPolicyResponse, RemovePermissionRequest,
} from '../../generated/lambda.ts';
import type { RequestContext } from '../framework/define.ts';
import { conflict, notFound, preconditionFailed } from './errors.ts';
import { functionRef, requireFunction } from './functions.ts';
import { functionArn, partition } from './names.ts';
import type { PolicyRecord, PolicyStatement } from './records.ts';
import { scopeOf } from './store.ts';
import { resolveVersion } from './versions.ts';

export function principalOf(region: string, principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partition(region)}:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

export function policyDocument(p: PolicyRecord): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: p.statements });
}

/** Adds a statement (conflict on a duplicate Sid); returns the new record. */
export function addStatement(current: PolicyRecord | undefined, s: PolicyStatement, revision: string | undefined, newRevision: string): PolicyRecord {
  if (revision !== undefined && current && revision !== current.revisionId) throw preconditionFailed();
  if (current?.statements.some((x) => x.Sid === s.Sid)) {
    throw conflict(`The statement id (${s.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  return { statements: [...(current?.statements ?? []), s], revisionId: newRevision };
}

/** Removes the statement `sid`; undefined when none remain. */
export function removeStatement(current: PolicyRecord | undefined, sid: string, revision: string | undefined, newRevision: string): PolicyRecord | undefined {
  if (!current || !current.statements.some((x) => x.Sid === sid)) throw notFound(`Statement ${sid} is not found in resource policy.`);
  if (revision !== undefined && revision !== current.revisionId) throw preconditionFailed();
  const statements = current.statements.filter((x) => x.Sid !== sid);
  return statements.length ? { statements, revisionId: newRevision } : undefined;
}

export function AddPermission(input: AddPermissionRequest, ctx: RequestContext): AddPermissionResponse {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const qualifier = ref!.qualifier;
  if (qualifier !== undefined) resolveVersion(scope, fn, qualifier);
  const s: PolicyStatement = {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principalOf(ctx.region, input.Principal),
    Action: input.Action,
    Resource: functionArn(scope, fn.name, qualifier),
  };
  const condition: Record<string, Record<string, string>> = {};
  if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  if (input.PrincipalOrgID) condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': input.PrincipalOrgID };
  if (input.EventSourceToken) condition.StringEquals = { ...condition.StringEquals, 'lambda:EventSourceToken': input.EventSourceToken };
  if (input.FunctionUrlAuthType) condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': input.FunctionUrlAuthType };
  if (Object.keys(condition).length) s.Condition = condition;
  const key = `${fn.name}/${qualifier ?? '$LATEST'}`;
  scope.policies.put(key, addStatement(scope.policies.get(key), s, input.RevisionId, ctx.ids.uuid()));
  return { Statement: JSON.stringify(s) };
}

export function RemovePermission(input: RemovePermissionRequest, ctx: RequestContext): Record<string, never> {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const key = `${fn.name}/${ref!.qualifier ?? '$LATEST'}`;
  const next = removeStatement(scope.policies.get(key), input.StatementId, input.RevisionId, ctx.ids.uuid());
  if (next) scope.policies.put(key, next);
  else scope.policies.delete(key);
  return {};
}

export function GetPolicy(input: GetPolicyRequest, ctx: RequestContext): GetPolicyResponse {
  const scope = scopeOf(ctx);
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier);
  const fn = requireFunction(scope, ref, input.FunctionName);
  const p = scope.policies.get(`${fn.name}/${ref!.qualifier ?? '$LATEST'}`);
  if (!p) throw notFound('The resource you requested does not exist.');
  return { Policy: policyDocument(p), RevisionId: p.revisionId };
}
