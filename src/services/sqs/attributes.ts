import { invalidAttributeName, invalidAttributeValue, invalidValue, unknownAttribute } from './errors.ts';
import type { QueueRecord } from './records.ts';
import { parseQueueArn, queueArn, type QueueRef } from './urls.ts';

/** Queue attributes: defaults, checks and normalization for CreateQueue/SetQueueAttributes. */

export const STANDARD_DEFAULTS: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

export const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  ...STANDARD_DEFAULTS,
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const ENUMS: Record<string, readonly string[]> = {
  DeduplicationScope: ['queue', 'messageGroup'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const FREE_TEXT = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);

/** Attributes GetQueueAttributes computes rather than stores. */
export const COMPUTED = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

const ALL_NAMES = new Set<string>([...COMPUTED, ...Object.keys(FIFO_DEFAULTS), ...FREE_TEXT, 'KmsDataKeyReusePeriodSeconds']);

/** Looks a queue up by ARN, for checking redrive targets. */
export type QueueLookup = (ref: QueueRef) => QueueRecord | undefined;

export interface Target {
  name: string;
  account: string;
  region: string;
  fifo: boolean;
}

/**
 * Applies `input` over `current` (CreateQueue starts from the defaults), checking each value the
 * way SQS does. Returns the new attribute map.
 */
export function applyAttributes(
  current: Record<string, string>,
  input: Record<string, string>,
  target: Target,
  creating: boolean,
  lookup: QueueLookup,
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [name, raw] of Object.entries(input)) {
    const value = typeof raw === 'string' ? raw : String(raw);
    if (FIFO_ONLY.has(name) && !target.fifo) {
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw unknownAttribute(name);
    }
    if (name === 'FifoQueue') {
      if (value.toLowerCase() !== 'true') {
        throw creating ? invalidAttributeValue(name) : invalidAttributeValue(name, 'Modifying queue type is not supported.');
      }
      continue;
    }
    if (!ALL_NAMES.has(name) || (COMPUTED as readonly string[]).includes(name)) throw unknownAttribute(name);
    const range = RANGES[name];
    if (range) {
      const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
      if (!(n >= range[0] && n <= range[1])) throw invalidAttributeValue(name);
      next[name] = String(n);
      continue;
    }
    if (BOOLEANS.has(name)) {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidAttributeValue(name);
      next[name] = v;
      continue;
    }
    const allowed = ENUMS[name];
    if (allowed) {
      if (!allowed.includes(value)) throw invalidAttributeValue(name);
      next[name] = value;
      continue;
    }
    if (value === '') {
      delete next[name];
      if (name === 'KmsMasterKeyId') delete next.KmsDataKeyReusePeriodSeconds;
      continue;
    }
    if (name === 'Policy') next.Policy = checkPolicy(value);
    else if (name === 'RedrivePolicy') next.RedrivePolicy = checkRedrivePolicy(value, target, lookup);
    else if (name === 'RedriveAllowPolicy') next.RedriveAllowPolicy = checkRedriveAllowPolicy(value);
    else next[name] = value;
  }
  if (next.KmsMasterKeyId) {
    if (input.SqsManagedSseEnabled?.toLowerCase() === 'true') {
      throw invalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
    }
    next.SqsManagedSseEnabled = 'false';
    next.KmsDataKeyReusePeriodSeconds ??= '300';
  }
  if (target.fifo && next.FifoThroughputLimit === 'perMessageGroupId' && next.DeduplicationScope !== 'messageGroup') {
    throw invalidAttributeValue('FifoThroughputLimit', 'The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup');
  }
  return next;
}

function checkPolicy(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidAttributeValue('Policy');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidAttributeValue('Policy');
  return value;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function parseRedrivePolicy(value: string | undefined): RedrivePolicy | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as RedrivePolicy;
  } catch {
    return undefined;
  }
}

function checkRedrivePolicy(value: string, target: Target, lookup: QueueLookup): string {
  const bad = (reason: string) => invalidValue(value, 'RedrivePolicy', reason);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw bad('Redrive policy is not a valid JSON map.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('Redrive policy is not a valid JSON map.');
  const extra = Object.keys(parsed).filter((k) => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount');
  if (extra.length) throw bad('Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].');
  for (const key of ['deadLetterTargetArn', 'maxReceiveCount']) {
    if (!(key in parsed)) throw bad(`Redrive policy does not contain mandatory attribute: ${key}.`);
  }
  const arn = parsed.deadLetterTargetArn;
  const ref = typeof arn === 'string' ? parseQueueArn(arn) : undefined;
  if (!ref) throw bad('Invalid value for deadLetterTargetArn.');
  const rawCount = parsed.maxReceiveCount;
  const count = typeof rawCount === 'number' ? rawCount : typeof rawCount === 'string' && /^\d+$/.test(rawCount) ? Number(rawCount) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw bad(`Invalid value for maxReceiveCount: ${String(rawCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const dlq = lookup(ref);
  if (!dlq) throw bad('Dead letter target does not exist.');
  if (dlq.fifo !== target.fifo) throw bad('Dead-letter queue must be same type of queue as the source.');
  const source = queueArn(target.region, target.account, target.name);
  const allow = parseRedriveAllowPolicy(dlq.attrs.RedriveAllowPolicy);
  if (allow && (allow.redrivePermission === 'denyAll' || (allow.redrivePermission === 'byQueue' && !allow.sourceQueueArns?.includes(source)))) {
    throw bad(`Queue ${source} is not allowed to use ${arn as string} as a dead-letter queue.`);
  }
  return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: count });
}

interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

function parseRedriveAllowPolicy(value: string | undefined): RedriveAllowPolicy | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as RedriveAllowPolicy;
  } catch {
    return undefined;
  }
}

function checkRedriveAllowPolicy(value: string): string {
  const unsupported = () =>
    invalidAttributeValue('RedriveAllowPolicy', 'Amazon SQS can\u2019t create the redrive allow policy, as it\u2019s in an unsupported format.');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw unsupported();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw unsupported();
  const permission = parsed.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') throw unsupported();
  const arns = parsed.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 10 || !arns.every((a) => typeof a === 'string')) {
      throw invalidAttributeValue('RedriveAllowPolicy', 'Amazon SQS can\u2019t create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
    }
  } else if (arns !== undefined) {
    throw invalidAttributeValue('RedriveAllowPolicy', `Amazon SQS can\u2019t create the redrive allow policy. When you specify the ${permission} permission type, you can\u2019t specify sourceQueueArns values.`);
  }
  return JSON.stringify(permission === 'byQueue' ? { redrivePermission: permission, sourceQueueArns: arns } : { redrivePermission: permission });
}

export function checkAttributeNames(names: string[] | undefined): void {
  for (const n of names ?? []) {
    if (n !== 'All' && !ALL_NAMES.has(n)) throw unknownAttribute(n);
  }
}
