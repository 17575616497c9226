import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, uniqueName, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
let sqs: SQSClient;
let sns: SNSClient;
let events: EventBridgeClient;
before(async () => {
  env = await startLambda();
  const config = clientConfig(env.kumo.endpoint);
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  events = new EventBridgeClient(config);
});
after(() => env.kumo.stop());

async function queue(): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/** A topic whose messages land, raw, in a queue. */
async function topicToQueue(): Promise<{ topicArn: string; url: string }> {
  const q = await queue();
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn, url: q.url };
}

/** A bus with a rule that sends everything from `lambda` to a queue. */
async function busToQueue(): Promise<{ busArn: string; url: string }> {
  const q = await queue();
  const name = uniqueName('bus');
  const busArn = (await events.send(new CreateEventBusCommand({ Name: name }))).EventBusArn!;
  const rule = uniqueName('rule');
  await events.send(new PutRuleCommand({ Name: rule, EventBusName: name, EventPattern: JSON.stringify({ source: ['lambda'] }) }));
  await events.send(new PutTargetsCommand({ Rule: rule, EventBusName: name, Targets: [{ Id: 'q', Arn: q.arn }] }));
  return { busArn, url: q.url };
}

async function receiveOne(url: string): Promise<any> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
  assert.equal(out.Messages?.length, 1, 'expected one message');
  return out.Messages![0]!;
}

test('an on-success SNS destination receives the invocation record', async () => {
  const dest = await topicToQueue();
  const { name } = await createNodeFunction(env, 'exports.handler = async (e) => ({ got: e.k });');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnSuccess: { Destination: dest.topicArn } } }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"k":"v"}') }));
  const record = JSON.parse((await receiveOne(dest.url)).Body);
  assert.equal(record.version, '1.0');
  assert.equal(record.requestContext.requestId, out.$metadata.requestId);
  assert.equal(record.requestContext.condition, 'Success');
  assert.equal(record.requestContext.functionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`);
  assert.equal(record.requestContext.approximateInvokeCount, 1);
  assert.deepEqual(record.requestPayload, { k: 'v' });
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
  assert.deepEqual(record.responsePayload, { got: 'v' });
  assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('an on-failure SNS destination receives the failure record', async () => {
  const dest = await topicToQueue();
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("nope"); };');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: dest.topicArn } } }));
  await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{}') }));
  const record = JSON.parse((await receiveOne(dest.url)).Body);
  assert.equal(record.requestContext.condition, 'RetriesExhausted');
  assert.equal(record.responseContext.functionError, 'Unhandled');
  assert.equal(record.responsePayload.errorMessage, 'nope');
});

test('an EventBridge destination receives a "Lambda Function Invocation Result" event from source lambda', async () => {
  const ok = await busToQueue();
  const failed = await busToQueue();
  const { name } = await createNodeFunction(env, 'exports.handler = async (e) => { if (e.fail) throw new Error("bad"); return "fine"; };');
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: name, MaximumRetryAttempts: 0,
    DestinationConfig: { OnSuccess: { Destination: ok.busArn }, OnFailure: { Destination: failed.busArn } },
  }));
  await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"fail":false}') }));
  await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"fail":true}') }));
  const success = JSON.parse((await receiveOne(ok.url)).Body);
  const fnArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`;
  assert.equal(success.source, 'lambda');
  assert.equal(success['detail-type'], 'Lambda Function Invocation Result - Success');
  assert.deepEqual(success.resources, [ok.busArn, fnArn]);
  assert.equal(success.detail.requestContext.condition, 'Success');
  assert.equal(success.detail.responsePayload, 'fine');
  assert.deepEqual(success.detail.requestPayload, { fail: false });
  const failure = JSON.parse((await receiveOne(failed.url)).Body);
  assert.equal(failure['detail-type'], 'Lambda Function Invocation Result - Failure');
  assert.equal(failure.detail.requestContext.condition, 'RetriesExhausted');
  assert.equal(failure.detail.responseContext.functionError, 'Unhandled');
});

test('a dead-letter SNS topic receives the failed event with its error attributes', async () => {
  const dlq = await topicToQueue();
  const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("gone"); };', { DeadLetterConfig: { TargetArn: dlq.topicArn } });
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }));
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"order":9}') }));
  const m = await receiveOne(dlq.url);
  assert.deepEqual(JSON.parse(m.Body), { order: 9 });
  assert.equal(m.MessageAttributes.RequestID.StringValue, out.$metadata.requestId);
  assert.equal(m.MessageAttributes.ErrorMessage.StringValue, 'gone');
  assert.equal(m.MessageAttributes.ErrorCode.StringValue, '200');
});
