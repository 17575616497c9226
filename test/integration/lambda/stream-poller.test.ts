import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda } from './setup.ts';

/** Copies each stream record into the target table; a "poison" item fails its whole batch. */
const HANDLER = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  for (const r of event.Records) {
    if (r.dynamodb.NewImage && r.dynamodb.NewImage.pk.S === 'poison') throw new Error('poison');
    await db.send(new PutItemCommand({ TableName: process.env.TARGET, Item: {
      pk: { S: r.dynamodb.Keys.pk.S + '#' + r.eventName },
      source: { S: r.eventSource }, arn: { S: r.eventSourceARN }, region: { S: r.awsRegion },
      time: { S: typeof r.dynamodb.ApproximateCreationDateTime }, view: { S: r.dynamodb.StreamViewType },
      old: { S: r.dynamodb.OldImage ? r.dynamodb.OldImage.v.S : '-' }, size: { N: String(event.Records.length) },
    } }));
  }
  return {};
};`;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await sleep(25);
  }
  assert.fail(`never happened: ${what}`);
}

test('stream -> Lambda -> table, with bisect, retry limit and on-failure destination', async () => {
  const env = await startLambda();
  try {
    const db = new DynamoDBClient(clientConfig(env.kumo.endpoint));
    const sqs = new SQSClient(clientConfig(env.kumo.endpoint));
    const table = (name: string, stream: boolean) => db.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }));
    const streamArn = (await table('source', true)).TableDescription!.LatestStreamArn!;
    await table('target', false);
    const failUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'stream-failures' }))).QueueUrl!;
    const failArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: failUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const put = (pk: string, v: string) => db.send(new PutItemCommand({ TableName: 'source', Item: { pk: { S: pk }, v: { S: v } } }));
    await put('a', '1');
    await put('b', '1');
    await put('poison', '1');
    await put('a', '2');

    const { name } = await createNodeFunction(env, HANDLER, { Environment: { Variables: { TARGET: 'target' } }, Timeout: 30 });
    const mapping = await env.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
      BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failArn } },
    }));
    const items = async () => Object.fromEntries(((await db.send(new ScanCommand({ TableName: 'target' }))).Items ?? []).map((i) => [i.pk!.S!, i]));
    await until(async () => 'a#MODIFY' in (await items()), 'records after the poison one');
    const got = await items();
    assert.deepEqual(Object.keys(got).sort(), ['a#INSERT', 'a#MODIFY', 'b#INSERT']);
    assert.equal(got['a#INSERT']!.source!.S, 'aws:dynamodb');
    assert.equal(got['a#INSERT']!.arn!.S, streamArn);
    assert.equal(got['a#INSERT']!.region!.S, 'us-east-1');
    assert.equal(got['a#INSERT']!.time!.S, 'number');
    assert.equal(got['a#INSERT']!.view!.S, 'NEW_AND_OLD_IMAGES');
    assert.equal(got['a#MODIFY']!.old!.S, '1');
    assert.equal(got['b#INSERT']!.size!.N, '2', 'the failed batch of 4 was bisected into halves');

    const failure = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: failUrl, WaitTimeSeconds: 5 }))).Messages?.[0];
    assert.ok(failure, 'the abandoned batch is described on the on-failure queue');
    const info = JSON.parse(failure.Body!);
    assert.equal(info.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(info.requestContext.approximateInvokeCount, 2);
    assert.equal(info.responseContext.functionError, 'Unhandled');
    assert.equal(info.DDBStreamBatchInfo.batchSize, 1);
    assert.equal(info.DDBStreamBatchInfo.streamArn, streamArn);
    assert.equal(info.DDBStreamBatchInfo.startSequenceNumber, info.DDBStreamBatchInfo.endSequenceNumber);

    // New writes keep flowing; a LATEST mapping on another function sees only what comes after it.
    await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
    const other = await createNodeFunction(env, HANDLER, { Environment: { Variables: { TARGET: 'target' } }, Timeout: 30 });
    await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: other.name, EventSourceArn: streamArn, StartingPosition: 'LATEST' }));
    await sleep(300);
    await put('c', '1');
    await until(async () => 'c#INSERT' in (await items()), 'a record written after a LATEST mapping');
    assert.ok(!('b#MODIFY' in (await items())));
  } finally {
    await env.kumo.stop();
  }
});
