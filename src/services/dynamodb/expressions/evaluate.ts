/** Evaluates resolved condition trees (ConditionExpression, FilterExpression) against an item. */
import { typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import type { CallNode, Condition, Operand } from './ast.ts';
import { compareValues } from './compare.ts';
import { getPath } from './document.ts';

export function evaluateOperand(op: Operand, item: Item): AttributeValue | undefined {
  switch (op.type) {
    case 'path':
      return getPath(item, op.elements);
    case 'value':
      return op.value;
    case 'call':
      return op.name === 'size' ? sizeOf(evaluateOperand(op.args[0]!, item)) : undefined;
    case 'arith':
      return undefined;
  }
}

/** size(): UTF-16 code units of a string (as DynamoDB counts them), bytes of a binary, elements of a set, list or map. */
function sizeOf(v: AttributeValue | undefined): AttributeValue | undefined {
  if (!v) return undefined;
  let n: number;
  switch (typeOf(v)) {
    case 'S':
      n = v.S!.length;
      break;
    case 'B':
      n = v.B!.length;
      break;
    case 'SS':
      n = v.SS!.length;
      break;
    case 'NS':
      n = v.NS!.length;
      break;
    case 'BS':
      n = v.BS!.length;
      break;
    case 'L':
      n = v.L!.length;
      break;
    case 'M':
      n = Object.keys(v.M!).length;
      break;
    default:
      return undefined;
  }
  return { N: String(n) };
}

function callMatches(call: CallNode, item: Item): boolean {
  const [a, b] = call.args.map((x) => evaluateOperand(x, item));
  switch (call.name) {
    case 'attribute_exists':
      return a !== undefined;
    case 'attribute_not_exists':
      return a === undefined;
    case 'attribute_type':
      return a !== undefined && b?.S !== undefined && typeOf(a) === b.S;
    case 'begins_with':
      if (a?.S !== undefined && b?.S !== undefined) return a.S.startsWith(b.S);
      if (a?.B !== undefined && b?.B !== undefined) return a.B.subarray(0, b.B.length).equals(b.B);
      return false;
    case 'contains':
      return contains(a, b);
  }
  return false;
}

function contains(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.S !== undefined) return b.S !== undefined && a.S.includes(b.S);
  if (a.B !== undefined) return b.B !== undefined && a.B.indexOf(b.B) >= 0;
  if (a.SS) return b.S !== undefined && a.SS.includes(b.S);
  if (a.NS) return b.N !== undefined && a.NS.includes(b.N);
  if (a.BS) return b.B !== undefined && a.BS.some((x) => x.equals(b.B!));
  if (a.L) return a.L.some((x) => valuesEqual(x, b));
  return false;
}

export function matches(c: Condition, item: Item): boolean {
  switch (c.type) {
    case 'and':
      return matches(c.left, item) && matches(c.right, item);
    case 'or':
      return matches(c.left, item) || matches(c.right, item);
    case 'not':
      return !matches(c.arg, item);
    case 'paren':
      return matches(c.inner, item);
    case 'function':
      return callMatches(c.call, item);
    case 'compare': {
      const a = evaluateOperand(c.left, item);
      const b = evaluateOperand(c.right, item);
      if (c.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      if (c.op === '<>') return !(a !== undefined && b !== undefined && valuesEqual(a, b));
      if (!a || !b) return false;
      const order = compareValues(a, b);
      if (order === undefined) return false;
      switch (c.op) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
      }
      return false;
    }
    case 'between': {
      const v = evaluateOperand(c.value, item);
      const lo = evaluateOperand(c.low, item);
      const hi = evaluateOperand(c.high, item);
      if (!v || !lo || !hi) return false;
      const a = compareValues(v, lo);
      const b = compareValues(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = evaluateOperand(c.value, item);
      if (!v) return false;
      return c.list.some((o) => {
        const x = evaluateOperand(o, item);
        return x !== undefined && valuesEqual(v, x);
      });
    }
  }
}
