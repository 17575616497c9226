/**
 * The pre-expression parameters (Expected, AttributeUpdates, AttributesToGet, KeyConditions,
 * QueryFilter, ScanFilter), translated into the same resolved trees the expressions produce.
 */
import type { AttributeValueUpdate, Condition as LegacyCondition, ExpectedAttributeValue } from '../../generated/dynamodb.ts';
import { toAttributeValue, typeOf } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import type { Condition, Operand, PathNode, UpdateAst, ValueNode } from './expressions/ast.ts';

function path(name: string): PathNode {
  return { type: 'path', elements: [{ name, raw: name }] };
}

function value(raw: unknown): ValueNode {
  return { type: 'value', ref: '', value: toAttributeValue(raw) };
}

const ARITY: Record<string, number | [number, number]> = {
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, NOT_NULL: 0, NULL: 0, CONTAINS: 1, NOT_CONTAINS: 1,
  BEGINS_WITH: 1, IN: [1, Infinity], BETWEEN: 2,
};

function comparison(name: string, op: string, values: unknown[] | undefined): Condition {
  const arity = ARITY[op];
  if (arity === undefined) {
    throw validation(`1 validation error detected: Value '${op}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]`);
  }
  const list = values ?? [];
  const [min, max] = typeof arity === 'number' ? [arity, arity] : arity;
  if (list.length < min || list.length > max) {
    throw invalidParameter(`Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  const args = list.map(value);
  for (const a of args) {
    const t = typeOf(a.value!);
    const scalar = t === 'S' || t === 'N' || t === 'B';
    if (['LE', 'LT', 'GE', 'GT', 'BETWEEN', 'BEGINS_WITH', 'CONTAINS', 'NOT_CONTAINS'].includes(op) && !scalar) {
      throw invalidParameter(`ComparisonOperator ${op} is not valid for ${t} AttributeValue type`);
    }
    if (op === 'BEGINS_WITH' && t === 'N') throw invalidParameter(`ComparisonOperator ${op} is not valid for N AttributeValue type`);
  }
  const p = path(name);
  const call = (fn: string, ...rest: Operand[]): Condition => ({ type: 'function', call: { type: 'call', name: fn, args: [p, ...rest] } });
  switch (op) {
    case 'EQ': return { type: 'compare', op: '=', left: p, right: args[0]! };
    case 'NE': return { type: 'compare', op: '<>', left: p, right: args[0]! };
    case 'LE': return { type: 'compare', op: '<=', left: p, right: args[0]! };
    case 'LT': return { type: 'compare', op: '<', left: p, right: args[0]! };
    case 'GE': return { type: 'compare', op: '>=', left: p, right: args[0]! };
    case 'GT': return { type: 'compare', op: '>', left: p, right: args[0]! };
    case 'NOT_NULL': return call('attribute_exists');
    case 'NULL': return call('attribute_not_exists');
    case 'CONTAINS': return call('contains', args[0]!);
    case 'NOT_CONTAINS': return { type: 'and', left: call('attribute_exists'), right: { type: 'not', arg: call('contains', args[0]!) } };
    case 'BEGINS_WITH': return call('begins_with', args[0]!);
    case 'IN': return { type: 'in', value: p, list: args };
    default: return { type: 'between', value: p, low: args[0]!, high: args[1]! };
  }
}

function combine(conditions: Condition[], operator: string | undefined): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const type = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce((left, right) => ({ type, left, right }));
}

export function expectedCondition(expected: Record<string, ExpectedAttributeValue> | undefined, operator: string | undefined): Condition | undefined {
  if (!expected) return undefined;
  const parts = Object.entries(expected).map(([name, e]): Condition => {
    if (e.ComparisonOperator !== undefined) {
      if (e.Value !== undefined || e.Exists !== undefined) {
        throw invalidParameter('Value or Exists may not be used together with ComparisonOperator/AttributeValueList');
      }
      return comparison(name, e.ComparisonOperator, e.AttributeValueList);
    }
    if (e.Exists === false) {
      if (e.Value !== undefined) throw invalidParameter('Value cannot be used when Exists is false');
      return { type: 'function', call: { type: 'call', name: 'attribute_not_exists', args: [path(name)] } };
    }
    if (e.Value === undefined) throw invalidParameter('Value must be provided when Exists is true');
    return { type: 'compare', op: '=', left: path(name), right: value(e.Value) };
  });
  return combine(parts, operator);
}

export function filterCondition(filter: Record<string, LegacyCondition> | undefined, operator: string | undefined): Condition | undefined {
  if (!filter) return undefined;
  return combine(Object.entries(filter).map(([name, c]) => comparison(name, c.ComparisonOperator, c.AttributeValueList)), operator);
}

export function attributeUpdates(updates: Record<string, AttributeValueUpdate>): UpdateAst {
  const ast: UpdateAst = { set: [], remove: [], add: [], delete: [] };
  for (const [name, u] of Object.entries(updates)) {
    const action = u.Action ?? 'PUT';
    if (action === 'PUT') {
      if (u.Value === undefined) throw invalidParameter(`Only DELETE action is allowed when no attribute value is specified`);
      ast.set.push({ path: path(name), value: value(u.Value) });
    } else if (action === 'DELETE') {
      if (u.Value === undefined) ast.remove.push(path(name));
      else ast.delete.push({ path: path(name), value: value(u.Value) });
    } else {
      if (u.Value === undefined) throw invalidParameter(`Only DELETE action is allowed when no attribute value is specified`);
      ast.add.push({ path: path(name), value: value(u.Value) });
    }
  }
  return ast;
}

export function attributesToGet(names: string[] | undefined): PathNode[] | undefined {
  if (!names) return undefined;
  if (new Set(names).size !== names.length) {
    throw invalidParameter(`Duplicate value in attribute name: ${names.find((n, i) => names.indexOf(n) !== i)}`);
  }
  return names.map(path);
}
