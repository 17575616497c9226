import type { AddPermissionInput, RemovePermissionInput } from '../../generated/sns.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter } from './errors.ts';
import { storeFor } from './store.ts';
import { getTopic } from './topics.ts';

interface Policy {
  Version?: string;
  Id?: string;
  Statement: Array<{ Sid?: string; [k: string]: unknown }>;
}

function policyOf(attrs: Record<string, string>): Policy {
  try {
    const p = JSON.parse(attrs.Policy ?? '');
    return { ...p, Statement: Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : [] };
  } catch {
    return { Version: '2008-10-17', Statement: [] };
  }
}

export function AddPermission(input: AddPermissionInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.TopicArn);
  const p = policyOf(t.attrs);
  if (p.Statement.some((s) => s.Sid === input.Label)) throw invalidParameter('Statement already exists');
  p.Statement.push({
    Sid: input.Label, Effect: 'Allow',
    Principal: { AWS: input.AWSAccountId.map((a) => `arn:aws:iam::${a}:root`) },
    Action: input.ActionName.map((a) => `SNS:${a}`), Resource: t.arn,
  });
  storeFor(ctx).tables.topics.put(t.arn, { ...t, attrs: { ...t.attrs, Policy: JSON.stringify(p) } });
  return {};
}

export function RemovePermission(input: RemovePermissionInput, ctx: RequestContext) {
  const t = getTopic(ctx, input.TopicArn);
  const p = policyOf(t.attrs);
  p.Statement = p.Statement.filter((s) => s.Sid !== input.Label);
  storeFor(ctx).tables.topics.put(t.arn, { ...t, attrs: { ...t.attrs, Policy: JSON.stringify(p) } });
  return {};
}
