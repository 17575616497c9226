import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, clockAdvance, controlPost, rejects } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, uniqueName, type LambdaEnv } from './setup.ts';

let env: LambdaEnv;
let sqs: SQSClient;
let db: DynamoDBClient;
before(async () => {
  env = await startLambda();
  sqs = new SQSClient(clientConfig(env.kumo.endpoint));
  db = new DynamoDBClient(clientConfig(env.kumo.endpoint));
});
after(async () => {
  sqs.destroy();
  db.destroy();
  await env.kumo.stop();
});

async function queue(name = uniqueName('q')): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function drain(url: string, waitSeconds: number): Promise<string[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: waitSeconds, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body!);
}

async function streamTable(): Promise<{ name: string; streamArn: string }> {
  const name = uniqueName('t');
  const out = await db.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
  }));
  return { name, streamArn: out.TableDescription!.LatestStreamArn! };
}

test('ScalingConfig.MaximumConcurrency: AWS\'s limits, SQS only, removed by an empty ScalingConfig', async () => {
  const q = await queue();
  const { name } = await createNodeFunction(env, 'exports.handler = async () => {};');
  await rejects(env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q.arn, ScalingConfig: { MaximumConcurrency: 1 } })),
    'ValidationException', /scalingConfig\.maximumConcurrency.*greater than or equal to 2/);
  await rejects(env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q.arn, ScalingConfig: { MaximumConcurrency: 1001 } })),
    'ValidationException', /scalingConfig\.maximumConcurrency.*less than or equal to 1000/);
  const m = await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: q.arn, Enabled: false, ScalingConfig: { MaximumConcurrency: 2 } }));
  assert.deepEqual(m.ScalingConfig, { MaximumConcurrency: 2 });
  await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, ScalingConfig: {} }));
  assert.equal((await env.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).ScalingConfig, undefined);
  const t = await streamTable();
  await rejects(env.lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: name, EventSourceArn: t.streamArn, StartingPosition: 'LATEST', ScalingConfig: { MaximumConcurrency: 2 },
  })), 'InvalidParameterValueException');
  await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
});

test('an SQS mapping runs at most MaximumConcurrency batches at once', async () => {
  const source = await queue();
  const started = await queue();
  const gate = await queue();
  // Each invocation reports that it started, then waits until the test lets one invocation through.
  const { name } = await createNodeFunction(env, `
const { SQSClient, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.STARTED, MessageBody: event.Records[0].body }));
  for (;;) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.GATE, WaitTimeSeconds: 5 }));
    if (got.Messages && got.Messages.length) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: process.env.GATE, ReceiptHandle: got.Messages[0].ReceiptHandle }));
      return;
    }
  }
};`, { Timeout: 120, Environment: { Variables: { STARTED: started.url, GATE: gate.url } } });
  for (let i = 0; i < 4; i++) await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: `m${i}` }));
  await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: source.arn, BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } }));
  const first: string[] = [];
  for (let i = 0; i < 40 && first.length < 2; i++) first.push(...await drain(started.url, 2));
  assert.equal(first.length, 2, 'two batches should have started');
  // A third batch would start within this time if the limit were not enforced.
  await sleep(2_000);
  assert.deepEqual(await drain(started.url, 1), []);
  await sqs.send(new SendMessageCommand({ QueueUrl: gate.url, MessageBody: 'go' }));
  const third: string[] = [];
  for (let i = 0; i < 40 && third.length < 1; i++) third.push(...await drain(started.url, 2));
  assert.equal(third.length, 1);
  for (let i = 0; i < 3; i++) await sqs.send(new SendMessageCommand({ QueueUrl: gate.url, MessageBody: 'go' }));
  const rest: string[] = [];
  for (let i = 0; i < 40 && rest.length < 1; i++) rest.push(...await drain(started.url, 2));
  assert.deepEqual([...first, ...third, ...rest].sort(), ['m0', 'm1', 'm2', 'm3']);
});

test('a DynamoDB stream mapping gathers records for MaximumBatchingWindowInSeconds of engine time', async () => {
  const seen = await queue();
  const t = await streamTable();
  const { name } = await createNodeFunction(env, `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.SEEN, MessageBody: JSON.stringify(event.Records.map((r) => r.dynamodb.Keys.pk.S)) }));
};`, { Timeout: 30, Environment: { Variables: { SEEN: seen.url } } });
  await controlPost(env.kumo.endpoint, '/kumo/clock', { freeze: true });
  try {
    const put = (pk: string) => db.send(new PutItemCommand({ TableName: t.name, Item: { pk: { S: pk } } }));
    await put('a');
    await env.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: t.streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumBatchingWindowInSeconds: 60,
    }));
    await clockAdvance(env.kumo.endpoint, 30_000);
    await put('b');
    await put('c');
    await clockAdvance(env.kumo.endpoint, 29_000);
    await clockAdvance(env.kumo.endpoint, 1_000);
    // Long polls wait on the engine clock, frozen here: poll without waiting.
    const batches: string[][] = [];
    for (let i = 0; i < 300 && batches.flat().length < 3; i++) {
      const got = await drain(seen.url, 0);
      batches.push(...got.map((b) => JSON.parse(b) as string[]));
      if (got.length === 0) await sleep(100);
    }
    assert.deepEqual(batches, [['a', 'b', 'c']]);
  } finally {
    await controlPost(env.kumo.endpoint, '/kumo/clock', { freeze: false });
  }
});

test('a DynamoDB stream mapping sends an abandoned batch\'s description to an SNS on-failure destination', async () => {
  const sns = new SNSClient(clientConfig(env.kumo.endpoint));
  try {
    const failures = await queue();
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('failures') }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: failures.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const t = await streamTable();
    const { name } = await createNodeFunction(env, 'exports.handler = async () => { throw new Error("no"); };');
    await db.send(new PutItemCommand({ TableName: t.name, Item: { pk: { S: 'x' } } }));
    const m = await env.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: t.streamArn, StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: topicArn } },
    }));
    let got: string[] = [];
    for (let i = 0; i < 20 && got.length === 0; i++) got = await drain(failures.url, 2);
    assert.equal(got.length, 1);
    const record = JSON.parse(got[0]!);
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.DDBStreamBatchInfo.batchSize, 1);
    assert.equal(record.DDBStreamBatchInfo.streamArn, t.streamArn);
    await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  } finally {
    sns.destroy();
  }
});
