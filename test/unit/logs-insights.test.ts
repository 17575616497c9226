import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventRow, parseQuery, QuerySyntaxError, runQuery } from '../../src/services/logs/insights.ts';

const rows = [
  { ts: 1000, message: JSON.stringify({ level: 'ERROR', ms: 30, svc: { name: 'a' } }) },
  { ts: 2000, message: JSON.stringify({ level: 'INFO', ms: 10, svc: { name: 'b' } }) },
  { ts: 3000, message: JSON.stringify({ level: 'ERROR', ms: 50, svc: { name: 'b' } }) },
  { ts: 4000, message: 'plain text line' },
].map((r, i) => eventRow({ timestamp: r.ts, message: r.message, ingestionTime: r.ts, stream: 's', log: '1:g', ptr: `p${i}` }));

const run = (q: string, max = 100) => runQuery(parseQuery(q), rows, max).results.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));

test('default fields, newest first, @ptr on every row', () => {
  const out = run('limit 2');
  assert.deepEqual(out.map((r) => r['@message']), ['plain text line', rows[2]!.get('@message')]);
  assert.equal(out[0]!['@timestamp'], '1970-01-01 00:00:04.000');
  assert.equal(out[0]!['@ptr'], 'p3');
});

test('filters: comparisons, like, in, not, functions, arithmetic', () => {
  assert.deepEqual(run('filter level = "ERROR" and ms > 40 | fields ms').map((r) => r.ms), ['50']);
  assert.deepEqual(run('filter @message like /plain/ | fields @message').length, 1);
  assert.deepEqual(run('filter @message like "text" | fields @message').length, 1);
  assert.deepEqual(run('filter @message not like /plain/ | fields ms').length, 3);
  assert.deepEqual(run('filter svc.name in ["a"] | fields ms').map((r) => r.ms), ['30']);
  assert.deepEqual(run('filter not ispresent(level) | fields @message').length, 1);
  assert.deepEqual(run('filter ms * 2 >= 60 | fields ms | sort ms asc').map((r) => r.ms), ['30', '50']);
  assert.deepEqual(run('fields toupper(level) as L, ms / 10 as tenths | filter ispresent(L) | sort tenths').map((r) => [r.L, r.tenths]),
    [['ERROR', '5'], ['ERROR', '3'], ['INFO', '1']]);
});

test('stats with by, aliases, bin and sort on aggregates', () => {
  assert.deepEqual(run('stats count(*) as n, sum(ms) as total by level | sort n desc'), [
    { level: 'ERROR', n: '2', total: '80' }, { n: '1' }, { level: 'INFO', n: '1', total: '10' },
  ]);
  assert.deepEqual(run('filter ispresent(ms) | stats avg(ms), min(ms), max(ms), count_distinct(svc.name)'), [
    { 'avg(ms)': '30', 'min(ms)': '10', 'max(ms)': '50', 'count_distinct(svc.name)': '2' },
  ]);
  assert.deepEqual(run('stats count(*) as c by bin(2s) | sort c desc | limit 1'), [{ 'bin(2s)': '1970-01-01 00:00:02.000', c: '2' }]);
});

test('syntax errors carry a position', () => {
  for (const q of ['fields', 'filter', 'sort', 'limit x', 'stats foo(x)', 'stats avg()', 'filter a = "x', 'nonsense', 'fields a | | fields b', 'filter a like 3']) {
    assert.throws(() => parseQuery(q), QuerySyntaxError, q);
  }
  try {
    parseQuery('fields a | explode');
  } catch (e) {
    assert.equal((e as QuerySyntaxError).position, 11);
  }
});
