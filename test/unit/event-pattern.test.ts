import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, matchPattern, PatternError } from '../../src/events/pattern.ts';

const match = (pattern: unknown, event: unknown) => matchPattern(compilePattern(pattern), event);

const ec2 = {
  version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2',
  account: '111122223333', time: '2017-12-22T18:43:48Z', region: 'us-west-1', resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.123', location: 'eu-west-1', tags: [{ k: 'a' }, { k: 'b' }] },
};

test('exact values, arrays in the event and nesting', () => {
  assert.equal(match({ source: ['aws.ec2'] }, ec2), true);
  assert.equal(match({ source: ['aws.s3'] }, ec2), false);
  assert.equal(match({ detail: { state: ['pending', 'terminated'] } }, ec2), true);
  assert.equal(match({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, ec2), true);
  assert.equal(match({ detail: { tags: { k: ['b'] } } }, ec2), true);
  assert.equal(match({ detail: { missing: ['x'] } }, ec2), false);
  assert.equal(match({ detail: { 'c-count': [5] } }, ec2), true);
  assert.equal(match({ detail: { 'c-count': ['5'] } }, ec2), false, 'strings and numbers differ');
  assert.equal(match({ a: [null] }, { a: null }), true);
  assert.equal(match({ a: [null] }, {}), false);
  assert.equal(match({ a: [true] }, { a: true }), true);
});

test('prefix, suffix, equals-ignore-case, wildcard', () => {
  assert.equal(match({ detail: { state: [{ prefix: 'term' }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ suffix: 'ated' }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ suffix: { 'equals-ignore-case': 'ATED' } }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, ec2), true);
  assert.equal(match({ source: [{ wildcard: 'aws.*' }] }, ec2), true);
  assert.equal(match({ resources: [{ wildcard: 'arn:aws:ec2:*:*:instance/*' }] }, ec2), true);
  assert.equal(match({ source: [{ wildcard: 'aws.s*' }] }, ec2), false);
  assert.throws(() => compilePattern({ a: [{ wildcard: 'a**b' }] }), PatternError);
});

test('anything-but: value, list, prefix, suffix, equals-ignore-case, wildcard', () => {
  assert.equal(match({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, ec2), false);
  assert.equal(match({ detail: { 'c-count': [{ 'anything-but': [1, 2, 3] }] } }, ec2), true);
  assert.equal(match({ detail: { 'c-count': [{ 'anything-but': 5 }] } }, ec2), false);
  assert.equal(match({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, ec2), false);
  assert.equal(match({ detail: { state: [{ 'anything-but': { suffix: 'ated' } }] } }, ec2), false);
  assert.equal(match({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['STOPPED', 'TERMINATED'] } }] } }, ec2), false);
  assert.equal(match({ detail: { state: [{ 'anything-but': { wildcard: 'term*' } }] } }, ec2), false);
  assert.equal(match({ detail: { nope: [{ 'anything-but': 'x' }] } }, ec2), false, 'absent fields do not match anything-but');
});

test('numeric ranges and multi-conditions', () => {
  assert.equal(match({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2), true);
  assert.equal(match({ detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ec2), true);
  assert.equal(match({ detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2), true);
  assert.equal(match({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2), false);
  assert.equal(match({ detail: { state: [{ numeric: ['>', 0] }] } }, ec2), false, 'strings never match numeric');
  assert.throws(() => compilePattern({ a: [{ numeric: ['>', 'x'] }] }), /Value of > must be numeric/);
  assert.throws(() => compilePattern({ a: [{ numeric: ['>', 1, '>', 2] }] }), PatternError);
  assert.throws(() => compilePattern({ a: [{ numeric: ['~', 1] }] }), /Unrecognized numeric range operator/);
});

test('exists', () => {
  assert.equal(match({ detail: { state: [{ exists: true }] } }, ec2), true);
  assert.equal(match({ detail: { nope: [{ exists: false }] } }, ec2), true);
  assert.equal(match({ detail: { state: [{ exists: false }] } }, ec2), false);
  assert.equal(match({ detail: { nope: [{ exists: true }] } }, ec2), false);
  assert.equal(match({ detail: [{ exists: true }] }, ec2), false, 'exists applies to leaf values only');
  assert.throws(() => compilePattern({ a: [{ exists: 'yes' }] }), /exists match pattern must be either true or false/);
});

test('cidr on IPv4 and IPv6', () => {
  assert.equal(match({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2), true);
  assert.equal(match({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2), false);
  assert.equal(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1::5' }), true);
  assert.equal(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::5' }), false);
  assert.throws(() => compilePattern({ ip: [{ cidr: '10.0.0.0/33' }] }), PatternError);
});

test('$or combines alternatives', () => {
  const p = { source: ['aws.ec2'], $or: [{ detail: { 'c-count': [{ numeric: ['>', 10] }] } }, { detail: { 'd-count': [{ numeric: ['<', 5] }] } }] };
  assert.equal(match(p, ec2), true);
  assert.equal(match({ $or: [{ source: ['x'] }, { detail: { location: [{ prefix: 'us-' }] } }] }, ec2), false);
  assert.throws(() => compilePattern({ $or: [{ a: ['x'] }] }), PatternError);
});

test('invalid patterns', () => {
  assert.throws(() => compilePattern('x'), /Filter is not an object/);
  assert.throws(() => compilePattern({ a: 'x' }), /"a" must be an object or an array/);
  assert.throws(() => compilePattern({ detail: {} }), /Empty objects are not allowed/);
  assert.throws(() => compilePattern({ a: [['x']] }), /Match value must be String, number, true, false, or null/);
  assert.throws(() => compilePattern({ a: [{ bogus: 1 }] }), /Unrecognized match type bogus/);
  assert.throws(() => compilePattern({ a: [{ prefix: 1 }] }), /prefix match pattern must be a string/);
  assert.throws(() => compilePattern({ a: [] }), PatternError);
  assert.throws(() => compilePattern({ a: [{ prefix: 'a', suffix: 'b' }] }), PatternError);
});
