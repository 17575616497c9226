/**
 * A Logs Insights subset: `fields`/`display`, `filter`, `sort`, `limit` and
 * `stats count/count_distinct/avg/sum/min/max ... by field, bin(5m)`, piped with `|`.
 * Filters take comparisons, `like` (string or /regex/), `in [...]`, `ispresent(f)`, and/or/not.
 */

export class QuerySyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

export type Row = Map<string, unknown>;

type Tok =
  | { t: 'id'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 're'; v: RegExp; at: number }
  | { t: 'op'; v: string; at: number };

const OPS = ['!=', '<=', '>=', '=~', '=', '<', '>', '(', ')', ',', '[', ']', '*', '|', '+', '-', '/'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    if (c === '"' || c === "'") {
      let j = i + 1, v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j++];
      }
      if (j >= src.length) throw new QuerySyntaxError('unterminated string', at);
      out.push({ t: 'str', v, at });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new QuerySyntaxError('unterminated quoted field', at);
      out.push({ t: 'id', v: src.slice(i + 1, j), at });
      i = j + 1;
      continue;
    }
    const prev = out[out.length - 1];
    if (c === '/' && prev && ((prev.t === 'id' && /^like$/i.test(prev.v)) || (prev.t === 'op' && prev.v === '=~'))) {
      let j = i + 1, body = '';
      while (j < src.length && src[j] !== '/') {
        if (src[j] === '\\' && j + 1 < src.length) body += src[j++];
        body += src[j++];
      }
      if (j >= src.length) throw new QuerySyntaxError('unterminated regular expression', at);
      j++;
      let flags = '';
      while (j < src.length && /[a-z]/.test(src[j]!)) flags += src[j++];
      try {
        out.push({ t: 're', v: new RegExp(body, flags.replace(/[^imsu]/g, '')), at });
      } catch {
        throw new QuerySyntaxError('invalid regular expression', at);
      }
      i = j;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const id = /^[@A-Za-z_][\w.@$]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new QuerySyntaxError(`unexpected symbol found ${c}`, at);
    out.push({ t: 'op', v: op, at });
    i += op.length;
  }
  return out;
}

type Expr = (row: Row) => unknown;

interface Agg {
  name: string;
  fn: string;
  arg?: Expr;
}

type Command =
  | { kind: 'fields'; items: Array<{ name: string; expr: Expr }> }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'sort'; keys: Array<{ expr: Expr; desc: boolean }> }
  | { kind: 'limit'; n: number }
  | { kind: 'stats'; aggs: Agg[]; by: Array<{ name: string; expr: Expr }> };

class Parser {
  i = 0;
  constructor(readonly toks: Tok[], readonly end: number) {}
  peek(): Tok | undefined { return this.toks[this.i]; }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new QuerySyntaxError('unexpected end of query', this.end);
    return t;
  }
  isOp(v: string): boolean { const t = this.peek(); return t?.t === 'op' && t.v === v; }
  isKw(v: string): boolean { const t = this.peek(); return t?.t === 'id' && t.v.toLowerCase() === v; }
  op(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw unexpected(t);
  }
  done(): boolean { return this.i >= this.toks.length; }
}

