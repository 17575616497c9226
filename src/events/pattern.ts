/**
 * The event pattern language EventBridge rules use and SNS filter policies share: a pattern is
 * a JSON object whose leaves are arrays of literals or operator objects, matched against a
 * JSON value. Patterns are compiled once (and validated there) so matching never throws.
 */
import { cidrMatcher } from './cidr.ts';

export class PatternError extends Error {}

type Leaf = (value: unknown) => boolean;

/** One field of the pattern: either nested fields or the conditions on this field's values. */
export type CompiledPattern = {
  fields: Array<{ key: string; node: CompiledPattern } | { key: string; leaf: CompiledLeaf }>;
  ors: CompiledPattern[][];
};

interface CompiledLeaf {
  /** Each condition matches one scalar value (arrays in the event match when any element does). */
  conditions: Leaf[];
  /** `exists: false` conditions succeed on absence; `exists: true` fails on absence. */
  exists?: boolean;
}

export function parsePattern(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PatternError(`Filter is not valid JSON: ${(err as Error).message}`);
  }
  return parsed;
}

export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isObject(pattern)) throw new PatternError('Filter is not an object');
  return compileObject(pattern);
}

function compileObject(obj: Record<string, unknown>): CompiledPattern {
  if (Object.keys(obj).length === 0) throw new PatternError('Empty objects are not allowed');
  const out: CompiledPattern = { fields: [], ors: [] };
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new PatternError('Value of $or must be an array of at least two objects');
      out.ors.push(value.map((v) => compilePattern(v)));
    } else if (Array.isArray(value)) {
      out.fields.push({ key, leaf: compileLeaf(value) });
    } else if (isObject(value)) {
      out.fields.push({ key, node: compileObject(value) });
    } else {
      throw new PatternError(`"${key}" must be an object or an array`);
    }
  }
  return out;
}

function compileLeaf(values: unknown[]): CompiledLeaf {
  const leaf: CompiledLeaf = { conditions: [] };
  if (values.length === 0) throw new PatternError(`Empty arrays are not allowed`);
  for (const v of values) {
    if (isObject(v)) {
      const ops = Object.keys(v);
      if (ops.length !== 1) throw new PatternError('Only one key allowed in match expression');
      const op = ops[0]!;
      const arg = v[op];
      if (op === 'exists') {
        if (typeof arg !== 'boolean') throw new PatternError('exists match pattern must be either true or false.');
        leaf.exists = arg;
        continue;
      }
      leaf.conditions.push(operator(op, arg));
    } else if (Array.isArray(v)) {
      throw new PatternError('Match value must be String, number, true, false, or null');
    } else {
      leaf.conditions.push(literal(v));
    }
  }
  return leaf;
}

function literal(v: unknown): Leaf {
  if (typeof v === 'number') return (x) => typeof x === 'number' && x === v;
  return (x) => x === v;
}

function stringArg(op: string, arg: unknown): string {
  if (typeof arg !== 'string') throw new PatternError(`${op} match pattern must be a string`);
  return arg;
}

/** prefix/suffix accept a string or `{"equals-ignore-case": "..."}`. */
function affix(op: 'prefix' | 'suffix', arg: unknown): Leaf {
  let ignoreCase = false;
  if (isObject(arg) && Object.keys(arg).length === 1 && 'equals-ignore-case' in arg) {
    ignoreCase = true;
    arg = arg['equals-ignore-case'];
  }
  const s = stringArg(op, arg);
  const want = ignoreCase ? s.toLowerCase() : s;
  return (x) => {
    if (typeof x !== 'string') return false;
    const got = ignoreCase ? x.toLowerCase() : x;
    return op === 'prefix' ? got.startsWith(want) : got.endsWith(want);
  };
}

