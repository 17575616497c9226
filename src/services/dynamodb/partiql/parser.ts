/**
 * Recursive-descent parser for the PartiQL DynamoDB accepts: SELECT, INSERT ... VALUE,
 * UPDATE ... SET/REMOVE, DELETE, and EXISTS(SELECT ...) for transactions. Expression precedence,
 * loosest first: OR, AND, NOT, comparisons (= <> != < <= > >= IS IN BETWEEN LIKE), ||, + -,
 * * / %, unary minus, then terms with their path steps. Errors carry the texts AWS's parser uses.
 */
import type { PathElement } from '../expressions/ast.ts';
import { validation } from '../errors.ts';
import type { Expr, Literal, Parsed, Returning, SelectStatement, Source, Statement, UpdateAction } from './ast.ts';
import { malformed } from './errors.ts';
import { tokenize, type Token } from './tokenizer.ts';

const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'BETWEEN', 'LIKE', 'MISSING', 'NULL', 'TRUE', 'FALSE',
  'VALUE', 'VALUES', 'INTO', 'SET', 'REMOVE', 'ORDER', 'BY', 'ASC', 'DESC', 'RETURNING', 'AS', 'AT', 'LIMIT', 'OFFSET',
  'INSERT', 'UPDATE', 'DELETE', 'EXISTS', 'ALL', 'GROUP', 'HAVING', 'UNION', 'JOIN', 'ON', 'CASE', 'WHEN', 'THEN',
  'ELSE', 'END', 'DISTINCT', 'CAST',
]);

/** Keywords that are operators: meeting one where a term should start is an "Unexpected operator". */
const OPERATOR_WORDS = new Set(['AND', 'OR', 'IS', 'IN', 'BETWEEN', 'LIKE']);
const COMPARATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const TYPE_NAMES = new Set(['MISSING', 'NULL', 'BOOLEAN', 'BOOL', 'STRING', 'NUMERIC', 'INT', 'INTEGER', 'INT4', 'INT8',
  'DECIMAL', 'FLOAT', 'REAL', 'DOUBLE', 'BLOB', 'STRUCT', 'TUPLE', 'LIST', 'BAG', 'SEXP', 'CLOB', 'TIMESTAMP', 'DATE', 'TIME']);

class Parser {
  private pos = 0;
  private params = 0;
  private readonly toks: Token[];

  constructor(src: string) {
    this.toks = tokenize(src);
  }

  private get tok(): Token {
    return this.toks[this.pos]!;
  }

