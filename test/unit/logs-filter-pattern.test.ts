import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilterPattern, FilterPatternError } from '../../src/services/logs/filter-pattern.ts';

/** Examples from AWS's "Filter pattern syntax for metric filters, subscription filters, and filter log events". */

const matches = (pattern: string, message: string) => compileFilterPattern(pattern).match(message) !== undefined;

test('empty pattern matches everything', () => {
  assert.ok(matches('', 'anything'));
  assert.ok(matches('  ', ''));
});

test('terms: every term, case-sensitive, quoted phrases', () => {
  assert.ok(matches('ERROR', '[ERROR] Caught IllegalArgumentException'));
  assert.ok(!matches('ERROR', '[error] lower case'));
  assert.ok(matches('ERROR Exception', '[ERROR] Caught IllegalArgumentException'));
  assert.ok(!matches('ERROR Exception', '[ERROR] Unexpected'));
  assert.ok(matches('"Failed to process"', 'INFO Failed to process the request'));
  assert.ok(!matches('"Failed to process"', 'INFO Failed to  process'));
  assert.ok(matches('"ERROR"', 'an ERROR here'));
});

test('terms: exclusion and OR', () => {
  assert.ok(matches('ERROR -Exception', '[ERROR] Unexpected'));
  assert.ok(!matches('ERROR -Exception', '[ERROR] Caught IllegalArgumentException'));
  assert.ok(matches('?ERROR ?WARN', '[WARN] disk almost full'));
  assert.ok(matches('?ERROR ?WARN', '[ERROR] disk full'));
  assert.ok(!matches('?ERROR ?WARN', '[INFO] all good'));
  assert.ok(!matches('-"no match" ok', 'ok no match'));
});

test('regex terms between percent signs', () => {
  assert.ok(matches('%AUTHORIZED%', 'user UNAUTHORIZED'));
  assert.ok(matches('%ERR[0-9]+%', 'code ERR42'));
  assert.ok(!matches('%^ERR%', 'x ERR'));
});

const trail = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.123.123',
  arrayKey: ['value', 'another value'],
  objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
  SomeObject: null,
  cluster: { instances: [{ state: 'running' }] },
  bandwidth: 75,
  latency: 50,
  ThisFlag: true,
  code: '404',
  user: { id: 1, email: 'John.Stiles@example.com' },
});

test('JSON: string equality, wildcards, inequality', () => {
  assert.ok(matches('{ $.eventType = "UpdateTrail" }', trail));
  assert.ok(matches('{ $.eventType = UpdateTrail }', trail));
  assert.ok(!matches('{ $.eventType = "CreateTrail" }', trail));
  assert.ok(matches('{ $.sourceIPAddress = 123.123.* }', trail));
  assert.ok(matches('{ $.sourceIPAddress != 123.123.* }', JSON.stringify({ sourceIPAddress: '10.0.0.1' })));
  assert.ok(matches('{ $.user.email = "John.Stiles@example.com" }', trail));
  assert.ok(matches('{ $.user.email = "*@example.com" }', trail));
  assert.ok(matches('{ $.eventType != "CreateTrail" }', trail));
});

test('JSON: arrays and nested objects', () => {
  assert.ok(matches('{ $.arrayKey[0] = "value" }', trail));
  assert.ok(matches('{ $.objectList[1].id = 2 }', trail));
  assert.ok(matches('{ $.cluster.instances[0].state = "running" }', trail));
  assert.ok(!matches('{ $.arrayKey[5] = "value" }', trail));
});

test('JSON: numeric comparisons', () => {
  assert.ok(matches('{ $.bandwidth > 70 }', trail));
  assert.ok(matches('{ $.bandwidth >= 75 }', trail));
  assert.ok(!matches('{ $.bandwidth < 75 }', trail));
  assert.ok(matches('{ $.latency <= 50 }', trail));
  assert.ok(matches('{ $.bandwidth = 75 }', trail));
  assert.ok(matches('{ $.bandwidth != 70 }', trail));
  assert.ok(matches('{ $.code = 404 }', trail));
  assert.ok(matches('{ $.bandwidth > 7.5e1 - 1 }'.replace(' - 1', ''), JSON.stringify({ bandwidth: 76 })));
});

