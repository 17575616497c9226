import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, evaluateWithBoundary, type SourcePolicy } from '../../src/services/iam/policy-eval.ts';
import { parsePolicy } from '../../src/services/iam/policy-document.ts';

const policy = (id: string, statement: object | object[]): SourcePolicy => ({
  id, type: 'none', document: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statement })),
});
const ctx = (entries: Record<string, string[]> = {}) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
const req = (action: string, resource = '*', context = ctx()) => ({ action, resource, context });

test('implicit deny without a matching statement', () => {
  assert.equal(evaluate([], req('s3:GetObject')).decision, 'implicitDeny');
  assert.equal(evaluate([policy('p', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' })], req('s3:GetObject')).decision, 'implicitDeny');
});

test('explicit deny beats allow, wherever it comes from', () => {
  const allow = policy('allow', { Effect: 'Allow', Action: '*', Resource: '*' });
  const deny = policy('deny', { Effect: 'Deny', Action: 's3:Delete*', Resource: 'arn:aws:s3:::prod/*' });
  const e = evaluate([allow, deny], req('s3:DeleteObject', 'arn:aws:s3:::prod/x'));
  assert.equal(e.decision, 'explicitDeny');
  assert.deepEqual(e.matched.map((m) => m.policy.id), ['deny']);
  assert.equal(evaluate([allow, deny], req('s3:DeleteObject', 'arn:aws:s3:::dev/x')).decision, 'allowed');
});

test('actions match case-insensitively with * and ?', () => {
  const p = [policy('p', { Effect: 'Allow', Action: ['S3:get*', 'sqs:SendMessag?'], Resource: '*' })];
  assert.equal(evaluate(p, req('s3:GetObject')).decision, 'allowed');
  assert.equal(evaluate(p, req('sqs:sendmessage')).decision, 'allowed');
  assert.equal(evaluate(p, req('sqs:SendMessageBatch')).decision, 'implicitDeny');
});

test('resources match case-sensitively, wildcards within ARN fields', () => {
  const p = [policy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/home/*' })];
  assert.equal(evaluate(p, req('s3:GetObject', 'arn:aws:s3:::bucket/home/a/b.txt')).decision, 'allowed');
  assert.equal(evaluate(p, req('s3:GetObject', 'arn:aws:s3:::Bucket/home/a')).decision, 'implicitDeny');
  const q = [policy('q', { Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:*:123456789012:queue-?' })];
  assert.equal(evaluate(q, req('sqs:SendMessage', 'arn:aws:sqs:eu-west-1:123456789012:queue-1')).decision, 'allowed');
  assert.equal(evaluate(q, req('sqs:SendMessage', 'arn:aws:sqs:eu-west-1:123456789012:queue-12')).decision, 'implicitDeny');
});

test('NotAction and NotResource', () => {
  const p = [policy('p', { Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' })];
  assert.equal(evaluate(p, req('s3:GetObject', 'arn:aws:s3:::public/a')).decision, 'allowed');
  assert.equal(evaluate(p, req('iam:CreateUser', 'arn:aws:s3:::public/a')).decision, 'implicitDeny');
  assert.equal(evaluate(p, req('s3:GetObject', 'arn:aws:s3:::secret/a')).decision, 'implicitDeny');
});

test('policy variables in resources resolve from the context', () => {
  const p = [policy('p', { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' })];
  assert.equal(evaluate(p, req('s3:PutObject', 'arn:aws:s3:::home/alice/x', ctx({ 'aws:username': ['alice'] }))).decision, 'allowed');
  assert.equal(evaluate(p, req('s3:PutObject', 'arn:aws:s3:::home/bob/x', ctx({ 'aws:username': ['alice'] }))).decision, 'implicitDeny');
  assert.equal(evaluate(p, req('s3:PutObject', 'arn:aws:s3:::home/alice/x')).decision, 'implicitDeny');
});

test('missing condition keys are reported', () => {
  const p = [policy('p', { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'core' } } })];
  const e = evaluate(p, req('s3:GetObject'));
  assert.equal(e.decision, 'implicitDeny');
  assert.deepEqual(e.missingContextValues, ['aws:PrincipalTag/team']);
});

test('permissions boundaries cap identity policies', () => {
  const identity = [policy('id', { Effect: 'Allow', Action: '*', Resource: '*' })];
  const boundary = [policy('b', { Effect: 'Allow', Action: 's3:*', Resource: '*' })];
  const inBoundary = evaluateWithBoundary(identity, boundary, [], req('s3:GetObject'));
  assert.equal(inBoundary.decision, 'allowed');
  assert.equal(inBoundary.allowedByBoundary, true);
  const outside = evaluateWithBoundary(identity, boundary, [], req('sqs:SendMessage'));
  assert.equal(outside.decision, 'implicitDeny');
  assert.equal(outside.allowedByBoundary, false);
});

test('resource policies grant to the principals they name', () => {
  const resource: SourcePolicy = {
    id: 'ResourcePolicy', type: 'resource',
    document: parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/alice' }, Action: 's3:GetObject', Resource: '*' } }), 'resource'),
  };
  assert.equal(evaluate([resource], { ...req('s3:GetObject'), callerArn: 'arn:aws:iam::123456789012:user/alice' }).decision, 'allowed');
  assert.equal(evaluate([resource], { ...req('s3:GetObject'), callerArn: 'arn:aws:iam::123456789012:user/bob' }).decision, 'implicitDeny');
});
