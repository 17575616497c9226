/** Splits a DynamoDB expression into tokens, keeping source offsets for AWS's `near:` excerpts. */

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'bad' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z0-9_]/;
const NAME_START = /[A-Za-z_]/;
const TWO_CHAR = new Set(['<>', '<=', '>=']);
const ONE_CHAR = new Set(['(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-']);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const wordEnd = (from: number): number => {
    let j = from;
    while (j < n && WORD.test(source[j]!)) j++;
    return j;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (c === '#' || c === ':') {
      const end = wordEnd(i + 1);
      if (end === i + 1) {
        kind = 'bad';
        i++;
      } else {
        kind = c === '#' ? 'attrName' : 'attrValue';
        i = end;
      }
    } else if (NAME_START.test(c)) {
      kind = 'name';
      i = wordEnd(i);
    } else if (c >= '0' && c <= '9') {
      kind = 'number';
      while (i < n && source[i]! >= '0' && source[i]! <= '9') i++;
    } else if (TWO_CHAR.has(source.slice(i, i + 2))) {
      kind = 'punct';
      i += 2;
    } else if (ONE_CHAR.has(c)) {
      kind = 'punct';
      i++;
    } else {
      kind = 'bad';
      i += c.codePointAt(0)! > 0xffff ? 2 : 1;
    }
    tokens.push({ kind, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}
