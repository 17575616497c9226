import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { onFailureArtifact, testNamespace, waitFor } from 'kumo/testing';
import { kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(kumo.clientConfig());
beforeEach((t) => t.diagnostic(`kumo pid=${process.pid} endpoint=${kumo.endpoint}`));

test('a message comes back after its visibility timeout', onFailureArtifact(kumo, 'test-artifacts', async (t) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(t.name)}-jobs`, Attributes: { VisibilityTimeout: '300' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-1' }));
  const first = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0], { description: 'job-1' });
  assert.equal(first.Body, 'job-1');
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  await kumo.clock.advance('PT5M'); // instead of sleeping five minutes
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, 'job-1');
}));

test('a deleted message does not come back', onFailureArtifact(kumo, 'test-artifacts', async (t) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(t.name)}-jobs` }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-2' }));
  const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  await kumo.clock.advance('PT1H');
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
}));
