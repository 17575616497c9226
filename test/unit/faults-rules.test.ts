import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDelay, sampleDelay } from '../../src/faults/delay.ts';
import { FaultRuleError } from '../../src/faults/rule-error.ts';
import { parseRule, parseRules } from '../../src/faults/rules.ts';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FaultRuleError) return err.field;
    throw err;
  }
  assert.fail('expected a FaultRuleError');
}

test('a full rule parses; single values become lists, methods upper-case', () => {
  const r = parseRule('r1', {
    match: { service: 'dynamodb', operation: ['PutItem', 'GetItem'], method: 'post', resource: 'orders*' },
    error: 'throttle', delay: 'PT0.1S', probability: 0.25, times: 3, after: 1,
    from: '2030-01-01T00:00:00Z', until: '2030-01-02T00:00:00Z',
  });
  assert.deepEqual(r.match, { service: ['dynamodb'], operation: ['PutItem', 'GetItem'], method: ['POST'], resource: ['orders*'] });
  assert.equal(r.error, 'throttle');
  assert.deepEqual(r.delay, { points: [[0, 100]] });
  assert.equal(r.times, 3);
  assert.equal(r.after, 1);
  assert.equal(r.from, Date.parse('2030-01-01T00:00:00Z'));
  assert.equal(r.source.id, 'r1');
});

test('a rate limit alone throttles; its burst defaults to the rate', () => {
  const r = parseRule('rl', { rateLimit: { rate: 5 } });
  assert.equal(r.error, 'throttle');
  assert.deepEqual(r.rateLimit, { rate: 5, burst: 5 });
});

test('invalid rules name the field', () => {
  const cases: Array<[unknown, string]> = [
    ['nope', 'rule'],
    [{}, 'rule'],
    [{ error: 'throttle', match: { service: 'not-a-service' } }, 'match.service'],
    [{ error: 'throttle', match: { service: 'sqs', operation: 'PutItem' } }, 'match.operation'],
    [{ error: 'throttle', match: { service: 'sqs', operation: 'toString' } }, 'match.operation'],
    [{ error: 'throttle', match: { operation: 'PutItem' } }, 'match.operation'],
    [{ error: 'throttle', match: { region: [] } }, 'match.region'],
    [{ error: 'throttle', match: { color: 'red' } }, 'match.color'],
    [{ error: 'throttle', times: -1 }, 'times'],
    [{ error: 'throttle', after: 'x' }, 'after'],
    [{ error: 'throttle', probability: 2 }, 'probability'],
    [{ error: { code: '' } }, 'error.code'],
    [{ error: { code: 'X', status: 302 } }, 'error.status'],
    [{ truncate: { fraction: 3 } }, 'truncate.fraction'],
    [{ truncate: { fraction: 1 } }, 'truncate.fraction'],
    [{ delay: 'soon' }, 'delay'],
    [{ delay: { p50: 10, q: 1 } }, 'delay.q'],
    [{ delay: 11 * 60_000 }, 'delay'],
    [{ reset: true, truncate: true }, 'truncate'],
    [{ error: 'throttle', from: '2030-01-02T00:00:00Z', until: '2030-01-01T00:00:00Z' }, 'until'],
    [{ error: 'throttle', id: 'other' }, 'id'],
  ];
  for (const [raw, field] of cases) assert.equal(fieldOf(() => parseRule('r', raw)), field, JSON.stringify(raw));
  assert.equal(fieldOf(() => parseRule('bad id!', { error: 'throttle' })), 'id');
});

test('rule documents: a list or {rules}, ids required and unique, errors prefixed with the index', () => {
  assert.equal(parseRules([{ id: 'a', error: 'internal' }]).length, 1);
  assert.equal(parseRules({ rules: [{ id: 'a', error: 'internal' }, { id: 'b', reset: true }] }).length, 2);
  assert.equal(fieldOf(() => parseRules({ faults: [] })), 'rules');
  assert.equal(fieldOf(() => parseRules([{ id: 'a', error: 'internal' }, { id: 'a', error: 'internal' }])), 'rules[1].id');
  assert.equal(fieldOf(() => parseRules([{ id: 'a', error: 'internal', times: -3 }])), 'rules[0].times');
});

test('delay distributions: fixed, percentiles, min and max', () => {
  assert.equal(sampleDelay(parseDelay(250), 0.7), 250);
  const d = parseDelay({ min: 0, p50: 100, p90: 500, max: 1000 });
  assert.equal(sampleDelay(d, 0), 0);
  assert.equal(sampleDelay(d, 0.25), 50);
  assert.equal(sampleDelay(d, 0.5), 100);
  assert.equal(sampleDelay(d, 0.7), 300);
  assert.equal(sampleDelay(d, 0.95), 750);
  const open = parseDelay({ p50: 100, p99: 1000 });
  assert.equal(sampleDelay(open, 0.1), 100, 'below the lowest percentile: its value');
  assert.equal(sampleDelay(open, 0.999), 1000, 'above the highest: its value');
});
