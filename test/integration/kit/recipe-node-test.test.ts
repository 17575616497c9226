// The node:test recipe of docs/testing-guide.md, run as written (users import from 'kumo' and
// 'kumo/testing'; this repo imports the sources).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startKumo, type Kumo } from '../../../src/index.ts';
import { onFailureArtifact, testNamespace, waitFor } from '../../../src/testing/index.ts';

let kumo: Kumo;
let sqs: SQSClient;

before(async () => {
  kumo = await startKumo({ port: 0, logLevel: 'warn' }); // one kumo per test file (= per worker process)
  sqs = new SQSClient(kumo.clientConfig());
});
after(() => kumo.stop());
beforeEach(() => kumo.reset());

test('a message comes back after its visibility timeout', onFailureArtifact(() => kumo, 'test-artifacts', async (t) => {
  const ns = testNamespace(t.name);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${ns}-jobs`, Attributes: { VisibilityTimeout: '300' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job-1' }));
  const first = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0], { description: 'job-1' });
  assert.equal(first.Body, 'job-1');
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  await kumo.clock.advance('PT5M'); // instead of sleeping five minutes
  const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(again.Messages?.[0]?.Body, 'job-1');
}));
