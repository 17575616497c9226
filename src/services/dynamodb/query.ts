/**
 * Query: the key condition becomes a range of the ordered source (table items or index tree),
 * so a Query reads only the partition and sort-key range it names.
 */
import type { QueryInput, QueryOutput, Select } from '../../generated/dynamodb.ts';
import { prefixEnd } from '../../state/records.ts';
import type { RangeOptions } from '../../state/index.ts';
import type { RequestContext } from '../framework/define.ts';
import { typeOf, type AttributeValue } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import type { Condition, Operand, PathNode } from './expressions/ast.ts';
import { resolveCondition } from './expressions/resolve.ts';
import { projectionOf } from './items.ts';
import { encodeKeyValue, encodePrefix } from './key-encoding.ts';
import { filterCondition } from './legacy.ts';
import { limit, oneOf, tableName } from './params.ts';
import { readItems, startKey } from './reader.ts';
import { expressionAttributes } from './requests.ts';
import { attributeType, type KeyNames, type TableRecord } from './schema.ts';
import { Store } from './store.ts';

export const SELECTS = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;

interface KeyTerm {
  name: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';
  values: AttributeValue[];
}

const MIRROR: Record<string, KeyTerm['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function attributeName(op: Operand): string | undefined {
  return op.type === 'path' && op.elements.length === 1 ? (op.elements[0] as { name: string }).name : undefined;
}

function terms(c: Condition, out: Condition[]): void {
  if (c.type === 'paren') terms(c.inner, out);
  else if (c.type === 'and') {
    terms(c.left, out);
    terms(c.right, out);
  } else out.push(c);
}

