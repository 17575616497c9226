import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace, waitFor } from 'kumo/testing';
import { clientConfig, kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(clientConfig);
beforeAll(() => console.log(`worker=${process.env.JEST_WORKER_ID} uses endpoint=${kumo.endpoint}`));

test('a message comes back after its visibility timeout', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(expect.getState().currentTestName)}-jobs`, Attributes: { VisibilityTimeout: '300' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-1' }));
  const first = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0], { description: 'job-1' });
  expect(first.Body).toBe('job-1');
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  await kumo.advanceClock('PT5M'); // instead of sleeping five minutes
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body).toBe('job-1');
});

test('a deleted message does not come back', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(expect.getState().currentTestName)}-jobs` }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-2' }));
  const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  await kumo.advanceClock('PT1H');
  expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
});
