import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { rejects, sqsHarness } from './setup.ts';

const h = sqsHarness();

async function fifo(attrs: Record<string, string> = {}): Promise<string> {
  const res = await h.sqs.send(new CreateQueueCommand({ QueueName: `${h.name('f')}.fifo`, Attributes: { FifoQueue: 'true', ...attrs } }));
  return res.QueueUrl!;
}

async function send(QueueUrl: string, body: string, group: string, dedup: string = body) {
  return h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
}

async function receive(QueueUrl: string, max = 10, extra: { ReceiveRequestAttemptId?: string; VisibilityTimeout?: number } = {}) {
  return (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'], ...extra }))).Messages ?? [];
}

test('FIFO sends need a group id and a deduplication id (or content-based deduplication)', async () => {
  const QueueUrl = await fifo();
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })), {
    name: 'MissingParameter',
    code: 'MissingParameter',
    message: 'The request must contain the parameter MessageGroupId.',
  });
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })), {
    name: 'InvalidParameterValue',
    message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
  });
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 2 })), {
    name: 'InvalidParameterValue',
    message: 'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
  });
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'group 123', MessageDeduplicationId: 'd' })), {
    name: 'InvalidParameterValue',
    message: 'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
  });
  await rejects(h.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', MessageDeduplicationId: 'd' }] })), {
    name: 'InvalidParameterValue',
    message: 'The request must contain the parameter MessageGroupId.',
  });
});

test('messages of a group come in order; the group is blocked while its head is in flight', async () => {
  const QueueUrl = await fifo();
  const seqs = [];
  for (const b of ['a1', 'a2', 'a3']) seqs.push((await send(QueueUrl, b, 'A')).SequenceNumber!);
  await send(QueueUrl, 'b1', 'B');
  assert.ok(BigInt(seqs[0]!) < BigInt(seqs[1]!) && BigInt(seqs[1]!) < BigInt(seqs[2]!));
  assert.equal(seqs[0]!.length, 20);
  const first = await receive(QueueUrl, 2);
  assert.deepEqual(first.map((m) => m.Body), ['a1', 'a2']);
  assert.equal(first[0]!.Attributes!.MessageGroupId, 'A');
  assert.equal(first[0]!.Attributes!.MessageDeduplicationId, 'a1');
  assert.equal(first[0]!.Attributes!.SequenceNumber, seqs[0]);
  const next = await receive(QueueUrl);
  assert.deepEqual(next.map((m) => m.Body), ['b1']);
  assert.deepEqual(await receive(QueueUrl), []);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
  assert.deepEqual(await receive(QueueUrl), [], 'a2 is still in flight');
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[1]!.ReceiptHandle }));
  assert.deepEqual((await receive(QueueUrl)).map((m) => m.Body), ['a3']);
});

test('a head made visible again is redelivered alone, ahead of the rest of its group', async () => {
  const QueueUrl = await fifo();
  for (const b of ['foo', 'bar', 'baz']) await send(QueueUrl, b, 'g');
  const all = await receive(QueueUrl);
  assert.deepEqual(all.map((m) => m.Body), ['foo', 'bar', 'baz']);
  await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: all[0]!.ReceiptHandle, VisibilityTimeout: 0 }));
  const again = await receive(QueueUrl);
  assert.deepEqual(again.map((m) => m.Body), ['foo']);
  assert.equal(again[0]!.Attributes!.ApproximateReceiveCount, '2');
});