function keyTerm(c: Condition): KeyTerm {
  const unsupported = () => validation('Query key condition not supported');
  switch (c.type) {
    case 'or':
      throw validation('Invalid operator used in KeyConditionExpression: OR');
    case 'not':
      throw validation('Invalid operator used in KeyConditionExpression: NOT');
    case 'in':
      throw validation('Invalid operator used in KeyConditionExpression: IN');
    case 'compare': {
      if (c.op === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>');
      const leftName = attributeName(c.left);
      const rightName = attributeName(c.right);
      if (leftName !== undefined && c.right.type === 'value') return { name: leftName, op: c.op, values: [c.right.value!] };
      if (rightName !== undefined && c.left.type === 'value') return { name: rightName, op: MIRROR[c.op]!, values: [c.left.value!] };
      throw unsupported();
    }
    case 'between': {
      const name = attributeName(c.value);
      if (name === undefined || c.low.type !== 'value' || c.high.type !== 'value') throw unsupported();
      return { name, op: 'between', values: [c.low.value!, c.high.value!] };
    }
    case 'function': {
      if (c.call.name !== 'begins_with') throw validation(`Invalid operator used in KeyConditionExpression: ${c.call.name}`);
      const name = attributeName(c.call.args[0]!);
      const v = c.call.args[1]!;
      if (name === undefined || v.type !== 'value') throw unsupported();
      return { name, op: 'begins_with', values: [v.value!] };
    }
    default:
      throw unsupported();
  }
}

/** Turns a key condition into a range of encoded keys under the partition's prefix. */
export function keyRange(cond: Condition, key: KeyNames, rec: TableRecord): RangeOptions {
  const parts: Condition[] = [];
  terms(cond, parts);
  if (parts.length > 2) throw validation('Conditions can be of length 1 or 2 only');
  const list = parts.map(keyTerm);
  const hash = list.find((t) => t.name === key.hash);
  if (!hash) throw validation(`Query condition missed key schema element: ${key.hash}`);
  if (list.length === 2 && list[0]!.name === list[1]!.name) throw validation('KeyConditionExpressions must only contain one condition per key');
  const range = list.find((t) => t !== hash);
  if (hash.op !== '=' || (range && range.name !== key.range)) throw validation('Query key condition not supported');
  for (const t of list) {
    const expected = attributeType(rec, t.name);
    if (t.values.some((v) => typeOf(v) !== expected)) throw invalidParameter('Condition parameter type does not match schema type');
  }
  if (range?.op === 'begins_with' && attributeType(rec, range.name) === 'N') {
    throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  }
  const p = encodeKeyValue(hash.values[0]!);
  if (!range) return { prefix: p };
  const v = range.values.map((x) => p + encodeKeyValue(x));
  switch (range.op) {
    case '=':
      return { prefix: v[0]! };
    case '<':
      return { prefix: p, end: v[0]! };
    case '<=':
      return { prefix: p, ...endAt(prefixEnd(v[0]!)) };
    case '>':
      return { prefix: p, ...startAt(prefixEnd(v[0]!)) };
    case '>=':
      return { prefix: p, start: v[0]! };
    case 'between':
      return { prefix: p, start: v[0]!, ...endAt(prefixEnd(v[1]!)) };
    case 'begins_with':
      return { prefix: p + encodePrefix(range.values[0]!) };
  }
}

function endAt(end: string | undefined): RangeOptions {
  return end === undefined ? {} : { end };
}

/** A start past every key of the partition yields nothing: an empty prefix-free marker does that. */
function startAt(start: string | undefined): RangeOptions {
  return start === undefined ? { start: '\uffff\uffff' } : { start };
}

function keyAttributesIn(c: Condition | undefined, names: string[]): string | undefined {
  if (!c) return undefined;
  const found: string[] = [];
  const visitOperand = (o: Operand): void => {
    if (o.type === 'path') {
      const n = (o.elements[0] as { name: string }).name;
      if (names.includes(n)) found.push(n);
    } else if (o.type === 'call') o.args.forEach(visitOperand);
  };
  const visit = (x: Condition): void => {
    switch (x.type) {
      case 'and': case 'or': visit(x.left); visit(x.right); break;
      case 'not': visit(x.arg); break;
      case 'paren': visit(x.inner); break;
      case 'function': x.call.args.forEach(visitOperand); break;
      case 'compare': visitOperand(x.left); visitOperand(x.right); break;
      case 'between': [x.value, x.low, x.high].forEach(visitOperand); break;
      case 'in': [x.value, ...x.list].forEach(visitOperand); break;
    }
  };
  visit(c);
  return found[0];
}

export function resolveSelect(select: string | undefined, paths: PathNode[] | undefined, indexed: boolean): Select {
  const s = oneOf(select, 'select', SELECTS);
  if (s === 'SPECIFIC_ATTRIBUTES' && !paths) {
    throw validation('One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet');
  }
  if (s && s !== 'SPECIFIC_ATTRIBUTES' && paths) {
    throw validation(`One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get ${s}`);
  }
  return s ?? (paths ? 'SPECIFIC_ATTRIBUTES' : indexed ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
}

export function Query(input: QueryInput, ctx: RequestContext): QueryOutput {
  const name = tableName(input.TableName);
  const max = limit(input.Limit);
  const attrs = expressionAttributes(
    input,
    { KeyConditionExpression: input.KeyConditionExpression, FilterExpression: input.FilterExpression, ProjectionExpression: input.ProjectionExpression },
    { KeyConditions: input.KeyConditions, QueryFilter: input.QueryFilter, AttributesToGet: input.AttributesToGet },
  );
  const keyCondition = input.KeyConditionExpression !== undefined
    ? resolveCondition('KeyConditionExpression', input.KeyConditionExpression, attrs)
    : filterCondition(input.KeyConditions, 'AND');
  if (!keyCondition) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const filter = input.FilterExpression !== undefined
    ? resolveCondition('FilterExpression', input.FilterExpression, attrs)
    : filterCondition(input.QueryFilter, input.ConditionalOperator);
  const paths = projectionOf(input, attrs);
  attrs.checkAllUsed();
  const store = new Store(ctx);
  const rec = store.requireTable(name);
  const index = input.IndexName === undefined ? undefined : rec.indexes.find((i) => i.name === input.IndexName);
  if (input.IndexName !== undefined && !index) throw validation(`The table does not have the specified index: ${input.IndexName}`);
  if (index?.kind === 'GSI' && input.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
  const key = index ? index.key : rec.key;
  const range = keyRange(keyCondition, key, rec);
  const keyAttr = keyAttributesIn(filter, [key.hash, ...(key.range === undefined ? [] : [key.range])]);
  if (keyAttr !== undefined) {
    throw validation(input.FilterExpression !== undefined
      ? `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${keyAttr}`
      : `QueryFilter can only contain non-key attributes: Primary key attribute: ${keyAttr}`);
  }
  const reverse = input.ScanIndexForward === false;
  if (input.ExclusiveStartKey) {
    const at = startKey({ rec, index }, input.ExclusiveStartKey);
    if (reverse) range.end = range.end === undefined || at < range.end ? at : range.end;
    else range.after = at;
  }
  range.reverse = reverse;
  return readItems(store, {
    rec, index, range, filter, paths,
    select: resolveSelect(input.Select, paths, index !== undefined),
    limit: max,
    consistent: input.ConsistentRead === true,
    capacity: input.ReturnConsumedCapacity,
  });
}
