import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { testNamespace } from 'kumo/testing';
import { clientConfig, kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(clientConfig);
beforeAll(() => console.log(`worker=${process.env.JEST_WORKER_ID} uses endpoint=${kumo.endpoint}`));

test('a namespace prefix finds only this test’s queues in the shared kumo', async () => {
  const ns = testNamespace(expect.getState().currentTestName);
  await sqs.send(new CreateQueueCommand({ QueueName: `${ns}-a` }));
  await sqs.send(new CreateQueueCommand({ QueueName: `${ns}-b` }));
  const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: ns }));
  expect(QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual([`${ns}-a`, `${ns}-b`]);
});
