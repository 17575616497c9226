import { expect } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace } from 'kumo/testing';
import { test } from './kumo-test.mjs';

test('a batch arrives whole', async ({ kumo, task }) => {
  const sqs = new SQSClient(kumo.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(task.name)}-batch` }));
  const Entries = ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `body-${id}` }));
  expect((await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Successful).toHaveLength(3);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(got.Messages?.map((m) => m.Body).sort()).toEqual(['body-a', 'body-b', 'body-c']);
});
