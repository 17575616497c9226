import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace } from 'kumo/testing';
import { kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(kumo.clientConfig());
beforeEach((t) => t.diagnostic(`kumo pid=${process.pid} endpoint=${kumo.endpoint}`));

test('a batch arrives whole', async (t) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(t.name)}-batch` }));
  const Entries = ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `body-${id}` }));
  assert.equal((await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Successful?.length, 3);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['body-a', 'body-b', 'body-c']);
});
