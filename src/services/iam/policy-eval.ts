/**
 * IAM's evaluation logic for one request (action, resource, context) against a set of policies:
 * an explicit Deny wins, then any Allow, else the implicit deny. Permissions boundaries cap
 * identity policies: both must allow.
 */
import { evaluateConditions, type Context } from './policy-conditions.ts';
import type { PolicyDocument, PolicyStatement } from './policy-document.ts';
import { actionMatches, arnMatches, substituteVariables } from './policy-match.ts';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface SourcePolicy {
  /** SimulatePolicy's SourcePolicyId: the policy's name, or `PolicyInputList.1`. */
  id: string;
  /** user, group, role, aws-managed, user-managed, resource, none. */
  type: string;
  document: PolicyDocument;
}

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: Context;
  /** The caller, for resource policies' Principal elements. */
  callerArn?: string;
}

export interface MatchedStatement {
  policy: SourcePolicy;
  statement: PolicyStatement;
}

export interface Evaluation {
  decision: Decision;
  matched: MatchedStatement[];
  missingContextValues: string[];
}

export function statementApplies(s: PolicyStatement, req: EvaluationRequest): { applies: boolean; missing: string[] } {
  if (s.Action && !s.Action.some((a) => actionMatches(a, req.action))) return { applies: false, missing: [] };
  if (s.NotAction && s.NotAction.some((a) => actionMatches(a, req.action))) return { applies: false, missing: [] };
  if (s.Resource && !s.Resource.some((r) => resourceMatches(r, req))) return { applies: false, missing: [] };
  if (s.NotResource && s.NotResource.some((r) => resourceMatches(r, req))) return { applies: false, missing: [] };
  if (s.Principal !== undefined && !principalMatches(s.Principal, req.callerArn)) return { applies: false, missing: [] };
  const cond = evaluateConditions(s.Condition, req.context);
  return { applies: cond.matches, missing: cond.missing };
}

function resourceMatches(pattern: string, req: EvaluationRequest): boolean {
  const resolved = substituteVariables(pattern, (k) => {
    const v = req.context.get(k);
    return v && v.length === 1 ? v[0] : undefined;
  });
  if (resolved === undefined) return false;
  return resolved === '*' || arnMatches(resolved, req.resource);
}

/** Resource policies: `*`, or the caller's ARN / its account (id or root ARN) under `AWS`. */
function principalMatches(principal: unknown, callerArn: string | undefined): boolean {
  if (principal === '*') return true;
  const aws = (principal as Record<string, unknown>)['AWS'];
  if (aws === undefined) return false;
  const ids = Array.isArray(aws) ? (aws as string[]) : [aws as string];
  if (ids.includes('*')) return true;
  if (!callerArn) return false;
  const account = callerArn.split(':')[4];
  return ids.some((id) => id === callerArn || id === account || id === `arn:aws:iam::${account}:root`);
}

export function evaluate(policies: SourcePolicy[], req: EvaluationRequest): Evaluation {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const missing = new Set<string>();
  for (const policy of policies) {
    for (const statement of policy.document.Statement) {
      const r = statementApplies(statement, req);
      for (const k of r.missing) missing.add(k);
      if (!r.applies) continue;
      (statement.Effect === 'Deny' ? denies : allows).push({ policy, statement });
    }
  }
  const missingContextValues = [...missing];
  if (denies.length) return { decision: 'explicitDeny', matched: denies, missingContextValues };
  if (allows.length) return { decision: 'allowed', matched: allows, missingContextValues };
  return { decision: 'implicitDeny', matched: [], missingContextValues };
}

/**
 * Identity policies within a permissions boundary: an allow needs both; a deny in either wins.
 * Resource policies (same account) add their allows to the identity policies'.
 */
export function evaluateWithBoundary(
  identity: SourcePolicy[],
  boundary: SourcePolicy[] | undefined,
  resource: SourcePolicy[],
  req: EvaluationRequest,
): Evaluation & { allowedByBoundary?: boolean } {
  const main = evaluate([...identity, ...resource], req);
  if (!boundary || main.decision === 'explicitDeny') return main;
  const b = evaluate(boundary, req);
  const missingContextValues = [...new Set([...main.missingContextValues, ...b.missingContextValues])];
  if (b.decision === 'explicitDeny') return { ...b, missingContextValues, allowedByBoundary: false };
  if (b.decision !== 'allowed') {
    // A resource policy naming the caller grants even outside the boundary (same account).
    const byResource = main.matched.filter((m) => m.policy.type === 'resource');
    if (main.decision === 'allowed' && byResource.length) return { decision: 'allowed', matched: byResource, missingContextValues, allowedByBoundary: false };
    return { decision: 'implicitDeny', matched: [], missingContextValues, allowedByBoundary: false };
  }
  return { ...main, missingContextValues, allowedByBoundary: true };
}
