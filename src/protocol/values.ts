import type { Shape, ShapeRef, ServiceModel, TimestampFormat } from './model-types.ts';
import { AwsError } from './aws-error.ts';

/** Timestamp format of a member: the member's trait, else the target shape's, else the protocol default. */
export function timestampFormat(ref: ShapeRef, shape: Shape, fallback: TimestampFormat): TimestampFormat {
  return ref.timestampFormat ?? shape.timestampFormat ?? fallback;
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = toDate(value);
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601':
      return isoString(date);
  }
}

/** AWS writes whole-second timestamps without milliseconds (`2015-01-25T08:00:00Z`). */
function isoString(date: Date): string {
  const s = date.toISOString();
  return s.endsWith('.000Z') ? s.slice(0, -5) + 'Z' : s;
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return new Date(value);
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

/**
 * Parses a wire timestamp leniently, as AWS front ends do: epoch seconds (with fraction),
 * ISO 8601, or RFC 822/7231 dates, whatever the declared format.
 */
export function parseTimestamp(raw: string | number, memberName: string): Date {
  let date: Date;
  if (typeof raw === 'number') date = new Date(raw * 1000);
  else if (/^-?\d+(\.\d+)?$/.test(raw.trim())) date = new Date(Number(raw) * 1000);
  else date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new AwsError('SerializationException', `Invalid timestamp for ${memberName}: ${String(raw)}`, 400);
  }
  return date;
}

export function shapeOf(model: ServiceModel, ref: ShapeRef): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model ${model.id}: unknown shape ${ref.shape}`);
  return shape;
}

export function isNumericType(type: Shape['type']): boolean {
  return type === 'integer' || type === 'long' || type === 'float' || type === 'double' || type === 'bigdecimal' || type === 'biginteger';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Request bodies must be valid UTF-8: a lossy decode would silently change what the client sent. */
export function decodeUtf8(body: Buffer, invalid: () => AwsError): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw invalid();
  }
}
