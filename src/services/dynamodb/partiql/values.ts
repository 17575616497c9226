/**
 * PartiQL values as DynamoDB attribute values: 'text' is S, numbers N, TRUE/FALSE BOOL, NULL,
 * [..] a list, {'k': v} a map, <<..>> a string, number or binary set; `?` takes the request's
 * parameter. Number limits are reported with the path of the value (`under root.a[1]`).
 */
import { AwsError } from '../../../protocol/aws-error.ts';
import { setOwn, toAttributeValue, typeOf, type AttributeValue } from '../attribute-value.ts';
import { formatDecimal, toDecimal } from '../decimal.ts';
import { validation } from '../errors.ts';
import type { Expr } from './ast.ts';

/** True for the expressions that denote a value (no path, no function). */
export function isConstant(e: Expr): boolean {
  switch (e.k) {
    case 'literal':
    case 'param':
      return true;
    case 'list':
    case 'bag':
      return e.items.every(isConstant);
    case 'tuple':
      return e.entries.every((x) => isConstant(x.key) && isConstant(x.value));
    default:
      return false;
  }
}

function number(text: string, where: string): AttributeValue {
  try {
    return { N: formatDecimal(toDecimal(text)) };
  } catch (e) {
    throw validation(`${(e as AwsError).message} under ${where}`);
  }
}

const TYPE_NAMES: Record<string, string> = {
  S: 'STRING', N: 'DECIMAL', B: 'BLOB', BOOL: 'BOOL', NULL: 'NULL', L: 'LIST', M: 'STRUCT', SS: 'BAG', NS: 'BAG', BS: 'BAG',
};

/**
 * The attribute value a constant expression denotes; undefined for MISSING. `where` names it in
 * messages; an item's attributes are each named `root`, as AWS names them.
 */
export function bindValue(e: Expr, params: AttributeValue[], where = 'root', item = false): AttributeValue | undefined {
  switch (e.k) {
    case 'literal': {
      const v = e.value;
      if (v.type === 'string') return { S: v.text };
      if (v.type === 'number') return number(v.text, where);
      if (v.type === 'bool') return { BOOL: v.value };
      if (v.type === 'null') return { NULL: true };
      return undefined;
    }
    case 'param':
      return params[e.index]!;
    case 'list':
      return { L: e.items.map((x, i) => required(bindValue(x, params, `${where}[${i}]`), where)) };
    case 'tuple': {
      const out: Record<string, AttributeValue> = {};
      for (const { key, value } of e.entries) {
        const k = bindValue(key, params, where);
        if (k?.S === undefined) throw validation(`Tuple keys must be of type String. Actual type: ${k ? TYPE_NAMES[typeOf(k)] : 'MISSING'} under ${where}`);
        if (Object.hasOwn(out, k.S)) throw validation(`Duplicate keys in tuple. Key: ${k.S} under ${where}`);
        const v = bindValue(value, params, item ? 'root' : `${where}.${k.S}`);
        if (v) setOwn(out, k.S, v);
      }
      return { M: out };
    }
    case 'bag': {
      if (!e.items.length) throw validation('Empty bags are not supported');
      const items = e.items.map((x) => required(bindValue(x, params, where), where));
      const type = typeOf(items[0]!);
      if (!['S', 'N', 'B'].includes(type) || items.some((x) => typeOf(x) !== type)) {
        throw validation('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
      }
      if (type === 'S') return toAttributeValue({ SS: items.map((x) => x.S) });
      if (type === 'N') return toAttributeValue({ NS: items.map((x) => x.N) });
      return toAttributeValue({ BS: items.map((x) => x.B) });
    }
    default:
      throw validation('Unsupported operation: a value must be a literal or a parameter');
  }
}

function required(v: AttributeValue | undefined, where: string): AttributeValue {
  if (!v) throw validation(`Unsupported data type: MISSING under key ${where}`);
  return v;
}
