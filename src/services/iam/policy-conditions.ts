/** IAM condition operators: `{ "StringLike": { "s3:prefix": ["home/*"] } }` and friends. */
import { arnMatches, globMatch, substituteVariables } from './policy-match.ts';

/** Context keys are case-insensitive: the map is keyed by the lower-cased name. */
export type Context = ReadonlyMap<string, readonly string[]>;

export interface ConditionResult {
  matches: boolean;
  /** Keys the condition needed that the context does not have. */
  missing: string[];
}

type Compare = (contextValue: string, policyValue: string) => boolean;

const num = (s: string): number => (s.trim() === '' ? NaN : Number(s));

function date(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s.trim())) return Number(s) * 1000;
  return Date.parse(s);
}

function numeric(test: (a: number, b: number) => boolean): Compare {
  return (c, p) => {
    const a = num(c);
    const b = num(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };
}

function dated(test: (a: number, b: number) => boolean): Compare {
  return (c, p) => {
    const a = date(c);
    const b = date(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };
}

/** Positive operators; a `Not` form is the negation of its positive one over all policy values. */
const POSITIVE: Record<string, Compare> = {
  StringEquals: (c, p) => c === p,
  StringEqualsIgnoreCase: (c, p) => c.toLowerCase() === p.toLowerCase(),
  StringLike: (c, p) => globMatch(p, c),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: dated((a, b) => a === b),
  DateLessThan: dated((a, b) => a < b),
  DateLessThanEquals: dated((a, b) => a <= b),
  DateGreaterThan: dated((a, b) => a > b),
  DateGreaterThanEquals: dated((a, b) => a >= b),
  Bool: (c, p) => c.toLowerCase() === p.toLowerCase(),
  BinaryEquals: (c, p) => c === p,
  IpAddress: (c, p) => ipInCidr(c, p),
  ArnEquals: (c, p) => arnMatches(p, c),
  ArnLike: (c, p) => arnMatches(p, c),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** Every operator block must hold; within one, every key; within a key, any policy value. */
export function evaluateConditions(block: Record<string, Record<string, string[]>> | undefined, ctx: Context): ConditionResult {
  const missing: string[] = [];
  if (!block) return { matches: true, missing };
  let matches = true;
  for (const [op, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) {
      const present = ctx.get(key.toLowerCase());
      if (!present && !op.endsWith('IfExists') && op !== 'Null' && !missing.includes(key)) missing.push(key);
      if (!evaluateOne(op, present, values, ctx)) matches = false;
    }
  }
  return { matches, missing };
}

function evaluateOne(op: string, present: readonly string[] | undefined, policyValues: string[], ctx: Context): boolean {
  let base = op;
  let set: 'any' | 'all' | undefined;
  if (base.startsWith('ForAnyValue:')) {
    set = 'any';
    base = base.slice('ForAnyValue:'.length);
  } else if (base.startsWith('ForAllValues:')) {
    set = 'all';
    base = base.slice('ForAllValues:'.length);
  }
  const ifExists = base.endsWith('IfExists');
  if (ifExists) base = base.slice(0, -'IfExists'.length);

  if (base === 'Null') {
    const absent = !present || present.length === 0;
    return policyValues.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  const negatedOf = NEGATED[base];
  const positive = POSITIVE[negatedOf ?? base];
  if (!positive) return false;

  if (!present || present.length === 0) {
    if (ifExists) return true;
    if (set === 'all') return true;
    if (set === 'any') return false;
    // A negated operator on a missing key holds: nothing in the request equals the values.
    return negatedOf !== undefined;
  }
  const resolved = policyValues
    .map((v) => substituteVariables(v, (k) => single(ctx, k)))
    .filter((v): v is string => v !== undefined);
  const matchesOne = (c: string): boolean => {
    const hit = resolved.some((p) => positive(c, p));
    return negatedOf ? !hit : hit;
  };
  if (set === 'all') return present.every(matchesOne);
  if (set === 'any') return present.some(matchesOne);
  return negatedOf ? present.every(matchesOne) : present.some(matchesOne);
}

function single(ctx: Context, key: string): string | undefined {
  const v = ctx.get(key);
  return v && v.length === 1 ? v[0] : undefined;
}

/** IPv4 and IPv6 addresses against a CIDR block (a bare address is a /32 or /128). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/') as [string, string | undefined];
  const a = ipBytes(ip.trim());
  const n = ipBytes(net.trim());
  if (!a || !n || a.length !== n.length) return false;
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < a.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((a[i]! & mask) !== (n[i]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    return parts.every((p) => p <= 255) ? parts : undefined;
  }
  if (!ip.includes(':')) return undefined;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (tail === undefined && h.length !== 8) return undefined;
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}
