import type {
  GetKeyPolicyRequest, GetKeyPolicyResponse, ListKeyPoliciesRequest, ListKeyPoliciesResponse, PutKeyPolicyRequest,
} from '../../generated/kms.ts';
import type { RequestContext } from '../framework/define.ts';
import { malformedPolicy, notFound } from './errors.ts';
import { page } from './paging.ts';
import { findKey, putKey, requestScope } from './scope.ts';

/** The policy AWS gives a key created without one: the account's root may do anything with it. */
export function defaultPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    }],
  }, null, 2);
}

/** kumo does not enforce key policies; it checks they are JSON policy documents and keeps them. */
export function checkPolicy(policy: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw malformedPolicy('The key policy is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('Statement' in doc)) {
    throw malformedPolicy('The key policy must contain a Statement.');
  }
}

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw notFound(`No such policy exists: ${name}`);
}

export function GetKeyPolicy(input: GetKeyPolicyRequest, ctx: RequestContext): GetKeyPolicyResponse {
  const key = findKey(requestScope(ctx), input.KeyId);
  checkPolicyName(input.PolicyName);
  return { Policy: key.policy, PolicyName: 'default' };
}

export function PutKeyPolicy(input: PutKeyPolicyRequest, ctx: RequestContext): Record<string, never> {
  const scope = requestScope(ctx);
  const key = findKey(scope, input.KeyId);
  checkPolicyName(input.PolicyName);
  checkPolicy(input.Policy);
  putKey(scope, { ...key, policy: input.Policy });
  return {};
}

export function ListKeyPolicies(input: ListKeyPoliciesRequest, ctx: RequestContext): ListKeyPoliciesResponse {
  findKey(requestScope(ctx), input.KeyId);
  const p = page(['default'], (n) => n, input.Limit, input.Marker);
  return { PolicyNames: p.items, Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
}