test('JSON: IS NULL / TRUE / FALSE, EXISTS, NOT EXISTS', () => {
  assert.ok(matches('{ $.SomeObject IS NULL }', trail));
  assert.ok(!matches('{ $.eventType IS NULL }', trail));
  assert.ok(matches('{ $.ThisFlag IS TRUE }', trail));
  assert.ok(!matches('{ $.ThisFlag IS FALSE }', trail));
  assert.ok(matches('{ $.SomeOtherObject NOT EXISTS }', trail));
  assert.ok(!matches('{ $.SomeObject NOT EXISTS }', trail));
  assert.ok(matches('{ $.SomeObject EXISTS }', trail));
});

test('JSON: && || and parentheses', () => {
  assert.ok(matches('{ ($.user.id = 1) && ($.eventType = "UpdateTrail") }', trail));
  assert.ok(matches('{ $.user.id = 2 || $.eventType = "UpdateTrail" }', trail));
  assert.ok(!matches('{ $.user.id = 2 && $.eventType = "UpdateTrail" }', trail));
  assert.ok(matches('{ ($.user.id = 2 && $.code = 404) || $.latency = 50 }', trail));
  assert.ok(matches('{ $.user.id = 1 && ($.code = 500 || $.latency < 60) }', trail));
});

test('JSON patterns never match non-JSON messages', () => {
  assert.ok(!matches('{ $.a = 1 }', 'a = 1'));
  assert.ok(!matches('{ $.a = 1 }', '[1]'));
});

const access = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534';

test('space-delimited: fields, quotes and brackets group words', () => {
  assert.ok(matches('[ip, user, username, timestamp, request, status_code, bytes]', access));
  assert.ok(!matches('[ip, user, username, timestamp, request, status_code]', access));
  assert.ok(matches('[ip, user, username, timestamp, request, status_code = 404, bytes]', access));
  assert.ok(!matches('[ip, user, username, timestamp, request, status_code = 200, bytes]', access));
  assert.ok(matches('[ip, user, username, timestamp, request = "*gif*", status_code, bytes]', access));
  assert.ok(matches('[ip, user, username = frank, ...]', access));
});

test('space-delimited: ellipsis, wildcards, numeric and boolean conditions', () => {
  assert.ok(matches('[..., status_code = 4*, bytes]', access));
  assert.ok(matches('[ip, ..., status_code != 2*, bytes > 1000]', access));
  assert.ok(!matches('[ip, ..., bytes < 1000]', access));
  assert.ok(matches('[ip, user, ..., status_code = 4* || status_code = 5*, bytes]', access));
  assert.ok(matches('[ip = 127.0.0.1 && ip != 10.*, user = "-", ...]', access));
  assert.ok(matches('[..., status_code >= 400 && status_code < 500, bytes]', access));
});

test('values for metric filters', () => {
  const json = compileFilterPattern('{ $.latency > 0 }').match(trail)!;
  assert.equal(json.value('$.latency'), 50);
  assert.equal(json.value('$.user.email'), 'John.Stiles@example.com');
  const space = compileFilterPattern('[ip, user, username, timestamp, request, status_code, bytes]').match(access)!;
  assert.equal(space.value('$bytes'), '1534');
  assert.equal(space.value('$request'), 'GET /apache_pb.gif HTTP/1.0');
});

test('invalid patterns throw', () => {
  for (const p of ['{ $.a = }', '{ $.a 1 }', '{ a = 1 }', '{ $.a = 1', '"unterminated', '{ $.a IS MAYBE }', '[a, b', '{ $.a > x }', '[a = ]', '%[%', '{ ($.a = 1 }', '{ $.a NOT 1 }']) {
    assert.throws(() => compileFilterPattern(p), FilterPatternError, p);
  }
});
