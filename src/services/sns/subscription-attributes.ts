/** Subscription attributes SNS checks when they are set: filter policies, redrive and delivery policies. */
import { compilePattern, parsePattern, PatternError, type CompiledPattern } from '../../events/pattern.ts';
import { SNS_HTTP_DEFAULT, SNS_MANAGED, type SnsRetryPolicy } from '../../events/policy.ts';
import { invalidParameter } from './errors.ts';

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy',
]);

/** SNS's limits: at most 5 keys in a policy (nested keys counted), 150 value combinations. */
export function compileFilterPolicy(text: string): CompiledPattern {
  try {
    const parsed = parsePattern(text);
    const compiled = compilePattern(parsed);
    if (combinations(parsed) > 150) throw new PatternError('Filter policy is too complex');
    if (countKeys(parsed) > 5) throw new PatternError('Filter policy can not have more than 5 keys');
    return compiled;
  } catch (err) {
    if (err instanceof PatternError) throw invalidParameter(`FilterPolicy: ${err.message}`);
    throw err;
  }
}

function leaves(v: unknown, out: number[]): void {
  if (Array.isArray(v)) out.push(v.length);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k === '$or') (x as unknown[]).forEach((y) => leaves(y, out)); else leaves(x, out);
}

function combinations(v: unknown): number {
  const counts: number[] = [];
  leaves(v, counts);
  return counts.reduce((a, b) => a * b, 1);
}

function countKeys(v: unknown): number {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (k === '$or') n = Math.max(n, ...(x as unknown[]).map(countKeys));
    else n += Array.isArray(x) ? 1 : countKeys(x);
  }
  return n;
}

export function checkRedrivePolicy(text: string): string {
  let parsed: { deadLetterTargetArn?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON.');
  }
  const arn = parsed?.deadLetterTargetArn;
  if (typeof arn !== 'string') throw invalidParameter('RedrivePolicy: deadLetterTargetArn is missing');
  if (!/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:.+$/.test(arn)) throw invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  return arn;
}

export function checkDeliveryPolicy(text: string): void {
  try {
    const p = JSON.parse(text);
    if (!p || typeof p !== 'object') throw new Error();
  } catch {
    throw invalidParameter('DeliveryPolicy: failed to parse JSON');
  }
}

/** The subscription's own healthyRetryPolicy, else the topic's for its protocol, else AWS's default. */
export function retryPolicyFor(protocol: string, subPolicy?: string, topicPolicy?: string): SnsRetryPolicy {
  const base = protocol === 'http' || protocol === 'https' ? SNS_HTTP_DEFAULT : SNS_MANAGED;
  const pick = (text: string | undefined) => {
    if (!text) return undefined;
    try {
      const p = JSON.parse(text);
      return p.healthyRetryPolicy ?? p[protocol]?.defaultHealthyRetryPolicy ?? (protocol === 'https' ? p.http?.defaultHealthyRetryPolicy : undefined);
    } catch {
      return undefined;
    }
  };
  const over = pick(subPolicy) ?? pick(topicPolicy);
  return over ? { ...base, ...over, kind: 'sns' } : base;
}
