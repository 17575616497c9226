import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passesFilter, type Published } from '../../src/services/sns/deliver.ts';
import type { SubscriptionRecord } from '../../src/services/sns/store.ts';
import { compileFilterPolicy } from '../../src/services/sns/subscription-attributes.ts';

const sub = (policy: unknown, scope?: string): SubscriptionRecord => ({
  arn: 'a', topicArn: 't', account: '000000000000', region: 'us-east-1', protocol: 'sqs', endpoint: 'e',
  attrs: { FilterPolicy: JSON.stringify(policy), ...(scope ? { FilterPolicyScope: scope } : {}) },
});

const msg = (attributes: Record<string, [string, string]>, message = 'm'): Published => ({
  messageId: 'id', message, timestamp: 0,
  attributes: Object.fromEntries(Object.entries(attributes).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
});

test('attribute types: Number compares numerically, String.Array matches any element', () => {
  assert.equal(passesFilter(sub({ price: [{ numeric: ['>=', 100, '<', 200] }] }), msg({ price: ['Number', '150.0'] })), true);
  assert.equal(passesFilter(sub({ price: [{ numeric: ['>=', 100] }] }), msg({ price: ['String', '150'] })), false);
  assert.equal(passesFilter(sub({ price: [150] }), msg({ price: ['Number', '1.5e2'] })), true);
  assert.equal(passesFilter(sub({ tags: ['b'] }), msg({ tags: ['String.Array', '["a","b"]'] })), true);
  assert.equal(passesFilter(sub({ tags: ['c'] }), msg({ tags: ['String.Array', '["a","b"]'] })), false);
});

test('exists, anything-but and $or over attributes', () => {
  assert.equal(passesFilter(sub({ store: [{ exists: false }] }), msg({ other: ['String', 'x'] })), true);
  assert.equal(passesFilter(sub({ store: [{ exists: true }] }), msg({})), false);
  assert.equal(passesFilter(sub({ event: [{ 'anything-but': ['order_cancelled'] }] }), msg({ event: ['String', 'order_placed'] })), true);
  const or = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: [{ prefix: 'AWS/' }] }] };
  assert.equal(passesFilter(sub(or), msg({ source: ['String', 'aws.cloudwatch'], namespace: ['String', 'AWS/EC2'] })), true);
  assert.equal(passesFilter(sub(or), msg({ source: ['String', 'aws.cloudwatch'], namespace: ['String', 'Custom'] })), false);
});

test('MessageBody scope matches nested JSON and never non-JSON bodies', () => {
  const policy = { order: { status: ['paid'], total: [{ numeric: ['>', 10] }] } };
  assert.equal(passesFilter(sub(policy, 'MessageBody'), msg({}, JSON.stringify({ order: { status: 'paid', total: 11 } }))), true);
  assert.equal(passesFilter(sub(policy, 'MessageBody'), msg({}, JSON.stringify({ order: { status: 'paid', total: 5 } }))), false);
  assert.equal(passesFilter(sub(policy, 'MessageBody'), msg({}, 'plain text')), false);
});

test('policy limits: at most 5 keys and 150 combinations', () => {
  assert.throws(() => compileFilterPolicy(JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] })), /more than 5 keys/);
  const values = Array.from({ length: 13 }, (_, i) => String(i));
  assert.throws(() => compileFilterPolicy(JSON.stringify({ a: values, b: values })), /too complex/);
  assert.throws(() => compileFilterPolicy('{"a":'), { name: 'InvalidParameterException' });
  assert.doesNotThrow(() => compileFilterPolicy(JSON.stringify({ a: values, b: ['x'] })));
});
