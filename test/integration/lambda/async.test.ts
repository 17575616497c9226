import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, controlPost } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, uniqueName, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
let sqs: SQSClient;
before(async () => {
  env = await startLambda();
  sqs = new SQSClient(clientConfig(env.kumo.endpoint));
});
after(() => env.kumo.stop());

async function queue(): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('dest') }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function receiveOne(url: string): Promise<any> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
  assert.equal(out.Messages?.length, 1, 'expected one message');
  return out.Messages![0]!;
}

/** Waits (real time, bounded) until the function's queued event has made `attempts` attempts. */
async function attemptsReach(name: string, attempts: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const events = (await (await fetch(`${env.kumo.endpoint}/kumo/lambda/events`)).json()) as Array<{ functionName: string; attempts: number }>;
    if (events.find((e) => e.functionName === name)?.attempts === attempts) return;
    await sleep(25);
  }
  assert.fail(`event of ${name} never reached ${attempts} attempts`);
}

test('Event invocations answer 202 and deliver success records to the on-success queue', async () => {
  const dest = await queue();
  const { name } = await createNodeFunction(env, 'exports.handler = async (e) => ({ doubled: e.n * 2 });');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnSuccess: { Destination: dest.arn } } }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"n":21}') }));
  assert.equal(out.StatusCode, 202);
  const record = JSON.parse((await receiveOne(dest.url)).Body);
  assert.equal(record.version, '1.0');
  assert.equal(record.requestContext.condition, 'Success');
  assert.equal(record.requestContext.requestId, out.$metadata.requestId);
  assert.equal(record.requestContext.functionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`);
  assert.equal(record.requestContext.approximateInvokeCount, 1);
  assert.deepEqual(record.requestPayload, { n: 21 });
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  assert.deepEqual(record.responsePayload, { doubled: 42 });
});

test('failed events are retried twice, 1 then 2 minutes apart, then go to the on-failure queue', async () => {
  const dest = await queue();
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("always"); };');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: dest.arn } } }));
  await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
  await attemptsReach(name, 1);
  await controlPost(env.kumo.endpoint, '/kumo/clock', { advance: 59_000 });
  await sleep(100);
  await attemptsReach(name, 1);
  await controlPost(env.kumo.endpoint, '/kumo/clock', { advance: 1_000 });
  await attemptsReach(name, 2);
  await controlPost(env.kumo.endpoint, '/kumo/clock', { advance: 120_000 });
  const record = JSON.parse((await receiveOne(dest.url)).Body);
  assert.equal(record.requestContext.condition, 'RetriesExhausted');
  assert.equal(record.requestContext.approximateInvokeCount, 3);
  assert.equal(record.responseContext.functionError, 'Unhandled');
  assert.equal(record.responsePayload.errorMessage, 'always');
});

test('without an on-failure destination, a failed event goes to the dead-letter queue', async () => {
  const dlq = await queue();
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("dead"); };', { DeadLetterConfig: { TargetArn: dlq.arn } });
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"order":7}') }));
  const m = await receiveOne(dlq.url);
  assert.deepEqual(JSON.parse(m.Body), { order: 7 });
  assert.equal(m.MessageAttributes.RequestID.StringValue, out.$metadata.requestId);
  assert.equal(m.MessageAttributes.ErrorMessage.StringValue, 'dead');
});
