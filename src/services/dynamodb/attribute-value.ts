/**
 * DynamoDB attribute values as stored: the wire shape with numbers in canonical form
 * (see decimal.ts) and binaries as Buffers. Validation turns a decoded request value into
 * one, with AWS's messages; everything after that may assume the invariants.
 */
import type { AttributeValue } from '../../generated/dynamodb.ts';
import { formatDecimal, parseDecimal, toDecimal, decimalSize } from './decimal.ts';
import { invalidParameter, validation } from './errors.ts';

export type { AttributeValue };
export type Item = Record<string, AttributeValue>;
export type TypeName = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

export const TYPE_NAMES: readonly TypeName[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

export function typeOf(v: AttributeValue): TypeName {
  if (v.S !== undefined) return 'S';
  if (v.N !== undefined) return 'N';
  if (v.B !== undefined) return 'B';
  if (v.BOOL !== undefined) return 'BOOL';
  if (v.NULL !== undefined) return 'NULL';
  if (v.M !== undefined) return 'M';
  if (v.L !== undefined) return 'L';
  if (v.SS !== undefined) return 'SS';
  if (v.NS !== undefined) return 'NS';
  return 'BS';
}

const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const SEVERAL = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** Validates a decoded request value and returns its stored form (numbers canonical). */
export function toAttributeValue(raw: unknown): AttributeValue {
  if (!isObject(raw)) throw validation(EMPTY);
  let found: TypeName | undefined;
  for (const t of TYPE_NAMES) {
    if (raw[t] === undefined || raw[t] === null) continue;
    if (found) throw validation(SEVERAL);
    found = t;
  }
  if (!found) throw validation(EMPTY);
  const v = raw[found];
  switch (found) {
    case 'S':
      return { S: v as string };
    case 'N':
      return { N: formatDecimal(toDecimal(v as string)) };
    case 'B':
      return { B: v as Buffer };
    case 'BOOL':
      return { BOOL: v as boolean };
    case 'NULL':
      // AWS now accepts NULL: false and stores it as NULL: true.
      return { NULL: true };
    case 'M': {
      const out: Item = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) setOwn(out, k, toAttributeValue(x));
      return { M: out };
    }
    case 'L':
      return { L: (v as unknown[]).map(toAttributeValue) };
    case 'SS':
      return { SS: checkSet(v as (string | null)[], 'string', (s) => s, (s) => s) };
    case 'NS': {
      const list = (v as (string | null)[]).map((n) => (n === null ? n : formatDecimal(toDecimal(n))));
      checkSet(list, 'number', (s) => s, (_, i) => (v as string[])[i]!);
      return { NS: list as string[] };
    }
    case 'BS':
      return { BS: checkSet(v as (Buffer | null)[], 'binary', (b) => b.toString('latin1'), (b) => b.toString('base64')) };
  }
}

function checkSet<T>(list: (T | null)[], kind: string, key: (x: T) => string, show: (x: T, i: number) => string): T[] {
  if (list.length === 0) {
    throw invalidParameter(kind === 'binary' ? 'Binary sets should not be empty' : `An ${kind} set  may not be empty`);
  }
  if (list.some((x) => x === null)) throw validation(EMPTY);
  const seen = new Set<string>();
  for (const x of list as T[]) {
    const k = key(x);
    if (seen.has(k)) {
      throw invalidParameter(`Input collection [${(list as T[]).map(show).join(', ')}] contains duplicates.`);
    }
    seen.add(k);
  }
  return list as T[];
}

/** Validates a request item (or key): every attribute value, in AWS's terms. */
export function toItem(raw: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(raw)) setOwn(out, k, toAttributeValue(v));
  return out;
}

/** Own-property assignment that a `__proto__` attribute name cannot turn into a prototype change. */
export function setOwn<V>(out: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

/** AWS's equality: same type and value; sets ignore order; numbers by value (canonical text). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case 'S':
      return a.S === b.S;
    case 'N':
      return a.N === b.N;
    case 'B':
      return a.B!.equals(b.B!);
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
      return sameSet(a.SS!, b.SS!);
    case 'NS':
      return sameSet(a.NS!, b.NS!);
    case 'BS':
      return sameSet(a.BS!.map((x) => x.toString('latin1')), b.BS!.map((x) => x.toString('latin1')));
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((x, i) => valuesEqual(x, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      if (ka.length !== Object.keys(b.M!).length) return false;
      return ka.every((k) => Object.hasOwn(b.M!, k) && valuesEqual(a.M![k]!, b.M![k]!));
    }
  }
}

/** The bytes AWS charges for a value (the attribute name is counted by the caller). */
export function valueSize(v: AttributeValue): number {
  switch (typeOf(v)) {
    case 'S':
      return Buffer.byteLength(v.S!, 'utf8');
    case 'N':
      return decimalSize(parseDecimal(v.N!)!);
    case 'B':
      return v.B!.length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return v.SS!.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS':
      return v.NS!.reduce((n, s) => n + decimalSize(parseDecimal(s)!), 0);
    case 'BS':
      return v.BS!.reduce((n, b) => n + b.length, 0);
    case 'L':
      // 3 bytes for the list, 1 per element.
      return v.L!.reduce((n, x) => n + 1 + valueSize(x), 3);
    case 'M': {
      let n = 3;
      for (const [k, x] of Object.entries(v.M!)) n += 1 + Buffer.byteLength(k, 'utf8') + valueSize(x);
      return n;
    }
  }
}

/** An item's size as AWS measures it against the 400 KB limit: names plus values. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + valueSize(v);
  return n;
}

export const MAX_ITEM_SIZE = 400 * 1024;

/** AWS's rendering of a value inside messages, e.g. `{N:5}` or `{S:abc}`. */
export function describeValue(v: AttributeValue): string {
  const t = typeOf(v);
  switch (t) {
    case 'S':
    case 'N':
      return `{${t}:${v[t]}}`;
    case 'B':
      return `{B:${v.B!.toString('base64')}}`;
    case 'BOOL':
      return `{BOOL:${v.BOOL}}`;
    case 'NULL':
      return '{NULL:true}';
    case 'SS':
    case 'NS':
      return `{${t}:[${v[t]!.join(', ')}]}`;
    case 'BS':
      return `{BS:[${v.BS!.map((b) => b.toString('base64')).join(', ')}]}`;
    case 'L':
      return `{L:[${v.L!.map(describeValue).join(', ')}]}`;
    case 'M':
      return `{M:{${Object.entries(v.M!).map(([k, x]) => `${k}=${describeValue(x)}`).join(', ')}}}`;
  }
}

