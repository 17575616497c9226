import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConditions, ipInCidr } from '../../src/services/iam/policy-conditions.ts';

const ctx = (entries: Record<string, string[]> = {}) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
const holds = (block: Record<string, Record<string, string[]>>, context: Record<string, string[]> = {}) => evaluateConditions(block, ctx(context)).matches;

test('string operators', () => {
  assert.equal(holds({ StringEquals: { 'aws:username': ['alice', 'bob'] } }, { 'aws:username': ['bob'] }), true);
  assert.equal(holds({ StringEquals: { 'aws:username': ['alice'] } }, { 'aws:username': ['Alice'] }), false);
  assert.equal(holds({ StringEqualsIgnoreCase: { 'aws:username': ['alice'] } }, { 'aws:username': ['ALICE'] }), true);
  assert.equal(holds({ StringNotEquals: { 'aws:username': ['alice'] } }, { 'aws:username': ['bob'] }), true);
  assert.equal(holds({ StringNotEquals: { 'aws:username': ['alice'] } }, { 'aws:username': ['alice'] }), false);
  assert.equal(holds({ StringLike: { 's3:prefix': ['home/*'] } }, { 's3:prefix': ['home/alice/x'] }), true);
  assert.equal(holds({ StringNotLike: { 's3:prefix': ['home/*'] } }, { 's3:prefix': ['tmp/x'] }), true);
});

test('context keys compare case-insensitively, values as policy variables', () => {
  assert.equal(holds({ StringEquals: { 'AWS:UserName': ['alice'] } }, { 'aws:username': ['alice'] }), true);
  assert.equal(holds({ StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }, { 's3:prefix': ['home/alice/a'], 'aws:username': ['alice'] }), true);
});

test('missing keys: false for positive operators, true for negated ones, IfExists and Null', () => {
  assert.equal(holds({ StringEquals: { 'aws:username': ['alice'] } }), false);
  assert.equal(holds({ StringNotEquals: { 'aws:username': ['alice'] } }), true);
  assert.equal(holds({ StringEqualsIfExists: { 'aws:username': ['alice'] } }), true);
  assert.equal(holds({ StringEqualsIfExists: { 'aws:username': ['alice'] } }, { 'aws:username': ['bob'] }), false);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': ['true'] } }), true);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': ['false'] } }), false);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': ['false'] } }, { 'aws:TokenIssueTime': ['2020-01-01T00:00:00Z'] }), true);
});

test('numeric, date and bool operators', () => {
  assert.equal(holds({ NumericLessThanEquals: { 's3:max-keys': ['10'] } }, { 's3:max-keys': ['10'] }), true);
  assert.equal(holds({ NumericGreaterThan: { 's3:max-keys': ['10'] } }, { 's3:max-keys': ['9'] }), false);
  assert.equal(holds({ NumericEquals: { 's3:max-keys': ['10'] } }, { 's3:max-keys': ['ten'] }), false);
  assert.equal(holds({ NumericNotEquals: { 's3:max-keys': ['10'] } }, { 's3:max-keys': ['11'] }), true);
  assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } }, { 'aws:CurrentTime': ['2029-12-31T23:59:59Z'] }), true);
  assert.equal(holds({ DateGreaterThanEquals: { 'aws:EpochTime': ['1700000000'] } }, { 'aws:EpochTime': ['1700000000'] }), true);
  assert.equal(holds({ Bool: { 'aws:SecureTransport': ['true'] } }, { 'aws:SecureTransport': ['True'] }), true);
  assert.equal(holds({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] } }, { 'aws:MultiFactorAuthPresent': ['false'] }), false);
});

test('IpAddress / NotIpAddress with IPv4 and IPv6 CIDRs', () => {
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, { 'aws:SourceIp': ['10.1.2.3'] }), true);
  assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, { 'aws:SourceIp': ['192.168.0.1'] }), true);
  assert.equal(ipInCidr('203.0.113.7', '203.0.113.0/25'), true);
  assert.equal(ipInCidr('203.0.113.200', '203.0.113.0/25'), false);
  assert.equal(ipInCidr('2001:db8::1', '2001:db8::/32'), true);
  assert.equal(ipInCidr('2001:db9::1', '2001:db8::/32'), false);
  assert.equal(ipInCidr('not-an-ip', '10.0.0.0/8'), false);
});

test('ArnLike / ArnEquals compare field by field', () => {
  const key = 'aws:SourceArn';
  assert.equal(holds({ ArnLike: { [key]: ['arn:aws:sns:*:123456789012:topic-*'] } }, { [key]: ['arn:aws:sns:us-east-1:123456789012:topic-a'] }), true);
  assert.equal(holds({ ArnEquals: { [key]: ['arn:aws:sns:us-east-1:123456789012:t'] } }, { [key]: ['arn:aws:sns:us-east-1:123456789012:t'] }), true);
  assert.equal(holds({ ArnNotLike: { [key]: ['arn:aws:sns:*:123456789012:*'] } }, { [key]: ['arn:aws:sns:us-east-1:999999999999:t'] }), true);
});

test('ForAnyValue / ForAllValues over multi-valued keys', () => {
  const key = 'aws:TagKeys';
  assert.equal(holds({ 'ForAnyValue:StringEquals': { [key]: ['env', 'team'] } }, { [key]: ['owner', 'team'] }), true);
  assert.equal(holds({ 'ForAnyValue:StringEquals': { [key]: ['env'] } }, { [key]: ['owner'] }), false);
  assert.equal(holds({ 'ForAllValues:StringEquals': { [key]: ['env', 'team'] } }, { [key]: ['env', 'team'] }), true);
  assert.equal(holds({ 'ForAllValues:StringEquals': { [key]: ['env', 'team'] } }, { [key]: ['env', 'owner'] }), false);
  assert.equal(holds({ 'ForAllValues:StringEquals': { [key]: ['env'] } }), true);
  assert.equal(holds({ 'ForAnyValue:StringEquals': { [key]: ['env'] } }), false);
});

test('every operator block and every key must hold', () => {
  const block = { StringEquals: { 'aws:username': ['alice'] }, Bool: { 'aws:SecureTransport': ['true'] } };
  assert.equal(holds(block, { 'aws:username': ['alice'], 'aws:SecureTransport': ['true'] }), true);
  assert.equal(holds(block, { 'aws:username': ['alice'], 'aws:SecureTransport': ['false'] }), false);
});
