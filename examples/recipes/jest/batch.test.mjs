import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace } from 'kumo/testing';
import { clientConfig, kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(clientConfig);
beforeAll(() => console.log(`worker=${process.env.JEST_WORKER_ID} uses endpoint=${kumo.endpoint}`));

test('a batch arrives whole', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${testNamespace(expect.getState().currentTestName)}-batch` }));
  const Entries = ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `body-${id}` }));
  expect((await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }))).Successful).toHaveLength(3);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(got.Messages?.map((m) => m.Body).sort()).toEqual(['body-a', 'body-b', 'body-c']);
});
