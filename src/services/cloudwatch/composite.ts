/**
 * Composite alarm rules: `ALARM("a") AND (OK(b) OR NOT INSUFFICIENT_DATA("arn:...:alarm:c"))`,
 * `TRUE`, `FALSE`. Operators are case-insensitive as AWS accepts them; names may be quoted.
 */

export class RuleError extends Error {}

export type StateOf = (alarm: string) => string | undefined;

export interface Rule {
  /** Alarm names the rule refers to (ARNs reduced to names). */
  refs: string[];
  evaluate(state: StateOf): boolean;
}

type Tok = { t: 'word' | 'str' | 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push({ t: 'op', v: c }); i++; continue; }
    if (c === '"' || c === "'") {
      const j = src.indexOf(c, i + 1);
      if (j < 0) throw new RuleError('Unterminated quoted alarm name');
      out.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !/[\s()"']/.test(src[j]!)) j++;
    out.push({ t: 'word', v: src.slice(i, j) });
    i = j;
  }
  return out;
}

export function alarmNameOf(ref: string): string {
  const m = /^arn:[^:]+:cloudwatch:[^:]*:\d{12}:alarm:(.+)$/.exec(ref);
  return m ? m[1]! : ref;
}

const STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

export function parseRule(src: string): Rule {
  const toks = lex(src);
  const refs: string[] = [];
  let i = 0;
  const kw = (v: string) => toks[i]?.t === 'word' && toks[i]!.v.toUpperCase() === v;
  type Node = (s: StateOf) => boolean;
  const or = (): Node => {
    let left = and();
    while (kw('OR')) {
      i++;
      const l = left, r = and();
      left = (s) => l(s) || r(s);
    }
    return left;
  };
  const and = (): Node => {
    let left = not();
    while (kw('AND')) {
      i++;
      const l = left, r = not();
      left = (s) => l(s) && r(s);
    }
    return left;
  };
  const not = (): Node => {
    if (kw('NOT')) {
      i++;
      const inner = not();
      return (s) => !inner(s);
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (!t) throw new RuleError('Unexpected end of alarm rule');
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      if (toks[i]?.v !== ')') throw new RuleError('Missing )');
      i++;
      return e;
    }
    const word = t.v.toUpperCase();
    if (t.t === 'word' && word === 'TRUE') return () => true;
    if (t.t === 'word' && word === 'FALSE') return () => false;
    if (t.t === 'word' && STATES.includes(word)) {
      if (toks[i]?.v !== '(') throw new RuleError(`Expected ( after ${word}`);
      i++;
      const name = toks[i++];
      if (!name || name.t === 'op') throw new RuleError(`Expected an alarm name in ${word}()`);
      if (toks[i]?.v !== ')') throw new RuleError('Missing )');
      i++;
      const alarm = alarmNameOf(name.v);
      refs.push(alarm);
      return (s) => s(alarm) === word;
    }
    throw new RuleError(`Unexpected token ${t.v}`);
  };
  const root = or();
  if (i < toks.length) throw new RuleError(`Unexpected token ${toks[i]!.v}`);
  return { refs: [...new Set(refs)], evaluate: root };
}
