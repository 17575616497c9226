/**
 * CloudWatch Logs filter patterns (FilterLogEvents, metric and subscription filters):
 * term patterns (`ERROR -Exception`, `?ERROR ?WARN`, `"quoted phrase"`, `%regex%`),
 * JSON patterns (`{ $.a = 1 && $.b.c = "x*" }`) and space-delimited patterns
 * (`[ip, user, ..., status = 4*, bytes > 1000]`). Matching is case-sensitive, as in AWS.
 */

export class FilterPatternError extends Error {}

/** What a match exposes to metric filters: `$.a.b` (JSON) or `$field` (space-delimited) values. */
export interface FilterMatch {
  value(ref: string): string | number | boolean | null | undefined;
  /** Space-delimited fields by `$name` (TestMetricFilter's extractedValues); empty for other patterns. */
  fields(): Record<string, string>;
}

export interface FilterPattern {
  match(message: string): FilterMatch | undefined;
}

const NO_FIELDS: FilterMatch = { value: () => undefined, fields: () => ({}) };

export function compileFilterPattern(source: string | undefined): FilterPattern {
  const text = (source ?? '').trim();
  if (text === '') return { match: () => NO_FIELDS };
  if (text.startsWith('{')) return jsonPattern(text);
  if (text.startsWith('[')) return spacePattern(text);
  return termPattern(text);
}

// ---------------------------------------------------------------- lexer shared by JSON and space-delimited patterns

type Tok =
  | { t: 'op'; v: string }
  | { t: 'str'; v: string }
  | { t: 'word'; v: string };

const OPERATORS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')', ',', '{', '}'];

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        v += text[j++];
      }
      if (j >= text.length) throw new FilterPatternError('unterminated quoted string');
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s"]/.test(text[j]!) && !OPERATORS.some((o) => text.startsWith(o, j))) j++;
    out.push({ t: 'word', v: text.slice(i, j) });
    i = j;
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok | undefined { return this.toks[this.i]; }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new FilterPatternError('unexpected end of pattern');
    return t;
  }
  isOp(v: string): boolean { const t = this.peek(); return t?.t === 'op' && t.v === v; }
  isWord(v: string): boolean { const t = this.peek(); return t?.t === 'word' && t.v.toUpperCase() === v; }
  expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new FilterPatternError(`expected ${v}`);
  }
}

// ---------------------------------------------------------------- values and comparisons

interface Literal { text: string; num: number | undefined; quoted: boolean }

