/**
 * Metric math for GetMetricData and alarms: `+ - * /`, parentheses, numbers, query ids,
 * arrays `[m1, m2]`, and SUM/AVG/MIN/MAX/ABS/FILL/METRICS(). Series are aligned by timestamp:
 * binary operations keep the timestamps both sides have.
 */

export class MathError extends Error {}

export interface Series {
  label: string;
  period: number;
  points: Map<number, number>;
}

export type Value = number | Series | Series[];

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const rest = src.slice(i);
    const num = /^\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][\w]*/.exec(rest);
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    if (c === '"' || c === "'") {
      const j = src.indexOf(c, i + 1);
      if (j < 0) throw new MathError('Unterminated string');
      out.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if ('+-*/()[],'.includes(c)) { out.push({ t: 'op', v: c }); i++; continue; }
    throw new MathError(`Unexpected character ${c}`);
  }
  return out;
}

export interface MathEnv {
  /** A query's series by id; undefined when no such query. */
  series(id: string): Series | undefined;
  /** Every MetricStat series (METRICS()). */
  all(): Series[];
  /** Period timestamps in the requested range for a period (seconds), for FILL. */
  grid(period: number): number[];
}

type Node = (env: MathEnv) => Value;

export function parseExpression(src: string): { node: Node; refs: string[] } {
  const toks = lex(src);
  const refs: string[] = [];
  let i = 0;
  const peek = () => toks[i];
  const isOp = (v: string) => { const t = peek(); return t?.t === 'op' && t.v === v; };
  const expect = (v: string) => {
    const t = toks[i++];
    if (!t || t.t !== 'op' || t.v !== v) throw new MathError(`Expected ${v}`);
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (toks[i++] as { v: string }).v;
      const l = left, r = multiplicative();
      left = (env) => binary(op, l(env), r(env));
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (toks[i++] as { v: string }).v;
      const l = left, r = unary();
      left = (env) => binary(op, l(env), r(env));
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      i++;
      const inner = unary();
      return (env) => binary('*', -1, inner(env));
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (!t) throw new MathError('Unexpected end of expression');
    if (t.t === 'num') return () => t.v;
    if (t.t === 'op' && t.v === '(') {
      const e = additive();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Node[] = [];
      if (!isOp(']')) {
        items.push(additive());
        while (isOp(',')) { i++; items.push(additive()); }
      }
      expect(']');
      return (env) => items.flatMap((n) => {
        const v = n(env);
        if (typeof v === 'number') throw new MathError('Arrays may only contain time series');
        return Array.isArray(v) ? v : [v];
      });
    }
    if (t.t === 'id') {
      if (isOp('(')) {
        i++;
        const args: Array<Node | string> = [];
        if (!isOp(')')) {
          do {
            if (args.length) i++;
            const a = peek();
            if (a?.t === 'str') { i++; args.push(a.v); } else if (a?.t === 'id' && /^(REPEAT|LINEAR)$/.test(a.v) && t.v.toUpperCase() === 'FILL') { i++; args.push(a.v); } else args.push(additive());
          } while (isOp(','));
        }
        expect(')');
        return call(t.v.toUpperCase(), args);
      }
      if (!/^[a-z]/.test(t.v)) throw new MathError(`Unrecognized function or metric id ${t.v}`);
      refs.push(t.v);
      return (env) => {
        const s = env.series(t.v);
        if (!s) throw new MathError(`Unrecognized metric id ${t.v}`);
        return s;
      };
    }
    throw new MathError(`Unexpected ${String(t.v)}`);
  };
  const node = additive();
  if (i < toks.length) throw new MathError(`Unexpected ${String(toks[i]!.v)}`);
  return { node, refs };
}

function binary(op: string, a: Value, b: Value): Value {
  const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
  if (Array.isArray(a)) return a.map((s) => binary(op, s, b) as Series);
  if (Array.isArray(b)) return b.map((s) => binary(op, a, s) as Series);
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  if (typeof a === 'number') return mapSeries(b as Series, (v) => f(a, v));
  if (typeof b === 'number') return mapSeries(a, (v) => f(v, b));
  const points = new Map<number, number>();
  for (const [ts, v] of a.points) {
    const w = b.points.get(ts);
    if (w !== undefined) points.set(ts, f(v, w));
  }
  return { label: a.label, period: a.period, points };
}

function mapSeries(s: Series, f: (v: number) => number): Series {
  return { label: s.label, period: s.period, points: new Map([...s.points].map(([ts, v]) => [ts, f(v)])) };
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  MIN: (xs) => Math.min(...xs),
  MAX: (xs) => Math.max(...xs),
};

function call(name: string, args: Array<Node | string>): Node {
  const node = (k: number): Node => {
    const a = args[k];
    if (typeof a !== 'function') throw new MathError(`${name} expects an expression as argument ${k + 1}`);
    return a;
  };
  if (name in REDUCERS) {
    if (args.length !== 1) throw new MathError(`${name} takes one argument`);
    const reduce = REDUCERS[name]!;
    const arg = node(0);
    return (env) => {
      const v = arg(env);
      if (typeof v === 'number') return v;
      if (!Array.isArray(v)) return reduce([...v.points.values()]);
      // Across series: one value per timestamp from the series that have it.
      const by = new Map<number, number[]>();
      for (const s of v) for (const [ts, x] of s.points) (by.get(ts) ?? by.set(ts, []).get(ts)!).push(x);
      return { label: name, period: v[0]?.period ?? 60, points: new Map([...by].sort((x, y) => x[0] - y[0]).map(([ts, xs]) => [ts, reduce(xs)])) };
    };
  }
  if (name === 'ABS') {
    const arg = node(0);
    return (env) => binaryAbs(arg(env));
  }
  if (name === 'METRICS') {
    const filter = args[0];
    if (filter !== undefined && typeof filter !== 'string') throw new MathError('METRICS takes an optional string');
    return (env) => env.all().filter((s) => filter === undefined || s.label.includes(filter));
  }
  if (name === 'FILL') {
    if (args.length !== 2) throw new MathError('FILL takes two arguments');
    const arg = node(0);
    const how = args[1]!;
    return (env) => {
      const fillOne = (s: Series): Series => {
        const points = new Map<number, number>();
        let last: number | undefined;
        const fixed = typeof how === 'function' ? how(env) : undefined;
        if (fixed !== undefined && typeof fixed !== 'number') throw new MathError('FILL value must be a number, REPEAT or LINEAR');
        const grid = env.grid(s.period);
        const known = [...s.points].sort((x, y) => x[0] - y[0]);
        for (const ts of grid) {
          const v = s.points.get(ts);
          if (v !== undefined) { points.set(ts, v); last = v; continue; }
          if (typeof fixed === 'number') points.set(ts, fixed);
          else if (how === 'REPEAT' && last !== undefined) points.set(ts, last);
          else if (how === 'LINEAR') {
            const before = [...known].reverse().find(([t]) => t < ts);
            const after = known.find(([t]) => t > ts);
            if (before && after) points.set(ts, before[1] + ((after[1] - before[1]) * (ts - before[0])) / (after[0] - before[0]));
          }
        }
        return { label: s.label, period: s.period, points };
      };
      const v = arg(env);
      if (typeof v === 'number') throw new MathError('FILL needs a time series');
      return Array.isArray(v) ? v.map(fillOne) : fillOne(v);
    };
  }
  throw new MathError(`Unknown function ${name}`);
}

function binaryAbs(v: Value): Value {
  if (typeof v === 'number') return Math.abs(v);
  if (Array.isArray(v)) return v.map((s) => mapSeries(s, Math.abs));
  return mapSeries(v, Math.abs);
}