function unexpected(t: Tok): QuerySyntaxError {
  const shown = t.t === 're' ? String(t.v) : String(t.v);
  return new QuerySyntaxError(`unexpected symbol found ${shown}`, t.at);
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function compare(a: unknown, b: unknown): number {
  const x = num(a), y = num(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  const s = String(a ?? ''), t = String(b ?? '');
  return s < t ? -1 : s > t ? 1 : 0;
}

function equals(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  return compare(a, b) === 0;
}

function parseExpr(p: Parser): Expr {
  return parseOr(p);
}

function parseOr(p: Parser): Expr {
  let left = parseAnd(p);
  while (p.isKw('or')) {
    p.next();
    const l = left, r = parseAnd(p);
    left = (row) => Boolean(l(row)) || Boolean(r(row));
  }
  return left;
}

function parseAnd(p: Parser): Expr {
  let left = parseNot(p);
  while (p.isKw('and')) {
    p.next();
    const l = left, r = parseNot(p);
    left = (row) => Boolean(l(row)) && Boolean(r(row));
  }
  return left;
}

function parseNot(p: Parser): Expr {
  if (p.isKw('not')) {
    p.next();
    const inner = parseNot(p);
    return (row) => !inner(row);
  }
  return parseComparison(p);
}

function parseComparison(p: Parser): Expr {
  const left = parseArith(p);
  let negate = false;
  if (p.isKw('not') && (p.toks[p.i + 1]?.t === 'id') && /^(like|in)$/i.test(String(p.toks[p.i + 1]!.v))) {
    p.next();
    negate = true;
  }
  if (p.isKw('like') || p.isOp('=~')) {
    p.next();
    const pat = p.next();
    let test: (s: string) => boolean;
    if (pat.t === 're') test = (s) => pat.v.test(s);
    else if (pat.t === 'str') test = (s) => s.includes(pat.v);
    else throw unexpected(pat);
    return (row) => {
      const v = left(row);
      const hit = v !== undefined && v !== null && test(String(v));
      return negate ? !hit : hit;
    };
  }
  if (p.isKw('in')) {
    p.next();
    p.op('[');
    const items: Expr[] = [];
    if (!p.isOp(']')) {
      items.push(parseArith(p));
      while (p.isOp(',')) { p.next(); items.push(parseArith(p)); }
    }
    p.op(']');
    return (row) => {
      const v = left(row);
      const hit = items.some((e) => equals(v, e(row)));
      return negate ? !hit : hit;
    };
  }
  if (negate) throw unexpected(p.next());
  const t = p.peek();
  if (t?.t === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(t.v)) {
    p.next();
    const right = parseArith(p);
    switch (t.v) {
      case '=': return (row) => equals(left(row), right(row));
      case '!=': return (row) => { const a = left(row); return a !== undefined && !equals(a, right(row)); };
      case '<': return (row) => { const a = left(row); return a !== undefined && compare(a, right(row)) < 0; };
      case '>': return (row) => { const a = left(row); return a !== undefined && compare(a, right(row)) > 0; };
      case '<=': return (row) => { const a = left(row); return a !== undefined && compare(a, right(row)) <= 0; };
      default: return (row) => { const a = left(row); return a !== undefined && compare(a, right(row)) >= 0; };
    }
  }
  return left;
}

/** Arithmetic on a missing or non-numeric field yields no value, which no comparison matches. */
function arith(n: number): number | undefined {
  return Number.isNaN(n) ? undefined : n;
}

function parseArith(p: Parser): Expr {
  let left = parseTerm(p);
  while (p.isOp('+') || p.isOp('-')) {
    const op = (p.next() as { v: string }).v;
    const l = left, r = parseTerm(p);
    left = op === '+' ? (row) => arith(num(l(row)) + num(r(row))) : (row) => arith(num(l(row)) - num(r(row)));
  }
  return left;
}

function parseTerm(p: Parser): Expr {
  let left = parsePrimary(p);
  while (p.isOp('*') || p.isOp('/')) {
    const op = (p.next() as { v: string }).v;
    const l = left, r = parsePrimary(p);
    left = op === '*' ? (row) => arith(num(l(row)) * num(r(row))) : (row) => arith(num(l(row)) / num(r(row)));
  }
  return left;
}

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  ispresent: ([v]) => v !== undefined && v !== null,
  isempty: ([v]) => v === undefined || v === null || v === '',
  isblank: ([v]) => v === undefined || v === null || String(v).trim() === '',
  tolower: ([v]) => (v === undefined ? undefined : String(v).toLowerCase()),
  toupper: ([v]) => (v === undefined ? undefined : String(v).toUpperCase()),
  strlen: ([v]) => (v === undefined ? undefined : String(v).length),
  abs: ([v]) => Math.abs(num(v)),
  floor: ([v]) => Math.floor(num(v)),
  ceil: ([v]) => Math.ceil(num(v)),
  concat: (args) => args.map((a) => String(a ?? '')).join(''),
};

function parsePrimary(p: Parser): Expr {
  const t = p.next();
  if (t.t === 'num') return () => t.v;
  if (t.t === 'str') return () => t.v;
  if (t.t === 'op' && t.v === '(') {
    const e = parseExpr(p);
    p.op(')');
    return e;
  }
  if (t.t === 'op' && t.v === '-') {
    const inner = parsePrimary(p);
    return (row) => arith(-num(inner(row)));
  }
  if (t.t === 'id') {
    if (p.isOp('(')) {
      const fn = FUNCTIONS[t.v.toLowerCase()];
      if (!fn) throw new QuerySyntaxError(`unknown function ${t.v}`, t.at);
      p.next();
      const args: Expr[] = [];
      if (!p.isOp(')')) {
        args.push(parseExpr(p));
        while (p.isOp(',')) { p.next(); args.push(parseExpr(p)); }
      }
      p.op(')');
      return (row) => fn(args.map((a) => a(row)));
    }
    const name = t.v;
    return (row) => row.get(name);
  }
  throw unexpected(t);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function parseNamed(p: Parser): { name: string; expr: Expr } {
  const start = p.peek();
  if (start?.t === 'id' && start.v.toLowerCase() === 'bin' && p.toks[p.i + 1]?.t === 'op' && (p.toks[p.i + 1] as { v: string }).v === '(') {
    p.next();
    p.next();
    const n = p.next();
    const unit = p.next();
    if (n.t !== 'num' || unit.t !== 'id' || !(unit.v in UNITS)) throw unexpected(unit);
    p.op(')');
    const size = n.v * UNITS[unit.v]!;
    const expr: Expr = (row) => {
      const ts = row.get('@timestampMs');
      return typeof ts === 'number' ? formatTime(Math.floor(ts / size) * size) : undefined;
    };
    return { name: alias(p) ?? `bin(${n.v}${unit.v})`, expr };
  }
  const from = p.i;
  const expr = parseExpr(p);
  const text = p.toks.slice(from, p.i).map((t) => (t.t === 're' ? String(t.v) : t.t === 'str' ? JSON.stringify(t.v) : String(t.v))).join('');
  return { name: alias(p) ?? text, expr };
}

function alias(p: Parser): string | undefined {
  if (!p.isKw('as')) return undefined;
  p.next();
  const t = p.next();
  if (t.t !== 'id') throw unexpected(t);
  return t.v;
}

const AGGREGATES = new Set(['count', 'count_distinct', 'avg', 'sum', 'min', 'max']);

function parseStats(p: Parser): Command {
  const aggs: Agg[] = [];
  do {
    if (aggs.length) p.op(',');
    const fnTok = p.next();
    if (fnTok.t !== 'id' || !AGGREGATES.has(fnTok.v.toLowerCase())) throw unexpected(fnTok);
    const fn = fnTok.v.toLowerCase();
    p.op('(');
    let arg: Expr | undefined;
    let argText = '';
    if (p.isOp('*')) {
      p.next();
      argText = '*';
      if (fn !== 'count') throw new QuerySyntaxError(`${fn}(*) is not supported`, fnTok.at);
    } else if (!p.isOp(')')) {
      const from = p.i;
      arg = parseExpr(p);
      argText = p.toks.slice(from, p.i).map((t) => String(t.v)).join('');
    }
    p.op(')');
    if (!arg && fn !== 'count') throw new QuerySyntaxError(`${fn} needs a field`, fnTok.at);
    aggs.push({ name: alias(p) ?? `${fn}(${argText})`, fn, arg });
  } while (p.isOp(','));
  const by: Array<{ name: string; expr: Expr }> = [];
  if (p.isKw('by')) {
    p.next();
    by.push(parseNamed(p));
    while (p.isOp(',')) { p.next(); by.push(parseNamed(p)); }
  }
  return { kind: 'stats', aggs, by };
}

function parseCommand(p: Parser): Command {
  const head = p.next();
  if (head.t !== 'id') throw unexpected(head);
  switch (head.v.toLowerCase()) {
    case 'fields':
    case 'display': {
      const items = [parseNamed(p)];
      while (p.isOp(',')) { p.next(); items.push(parseNamed(p)); }
      return { kind: 'fields', items };
    }
    case 'filter':
      return { kind: 'filter', expr: parseExpr(p) };
    case 'sort': {
      const keys: Array<{ expr: Expr; desc: boolean }> = [];
      do {
        if (keys.length) p.op(',');
        const expr = parseArith(p);
        let desc = true;
        if (p.isKw('asc')) { p.next(); desc = false; } else if (p.isKw('desc')) p.next();
        keys.push({ expr, desc });
      } while (p.isOp(','));
      return { kind: 'sort', keys };
    }
    case 'limit': {
      const n = p.next();
      if (n.t !== 'num' || !Number.isInteger(n.v) || n.v < 1 || n.v > 10_000) throw unexpected(n);
      return { kind: 'limit', n: n.v };
    }
    case 'stats':
      return parseStats(p);
    default:
      throw unexpected(head);
  }
}

export interface CompiledQuery {
  commands: Command[];
}

export function parseQuery(source: string): CompiledQuery {
  const toks = lex(source);
  const commands: Command[] = [];
  let start = 0;
  for (let i = 0; i <= toks.length; i++) {
    const t = toks[i];
    if (i < toks.length && !(t!.t === 'op' && t!.v === '|')) continue;
    const part = toks.slice(start, i);
    if (part.length === 0) throw new QuerySyntaxError('empty command', t?.at ?? source.length);
    const p = new Parser(part, source.length);
    commands.push(parseCommand(p));
    if (!p.done()) throw unexpected(p.peek()!);
    start = i + 1;
  }
  return { commands };
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function stringify(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function aggregate(fn: string, values: unknown[]): unknown {
  if (fn === 'count') return values.filter((v) => v !== undefined && v !== null).length;
  if (fn === 'count_distinct') return new Set(values.filter((v) => v !== undefined).map(String)).size;
  const nums = values.map(num).filter((n) => !Number.isNaN(n));
  if (nums.length === 0) return undefined;
  switch (fn) {
    case 'sum': return nums.reduce((a, b) => a + b, 0);
    case 'avg': return nums.reduce((a, b) => a + b, 0) / nums.length;
    case 'min': return Math.min(...nums);
    default: return Math.max(...nums);
  }
}

const DEFAULT_FIELDS = ['@timestamp', '@message', '@logStream', '@log'];

/**
 * Runs the commands over `rows` (each with `@timestamp` text, `@timestampMs`, `@message`, `@ptr`, ...)
 * and returns AWS's result shape: one list of {field, value} per row, values as text.
 */
export function runQuery(q: CompiledQuery, rows: Row[], maxRows: number): { results: Array<Array<{ field: string; value: string }>>; matched: number } {
  // Newest first unless the query sorts: what `limit` keeps without a `sort`.
  let current = [...rows].sort((a, b) => compare(b.get('@timestampMs'), a.get('@timestampMs')));
  let columns: string[] | undefined;
  let aggregated = false;
  let limited: number | undefined;
  for (const c of q.commands) {
    switch (c.kind) {
      case 'filter':
        current = current.filter((r) => Boolean(c.expr(r)));
        break;
      case 'fields':
        current = current.map((r) => {
          const out: Row = new Map(r);
          for (const it of c.items) out.set(it.name, it.expr(r));
          return out;
        });
        columns = [...new Set([...(columns && !aggregated ? columns : []), ...c.items.map((it) => it.name)])];
        break;
      case 'sort':
        current = [...current].sort((a, b) => {
          for (const k of c.keys) {
            const d = compare(k.expr(a), k.expr(b));
            if (d !== 0) return k.desc ? -d : d;
          }
          return 0;
        });
        break;
      case 'limit':
        current = current.slice(0, c.n);
        limited = c.n;
        break;
      case 'stats': {
        const groups = new Map<string, { keys: unknown[]; rows: Row[] }>();
        for (const r of current) {
          const keys = c.by.map((b) => b.expr(r));
          const id = JSON.stringify(keys);
          let g = groups.get(id);
          if (!g) groups.set(id, (g = { keys, rows: [] }));
          g.rows.push(r);
        }
        current = [...groups.values()].map((g) => {
          const out: Row = new Map();
          c.by.forEach((b, i) => out.set(b.name, g.keys[i]));
          for (const a of c.aggs) out.set(a.name, aggregate(a.fn, g.rows.map((r) => (a.arg ? a.arg(r) : 1))));
          return out;
        });
        columns = [...c.by.map((b) => b.name), ...c.aggs.map((a) => a.name)];
        aggregated = true;
        break;
      }
    }
  }
  const cols = columns ?? DEFAULT_FIELDS;
  const results = current.slice(0, Math.min(limited ?? maxRows, maxRows)).map((r) => {
    const fields: Array<{ field: string; value: string }> = [];
    for (const name of cols) {
      const v = r.get(name);
      if (v !== undefined && v !== null) fields.push({ field: name, value: stringify(v) });
    }
    if (!aggregated && r.has('@ptr')) fields.push({ field: '@ptr', value: String(r.get('@ptr')) });
    return fields;
  });
  return { results, matched: current.length };
}

/** An event as a query row: system fields plus the message's JSON fields flattened with dots. */
export function eventRow(fields: { timestamp: number; message: string; ingestionTime: number; stream: string; log: string; ptr: string }): Row {
  const row: Row = new Map<string, unknown>([
    ['@timestamp', formatTime(fields.timestamp)],
    ['@timestampMs', fields.timestamp],
    ['@message', fields.message],
    ['@logStream', fields.stream],
    ['@log', fields.log],
    ['@ingestionTime', formatTime(fields.ingestionTime)],
    ['@ptr', fields.ptr],
  ]);
  const text = fields.message.trim();
  if (text.startsWith('{')) {
    try {
      flatten(JSON.parse(text), '', row);
    } catch {
      // Not JSON after all: only the system fields.
    }
  }
  return row;
}

function flatten(v: unknown, prefix: string, into: Row): void {
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) flatten(child, prefix ? `${prefix}.${k}` : k, into);
  } else if (prefix && !into.has(prefix)) {
    into.set(prefix, v);
  }
}
