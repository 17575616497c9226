import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addNumbers, compareNumbers, decimalSize, encodeDecimal, normalizeNumber, parseDecimal, subtractNumbers,
} from '../../src/services/dynamodb/decimal.ts';

function throwsMessage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error & { code?: string }) => e.code === 'ValidationException' && e.message === message);
}

test('normalisation strips leading zeros, trailing fraction zeros, exponents and -0', () => {
  assert.equal(normalizeNumber('0010.500'), '10.5');
  assert.equal(normalizeNumber('00042'), '42');
  assert.equal(normalizeNumber('3.1400'), '3.14');
  assert.equal(normalizeNumber('1.0'), '1');
  assert.equal(normalizeNumber('1.5E2'), '150');
  assert.equal(normalizeNumber('-0'), '0');
  assert.equal(normalizeNumber('+7'), '7');
  assert.equal(normalizeNumber('.5'), '0.5');
  assert.equal(normalizeNumber('5.'), '5');
  assert.equal(normalizeNumber('0042.1200'), '42.12');
  assert.equal(normalizeNumber('1E125'), '1' + '0'.repeat(125));
  assert.equal(normalizeNumber('0.00000000000000000000000000000000000001'), '0.' + '0'.repeat(37) + '1');
  assert.equal(normalizeNumber('-12.5e-3'), '-0.0125');
});

test('38 significant digits are accepted, 39 refused; zeros around them do not count', () => {
  assert.equal(normalizeNumber('12345678901234567890123456789012345678'), '12345678901234567890123456789012345678');
  assert.equal(normalizeNumber('0.000123456789012345678901234567890123456780000'), '0.00012345678901234567890123456789012345678');
  throwsMessage(() => normalizeNumber('123456789012345678901234567890123456789'), 'Attempting to store more than 38 significant digits in a Number');
});

test('magnitude range is 1E-130 .. 9.99..E+125', () => {
  normalizeNumber('9.9999999999999999999999999999999999999E+125');
  normalizeNumber('-9.9999999999999999999999999999999999999E+125');
  normalizeNumber('1E-130');
  throwsMessage(() => normalizeNumber('1E+126'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  throwsMessage(() => normalizeNumber('-1E+126'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  throwsMessage(() => normalizeNumber('1E-131'), 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
});

test('non-numbers are refused', () => {
  for (const bad of ['abc', '', '1e', '--1', '1.2.3', ' 1', '0x10', 'NaN', 'Infinity', '.']) {
    throwsMessage(() => normalizeNumber(bad), `The parameter cannot be converted to a numeric value: ${bad}`);
  }
});

test('comparison is exact, beyond float64', () => {
  assert.equal(compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345677'), 1);
  assert.equal(compareNumbers('0.1', '0.10'), 0);
  assert.equal(compareNumbers('-5', '3'), -1);
  assert.equal(compareNumbers('-5', '-30'), 1);
  assert.equal(compareNumbers('0', '-0.0001'), 1);
  assert.equal(compareNumbers('1E-130', '0'), 1);
});

test('addition and subtraction are exact', () => {
  assert.equal(addNumbers('0.1', '0.2'), '0.3');
  assert.equal(addNumbers('12345678901234567890123456789012345678', '1'), '12345678901234567890123456789012345679');
  assert.equal(subtractNumbers('1', '1'), '0');
  assert.equal(subtractNumbers('5', '7.25'), '-2.25');
  assert.equal(addNumbers('-1.5', '1.5'), '0');
  throwsMessage(() => addNumbers('9.9e125', '9.9e125'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
});

test('encoding preserves numeric order under string comparison', () => {
  const values = ['-1E125', '-1000', '-10.5', '-10', '-9.99', '-1', '-0.5', '-0.49', '-1E-130', '0',
    '1E-130', '0.49', '0.5', '1', '9.99', '10', '10.5', '1000', '1E125'];
  const encoded = values.map((v) => encodeDecimal(parseDecimal(v)!));
  const sorted = encoded.slice().sort();
  assert.deepEqual(sorted, encoded);
});

test('item-size cost of numbers matches AWS measurements', () => {
  const cases: [string, number][] = [
    ['0', 1], ['1', 2], ['12', 2], ['123', 3], ['1234', 3], ['12345678901234567890123456789012345678', 20],
    ['0042', 2], ['100', 2], ['1010', 3], ['0.0000001', 2], ['1E125', 2], ['1E-100', 2], ['1.5', 3],
    ['15', 2], ['1.2', 3], ['1.200', 3], ['1.234', 4], ['3.14159', 5], ['123456', 4], ['100.5', 4],
    ['0.15', 2], ['-42', 3], ['-0', 1],
  ];
  for (const [literal, bytes] of cases) assert.equal(decimalSize(parseDecimal(literal)!), bytes, literal);
});
