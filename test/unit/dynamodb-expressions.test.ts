import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toItem, type Item } from '../../src/services/dynamodb/attribute-value.ts';
import { ExpressionAttributes } from '../../src/services/dynamodb/expressions/attributes.ts';
import { matches } from '../../src/services/dynamodb/expressions/evaluate.ts';
import { compileProjection, project } from '../../src/services/dynamodb/expressions/projection.ts';
import { resolveCondition, resolveProjection, resolveUpdate } from '../../src/services/dynamodb/expressions/resolve.ts';
import { applyUpdate } from '../../src/services/dynamodb/expressions/update.ts';

type Raw = Record<string, unknown>;

function attrs(names?: Record<string, string>, values?: Raw): ExpressionAttributes {
  return new ExpressionAttributes(names, values);
}

function cond(expr: string, item: Raw, names?: Record<string, string>, values?: Raw): boolean {
  return matches(resolveCondition('ConditionExpression', expr, attrs(names, values)), toItem(item));
}

function update(expr: string, item: Raw, names?: Record<string, string>, values?: Raw): Item {
  return applyUpdate(toItem(item), resolveUpdate(expr, attrs(names, values)));
}

function fails(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.message, message);
    return e.code === 'ValidationException';
  });
}

// The ProductCatalog item of AWS's developer guide examples.
const product: Raw = {
  Id: { N: '123' },
  Title: { S: 'Bicycle 123' },
  Description: { S: '123 description' },
  BicycleType: { S: 'Hybrid' },
  Brand: { S: 'Brand-Company C' },
  Price: { N: '500' },
  Color: { L: [{ S: 'Red' }, { S: 'Black' }] },
  ProductCategory: { S: 'Bicycle' },
  InStock: { BOOL: true },
  QuantityOnHand: { NULL: true },
  RelatedItems: { L: [{ N: '341' }, { N: '472' }, { N: '649' }] },
  Pictures: { M: { FrontView: { S: 'http://example.com/products/123_front.jpg' }, SideView: { S: 'http://example.com/products/123_left_side.jpg' } } },
  ProductReviews: { M: { FiveStar: { L: [{ S: 'Excellent! Can\'t recommend it highly enough! Buy it!' }] }, OneStar: { L: [{ S: 'Terrible product! Do not buy this.' }] } } },
  Comment: { S: 'This product sells out quickly during the summer' },
  'Safety.Warning': { S: 'Always wear a helmet' },
};

test('comparisons, BETWEEN and IN from the developer guide', () => {
  assert.ok(cond('Price <= :p', product, undefined, { ':p': { N: '500' } }));
  assert.ok(!cond('Price < :p', product, undefined, { ':p': { N: '500' } }));
  assert.ok(cond('Price BETWEEN :lo AND :hi', product, undefined, { ':lo': { N: '500' }, ':hi': { N: '600' } }));
  assert.ok(cond('ProductCategory IN (:cat1, :cat2)', product, undefined, { ':cat1': { S: 'Sporting Goods' }, ':cat2': { S: 'Bicycle' } }));
  assert.ok(cond('Price = :p', product, undefined, { ':p': { N: '500.00' } }));
  assert.ok(cond('Price <> :p', product, undefined, { ':p': { S: '500' } }));
  assert.ok(!cond('Price > :p', product, undefined, { ':p': { S: '1' } }), 'different types never order');
  assert.ok(cond('Absent <> :p', product, undefined, { ':p': { S: '1' } }));
  assert.ok(!cond('Absent = :p', product, undefined, { ':p': { S: '1' } }));
});

test('functions from the developer guide', () => {
  assert.ok(cond('attribute_exists(Pictures.SideView)', product));
  assert.ok(cond('attribute_not_exists(Manufacturer)', product));
  assert.ok(cond('attribute_type(ProductReviews.FiveStar, :v_sub)', product, undefined, { ':v_sub': { S: 'L' } }));
  assert.ok(cond('begins_with(Pictures.FrontView, :v_sub)', product, undefined, { ':v_sub': { S: 'http://' } }));
  assert.ok(cond('contains(Color, :v_sub)', product, undefined, { ':v_sub': { S: 'Red' } }));
  assert.ok(cond('contains(Brand, :v_sub)', product, undefined, { ':v_sub': { S: 'Company' } }));
  assert.ok(cond('size(Brand) <= :v_sub', product, undefined, { ':v_sub': { N: '20' } }));
  assert.ok(cond('size(Color) = :two', product, undefined, { ':two': { N: '2' } }));
  assert.ok(cond('size(Pictures) = :two', product, undefined, { ':two': { N: '2' } }));
  assert.ok(cond('attribute_exists(#sw)', product, { '#sw': 'Safety.Warning' }));
  assert.ok(!cond('attribute_exists(Safety.Warning)', product), 'a dot is a path separator');
  assert.ok(cond('RelatedItems[1] = :v', product, undefined, { ':v': { N: '472' } }));
  assert.ok(cond('ProductReviews.#pr.#1star[0] = :v OR Price > :p', product, { '#pr': 'OneStar', '#1star': 'x' }, { ':v': { S: 'x' }, ':p': { N: '1' } }));
  assert.ok(cond('contains(SS, :v)', { SS: { SS: ['a', 'b'] } }, undefined, { ':v': { S: 'b' } }));
  assert.ok(cond('begins_with(b, :v)', { b: { B: Buffer.from([1, 2, 3]) } }, undefined, { ':v': { B: Buffer.from([1, 2]) } }));
});

