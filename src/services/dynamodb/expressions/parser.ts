/**
 * Recursive-descent parsers for DynamoDB's expression languages. Precedence, loosest first:
 * OR, AND, NOT, then comparisons / BETWEEN / IN / functions, then parentheses. Errors carry
 * AWS's texts, e.g. `Invalid UpdateExpression: Syntax error; token: "x", near: "a x b"`.
 */
import { validation } from '../errors.ts';
import type {
  CallNode, Comparator, Condition, ExpressionKind, Operand, PathElement, PathNode, UpdateAst, ValueNode,
} from './ast.ts';
import { tokenize, type Token } from './tokenizer.ts';

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
/** Every expression is limited to 4 KB, counted on its text before placeholders are substituted. */
const MAX_EXPRESSION_BYTES = 4096;
const SECTIONS = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Section = (typeof SECTIONS)[number];

export function expressionError(kind: ExpressionKind, detail: string): Error {
  return validation(`Invalid ${kind}: ${detail}`);
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly kind: ExpressionKind,
    private readonly source: string,
  ) {
    if (source.trim() === '') throw expressionError(kind, 'The expression can not be empty;');
    const size = Buffer.byteLength(source, 'utf8');
    if (size > MAX_EXPRESSION_BYTES) {
      // AWS reports the size for conditions and filters only.
      const suffix = kind === 'ConditionExpression' || kind === 'FilterExpression' ? ` expression size: ${size}` : '';
      throw expressionError(kind, `Expression size has exceeded the maximum allowed size;${suffix}`);
    }
    this.tokens = tokenize(source);
  }

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isPunct(text: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === text;
  }

  private isKeyword(word: string): boolean {
    return this.tok.kind === 'name' && this.tok.text.toUpperCase() === word;
  }

  /** AWS quotes the offending token and the source from the token before it to the one after. */
  fail(): never {
    const i = this.pos;
    const tok = this.tokens[i]!;
    const prev = this.tokens[i - 1];
    const after = this.tokens[i + 1];
    const from = prev ? prev.start : tok.start;
    const to = tok.kind === 'eof' ? (prev ? prev.end : tok.end) : after && after.kind !== 'eof' ? after.end : tok.end;
    throw expressionError(this.kind, `Syntax error; token: "${tok.text}", near: "${this.source.slice(from, to)}"`);
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.pos++;
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') this.fail();
  }

  // ---- operands ----

  private nameElement(): PathElement {
    const t = this.tok;
    if (t.kind !== 'name' && t.kind !== 'attrName') this.fail();
    this.pos++;
    return { name: t.text, raw: t.text };
  }

  path(): PathNode {
    const elements: PathElement[] = [this.nameElement()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        elements.push(this.nameElement());
      } else if (this.isPunct('[')) {
        this.pos++;
        if (this.tok.kind !== 'number') this.fail();
        elements.push({ index: Number(this.next().text) });
        this.expectPunct(']');
      } else {
        return { type: 'path', elements };
      }
    }
  }

  private value(): ValueNode {
    if (this.tok.kind !== 'attrValue') this.fail();
    return { type: 'value', ref: this.next().text };
  }

  operand(): Operand {
    const t = this.tok;
    if (t.kind === 'attrValue') return this.value();
    if (t.kind === 'name' && this.tokens[this.pos + 1]!.kind === 'punct' && this.tokens[this.pos + 1]!.text === '(') {
      return this.call();
    }
    if (t.kind === 'name' || t.kind === 'attrName') return this.path();
    this.fail();
  }

  private call(): CallNode {
    const name = this.next().text;
    this.expectPunct('(');
    const args: Operand[] = [];
    if (!this.isPunct(')')) {
      args.push(this.updateOperand());
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.updateOperand());
      }
    }
    this.expectPunct(')');
    return { type: 'call', name, args };
  }

  /** In SET, operands may be sums and differences (`a + :v`); elsewhere they never are. */
  updateOperand(): Operand {
    const left = this.operand();
    if (this.kind === 'UpdateExpression' && (this.isPunct('+') || this.isPunct('-'))) {
      const op = this.next().text as '+' | '-';
      return { type: 'arith', op, left, right: this.operand() };
    }
    return left;
  }

  // ---- conditions ----

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.pos++;
      left = { type: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.pos++;
      left = { type: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.pos++;
      return { type: 'not', arg: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.condition();
      this.expectPunct(')');
      if (inner.type === 'paren') throw expressionError(this.kind, 'The expression has redundant parentheses;');
      return { type: 'paren', inner };
    }
    const left = this.operand();
    const t = this.tok;
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.pos++;
      return { type: 'compare', op: t.text as Comparator, left, right: this.operand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.pos++;
      const low = this.operand();
      if (!this.isKeyword('AND')) this.fail();
      this.pos++;
      return { type: 'between', value: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.pos++;
      this.expectPunct('(');
      const list = [this.operand()];
      while (this.isPunct(',')) {
        this.pos++;
        list.push(this.operand());
      }
      this.expectPunct(')');
      return { type: 'in', value: left, list };
    }
    if (left.type === 'call') return { type: 'function', call: left };
    this.fail();
  }

  // ---- update ----

  update(): UpdateAst {
    const ast: UpdateAst = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<Section>();
    while (this.tok.kind !== 'eof') {
      const word = this.tok.kind === 'name' ? this.tok.text.toUpperCase() : '';
      const section = SECTIONS.find((s) => s === word);
      if (!section) this.fail();
      if (seen.has(section)) {
        throw expressionError(this.kind, `The "${section}" section can only be used once in an update expression;`);
      }
      seen.add(section);
      this.pos++;
      do {
        if (section === 'SET') {
          const path = this.path();
          this.expectPunct('=');
          ast.set.push({ path, value: this.updateOperand() });
        } else if (section === 'REMOVE') {
          ast.remove.push(this.path());
        } else {
          const path = this.path();
          (section === 'ADD' ? ast.add : ast.delete).push({ path, value: this.value() });
        }
      } while (this.isPunct(',') && ++this.pos);
    }
    return ast;
  }

  projection(): PathNode[] {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.path());
    }
    return paths;
  }
}

export function parseCondition(kind: ExpressionKind, source: string): Condition {
  const p = new Parser(kind, source);
  const c = p.condition();
  p.expectEnd();
  return c;
}

export function parseUpdate(source: string): UpdateAst {
  const p = new Parser('UpdateExpression', source);
  return p.update();
}

export function parseProjection(source: string): PathNode[] {
  const p = new Parser('ProjectionExpression', source);
  const paths = p.projection();
  p.expectEnd();
  return paths;
}
