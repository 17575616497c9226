import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AddPermissionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionConcurrencyCommand, GetFunctionCommand,
  GetFunctionConcurrencyCommand, GetFunctionEventInvokeConfigCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, InvokeCommand,
  ListTagsCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand, RemovePermissionCommand, TagResourceCommand,
  UntagResourceCommand, UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { createNodeFunction, startLambda, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
before(async () => {
  env = await startLambda();
});
after(() => env.kumo.stop());

const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

test('AddPermission, GetPolicy and RemovePermission', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => 1;');
  await assert.rejects(env.lambda.send(new GetPolicyCommand({ FunctionName: name })), (e: any) => e.name === 'ResourceNotFoundException');
  const added = await env.lambda.send(new AddPermissionCommand({
    FunctionName: name, StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com',
    SourceArn: 'arn:aws:s3:::my-bucket', SourceAccount: '000000000000',
  }));
  assert.deepEqual(JSON.parse(added.Statement!), {
    Sid: 's3-invoke', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: arnOf(name),
    Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' } },
  });
  await assert.rejects(env.lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: '*' })), (e: any) =>
    e.name === 'ResourceConflictException');
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!);
  assert.equal(policy.Version, '2012-10-17');
  assert.deepEqual(policy.Statement.map((s: any) => s.Sid), ['s3-invoke']);
  await env.lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 's3-invoke' }));
  await assert.rejects(env.lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 's3-invoke' })), (e: any) => e.name === 'ResourceNotFoundException');
});

test('tags on functions', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => 1;', { Tags: { a: '1' } });
  await env.lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: { b: '2' } }));
  assert.deepEqual((await env.lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, { a: '1', b: '2' });
  await env.lambda.send(new UntagResourceCommand({ Resource: arnOf(name), TagKeys: ['a'] }));
  assert.deepEqual((await env.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags, { b: '2' });
  await assert.rejects(env.lambda.send(new ListTagsCommand({ Resource: arnOf('nope') })), (e: any) => e.name === 'ResourceNotFoundException');
});

test('reserved concurrency is enforced with TooManyRequestsException', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 400)); return 1; };');
  const put = await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
  assert.equal(put.ReservedConcurrentExecutions, 1);
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Concurrency?.ReservedConcurrentExecutions, 1);
  const results = await Promise.allSettled([1, 2].map(() => env.lambda.send(new InvokeCommand({ FunctionName: name }))));
  const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0]!.reason.name, 'TooManyRequestsException');
  assert.equal(rejected[0]!.reason.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }));
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: name })), (e: any) => e.name === 'TooManyRequestsException' && e.$metadata.httpStatusCode === 429);
  await env.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
  assert.equal((await env.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, undefined);
  await assert.rejects(env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 950 })), (e: any) => e.name === 'InvalidParameterValueException');
});

test('function URL configs are stored with a URL on the endpoint the client used', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => 1;');
  const url = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  const port = new URL(env.kumo.endpoint).port;
  assert.match(url.FunctionUrl!, new RegExp(`^http://[0-9a-f]{32}\\.lambda-url\\.us-east-1\\.localhost:${port}/$`));
  assert.equal(url.FunctionArn, arnOf(name));
  assert.equal((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }))).FunctionUrl, url.FunctionUrl);
  await assert.rejects(env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' })), (e: any) => e.name === 'ResourceConflictException');
});

test('event invoke configs: put, update, get', async () => {
  const { name } = await createNodeFunction(env, 'exports.handler = async () => 1;');
  await assert.rejects(env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })), (e: any) => e.name === 'ResourceNotFoundException');
  const put = await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } }));
  assert.equal(put.MaximumRetryAttempts, 0);
  assert.equal(put.FunctionArn, `${arnOf(name)}:$LATEST`);
  assert.ok(put.LastModified instanceof Date);
  const upd = await env.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 120 }));
  assert.equal(upd.MaximumRetryAttempts, 0);
  assert.equal(upd.MaximumEventAgeInSeconds, 120);
  assert.equal(upd.DestinationConfig?.OnFailure?.Destination, 'arn:aws:sqs:us-east-1:000000000000:dlq');
});
