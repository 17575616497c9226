/**
 * Semantic checks of parsed expressions, in AWS's terms: reserved words, placeholders,
 * function names, arity and operand types, distinct operands, overlapping paths. Produces the
 * resolved trees the evaluators run on (names substituted, values attached).
 */
import { describeValue, typeOf, type TypeName } from '../attribute-value.ts';
import { compareValues } from './compare.ts';
import { isReservedWord } from '../reserved-words.ts';
import {
  describePath, type CallNode, type Condition, type ExpressionKind, type Operand, type PathNode, type UpdateAst,
  type ValueNode,
} from './ast.ts';
import type { ExpressionAttributes } from './attributes.ts';
import { expressionError, parseCondition, parseProjection, parseUpdate } from './parser.ts';

interface FunctionSpec {
  arity: number;
  /** true: a condition on its own; false: yields a value. */
  condition: boolean;
  update: boolean;
  /** Operand positions that must be document paths. */
  paths: number[];
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  attribute_exists: { arity: 1, condition: true, update: false, paths: [0] },
  attribute_not_exists: { arity: 1, condition: true, update: false, paths: [0] },
  attribute_type: { arity: 2, condition: true, update: false, paths: [0] },
  begins_with: { arity: 2, condition: true, update: false, paths: [] },
  contains: { arity: 2, condition: true, update: false, paths: [] },
  size: { arity: 1, condition: false, update: false, paths: [] },
  if_not_exists: { arity: 2, condition: false, update: true, paths: [0] },
  list_append: { arity: 2, condition: false, update: true, paths: [] },
};

const ORDERED: ReadonlySet<TypeName> = new Set(['S', 'N', 'B']);

/** Long type names, as AWS prints them for ADD and DELETE operands. */
const LONG_TYPE: Record<TypeName, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET',
  M: 'MAP', L: 'LIST', NULL: 'NULL', BOOL: 'BOOLEAN',
};

class Resolver {
  constructor(
    private readonly kind: ExpressionKind,
    private readonly attrs: ExpressionAttributes,
  ) {}

  error(detail: string): Error {
    return expressionError(this.kind, detail);
  }

  path(p: PathNode): PathNode {
    return {
      type: 'path',
      elements: p.elements.map((e) => {
        if ('index' in e) return e;
        if (e.raw.startsWith('#')) return { name: this.attrs.name(this.kind, e.raw), raw: e.raw };
        if (isReservedWord(e.raw)) throw this.error(`Attribute name is a reserved keyword; reserved keyword: ${e.raw}`);
        return e;
      }),
    };
  }

  operand(op: Operand, inUpdate: boolean): Operand {
    switch (op.type) {
      case 'path':
        return this.path(op);
      case 'value':
        return { type: 'value', ref: op.ref, value: this.attrs.value(this.kind, op.ref) };
      case 'arith':
        return { type: 'arith', op: op.op, left: this.operand(op.left, inUpdate), right: this.operand(op.right, inUpdate) };
      case 'call': {
        const call = this.call(op, inUpdate);
        if (FUNCTIONS[op.name]!.condition) {
          throw this.error(`The function is not allowed to be used this way in an expression; function: ${op.name}`);
        }
        return call;
      }
    }
  }

  call(c: CallNode, inUpdate: boolean): CallNode {
    const spec = FUNCTIONS[c.name];
    if (!spec) throw this.error(`Invalid function name; function: ${c.name}`);
    if (inUpdate && !spec.update) throw this.error(`The function is not allowed in an update expression; function: ${c.name}`);
    if (!inUpdate && spec.update) throw this.error(`The function is not allowed in a condition expression; function: ${c.name}`);
    if (c.args.length !== spec.arity) {
      throw this.error(`Incorrect number of operands for operator or function; operator or function: ${c.name}, number of operands: ${c.args.length}`);
    }
    for (const i of spec.paths) {
      if (c.args[i]!.type !== 'path') {
        throw this.error(`Operator or function requires a document path; operator or function: ${c.name}`);
      }
    }
    const args = c.args.map((a) => this.operand(a, inUpdate));
    const call: CallNode = { type: 'call', name: c.name, args };
    this.checkFunctionOperands(call);
    return call;
  }

