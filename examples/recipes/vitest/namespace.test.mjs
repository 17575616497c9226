import { expect } from 'vitest';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace } from 'kumo/testing';
import { test } from './kumo-test.mjs';

test('a namespace prefix finds only this test’s queues in the shared kumo', async ({ kumo, task }) => {
  const sqs = new SQSClient(kumo.clientConfig());
  const ns = testNamespace(task.name);
  await sqs.send(new CreateQueueCommand({ QueueName: `${ns}-a` }));
  await sqs.send(new CreateQueueCommand({ QueueName: `${ns}-b` }));
  const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: ns }));
  expect(QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual([`${ns}-a`, `${ns}-b`]);
});
