/** SimulatePrincipalPolicy / SimulateCustomPolicy and the context-key listings, over policy-eval. */
import type { RequestContext } from '../framework/define.ts';
import type * as T from '../../generated/iam.ts';
import { isAwsManaged } from './aws-managed.ts';
import { invalidInput } from './errors.ts';
import { paginate } from './paginate.ts';
import { parsePolicy, type PolicyDocument } from './policy-document.ts';
import { evaluateWithBoundary, type SourcePolicy } from './policy-eval.ts';
import { defaultDocument } from './policies.ts';
import * as P from './principals.ts';
import { tables, type GroupRecord, type Principal, type UserRecord } from './store.ts';

function inputPolicies(list: string[] | undefined, prefix: string): SourcePolicy[] {
  return (list ?? []).map((doc, n) => ({ id: `${prefix}.${n + 1}`, type: 'none', document: parsePolicy(doc, 'identity') }));
}

function policiesOf(ctx: RequestContext, p: Principal, type: 'user' | 'group' | 'role'): SourcePolicy[] {
  const out: SourcePolicy[] = Object.entries(p.inline).map(([name, doc]) => ({ id: name, type, document: parsePolicy(doc) }));
  for (const arn of p.attached) {
    const doc = defaultDocument(ctx, arn);
    if (doc === undefined) continue;
    out.push({ id: arn.slice(arn.lastIndexOf('/') + 1), type: isAwsManaged(arn) ? 'aws-managed' : 'user-managed', document: parsePolicy(doc) });
  }
  return out;
}

/** The principal an ARN names: `arn:aws:iam::<acct>:user|group|role/<path/>name`. */
function principalPolicies(ctx: RequestContext, arn: string): { policies: SourcePolicy[]; boundary?: string } {
  const m = /^arn:aws[\w-]*:iam::\d{12}:(user|group|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) throw invalidInput(`Invalid ARN: ${arn}`);
  const kind = m[1] as P.Kind;
  const p = P.getPrincipal(ctx, kind, m[2]!);
  const policies = policiesOf(ctx, p, kind);
  if (kind === 'user') {
    const groups = tables(ctx).groups;
    for (const g of (p as UserRecord).groups) {
      const group = groups.get(g) as GroupRecord | undefined;
      if (group) policies.push(...policiesOf(ctx, group, 'group'));
    }
  }
  return { policies, ...(p.PermissionsBoundary ? { boundary: p.PermissionsBoundary } : {}) };
}

function contextOf(entries: T.ContextEntry[] | undefined): Map<string, string[]> {
  const ctx = new Map<string, string[]>();
  for (const e of entries ?? []) {
    if (e.ContextKeyName) ctx.set(e.ContextKeyName.toLowerCase(), e.ContextKeyValues ?? []);
  }
  return ctx;
}

interface SimulationInput {
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  CallerArn?: string;
  ContextEntries?: T.ContextEntry[];
  Marker?: string;
  MaxItems?: number;
}

function simulate(identity: SourcePolicy[], boundary: SourcePolicy[] | undefined, i: SimulationInput, callerArn: string | undefined) {
  const resourcePolicies: SourcePolicy[] = i.ResourcePolicy ? [{ id: 'ResourcePolicy', type: 'resource', document: parseResourcePolicy(i.ResourcePolicy) }] : [];
  const context = contextOf(i.ContextEntries);
  const results = [];
  for (const action of i.ActionNames) {
    for (const resource of i.ResourceArns?.length ? i.ResourceArns : ['*']) {
      const e = evaluateWithBoundary(identity, boundary, resourcePolicies, { action, resource, context, ...(callerArn ? { callerArn } : {}) });
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: e.decision,
        MatchedStatements: e.matched.map((m) => ({ SourcePolicyId: m.policy.id, SourcePolicyType: m.policy.type })),
        MissingContextValues: e.missingContextValues,
        ...(e.allowedByBoundary !== undefined ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: e.allowedByBoundary } } : {}),
      });
    }
  }
  const page = paginate(results, i);
  return { EvaluationResults: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function parseResourcePolicy(doc: string): PolicyDocument {
  return parsePolicy(doc, 'resource');
}

export function SimulatePrincipalPolicy(i: T.SimulatePrincipalPolicyRequest, ctx: RequestContext) {
  const { policies, boundary } = principalPolicies(ctx, i.PolicySourceArn);
  policies.push(...inputPolicies(i.PolicyInputList, 'PolicyInputList'));
  let boundaries: SourcePolicy[] | undefined;
  if (i.PermissionsBoundaryPolicyInputList?.length) boundaries = inputPolicies(i.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
  else if (boundary) {
    const doc = defaultDocument(ctx, boundary);
    boundaries = doc === undefined ? [] : [{ id: boundary.slice(boundary.lastIndexOf('/') + 1), type: isAwsManaged(boundary) ? 'aws-managed' : 'user-managed', document: parsePolicy(doc) }];
  }
  const caller = i.CallerArn ?? (/:(user|role)\//.test(i.PolicySourceArn) ? i.PolicySourceArn : undefined);
  return simulate(policies, boundaries, i, caller);
}

export function SimulateCustomPolicy(i: T.SimulateCustomPolicyRequest) {
  const boundaries = i.PermissionsBoundaryPolicyInputList?.length ? inputPolicies(i.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList') : undefined;
  return simulate(inputPolicies(i.PolicyInputList, 'PolicyInputList'), boundaries, i, i.CallerArn);
}

function conditionKeys(docs: PolicyDocument[]): string[] {
  const keys = new Map<string, string>();
  for (const d of docs) {
    for (const s of d.Statement) {
      for (const block of Object.values(s.Condition ?? {})) {
        for (const k of Object.keys(block)) if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
      }
    }
  }
  return [...keys.values()];
}

export function GetContextKeysForCustomPolicy(i: T.GetContextKeysForCustomPolicyRequest) {
  return { ContextKeyNames: conditionKeys(i.PolicyInputList.map((d) => parsePolicy(d))) };
}

export function GetContextKeysForPrincipalPolicy(i: T.GetContextKeysForPrincipalPolicyRequest, ctx: RequestContext) {
  const { policies } = principalPolicies(ctx, i.PolicySourceArn);
  const docs = [...policies.map((p) => p.document), ...(i.PolicyInputList ?? []).map((d) => parsePolicy(d))];
  return { ContextKeyNames: conditionKeys(docs) };
}
