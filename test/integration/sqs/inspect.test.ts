import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsHarness } from './setup.ts';

const h = sqsHarness();

test('GET /kumo/sqs/messages peeks at every message without receiving it', async () => {
  const QueueUrl = (await h.sqs.send(new CreateQueueCommand({ QueueName: h.name() }))).QueueUrl!;
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } } }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'three', DelaySeconds: 60 }));
  await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  const peek = await h.peek(QueueUrl);
  assert.equal(peek.ApproximateNumberOfMessages, 1);
  assert.equal(peek.ApproximateNumberOfMessagesNotVisible, 1);
  assert.equal(peek.ApproximateNumberOfMessagesDelayed, 1);
  assert.deepEqual(peek.Messages.map((m: { Body: string; State: string }) => [m.Body, m.State]), [['one', 'inflight'], ['two', 'visible'], ['three', 'delayed']]);
  assert.deepEqual(peek.Messages[0].MessageAttributes, { b: { DataType: 'Binary', BinaryValue: Buffer.from('hi').toString('base64') } });
  assert.equal(peek.Messages[1].Attributes.ApproximateReceiveCount, '0');
  const again = await h.peek(QueueUrl);
  assert.deepEqual(again.Messages.map((m: { State: string }) => m.State), ['inflight', 'visible', 'delayed']);
  const got = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(got.Messages![0]!.Body, 'two');
});

test('peeking at a missing queue answers 404', async () => {
  const res = await fetch(`${h.kumo.endpoint}/kumo/sqs/messages?QueueUrl=${encodeURIComponent(`${h.kumo.endpoint}/000000000000/none`)}`);
  assert.equal(res.status, 404);
  const bad = await fetch(`${h.kumo.endpoint}/kumo/sqs/messages`);
  assert.equal(bad.status, 400);
});
