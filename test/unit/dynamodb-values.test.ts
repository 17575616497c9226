import assert from 'node:assert/strict';
import { test } from 'node:test';
import { itemSize, toAttributeValue, toItem, valuesEqual } from '../../src/services/dynamodb/attribute-value.ts';
import { encodeKeyValue, encodePrefix } from '../../src/services/dynamodb/key-encoding.ts';

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.message, message);
    return e.code === 'ValidationException';
  });
}

test('values are validated with AWS messages', () => {
  throwsMessage(() => toAttributeValue({}), 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  throwsMessage(() => toAttributeValue(null), 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  throwsMessage(() => toAttributeValue({ S: 'a', N: '1' }), 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  throwsMessage(() => toAttributeValue({ SS: [] }), 'One or more parameter values were invalid: An string set  may not be empty');
  throwsMessage(() => toAttributeValue({ NS: [] }), 'One or more parameter values were invalid: An number set  may not be empty');
  throwsMessage(() => toAttributeValue({ BS: [] }), 'One or more parameter values were invalid: Binary sets should not be empty');
  throwsMessage(() => toAttributeValue({ SS: ['a', 'a'] }), 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
  throwsMessage(() => toAttributeValue({ NS: ['1', '1.0'] }), 'One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.');
  throwsMessage(() => toAttributeValue({ M: { a: { L: [{ SS: [] }] } } }), 'One or more parameter values were invalid: An string set  may not be empty');
  throwsMessage(() => toAttributeValue({ N: '1e200' }), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
});

test('values are stored canonical; NULL false becomes NULL true; empty strings allowed', () => {
  assert.deepEqual(toAttributeValue({ N: '0010.500' }), { N: '10.5' });
  assert.deepEqual(toAttributeValue({ NS: ['1.0', '02'] }), { NS: ['1', '2'] });
  assert.deepEqual(toAttributeValue({ NULL: false }), { NULL: true });
  assert.deepEqual(toAttributeValue({ S: '' }), { S: '' });
  assert.deepEqual(toAttributeValue({ SS: [''] }), { SS: [''] });
  assert.deepEqual(toItem({ a: { M: { b: { N: '1.50' } } } }), { a: { M: { b: { N: '1.5' } } } });
});

test('equality ignores set order and compares numbers by value', () => {
  assert.ok(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }));
  assert.ok(!valuesEqual({ SS: ['a'] }, { SS: ['a', 'b'] }));
  assert.ok(valuesEqual(toAttributeValue({ N: '1.0' }), toAttributeValue({ N: '1' })));
  assert.ok(!valuesEqual({ S: '1' }, { N: '1' }));
  assert.ok(valuesEqual({ M: { a: { L: [{ B: Buffer.from('x') }] } } }, { M: { a: { L: [{ B: Buffer.from('x') }] } } }));
  assert.ok(!valuesEqual({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }));
});

test('item size follows AWS rules: names, UTF-8 strings, numbers, containers', () => {
  assert.equal(itemSize({ pk: { S: 'abc' } }), 5);
  assert.equal(itemSize({ é: { S: 'é' } }), 4);
  assert.equal(itemSize({ n: { N: '3.14159' } }), 6);
  assert.equal(itemSize({ b: { B: Buffer.alloc(10) } }), 11);
  assert.equal(itemSize({ t: { BOOL: true }, u: { NULL: true } }), 4);
  assert.equal(itemSize({ l: { L: [] } }), 4);
  assert.equal(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } }), 1 + 3 + (1 + 2) + (1 + 2));
  assert.equal(itemSize({ m: { M: { k: { S: 'v' } } } }), 1 + 3 + 1 + 1 + 1);
  assert.equal(itemSize({ s: { SS: ['a', 'bc'] } }), 4);
});

test('key encodings order like AWS: S by UTF-8 bytes, B unsigned, N numerically, prefix-free', () => {
  const strings = ['', 'a', 'a\u0000', 'a\u0000b', 'ab', 'b', 'z', '\u00e9', '\uffff', '\u{1F600}'];
  const enc = strings.map((S) => encodeKeyValue({ S }));
  assert.deepEqual(enc.slice().sort(), enc);
  const bytes = [[0], [0, 0], [0, 1], [1], [127], [128], [255], [255, 0]].map((b) => Buffer.from(b));
  const encB = bytes.map((B) => encodeKeyValue({ B }));
  assert.deepEqual(encB.slice().sort(), encB);
  const nums = ['-10', '-2', '0', '0.5', '3', '30'];
  const encN = nums.map((N) => encodeKeyValue({ N }));
  assert.deepEqual(encN.slice().sort(), encN);
  assert.ok(encodeKeyValue({ S: 'ab' }).startsWith(encodePrefix({ S: 'a' })));
  assert.ok(!encodeKeyValue({ S: 'ab' }).startsWith(encodeKeyValue({ S: 'a' })));
});
