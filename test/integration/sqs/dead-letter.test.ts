import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CancelMessageMoveTaskCommand, CreateQueueCommand, GetQueueAttributesCommand, ListMessageMoveTasksCommand, ReceiveMessageCommand,
  SendMessageCommand, StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { rejects, sqsHarness } from './setup.ts';

const h = sqsHarness();

async function create(name: string, attrs: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }))).QueueUrl!;
  const arn = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function pair(maxReceiveCount = 1, fifo = false) {
  const suffix = fifo ? '.fifo' : '';
  const extra: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const dlq = await create(`${h.name('dlq')}${suffix}`, extra);
  const src = await create(`${h.name('src')}${suffix}`, {
    ...extra,
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
  });
  return { dlq, src };
}

async function receive(QueueUrl: string) {
  return (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }))).Messages ?? [];
}

async function count(QueueUrl: string): Promise<number> {
  const a = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible) + Number(a.ApproximateNumberOfMessagesDelayed);
}

test('a message received maxReceiveCount times moves to the dead-letter queue', async () => {
  const { dlq, src } = await pair(2);
  const sent = await h.sqs.send(new SendMessageCommand({
    QueueUrl: src.url,
    MessageBody: 'poison',
    MessageAttributes: { MyAttribute: { DataType: 'String', StringValue: 'foobar' } },
  }));
  assert.equal((await receive(src.url)).length, 1);
  assert.equal((await receive(src.url)).length, 1);
  assert.deepEqual(await receive(src.url), []);
  const [m] = await receive(dlq.url);
  assert.equal(m!.MessageId, sent.MessageId);
  assert.equal(m!.Body, 'poison');
  assert.equal(m!.MD5OfMessageAttributes, 'adb59cd4678ea5a855436b949cd07ab6');
  assert.equal(m!.Attributes!.DeadLetterQueueSourceArn, src.arn);
  assert.equal(m!.Attributes!.ApproximateReceiveCount, '3');
});

test('FIFO queues dead-letter into FIFO queues', async () => {
  const { dlq, src } = await pair(1, true);
  await h.sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: 'f', MessageGroupId: 'g' }));
  assert.equal((await receive(src.url)).length, 1);
  assert.deepEqual(await receive(src.url), []);
  const [m] = await receive(dlq.url);
  assert.equal(m!.Body, 'f');
  assert.equal(m!.Attributes!.MessageGroupId, 'g');
  assert.match(m!.Attributes!.SequenceNumber!, /^\d{20}$/);
});

test('a move task without destination returns messages to their source queues', async () => {
  const { dlq, src } = await pair(1);
  for (const b of ['a', 'b']) await h.sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: b }));
  await receive(src.url);
  await receive(src.url);
  assert.equal(await count(dlq.url), 2);
  const { TaskHandle } = await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
  assert.ok(TaskHandle);
  const { Results } = await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
  assert.equal(Results!.length, 1);
  const r = Results![0]!;
  assert.equal(r.Status, 'COMPLETED');
  assert.equal(r.ApproximateNumberOfMessagesMoved, 2);
  assert.equal(r.ApproximateNumberOfMessagesToMove, 2);
  assert.equal(r.SourceArn, dlq.arn);
  assert.equal(r.TaskHandle, undefined);
  assert.equal(await count(dlq.url), 0);
  const back = await receive(src.url);
  assert.deepEqual(back.map((m) => m.Body).sort(), ['a', 'b']);
  assert.equal(back[0]!.Attributes!.ApproximateReceiveCount, '1');
});

test('a rate-limited move task moves on the engine clock and can be cancelled', async () => {
  const { dlq, src } = await pair(1);
  const dest = await create(h.name('dest'));
  for (let i = 0; i < 5; i++) await h.sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: `m${i}` }));
  await receive(src.url);
  await receive(src.url);
  assert.equal(await count(dlq.url), 5);
  const { TaskHandle } = await h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: dest.arn, MaxNumberOfMessagesPerSecond: 2 }));
  await rejects(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })), {
    name: 'InvalidParameterValue',
    message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
  });
  let [task] = (await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results!;
  assert.equal(task!.Status, 'RUNNING');
  assert.equal(task!.TaskHandle, TaskHandle);
  assert.equal(task!.ApproximateNumberOfMessagesMoved, 2);
  assert.equal(task!.DestinationArn, dest.arn);
  assert.equal(task!.MaxNumberOfMessagesPerSecond, 2);
  await h.advance(1000);
  assert.equal(await count(dest.url), 4);
  const cancelled = await h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 4);
  await h.advance(5000);
  [task] = (await h.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }))).Results!;
  assert.equal(task!.Status, 'CANCELLED');
  assert.equal(await count(dest.url), 4);
  assert.equal(await count(dlq.url), 1);
  await rejects(h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), { name: 'ResourceNotFoundException', message: 'Task does not exist.', status: 404 });
});

test('move task errors', async () => {
  const plain = await create(h.name('plain'));
  await rejects(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })), {
    name: 'InvalidParameterValue',
    message: 'Source queue must be configured as a Dead Letter Queue.',
  });
  const missing = 'arn:aws:sqs:us-east-1:000000000000:missing';
  await rejects(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missing })), {
    name: 'ResourceNotFoundException',
    code: 'ResourceNotFoundException',
    message: "The resource that you specified for the SourceArn parameter doesn't exist.",
    status: 404,
  });
  const { dlq } = await pair(1);
  await rejects(h.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: missing })), {
    name: 'ResourceNotFoundException',
    message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
  });
  await rejects(h.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'not-a-handle' })), {
    name: 'InvalidParameterValue',
    message: 'Value for parameter TaskHandle is invalid.',
  });
});

test('messages older than the retention period are deleted', async () => {
  const { url } = await create(h.name('ret'), { MessageRetentionPeriod: '60' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
  await h.advance(30_000);
  await h.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'young' }));
  await receive(url);
  await h.advance(30_000);
  assert.equal(await count(url), 1);
  await h.advance(30_000);
  assert.equal(await count(url), 0);
});