test('explicit deduplication: duplicates inside 5 minutes are accepted, answered alike and dropped', async () => {
  const QueueUrl = await fifo();
  const one = await send(QueueUrl, 'x', 'g', 'dup');
  const two = await send(QueueUrl, 'y', 'g', 'dup');
  assert.equal(two.MessageId, one.MessageId);
  assert.equal(two.SequenceNumber, one.SequenceNumber);
  const got = await receive(QueueUrl);
  assert.deepEqual(got.map((m) => m.Body), ['x']);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got[0]!.ReceiptHandle }));
  await send(QueueUrl, 'z', 'g', 'dup');
  assert.deepEqual(await receive(QueueUrl), [], 'the window outlives the message');
  await h.advance(5 * 60 * 1000);
  const three = await send(QueueUrl, 'w', 'g', 'dup');
  assert.notEqual(three.MessageId, one.MessageId);
  assert.deepEqual((await receive(QueueUrl)).map((m) => m.Body), ['w']);
});

test('content-based deduplication hashes the body', async () => {
  const QueueUrl = await fifo({ ContentBasedDeduplication: 'true' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"foo":"bar"}', MessageGroupId: 'g' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"foo":"bar"}', MessageGroupId: 'g' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'other', MessageGroupId: 'g' }));
  const got = await receive(QueueUrl);
  assert.deepEqual(got.map((m) => m.Body), ['{"foo":"bar"}', 'other']);
  assert.match(got[0]!.Attributes!.MessageDeduplicationId!, /^[0-9a-f]{64}$/);
});

test('deduplication scope: queue-wide by default, per group with messageGroup', async () => {
  const wide = await fifo();
  await send(wide, 'Test', 'g1', 'same');
  await send(wide, 'Test', 'g2', 'same');
  assert.equal((await receive(wide)).length, 1);
  const perGroup = await fifo({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  await send(perGroup, 'Test', 'g1', 'same');
  await send(perGroup, 'Test', 'g2', 'same');
  await send(perGroup, 'Test', 'g2', 'same');
  assert.equal((await receive(perGroup)).length, 2);
});

test('a retried ReceiveRequestAttemptId returns the same messages and handles', async () => {
  const QueueUrl = await fifo();
  await send(QueueUrl, 'm1', 'g');
  await send(QueueUrl, 'm2', 'g');
  const first = await receive(QueueUrl, 1, { ReceiveRequestAttemptId: 'attempt-1' });
  const retry = await receive(QueueUrl, 1, { ReceiveRequestAttemptId: 'attempt-1' });
  assert.deepEqual(retry.map((m) => [m.MessageId, m.ReceiptHandle]), first.map((m) => [m.MessageId, m.ReceiptHandle]));
  assert.deepEqual(await receive(QueueUrl, 1, { ReceiveRequestAttemptId: 'attempt-2' }), []);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
  assert.deepEqual((await receive(QueueUrl, 1, { ReceiveRequestAttemptId: 'attempt-1' })).map((m) => m.Body), ['m2']);
});

test('FIFO refuses deleting with a receipt handle whose visibility timeout passed', async () => {
  const QueueUrl = await fifo({ VisibilityTimeout: '2' });
  await send(QueueUrl, 'g1-m1', 'g');
  const [m] = await receive(QueueUrl);
  await h.advance(2000);
  await rejects(h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle })), {
    name: 'InvalidParameterValue',
    message: `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  });
  const [again] = await receive(QueueUrl);
  await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 60 }));
  await h.advance(10_000);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle }));
});

test('a FIFO queue delay applies to every message', async () => {
  const QueueUrl = await fifo({ DelaySeconds: '3' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'm', DelaySeconds: 0 }));
  assert.deepEqual(await receive(QueueUrl), []);
  await h.advance(3000);
  assert.equal((await receive(QueueUrl)).length, 1);
});

test('standard queues accept a MessageGroupId but not a MessageDeduplicationId', async () => {
  const QueueUrl = (await h.sqs.send(new CreateQueueCommand({ QueueName: h.name('std') }))).QueueUrl!;
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm', MessageGroupId: 'test' }));
  const [m] = await receive(QueueUrl);
  assert.equal(m!.Attributes!.MessageGroupId, 'test');
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm', MessageDeduplicationId: 'd' })), {
    name: 'InvalidParameterValue',
    message: 'Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
  });
});
