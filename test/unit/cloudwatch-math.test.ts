import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRule, RuleError } from '../../src/services/cloudwatch/composite.ts';
import { MathError, parseExpression, type MathEnv, type Series } from '../../src/services/cloudwatch/math.ts';

const series = (label: string, pts: Array<[number, number]>): Series => ({ label, period: 60, points: new Map(pts.map(([m, v]) => [m * 60_000, v])) });
const m1 = series('m1', [[0, 1], [1, 2], [3, 4]]);
const m2 = series('m2', [[0, 10], [1, 20], [2, 30]]);
const env: MathEnv = {
  series: (id) => ({ m1, m2 } as Record<string, Series>)[id],
  all: () => [m1, m2],
  grid: () => [0, 1, 2, 3].map((m) => m * 60_000),
};
const values = (expr: string) => {
  const v = parseExpression(expr).node(env);
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((s) => [...s.points.values()]);
  return [...[...v.points].sort((a, b) => a[0] - b[0]).map(([, x]) => x)];
};

test('arithmetic aligns series by timestamp and broadcasts scalars', () => {
  assert.deepEqual(values('m1 + m2'), [11, 22]);
  assert.deepEqual(values('m2 / m1 * 100'), [1000, 1000]);
  assert.deepEqual(values('-m1 + 1'), [0, -1, -3]);
  assert.deepEqual(values('(1 + 2) * 3'), 9);
  assert.deepEqual(parseExpression('m1 * m2 + m3').refs, ['m1', 'm2', 'm3']);
});

test('SUM/AVG/MIN/MAX over arrays and single series, ABS, METRICS()', () => {
  assert.deepEqual(values('SUM([m1, m2])'), [11, 22, 30, 4]);
  assert.deepEqual(values('MAX(METRICS())'), [10, 20, 30, 4]);
  assert.deepEqual(values('AVG(m1)'), 7 / 3);
  assert.deepEqual(values('MIN(m2)'), 10);
  assert.deepEqual(values('ABS(m1 - 3)'), [2, 1, 1]);
  assert.deepEqual(values('METRICS("m2")'), [[10, 20, 30]]);
});

test('FILL with a value, REPEAT and LINEAR', () => {
  assert.deepEqual(values('FILL(m1, 0)'), [1, 2, 0, 4]);
  assert.deepEqual(values('FILL(m1, REPEAT)'), [1, 2, 2, 4]);
  assert.deepEqual(values('FILL(m1, LINEAR)'), [1, 2, 3, 4]);
  assert.deepEqual(values('FILL(m2, 7)'), [10, 20, 30, 7]);
});

test('bad expressions throw MathError', () => {
  for (const e of ['m1 +', '(m1', 'FOO(m1)', 'M1', 'm1 $ 2', 'SUM(m1, m2)', 'FILL(m1)', '[1]']) {
    assert.throws(() => parseExpression(e).node(env), MathError, e);
  }
  assert.throws(() => parseExpression('zz * 2').node(env), MathError);
});

test('composite alarm rules', () => {
  const states: Record<string, string> = { a: 'ALARM', b: 'OK', c: 'INSUFFICIENT_DATA' };
  const ev = (r: string) => parseRule(r).evaluate((n) => states[n]);
  assert.equal(ev('ALARM(a)'), true);
  assert.equal(ev('ALARM("a") AND OK(b)'), true);
  assert.equal(ev('ALARM(a) AND NOT OK(b)'), false);
  assert.equal(ev('ALARM(b) OR INSUFFICIENT_DATA(c)'), true);
  assert.equal(ev('alarm(a) and (ok(c) or TRUE)'), true);
  assert.equal(ev('FALSE OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:a)'), true);
  assert.deepEqual(parseRule('ALARM(a) OR OK(a) AND OK("b")').refs, ['a', 'b']);
  for (const r of ['', 'ALARM(a', 'ALARM()', 'BOGUS(a)', 'ALARM(a) AND', 'ALARM(a) b']) assert.throws(() => parseRule(r), RuleError, r);
});
