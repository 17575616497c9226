import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { kumo } from './kumo-worker.mjs';

const sqs = new SQSClient(kumo.clientConfig());
beforeEach((t) => t.diagnostic(`kumo pid=${process.pid} endpoint=${kumo.endpoint}`));

test("this worker's kumo holds none of the other files' queues", async () => {
  assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
});