  private literalType(op: Operand): TypeName | undefined {
    if (op.type === 'value') return typeOf(op.value!);
    if (op.type === 'call' && op.name === 'size') return 'N';
    return undefined;
  }

  private operandType(name: string, op: Operand, allowed: (t: TypeName) => boolean): void {
    const t = this.literalType(op);
    if (t && !allowed(t)) {
      throw this.error(`Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${t}`);
    }
  }

  private checkFunctionOperands(call: CallNode): void {
    switch (call.name) {
      case 'begins_with':
        for (const a of call.args) this.operandType('begins_with', a, (t) => t === 'S' || t === 'B');
        this.distinct('begins_with', call.args);
        break;
      case 'contains':
        this.distinct('contains', call.args);
        break;
      case 'attribute_type': {
        this.operandType('attribute_type', call.args[1]!, (t) => t === 'S');
        const v = call.args[1]!.type === 'value' ? (call.args[1] as ValueNode).value! : undefined;
        if (v && !isTypeName(v.S!)) {
          throw this.error(`Invalid attribute type name found; type: ${v.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
        }
        break;
      }
      case 'list_append':
        for (const a of call.args) this.operandType('list_append', a, (t) => t === 'L');
        break;
      case 'size':
        this.operandType('size', call.args[0]!, (t) => t !== 'N' && t !== 'BOOL' && t !== 'NULL');
        break;
    }
  }

  /** AWS refuses `a = a`, `contains(a, a)` and the like. */
  private distinct(operator: string, operands: Operand[]): void {
    const [first, ...rest] = operands;
    if (first?.type !== 'path') return;
    const key = describePath(first);
    if (rest.some((o) => o.type === 'path' && describePath(o) === key)) {
      throw this.error(`The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${key}`);
    }
  }

  condition(c: Condition): Condition {
    switch (c.type) {
      case 'and':
      case 'or':
        return { type: c.type, left: this.condition(c.left), right: this.condition(c.right) };
      case 'not':
        return { type: 'not', arg: this.condition(c.arg) };
      case 'paren':
        return { type: 'paren', inner: this.condition(c.inner) };
      case 'function': {
        const call = this.call(c.call, false);
        if (!FUNCTIONS[c.call.name]!.condition) {
          throw this.error(`The function is not allowed to be used this way in an expression; function: ${c.call.name}`);
        }
        return { type: 'function', call };
      }
      case 'compare': {
        const left = this.operand(c.left, false);
        const right = this.operand(c.right, false);
        if (c.op !== '=' && c.op !== '<>') {
          for (const o of [left, right]) this.operandType(c.op, o, (t) => ORDERED.has(t));
        }
        this.distinct(c.op, [left, right]);
        return { type: 'compare', op: c.op, left, right };
      }
      case 'between': {
        const value = this.operand(c.value, false);
        const low = this.operand(c.low, false);
        const high = this.operand(c.high, false);
        for (const o of [value, low, high]) this.operandType('BETWEEN', o, (t) => ORDERED.has(t));
        this.distinct('BETWEEN', [value, low, high]);
        if (low.type === 'value' && high.type === 'value') {
          if (typeOf(low.value!) !== typeOf(high.value!)) {
            throw this.error(`The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: ${describeValue(low.value!)}, upper bound operand: AttributeValue: ${describeValue(high.value!)}`);
          }
          const order = compareValues(low.value!, high.value!);
          if (order !== undefined && order > 0) {
            throw this.error(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${describeValue(low.value!)}, upper bound operand: AttributeValue: ${describeValue(high.value!)}`);
          }
        }
        return { type: 'between', value, low, high };
      }
      case 'in': {
        if (c.list.length > 100) {
          throw this.error(`The IN operator is provided with too many operands; number of operands: ${c.list.length}`);
        }
        const value = this.operand(c.value, false);
        const list = c.list.map((o) => this.operand(o, false));
        this.distinct('IN', [value, ...list]);
        return { type: 'in', value, list };
      }
    }
  }

  update(ast: UpdateAst): UpdateAst {
    const set = ast.set.map((a) => {
      const value = this.operand(a.value, true);
      this.checkSetOperand(value);
      return { path: this.path(a.path), value };
    });
    const remove = ast.remove.map((p) => this.path(p));
    const add = ast.add.map((a) => {
      const path = this.path(a.path);
      const value = this.operand(a.value, true) as ValueNode;
      const t = typeOf(value.value!);
      if (t !== 'N' && t !== 'SS' && t !== 'NS' && t !== 'BS') {
        throw this.error(`Incorrect operand type for operator or function; operator: ADD, operand type: ${LONG_TYPE[t]}`);
      }
      return { path, value };
    });
    const del = ast.delete.map((a) => {
      const path = this.path(a.path);
      const value = this.operand(a.value, true) as ValueNode;
      const t = typeOf(value.value!);
      if (t !== 'SS' && t !== 'NS' && t !== 'BS') {
        throw this.error(`Incorrect operand type for operator or function; operator: DELETE, operand type: ${LONG_TYPE[t]}`);
      }
      return { path, value };
    });
    const resolved = { set, remove, add, delete: del };
    checkOverlaps(this.kind, [...set.map((a) => a.path), ...remove, ...add.map((a) => a.path), ...del.map((a) => a.path)]);
    return resolved;
  }

  private checkSetOperand(op: Operand): void {
    if (op.type === 'arith') {
      for (const o of [op.left, op.right]) {
        this.operandType(op.op, o, (t) => t === 'N');
        this.checkSetOperand(o);
      }
    } else if (op.type === 'call') {
      for (const a of op.args) this.checkSetOperand(a);
    }
  }
}

