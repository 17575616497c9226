import { expect } from 'vitest';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace, waitFor } from 'kumo/testing';
import { test } from './kumo-test.mjs';

test('a message comes back after its visibility timeout', async ({ kumo, task }) => {
  const sqs = new SQSClient(kumo.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(task.name)}-jobs`, Attributes: { VisibilityTimeout: '300' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-1' }));
  const first = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0], { description: 'job-1' });
  expect(first.Body).toBe('job-1');
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  await kumo.clock.advance('PT5M'); // instead of sleeping five minutes
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body).toBe('job-1');
});

test('a deleted message does not come back', async ({ kumo, task }) => {
  const sqs = new SQSClient(kumo.clientConfig());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(task.name)}-jobs` }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-2' }));
  const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  await kumo.clock.advance('PT1H');
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
});
