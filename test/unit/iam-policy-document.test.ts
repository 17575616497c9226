import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { parsePolicy, policySize, type PolicyKind } from '../../src/services/iam/policy-document.ts';

function malformed(doc: unknown, kind: PolicyKind, message: string): void {
  assert.throws(() => parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind), (err: unknown) => {
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, 'MalformedPolicyDocumentException');
    assert.equal(err.message, message);
    return true;
  });
}

test('normalizes single values to lists', () => {
  const p = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true } } } }));
  assert.deepEqual(p.Statement[0], { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'], Condition: { Bool: { 'aws:SecureTransport': ['true'] } } });
});

test('managed policies need version 2012-10-17; inline and trust policies accept 2008-10-17', () => {
  const statement = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
  malformed({ Version: '2008-10-17', Statement: statement }, 'managed', 'Policy document must be version 2012-10-17 or greater.');
  assert.equal(parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: statement })).Version, '2008-10-17');
  malformed({ Version: '2013-10-17', Statement: statement }, 'identity', 'Syntax errors in policy.');
});

test('structure errors are syntax errors', () => {
  malformed('[]', 'identity', 'Syntax errors in policy.');
  malformed({ Version: '2012-10-17', Statement: [] }, 'identity', 'Syntax errors in policy.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Extra: 1 } }, 'identity', 'Syntax errors in policy.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', NotAction: 'sqs:*', Resource: '*' } }, 'identity', 'Syntax errors in policy.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: 'x' } } }, 'identity', 'Syntax errors in policy.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: {}, Resource: '*' } }, 'identity', 'Syntax errors in policy.');
});

test('actions and resources', () => {
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'a a:ListBucket', Resource: '*' } }, 'identity', 'Vendor a a is not valid');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws' } }, 'identity', 'Resource vendor must be fully qualified and cannot contain regexes.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'aws:s3:::example_bucket' } }, 'identity', 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3::example_bucket' } }, 'identity', 'The policy failed legacy parsing');
});

test('trust and resource policies: principals', () => {
  const trust = { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' } };
  assert.equal(parsePolicy(JSON.stringify(trust), 'trust').Statement.length, 1);
  malformed({ ...trust, Statement: { ...trust.Statement, Resource: '*' } }, 'trust', 'Has prohibited field Resource.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, 'trust', 'Missing required field Principal.');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Bogus: 'x' }, Action: 'sts:AssumeRole' } }, 'trust', 'Invalid principal in policy: {"Bogus":"x"}');
  malformed({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }, 'resource', 'Missing required field Principal.');
});

test('size ignores whitespace', () => {
  assert.equal(policySize('{ "a" :\n  1 }'), 7);
});
