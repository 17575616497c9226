/**
 * The lexer of DynamoDB's PartiQL: identifiers (bare or "double-quoted"), 'strings', numbers,
 * `?` parameters, operators and punctuation; `--` and `/* *\/` comments. Text it cannot read at
 * all gets AWS's "not well formed" message with nothing after the colon.
 */
import { malformed } from './errors.ts';

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** As written (operators, numbers, bare identifiers) or decoded (quoted identifiers, strings). */
  text: string;
  start: number;
}

const OPERATORS = ['<<', '>>', '<=', '>=', '<>', '!=', '||', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-', '/', '%', ';'];
const INT32 = 2 ** 31;

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Reads a quoted run, `q` doubled inside standing for itself. */
function quoted(src: string, from: number, q: string): { text: string; end: number } {
  let out = '';
  let i = from + 1;
  for (;;) {
    if (i >= src.length) throw malformed('');
    const c = src[i]!;
    if (c === q) {
      if (src[i + 1] === q) {
        out += q;
        i += 2;
        continue;
      }
      return { text: out, end: i + 1 };
    }
    out += c;
    i++;
  }
}

/** A number literal; its exponent and scale must fit the 32-bit integers AWS's parser keeps them in. */
function number(src: string, from: number): number {
  let i = from;
  while (isDigit(src[i])) i++;
  let fraction = 0;
  if (src[i] === '.' && (isDigit(src[i + 1]) || i > from)) {
    i++;
    while (isDigit(src[i])) {
      i++;
      fraction++;
    }
  }
  if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || ((src[i + 1] === '+' || src[i + 1] === '-') && isDigit(src[i + 2])))) {
    const expStart = i + 1;
    i += 2;
    while (isDigit(src[i])) i++;
    const exponent = Number(src.slice(expStart, i));
    const scale = fraction - exponent;
    if (exponent >= INT32 || exponent < -INT32 || scale >= INT32 || scale < -INT32) throw malformed('');
  }
  return i;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '-' && src[i + 1] === '-') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw malformed('');
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === '"' || c === '\'') {
      const q = quoted(src, i, c);
      out.push({ kind: c === '"' ? 'quoted' : 'string', text: q.text, start });
      i = q.end;
    } else if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src[i]!)) i++;
      out.push({ kind: 'ident', text: src.slice(start, i), start });
    } else if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) {
      i = number(src, i);
      out.push({ kind: 'number', text: src.slice(start, i), start });
    } else if (c === '?') {
      out.push({ kind: 'param', text: '?', start });
      i++;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw malformed('');
      out.push({ kind: 'op', text: op, start });
      i += op.length;
    }
  }
  out.push({ kind: 'eof', text: '', start: src.length });
  return out;
}