  private peek(n = 1): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)]!;
  }

  private isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.text === text;
  }

  private isWord(word: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private isKeyword(t: Token = this.tok): boolean {
    return t.kind === 'ident' && KEYWORDS.has(t.text.toUpperCase());
  }

  private atEnd(t: Token = this.tok): boolean {
    return t.kind === 'eof' || this.isOp(';', t);
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw this.unexpected();
    this.pos++;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) throw this.unexpected();
    this.pos++;
  }

  /** What AWS says about the current token where a term (or a keyword) was expected. */
  private unexpected(): Error {
    const t = this.tok;
    if (this.atEnd(t) || (t.kind === 'op' && [')', ']', '}', ',', '>>'].includes(t.text))) return malformed('Unexpected term');
    if (t.kind === 'ident' && OPERATOR_WORDS.has(t.text.toUpperCase())) return malformed('Unexpected operator');
    if (this.isKeyword(t)) return malformed('Unexpected keyword');
    if (t.kind === 'op') return malformed('Unexpected operator');
    return malformed('Unexpected token after expression');
  }

  parse(): Parsed {
    const t = this.tok;
    let statement: Statement;
    if (this.isWord('SELECT')) statement = this.select();
    else if (this.isWord('INSERT')) statement = this.insert();
    else if (this.isWord('UPDATE')) statement = this.update();
    else if (this.isWord('DELETE')) statement = this.delete();
    else if (this.isWord('EXISTS')) {
      this.pos++;
      this.expectOp('(');
      if (!this.isWord('SELECT')) throw this.unexpected();
      const select = this.select();
      this.expectOp(')');
      statement = { kind: 'exists', select };
    } else if (t.kind === 'eof') throw malformed('Unexpected term');
    else throw malformed('Expected data manipulation');
    if (this.isOp(';')) this.pos++;
    if (this.tok.kind !== 'eof') throw malformed('Unexpected token after expression');
    return { statement, parameters: this.params };
  }

  // ---- statements ----

  private select(): SelectStatement {
    this.pos++;
    let projection: Expr[] | undefined;
    if (this.isOp('*')) {
      this.pos++;
      if (this.isOp(',')) throw validation("Other attributes should not be present in the projection when '*' is used.");
    } else {
      projection = [this.expr()];
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp('*')) throw validation("Other attributes should not be present in the projection when '*' is used.");
        projection.push(this.expr());
      }
    }
    this.expectWord('FROM');
    if (this.atEnd()) throw malformed('Unexpected term');
    const source = this.source();
    this.noAlias();
    const out: SelectStatement = { kind: 'select', source };
    if (projection) out.projection = projection;
    if (this.isWord('WHERE')) {
      this.pos++;
      out.where = this.expr();
    }
    if (this.isWord('ORDER')) {
      this.pos++;
      this.expectWord('BY');
      const path = this.expr();
      let descending = false;
      if (this.isWord('ASC') || this.isWord('DESC')) descending = this.toks[this.pos++]!.text.toUpperCase() === 'DESC';
      out.order = { path, descending };
    }
    for (const clause of ['LIMIT', 'OFFSET', 'GROUP', 'HAVING']) {
      if (this.isWord(clause)) throw validation(`Unsupported clause: ${clause}`);
    }
    return out;
  }

  private insert(): Statement {
    this.pos++;
    this.expectWord('INTO');
    const source = this.source();
    if (this.isOp('<<')) {
      throw validation('Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
    }
    this.expectWord('VALUE');
    const value = this.expr();
    if (this.isWord('RETURNING')) throw validation('RETURNING is not supported in INSERT');
    return { kind: 'insert', source, value };
  }

  private update(): Statement {
    this.pos++;
    const source = this.source();
    this.noAlias();
    const actions: UpdateAction[] = [];
    while (this.isWord('SET') || this.isWord('REMOVE')) {
      const set = this.isWord('SET');
      this.pos++;
      do {
        if (actions.length && this.isOp(',')) this.pos++;
        const path = this.pathTerm();
        if (set) {
          this.expectOp('=');
          actions.push({ op: 'set', path, value: this.expr() });
        } else {
          actions.push({ op: 'remove', path });
        }
      } while (this.isOp(','));
    }
    if (!actions.length) throw this.unexpected();
    const out: Statement = { kind: 'update', source, actions };
    if (this.isWord('WHERE')) {
      this.pos++;
      out.where = this.expr();
    }
    const returning = this.returning();
    if (returning) out.returning = returning;
    return out;
  }

  private delete(): Statement {
    this.pos++;
    this.expectWord('FROM');
    const source = this.source();
    this.noAlias();
    const out: Statement = { kind: 'delete', source };
    if (this.isWord('WHERE')) {
      this.pos++;
      out.where = this.expr();
    }
    const returning = this.returning();
    if (returning) out.returning = returning;
    return out;
  }

  private returning(): Returning | undefined {
    if (!this.isWord('RETURNING')) return undefined;
    this.pos++;
    const bad = () => validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    const which = this.tok.kind === 'ident' ? this.tok.text.toUpperCase() : '';
    const age = this.peek().kind === 'ident' ? this.peek().text.toUpperCase() : '';
    if ((which !== 'ALL' && which !== 'MODIFIED') || (age !== 'OLD' && age !== 'NEW')) throw bad();
    this.pos += 2;
    if (!this.isOp('*')) throw bad();
    this.pos++;
    if (this.isOp(',')) throw validation('Invalid syntax with multiple returning elements in RETURNING clause');
    return `${which} ${age}` as Returning;
  }

  private name(): string {
    const t = this.tok;
    if (t.kind === 'quoted' || (t.kind === 'ident' && !this.isKeyword(t))) {
      this.pos++;
      return t.text;
    }
    throw malformed('Expected identifier for simple path');
  }

  /** `table` or `"table"."index"`. */
  private source(): Source {
    const table = this.name();
    if (!this.isOp('.')) return { table };
    this.pos++;
    const index = this.name();
    if (this.isOp('.')) throw validation('A path may contain at most 2 components in the FROM clause');
    return { table, index };
  }

  private noAlias(): void {
    if (this.isWord('AS') || (this.tok.kind === 'ident' && !this.isKeyword()) || this.tok.kind === 'quoted') {
      throw validation('Aliasing is not supported');
    }
  }

  // ---- expressions ----

  expr(): Expr {
    return this.or();
  }

  private rhs(parse: () => Expr): Expr {
    if (this.atEnd()) throw malformed('Missing right-hand side expression of infix operator');
    return parse();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('OR')) {
      this.pos++;
      left = { k: 'binary', op: 'OR', left, right: this.rhs(() => this.and()) };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('AND')) {
      this.pos++;
      left = { k: 'binary', op: 'AND', left, right: this.rhs(() => this.not()) };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('NOT')) {
      this.pos++;
      return { k: 'not', arg: this.not() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.concat();
    const t = this.tok;
    if (t.kind === 'op' && COMPARATORS.has(t.text)) {
      this.pos++;
      return { k: 'binary', op: t.text === '!=' ? '<>' : t.text, left, right: this.rhs(() => this.concat()) };
    }
    let negated = false;
    if (this.isWord('NOT') && ['IN', 'BETWEEN', 'LIKE'].some((w) => this.isWord(w, this.peek()))) {
      negated = true;
      this.pos++;
    }
    if (this.isWord('IS')) {
      this.pos++;
      if (this.isWord('NOT')) {
        negated = true;
        this.pos++;
      }
      const type = this.tok.kind === 'ident' ? this.tok.text.toUpperCase() : '';
      if (!TYPE_NAMES.has(type)) throw malformed('Expected type name');
      this.pos++;
      if (type === 'DOUBLE' && this.isWord('PRECISION')) this.pos++;
      return { k: 'is', value: left, type, negated };
    }
    if (this.isWord('IN')) {
      this.pos++;
      return { k: 'in', value: left, list: this.rhs(() => this.concat()), negated };
    }
    if (this.isWord('BETWEEN')) {
      this.pos++;
      const low = this.rhs(() => this.concat());
      this.expectWord('AND');
      return { k: 'between', value: left, low, high: this.rhs(() => this.concat()), negated };
    }
    if (this.isWord('LIKE')) {
      this.pos++;
      const right = this.rhs(() => this.concat());
      const like: Expr = { k: 'binary', op: 'LIKE', left, right };
      return negated ? { k: 'not', arg: like } : like;
    }
    return left;
  }

  private concat(): Expr {
    let left = this.additive();
    while (this.isOp('||')) {
      this.pos++;
      left = { k: 'binary', op: '||', left, right: this.rhs(() => this.additive()) };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.toks[this.pos++]!.text;
      left = { k: 'binary', op, left, right: this.rhs(() => this.multiplicative()) };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.toks[this.pos++]!.text;
      left = { k: 'binary', op, left, right: this.rhs(() => this.unary()) };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const minus = this.isOp('-');
      this.pos++;
      const arg = this.unary();
      if (!minus) return arg;
      if (arg.k === 'literal' && arg.value.type === 'number') return { k: 'literal', value: { type: 'number', text: '-' + arg.value.text } };
      return { k: 'negate', arg };
    }
    return this.term();
  }

  private literalWord(): Literal | undefined {
    switch (this.tok.kind === 'ident' ? this.tok.text.toUpperCase() : '') {
      case 'TRUE': return { type: 'bool', value: true };
      case 'FALSE': return { type: 'bool', value: false };
      case 'NULL': return { type: 'null' };
      case 'MISSING': return { type: 'missing' };
      default: return undefined;
    }
  }

  private term(): Expr {
    const t = this.tok;
    if (t.kind === 'string') {
      this.pos++;
      return { k: 'literal', value: { type: 'string', text: t.text } };
    }
    if (t.kind === 'number') {
      this.pos++;
      return { k: 'literal', value: { type: 'number', text: t.text } };
    }
    if (t.kind === 'param') {
      this.pos++;
      return { k: 'param', index: this.params++ };
    }
    const word = this.literalWord();
    if (word) {
      this.pos++;
      return { k: 'literal', value: word };
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.expr();
      this.expectOp(')');
      return inner;
    }
    if (this.isOp('[')) return { k: 'list', items: this.sequence('[', ']') };
    if (this.isOp('<<')) return { k: 'bag', items: this.sequence('<<', '>>') };
    if (this.isOp('{')) return this.tuple();
    if (t.kind === 'ident' && this.isOp('(', this.peek()) && !this.isKeyword(t)) return this.call();
    if (t.kind === 'quoted' || (t.kind === 'ident' && !this.isKeyword(t))) return this.pathTerm();
    throw this.unexpected();
  }

  private sequence(open: string, close: string): Expr[] {
    this.expectOp(open);
    const items: Expr[] = [];
    if (!this.isOp(close)) {
      items.push(this.expr());
      while (this.isOp(',')) {
        this.pos++;
        items.push(this.expr());
      }
    }
    this.expectOp(close);
    return items;
  }

  private tuple(): Expr {
    this.expectOp('{');
    const entries: { key: Expr; value: Expr }[] = [];
    if (!this.isOp('}')) {
      do {
        if (entries.length) this.pos++;
        const key = this.expr();
        this.expectOp(':');
        entries.push({ key, value: this.expr() });
      } while (this.isOp(','));
    }
    this.expectOp('}');
    return { k: 'tuple', entries };
  }

  private call(): Expr {
    const name = this.toks[this.pos++]!.text.toLowerCase();
    this.expectOp('(');
    const args: Expr[] = [];
    if (this.isOp('*')) this.pos++;
    else if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.pos++;
        args.push(this.expr());
      }
    }
    this.expectOp(')');
    return { k: 'call', name, args };
  }

  /** A document path: a name, then `.name`, `[n]` or `['key']` steps. */
  private pathTerm(): Expr {
    const first = this.tok;
    if (first.kind !== 'quoted' && (first.kind !== 'ident' || this.isKeyword(first))) throw this.unexpected();
    this.pos++;
    const elements: PathElement[] = [{ name: first.text, raw: first.text }];
    let tail = first.text;
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        const t = this.tok;
        if (t.kind !== 'quoted' && t.kind !== 'ident') throw malformed('Unexpected path component');
        this.pos++;
        elements.push({ name: t.text, raw: t.text });
        tail = t.text;
      } else if (this.isOp('[')) {
        this.pos++;
        const t = this.tok;
        if (t.kind === 'number' && /^[0-9]+$/.test(t.text)) elements.push({ index: Number(t.text) });
        else if (t.kind === 'string') elements.push({ name: t.text, raw: t.text });
        else throw malformed('Unexpected path component');
        this.pos++;
        this.expectOp(']');
        tail = t.kind === 'number' ? `${tail}[${t.text}]` : t.text;
      } else {
        return { k: 'path', elements, text: tail };
      }
    }
  }
}

/** Parses one statement; `text` of a path is the name AWS gives its value in a SELECT result. */
export function parseStatement(src: string): Parsed {
  return new Parser(src).parse();
}