function literal(tok: Tok): Literal {
  if (tok.t === 'op') throw new FilterPatternError(`unexpected ${tok.v}`);
  const num = tok.t === 'word' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(tok.v) ? Number(tok.v) : undefined;
  return { text: tok.v, num, quoted: tok.t === 'str' };
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

type Op = '=' | '!=' | '<' | '>' | '<=' | '>=';

function compare(actual: unknown, op: Op, lit: Literal): boolean {
  if (actual === undefined || actual === null || typeof actual === 'object') return false;
  if (op === '=' || op === '!=') {
    let eq: boolean;
    const actualNum = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    if (lit.num !== undefined && !lit.quoted && Number.isFinite(actualNum)) eq = actualNum === lit.num;
    else if (typeof actual === 'string') eq = lit.text.includes('*') ? glob(lit.text).test(actual) : actual === lit.text;
    else eq = String(actual) === lit.text;
    return op === '=' ? eq : !eq;
  }
  if (lit.num === undefined) throw new FilterPatternError(`numeric comparison needs a number, got ${lit.text}`);
  const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
  if (!Number.isFinite(n)) return false;
  switch (op) {
    case '<': return n < lit.num;
    case '>': return n > lit.num;
    case '<=': return n <= lit.num;
    default: return n >= lit.num;
  }
}

function comparisonOp(c: Cursor): Op | undefined {
  const t = c.peek();
  if (t?.t === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(t.v)) {
    c.next();
    return t.v as Op;
  }
  return undefined;
}

type Cond<E> = (env: E) => boolean;

/** `a && b || c` with parentheses; `leaf` parses one comparison. */
function parseBoolean<E>(c: Cursor, leaf: (c: Cursor) => Cond<E>): Cond<E> {
  const unary = (): Cond<E> => {
    if (c.isOp('(')) {
      c.next();
      const inner = or();
      c.expectOp(')');
      return inner;
    }
    return leaf(c);
  };
  const and = (): Cond<E> => {
    let left = unary();
    while (c.isOp('&&')) {
      c.next();
      const l = left, r = unary();
      left = (e) => l(e) && r(e);
    }
    return left;
  };
  const or = (): Cond<E> => {
    let left = and();
    while (c.isOp('||')) {
      c.next();
      const l = left, r = and();
      left = (e) => l(e) || r(e);
    }
    return left;
  };
  return or();
}

// ---------------------------------------------------------------- JSON patterns

type PathStep = string | number;

function parseSelector(text: string): PathStep[] {
  if (!text.startsWith('$')) throw new FilterPatternError(`selector must start with $: ${text}`);
  const steps: PathStep[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/y;
  let i = 1;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new FilterPatternError(`invalid selector ${text}`);
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    i = re.lastIndex;
  }
  return steps;
}

function resolve(doc: unknown, steps: PathStep[]): unknown {
  let v = doc;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[s];
    } else {
      if (Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}

function jsonLeaf(c: Cursor): Cond<unknown> {
  const sel = c.next();
  if (sel.t !== 'word') throw new FilterPatternError('expected a selector');
  const steps = parseSelector(sel.v);
  if (c.isWord('IS')) {
    c.next();
    const what = c.next();
    const kw = what.t === 'word' ? what.v.toUpperCase() : '';
    if (kw === 'NULL') return (d) => resolve(d, steps) === null;
    if (kw === 'TRUE') return (d) => resolve(d, steps) === true;
    if (kw === 'FALSE') return (d) => resolve(d, steps) === false;
    throw new FilterPatternError('IS must be followed by NULL, TRUE or FALSE');
  }
  if (c.isWord('NOT')) {
    c.next();
    if (!c.isWord('EXISTS')) throw new FilterPatternError('NOT must be followed by EXISTS');
    c.next();
    return (d) => resolve(d, steps) === undefined;
  }
  if (c.isWord('EXISTS')) {
    c.next();
    return (d) => resolve(d, steps) !== undefined;
  }
  const op = comparisonOp(c);
  if (!op) throw new FilterPatternError('expected a comparison operator');
  const lit = literal(c.next());
  if (op !== '=' && op !== '!=' && lit.num === undefined) throw new FilterPatternError(`numeric comparison needs a number, got ${lit.text}`);
  return (d) => compare(resolve(d, steps), op, lit);
}

function jsonPattern(text: string): FilterPattern {
  const c = new Cursor(lex(text));
  c.expectOp('{');
  const cond = parseBoolean(c, jsonLeaf);
  c.expectOp('}');
  if (c.peek()) throw new FilterPatternError('unexpected text after }');
  return {
    match(message) {
      let doc: unknown;
      try {
        doc = JSON.parse(message);
      } catch {
        return undefined;
      }
      if (doc === null || typeof doc !== 'object' || !cond(doc)) return undefined;
      return {
        value(ref) {
          const v = ref.startsWith('$.') || ref.startsWith('$[') ? resolve(doc, parseSelector(ref)) : undefined;
          return v === undefined || typeof v === 'object' ? (v === null ? null : undefined) : (v as string | number | boolean);
        },
        fields: () => ({}),
      };
    },
  };
}

// ---------------------------------------------------------------- space-delimited patterns

const ELLIPSIS = '...';

function spacePattern(text: string): FilterPattern {
  if (!text.endsWith(']')) throw new FilterPatternError('space-delimited pattern must end with ]');
  const inner = text.slice(1, -1);
  const c = new Cursor(lex(inner));
  const fields: string[] = [];
  const conds: Cond<Map<string, string>>[] = [];
  const leaf = (cur: Cursor): Cond<Map<string, string>> => {
    const name = cur.next();
    if (name.t !== 'word') throw new FilterPatternError('expected a field name');
    const op = comparisonOp(cur);
    if (!op) throw new FilterPatternError(`expected a comparison after ${name.v}`);
    const lit = literal(cur.next());
    if (op !== '=' && op !== '!=' && lit.num === undefined) throw new FilterPatternError(`numeric comparison needs a number, got ${lit.text}`);
    return (env) => compare(env.get(name.v), op, lit);
  };
  while (c.peek()) {
    const first = c.peek()!;
    if (first.t !== 'word') throw new FilterPatternError('expected a field name');
    fields.push(first.v);
    const after = c.toks[c.i + 1];
    if (after && after.t === 'op' && after.v !== ',') conds.push(parseBoolean(c, leaf));
    else c.next();
    if (c.peek()) c.expectOp(',');
  }
  if (fields.length === 0) throw new FilterPatternError('empty space-delimited pattern');
  for (const f of fields) if (f !== ELLIPSIS && !/^[\w$][\w.$-]*$/.test(f)) throw new FilterPatternError(`invalid field name ${f}`);
  return {
    match(message) {
      const tokens = splitFields(message);
      const env = new Map<string, string>();
      const bind = (fi: number, ti: number): boolean => {
        if (fi === fields.length) return ti === tokens.length && conds.every((cond) => cond(env));
        const f = fields[fi]!;
        if (f === ELLIPSIS) {
          for (let k = ti; k <= tokens.length; k++) if (bind(fi + 1, k)) return true;
          return false;
        }
        if (ti >= tokens.length) return false;
        env.set(f, tokens[ti]!);
        return bind(fi + 1, ti + 1);
      };
      if (!bind(0, 0)) return undefined;
      const bound = new Map(env);
      return {
        value: (ref) => bound.get(ref.startsWith('$') ? ref.slice(1) : ref),
        fields: () => Object.fromEntries([...bound].map(([k, v]) => [`$${k}`, v])),
      };
    },
  };
}

/** Fields are separated by spaces; `"..."` and `[...]` each make one field (delimiters dropped). */
function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < message.length) {
    const ch = message[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    const close = ch === '"' ? '"' : ch === '[' ? ']' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        out.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < message.length && !/\s/.test(message[j]!)) j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------- term patterns

function termPattern(text: string): FilterPattern {
  if (text.length > 1 && text.startsWith('%') && text.endsWith('%')) {
    let re: RegExp;
    try {
      re = new RegExp(text.slice(1, -1));
    } catch {
      throw new FilterPatternError('invalid regular expression');
    }
    return { match: (m) => (re.test(m) ? NO_FIELDS : undefined) };
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) { i++; continue; }
    let kind: 'all' | 'any' | 'none' = 'all';
    if (text[i] === '-' || text[i] === '?') {
      kind = text[i] === '-' ? 'none' : 'any';
      i++;
    }
    let term: string;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new FilterPatternError('unterminated quoted string');
      term = text.slice(i + 1, end);
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j]!)) j++;
      term = text.slice(i, j);
      i = j;
      if (/[{}[\]"]/.test(term)) throw new FilterPatternError(`invalid term ${term}`);
    }
    if (term === '') throw new FilterPatternError('empty term');
    (kind === 'all' ? all : kind === 'any' ? any : none).push(term);
  }
  return {
    match(m) {
      if (!all.every((t) => m.includes(t))) return undefined;
      if (none.some((t) => m.includes(t))) return undefined;
      if (any.length && !any.some((t) => m.includes(t))) return undefined;
      return NO_FIELDS;
    },
  };
}
