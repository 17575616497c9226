import { AwsError } from '../framework/define.ts';
import { invalidParameterValue, invalidValue, missingParameter } from './errors.ts';
import type { Attributes } from './md5.ts';

/** SQS's own input checks, with AWS's messages (the service opts out of generic validation). */

export const MAX_MESSAGE_SIZE = 1_048_576;
export const MAX_BATCH_ENTRIES = 10;
export const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_VISIBILITY = 43_200;

// XML 1.0 characters: what SQS accepts in bodies and string attribute values.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME_CHAR = /[^A-Za-z0-9_.-]/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
// Alphanumeric and punctuation (printable ASCII without space), as FIFO ids allow.
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

function hexOf(ch: string): string {
  return `#x${ch.codePointAt(0)!.toString(16).toUpperCase()}`;
}

export function requireString(value: unknown, parameter: string): string {
  if (value === undefined || value === null || value === '') throw missingParameter(parameter);
  if (typeof value !== 'string') throw invalidValue(value, parameter);
  return value;
}

export function checkBody(body: unknown): string {
  if (body === undefined || body === null || body === '') throw missingParameter('MessageBody');
  if (typeof body !== 'string') throw invalidValue(body, 'MessageBody');
  const bad = INVALID_CHAR.exec(body);
  if (bad) {
    throw new AwsError(
      'InvalidMessageContents',
      `Invalid binary character '${hexOf(bad[0])}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  return body;
}

/** An optional integer parameter within [min, max]; `reason` is AWS's wording for that parameter. */
export function intParam(value: unknown, parameter: string, min: number, max: number, reason: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalidValue(value, parameter, reason);
  return n;
}

export function checkVisibilityTimeout(value: unknown): number | undefined {
  return intParam(value, 'VisibilityTimeout', 0, MAX_VISIBILITY, `Must be >= 0 and <= ${MAX_VISIBILITY}, if provided.`);
}

export function checkDelaySeconds(value: unknown): number | undefined {
  return intParam(value, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
}

export function checkQueueName(name: unknown, fifo: boolean): string {
  const s = requireString(name, 'QueueName');
  const base = fifo && s.endsWith('.fifo') ? s.slice(0, -5) : s;
  if (fifo && !s.endsWith('.fifo')) {
    throw invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
  if (!QUEUE_NAME.test(base) || s.length > 80) {
    throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
  return s;
}

export function checkFifoId(value: unknown, parameter: 'MessageGroupId' | 'MessageDeduplicationId'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !FIFO_ID.test(value)) {
    throw invalidValue(value, parameter, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}

export function checkAttemptId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !FIFO_ID.test(value)) {
    throw invalidValue(value, 'ReceiveRequestAttemptId', 'ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  return value;
}

/** Batch entries: present, at most ten, well-formed and distinct ids. */
export function checkBatch<E extends { Id?: unknown }>(entries: (E | null)[] | undefined, entryType: string): E[] {
  if (!entries || entries.length === 0) {
    throw new AwsError('EmptyBatchRequest', `There should be at least one ${entryType} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e || typeof e.Id !== 'string' || !BATCH_ID.test(e.Id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(e.Id)) throw new AwsError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`);
    seen.add(e.Id);
  }
  return entries as E[];
}

function checkAttributeName(name: string, kind: string): void {
  if (name.length === 0 || Buffer.byteLength(name) > 256) {
    throw invalidParameterValue(`Message (${kind}) attribute name must be shorter than 256 bytes.`);
  }
  const bad = ATTRIBUTE_NAME_CHAR.exec(name);
  if (bad) {
    throw invalidParameterValue(
      `Invalid non-alphanumeric character '${hexOf(bad[0])}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw invalidParameterValue(`You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.`);
  }
  if (name.startsWith('.')) throw invalidParameterValue(`Invalid message attribute name starting with character '.' was found.`);
  if (name.endsWith('.')) throw invalidParameterValue(`Invalid message attribute name ending with character '.' was found.`);
  if (name.includes('..')) throw invalidParameterValue(`Message attribute name can not have successive '.' character.`);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Checks user (`kind` = user) or system message attributes and returns them in stored form
 * (only the member the data type uses), plus their size toward the message size limit.
 */
export function checkMessageAttributes(attrs: Attributes | undefined, kind: 'user' | 'system'): { attrs?: Attributes; size: number } {
  if (!attrs) return { size: 0 };
  const names = Object.keys(attrs);
  if (names.length === 0) return { size: 0 };
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`);
  }
  const out: Attributes = {};
  let size = 0;
  for (const name of names) {
    if (kind === 'user') checkAttributeName(name, kind);
    else if (name !== 'AWSTraceHeader') {
      throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    const v = attrs[name]!;
    const type = typeof v?.DataType === 'string' ? v.DataType : '';
    if (type === '') throw invalidParameterValue(`The message (${kind}) attribute '${name}' must contain a non-empty attribute type.`);
    const base = type.split('.', 1)[0]!;
    if ((base !== 'String' && base !== 'Number' && base !== 'Binary') || (type.length > base.length && type.length === base.length + 1)) {
      throw invalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (Buffer.byteLength(type) > 256) throw invalidParameterValue(`Message (${kind}) attribute type must be shorter than 256 bytes.`);
    if (kind === 'system' && type !== 'String') {
      throw invalidParameterValue(`The message system attribute '${name}' must have the data type String.`);
    }
    if (base === 'Binary') {
      const b = v.BinaryValue;
      if (!b || b.length === 0) throw invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      out[name] = { DataType: type, BinaryValue: Buffer.from(b) };
      size += b.length;
    } else {
      const s = v.StringValue;
      if (s === undefined || s === '') throw invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      const bad = INVALID_CHAR.exec(s);
      if (bad) {
        throw invalidParameterValue(`Message (${kind}) attribute '${name}' contains an invalid character '${hexOf(bad[0])}'.`);
      }
      if (base === 'Number' && !NUMBER.test(s)) throw invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
      out[name] = { DataType: type, StringValue: s };
      size += Buffer.byteLength(s);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return { attrs: out, size };
}