test('precedence: NOT binds tighter than AND, AND tighter than OR', () => {
  const item = { a: { N: '1' } };
  const v = { ':one': { N: '1' }, ':two': { N: '2' } };
  assert.ok(cond('a = :one OR a = :two AND a = :two', item, undefined, v));
  assert.ok(!cond('(a = :one OR a = :two) AND a = :two', item, undefined, v));
  assert.ok(cond('NOT a = :two AND a = :one', item, undefined, v));
  assert.ok(!cond('NOT (a = :two OR a = :one)', item, undefined, v));
  assert.ok(cond('a = :one and not a = :two', item, undefined, v), 'keywords are case-insensitive');
});

test('syntax errors quote the token and its neighbours', () => {
  fails(() => resolveUpdate('INVALID SYNTAX HERE', attrs(undefined, { ':v': { S: 'v' } })),
    'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  fails(() => resolveUpdate('ADD hits : incr', attrs(undefined, { ':incr': { N: '1' } })),
    'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"');
  fails(() => resolveUpdate('SET a = :v, #, b = :v', attrs()),
    'Invalid UpdateExpression: Syntax error; token: "#", near: ", #,"');
  fails(() => resolveCondition('ConditionExpression', 'a = ', attrs()),
    'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
  fails(() => resolveCondition('FilterExpression', 'a == :v', attrs()),
    'Invalid FilterExpression: Syntax error; token: "=", near: "==:v"'.replace('==:v', '== :v'));
});

test('empty expressions and redundant parentheses', () => {
  fails(() => resolveUpdate('', attrs()), 'Invalid UpdateExpression: The expression can not be empty;');
  fails(() => resolveCondition('KeyConditionExpression', '  ', attrs()), 'Invalid KeyConditionExpression: The expression can not be empty;');
  fails(() => resolveCondition('ConditionExpression', '((attribute_not_exists(pk)))', attrs()),
    'Invalid ConditionExpression: The expression has redundant parentheses;');
  assert.ok(cond('(attribute_not_exists(pk)) AND (attribute_not_exists(#s))', {}, { '#s': 'status' }));
  assert.ok(cond('(attribute_not_exists(pk) AND (attribute_not_exists(#s)))', {}, { '#s': 'status' }));
});

test('reserved words, placeholders and unused entries', () => {
  fails(() => resolveUpdate('SET status = :v', attrs(undefined, { ':v': { S: 'x' } })),
    'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status');
  fails(() => resolveCondition('ConditionExpression', 'Comment = :v', attrs(undefined, { ':v': { S: 'x' } })),
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Comment');
  fails(() => resolveCondition('FilterExpression', '#missing = :fv', attrs(undefined, { ':fv': { S: 'x' } })),
    'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing');
  fails(() => resolveUpdate('SET attr1 = :v', attrs()),
    'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
  const a = attrs({ '#unused': 'someattr' }, { ':v': { S: 'val' } });
  resolveUpdate('SET attr1 = :v', a);
  fails(() => a.checkAllUsed(), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}');
  const b = attrs(undefined, { ':v': { S: 'val' }, ':unused': { S: 'extra' } });
  resolveUpdate('SET attr1 = :v', b);
  fails(() => b.checkAllUsed(), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
  fails(() => attrs({ name: 'x' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "name"');
  fails(() => attrs(undefined, { v: { S: 'x' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"');
  fails(() => attrs({}), 'ExpressionAttributeNames must not be empty');
  fails(() => attrs(undefined, {}), 'ExpressionAttributeValues must not be empty');
  fails(() => attrs(undefined, { ':v': { SS: [] } }),
    'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v');
});

test('function checks', () => {
  fails(() => resolveCondition('ConditionExpression', 'foo(a)', attrs()), 'Invalid ConditionExpression: Invalid function name; function: foo');
  fails(() => resolveCondition('ConditionExpression', 'attribute_exists(a, b)', attrs()),
    'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2');
  fails(() => resolveCondition('ConditionExpression', 'attribute_exists(:v)', attrs(undefined, { ':v': { S: 'a' } })),
    'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists');
  fails(() => resolveCondition('ConditionExpression', 'begins_with(a, :v)', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  fails(() => resolveCondition('ConditionExpression', 'contains(#a, #a)', attrs({ '#a': 'data' })),
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]');
  fails(() => resolveCondition('ConditionExpression', 'a BETWEEN :hi AND :lo', attrs(undefined, { ':hi': { N: '5' }, ':lo': { N: '1' } })),
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}');
  fails(() => resolveCondition('ConditionExpression', 'size(a)', attrs()),
    'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
  fails(() => resolveCondition('ConditionExpression', 'if_not_exists(a, :v) = :v', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists');
  fails(() => resolveUpdate('SET a = list_append(a, :m)', attrs(undefined, { ':m': { M: {} } })),
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M');
  fails(() => resolveUpdate('ADD a :s', attrs(undefined, { ':s': { S: 'x' } })),
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING');
});

test('overlapping and conflicting paths', () => {
  fails(() => resolveUpdate('SET a = :v, a.b = :v', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
  fails(() => resolveUpdate('SET f = :v REMOVE f', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [f], path two: [f]');
  fails(() => resolveUpdate('SET a.b = :v, a[0] = :v', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]');
  resolveUpdate('SET a.b = :v, a.c = :v, l[0] = :v, l[1] = :v', attrs(undefined, { ':v': { N: '1' } }));
  fails(() => resolveProjection('a, a.b', attrs()),
    'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
  fails(() => resolveUpdate('SET a = :v SET b = :v', attrs(undefined, { ':v': { N: '1' } })),
    'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
});

test('SET with arithmetic, if_not_exists and list_append', () => {
  const item = { id: { S: '1' }, Price: { N: '500' }, Color: { L: [{ S: 'Red' }] } };
  const v = { ':p': { N: '75.5' }, ':c': { L: [{ S: 'Blue' }] }, ':d': { N: '0' } };
  const out = update('SET Price = Price - :p, Color = list_append(:c, Color), Stock = if_not_exists(Stock, :d), Price2 = if_not_exists(Price, :d) + :p', item, undefined, v);
  assert.deepEqual(out.Price, { N: '424.5' });
  assert.deepEqual(out.Color, { L: [{ S: 'Blue' }, { S: 'Red' }] });
  assert.deepEqual(out.Stock, { N: '0' });
  assert.deepEqual(out.Price2, { N: '575.5' });
  assert.deepEqual(item.Price, { N: '500' }, 'the original is untouched');
  fails(() => update('SET Price = Absent + :p', item, undefined, { ':p': { N: '1' } }),
    'The provided expression refers to an attribute that does not exist in the item');
  fails(() => update('SET Color = Color + :p', item, undefined, { ':p': { N: '1' } }),
    'An operand in the update expression has an incorrect data type');
  fails(() => update('SET a.b = :p', item, undefined, { ':p': { N: '1' } }),
    'The document path provided in the update expression is invalid for update');
});

test('nested SET, list indexes, REMOVE with indexes', () => {
  const item = { l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] }, m: { M: { a: { M: {} } } } };
  const out = update('SET l[1] = :x, l[9] = :y, m.a.b = :x REMOVE l[0], l[2]', item, undefined, { ':x': { S: 'x' }, ':y': { S: 'y' } });
  assert.deepEqual(out.l, { L: [{ S: 'x' }, { N: '3' }, { S: 'y' }] });
  assert.deepEqual(out.m, { M: { a: { M: { b: { S: 'x' } } } } });
  const removed = update('REMOVE m.a, nothing, l[10]', item);
  assert.deepEqual(removed.m, { M: {} });
  assert.deepEqual(removed.l, item.l);
});

test('ADD and DELETE on numbers and sets', () => {
  const item = { n: { N: '1' }, s: { SS: ['a', 'b'] } };
  const out = update('ADD n :one, fresh :one, ns :ns DELETE s :ab', item, undefined,
    { ':one': { N: '1' }, ':ns': { NS: ['2'] }, ':ab': { SS: ['a'] } });
  assert.deepEqual(out.n, { N: '2' });
  assert.deepEqual(out.s, { SS: ['b'] });
  assert.deepEqual(out.fresh, { N: '1' });
  assert.deepEqual(out.ns, { NS: ['2'] });
  fails(() => update('ADD s :one', item, undefined, { ':one': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
  const emptied = update('DELETE s :ab', item, undefined, { ':ab': { SS: ['a', 'b'] } });
  assert.equal('s' in emptied, false, 'an emptied set is removed');
  fails(() => resolveUpdate('DELETE s :n', attrs(undefined, { ':n': { N: '1' } })),
    'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER');
});

test('ADD then DELETE yields set union and difference', () => {
  const out = update('ADD s :c', { s: { SS: ['a', 'b'] } }, undefined, { ':c': { SS: ['c', 'a'] } });
  assert.deepEqual(out.s, { SS: ['a', 'b', 'c'] });
});

test('projection builds the named sub-document', () => {
  const paths = resolveProjection('Title, Pictures.SideView, RelatedItems[2], RelatedItems[0], #c, Nope.x', attrs({ '#c': 'Color' }));
  const out = project(toItem(product), compileProjection(paths));
  assert.deepEqual(out, {
    Title: { S: 'Bicycle 123' },
    Pictures: { M: { SideView: { S: 'http://example.com/products/123_left_side.jpg' } } },
    RelatedItems: { L: [{ N: '341' }, { N: '649' }] },
    Color: { L: [{ S: 'Red' }, { S: 'Black' }] },
  });
});
