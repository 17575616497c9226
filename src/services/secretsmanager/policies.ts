import type {
  DeleteResourcePolicyRequest, DeleteResourcePolicyResponse, GetResourcePolicyRequest, GetResourcePolicyResponse,
  PutResourcePolicyRequest, PutResourcePolicyResponse, ValidateResourcePolicyRequest, ValidateResourcePolicyResponse,
  ValidationErrorsEntry,
} from '../../generated/secretsmanager.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { malformedPolicy } from './errors.ts';
import { findSecret, liveSecret, secrets } from './names.ts';

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

/** Policy problems as ValidateResourcePolicy reports them (kumo checks structure; it does not enforce policies). */
function problems(text: string): ValidationErrorsEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [{ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'This resource policy contains a syntax error.' }];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'This resource policy contains a syntax error.' }];
  }
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Statement[];
  if (statements.length === 0) return [{ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'This resource policy contains a syntax error: Statement is missing.' }];
  const out: ValidationErrorsEntry[] = [];
  for (const st of statements) {
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') out.push({ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'Each statement must have an Effect of Allow or Deny.' });
    if (st.Action === undefined) out.push({ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'Each statement must have an Action.' });
    if (st.Principal === undefined) out.push({ CheckName: 'SYNTAX_CHECK', ErrorMessage: 'A resource policy statement must have a Principal.' });
  }
  return out;
}

function isPublic(text: string): boolean {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
  return statements.some((st) => st.Effect === 'Allow' && (st.Principal === '*' || (typeof st.Principal === 'object' && st.Principal !== null
    && [(st.Principal as { AWS?: unknown }).AWS].flat().includes('*'))));
}

export function PutResourcePolicy(input: PutResourcePolicyRequest, ctx: RequestContext): PutResourcePolicyResponse {
  const s = liveSecret(ctx, input.SecretId);
  const errs = problems(input.ResourcePolicy);
  if (errs.length) throw malformedPolicy(errs[0]!.ErrorMessage!);
  if (input.BlockPublicPolicy && isPublic(input.ResourcePolicy)) {
    throw new AwsError('PublicPolicyException', 'This resource policy will grant public access to the secret. Use BlockPublicPolicy to prevent public access.');
  }
  secrets(ctx).put(s.name, { ...s, policy: input.ResourcePolicy });
  return { ARN: s.arn, Name: s.name };
}

export function GetResourcePolicy(input: GetResourcePolicyRequest, ctx: RequestContext): GetResourcePolicyResponse {
  const s = findSecret(ctx, input.SecretId);
  return { ARN: s.arn, Name: s.name, ...(s.policy !== undefined ? { ResourcePolicy: s.policy } : {}) };
}

export function DeleteResourcePolicy(input: DeleteResourcePolicyRequest, ctx: RequestContext): DeleteResourcePolicyResponse {
  const s = liveSecret(ctx, input.SecretId);
  const { policy: _, ...rest } = s;
  secrets(ctx).put(s.name, rest);
  return { ARN: s.arn, Name: s.name };
}

export function ValidateResourcePolicy(input: ValidateResourcePolicyRequest, ctx: RequestContext): ValidateResourcePolicyResponse {
  if (input.SecretId !== undefined) findSecret(ctx, input.SecretId);
  const errs = problems(input.ResourcePolicy);
  return { PolicyValidationPassed: errs.length === 0, ValidationErrors: errs };
}
