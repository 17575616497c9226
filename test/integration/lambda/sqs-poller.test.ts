import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, controlPost } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda, type LambdaEnv } from './setup.ts';

/**
 * SQS -> Lambda -> DynamoDB through the real services: the function stores every record it
 * sees and reports the ones whose body starts with "bad" as batch item failures.
 */
const HANDLER = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  const failures = [];
  for (const r of event.Records) {
    const attempt = r.attributes.ApproximateReceiveCount;
    await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: {
      pk: { S: r.body + '#' + attempt }, source: { S: r.eventSource }, arn: { S: r.eventSourceARN }, size: { N: String(event.Records.length) },
    } }));
    if (r.body.startsWith('bad')) failures.push({ itemIdentifier: r.messageId });
  }
  return { batchItemFailures: failures };
};`;

interface World extends LambdaEnv {
  sqs: SQSClient;
  db: DynamoDBClient;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
}

async function world(options: { dataDir?: string } = {}, create = true): Promise<World> {
  const env = await startLambda(options);
  const sqs = new SQSClient(clientConfig(env.kumo.endpoint));
  const db = new DynamoDBClient(clientConfig(env.kumo.endpoint));
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }))).QueueUrl!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({
    QueueName: 'orders',
    Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 2 }) },
  }))).QueueUrl!;
  if (create) {
    await db.send(new CreateTableCommand({
      TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
  }
  return { ...env, sqs, db, queueUrl, queueArn: await arnOf(queueUrl), dlqUrl };
}

async function keys(w: World): Promise<string[]> {
  const items = (await w.db.send(new ScanCommand({ TableName: 'orders' }))).Items ?? [];
  return items.map((i) => i.pk!.S!).sort();
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(25);
  }
  assert.fail(`never happened: ${what}`);
}

const advance = (w: World, seconds: number) => controlPost(w.kumo.endpoint, '/kumo/clock', { advance: seconds * 1000 });

test('partial batch failures return by visibility timeout and go to the DLQ; Enabled=false stops polling', async () => {
  const w = await world();
  try {
    const { name } = await createNodeFunction(w, HANDLER, { Environment: { Variables: { TABLE: 'orders' } }, Timeout: 30 });
    for (const body of ['a', 'bad-b', 'c']) await w.sqs.send(new SendMessageCommand({ QueueUrl: w.queueUrl, MessageBody: body }));
    const mapping = await w.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: w.queueArn, BatchSize: 10, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    await until(async () => (await keys(w)).length === 3, 'first batch');
    assert.deepEqual(await keys(w), ['a#1', 'bad-b#1', 'c#1']);
    const first = (await w.db.send(new ScanCommand({ TableName: 'orders' }))).Items![0]!;
    assert.equal(first.source!.S, 'aws:sqs');
    assert.equal(first.arn!.S, w.queueArn);
    assert.equal(first.size!.N, '3', 'the batching window gathers the three messages into one batch');

    // The failed message is in flight for the queue's visibility timeout (30 s), then retried.
    await sleep(300);
    assert.equal((await keys(w)).length, 3);
    await advance(w, 31);
    await until(async () => (await keys(w)).includes('bad-b#2'), 'second attempt');
    // Its receive count reached maxReceiveCount: the next receive moves it to the DLQ.
    await advance(w, 31);
    await until(async () => {
      const got = await w.sqs.send(new ReceiveMessageCommand({ QueueUrl: w.dlqUrl, MessageSystemAttributeNames: ['All'] }));
      return got.Messages?.[0]?.Body === 'bad-b';
    }, 'message in the DLQ');
    assert.ok(!(await keys(w)).includes('bad-b#3'));

    await w.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
    await sleep(700);
    await w.sqs.send(new SendMessageCommand({ QueueUrl: w.queueUrl, MessageBody: 'later' }));
    await sleep(1200);
    await advance(w, 5);
    const attrs = (await w.sqs.send(new GetQueueAttributesCommand({ QueueUrl: w.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!;
    assert.equal(attrs.ApproximateNumberOfMessages, '1', 'a disabled mapping must not receive');
    await w.lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: true }));
    await until(async () => (await keys(w)).includes('later#1'), 'polling resumed');
  } finally {
    await w.kumo.stop();
  }
});

test('a function error returns the whole batch; mappings keep polling after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-lambda-sqs-'));
  try {
    const w = await world({ dataDir: dir });
    try {
      const { name } = await createNodeFunction(w, `${HANDLER}
const inner = exports.handler;
exports.handler = async (event) => { await inner(event); if (event.Records.some((r) => r.body === 'boom')) throw new Error('boom'); return {}; };`, {
        FunctionName: 'orders-fn', Environment: { Variables: { TABLE: 'orders' } }, Timeout: 30,
      });
      await w.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: w.queueArn, BatchSize: 1 }));
      await w.sqs.send(new SendMessageCommand({ QueueUrl: w.queueUrl, MessageBody: 'boom' }));
      await until(async () => (await keys(w)).includes('boom#1'), 'first attempt');
      await advance(w, 31);
      await until(async () => (await keys(w)).includes('boom#2'), 'retry after the visibility timeout');
    } finally {
      await w.kumo.stop();
    }
    const again = await world({ dataDir: dir }, false);
    try {
      await again.sqs.send(new SendMessageCommand({ QueueUrl: again.queueUrl, MessageBody: 'after-restart' }));
      await until(async () => (await keys(again)).includes('after-restart#1'), 'polling after the restart');
    } finally {
      await again.kumo.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