function operator(op: string, arg: unknown): Leaf {
  switch (op) {
    case 'prefix':
    case 'suffix':
      return affix(op, arg);
    case 'equals-ignore-case': {
      const want = stringArg(op, arg).toLowerCase();
      return (x) => typeof x === 'string' && x.toLowerCase() === want;
    }
    case 'wildcard':
      return wildcard(stringArg(op, arg));
    case 'numeric':
      return numeric(arg);
    case 'cidr':
      return cidrMatcher(stringArg(op, arg));
    case 'anything-but':
      return anythingBut(arg);
    default:
      throw new PatternError(`Unrecognized match type ${op}`);
  }
}

function wildcard(p: string): Leaf {
  if (p.includes('**')) throw new PatternError('Consecutive wildcard characters at pos ' + p.indexOf('**'));
  const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return (x) => typeof x === 'string' && re.test(x);
}

function anythingBut(arg: unknown): Leaf {
  if (isObject(arg)) {
    const ops = Object.keys(arg);
    if (ops.length !== 1) throw new PatternError('Only one key allowed in match expression');
    const op = ops[0]!;
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op)) {
      throw new PatternError(`Unsupported anything-but pattern: ${op}`);
    }
    const inner = op === 'equals-ignore-case' && Array.isArray(arg[op])
      ? anyOf((arg[op] as unknown[]).map((s) => operator(op, s)))
      : op === 'wildcard' && Array.isArray(arg[op])
        ? anyOf((arg[op] as unknown[]).map((s) => wildcard(stringArg(op, s))))
        : operator(op, arg[op]);
    return (x) => x !== undefined && typeof x === 'string' && !inner(x);
  }
  const list = Array.isArray(arg) ? arg : [arg];
  for (const v of list) {
    if (isObject(v) || Array.isArray(v)) throw new PatternError('Inside anything but list, start|null|boolean is not supported.');
  }
  const inner = anyOf(list.map(literal));
  return (x) => x !== undefined && !inner(x);
}

function anyOf(leaves: Leaf[]): Leaf {
  return (x) => leaves.some((l) => l(x));
}

const RANGE_OPS = new Set(['<', '<=', '>', '>=', '=']);

function numeric(arg: unknown): Leaf {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw new PatternError('Value of numeric must be an array.');
  const checks: Array<(n: number) => boolean> = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    if (typeof op !== 'string' || !RANGE_OPS.has(op)) throw new PatternError(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new PatternError(`Value of ${op} must be numeric`);
    if (op === '=') {
      if (arg.length !== 2) throw new PatternError('Bad numeric range operator: =');
    } else if (op[0] === '>') {
      if (lower) throw new PatternError('Bad numeric range operator: ' + op);
      lower = true;
    } else {
      if (upper) throw new PatternError('Bad numeric range operator: ' + op);
      upper = true;
    }
    checks.push(rangeCheck(op, bound));
  }
  return (x) => typeof x === 'number' && checks.every((c) => c(x));
}

function rangeCheck(op: string, b: number): (n: number) => boolean {
  switch (op) {
    case '<': return (n) => n < b;
    case '<=': return (n) => n <= b;
    case '>': return (n) => n > b;
    case '>=': return (n) => n >= b;
    default: return (n) => n === b;
  }
}

export function matchPattern(p: CompiledPattern, event: unknown): boolean {
  const obj = isObject(event) ? event : {};
  for (const f of p.fields) {
    const value = obj[f.key];
    if ('node' in f) {
      if (!matchNested(f.node, value)) return false;
    } else if (!matchLeaf(f.leaf, value)) {
      return false;
    }
  }
  return p.ors.every((alts) => alts.some((alt) => matchPattern(alt, event)));
}

/** A nested pattern over an array of objects matches when any element matches. */
function matchNested(p: CompiledPattern, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => matchNested(p, v));
  return matchPattern(p, value);
}

function matchLeaf(leaf: CompiledLeaf, value: unknown): boolean {
  const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
  const isLeafValue = present && !isObject(value);
  if (leaf.exists !== undefined) {
    if (leaf.exists ? isLeafValue : !present) return true;
    if (leaf.conditions.length === 0) return false;
  }
  if (!present) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => leaf.conditions.some((c) => c(v)));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