function isTypeName(s: string): boolean {
  return ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'].includes(s);
}

/**
 * Paths overlap when one is a prefix of the other (or they are equal); they conflict when,
 * at the first step where they differ, one names a map key and the other a list index.
 */
export function checkOverlaps(kind: ExpressionKind, paths: PathNode[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!.elements;
      const b = paths[j]!.elements;
      const n = Math.min(a.length, b.length);
      let k = 0;
      let verdict: 'overlap' | 'conflict' | undefined = 'overlap';
      for (; k < n; k++) {
        const x = a[k]!;
        const y = b[k]!;
        if ('index' in x !== 'index' in y) {
          verdict = 'conflict';
          break;
        }
        if ('index' in x ? x.index !== (y as { index: number }).index : x.name !== (y as { name: string }).name) {
          verdict = undefined;
          break;
        }
      }
      if (verdict) {
        throw expressionError(kind, `Two document paths ${verdict === 'overlap' ? 'overlap' : 'conflict'} with each other; must remove or rewrite one of these paths; path one: ${describePath(paths[i]!)}, path two: ${describePath(paths[j]!)}`);
      }
    }
  }
}

export function resolveCondition(kind: ExpressionKind, source: string, attrs: ExpressionAttributes): Condition {
  return new Resolver(kind, attrs).condition(parseCondition(kind, source));
}

export function resolveUpdate(source: string, attrs: ExpressionAttributes): UpdateAst {
  return new Resolver('UpdateExpression', attrs).update(parseUpdate(source));
}

export function resolveProjection(source: string, attrs: ExpressionAttributes): PathNode[] {
  const r = new Resolver('ProjectionExpression', attrs);
  const paths = parseProjection(source).map((p) => r.path(p));
  checkOverlaps('ProjectionExpression', paths);
  return paths;
}

