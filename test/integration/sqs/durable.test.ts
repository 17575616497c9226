import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-sqs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withKumo<T>(fn: (sqs: SQSClient, kumo: Kumo) => Promise<T>): Promise<T> {
  const kumo = await startTestKumo({ dataDir: dir, durability: 'process' });
  const sqs = new SQSClient(clientConfig(kumo.endpoint));
  try {
    return await fn(sqs, kumo);
  } finally {
    sqs.destroy();
    await kumo.stop();
  }
}

async function counts(sqs: SQSClient, QueueUrl: string): Promise<string[]> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  return [a.ApproximateNumberOfMessages!, a.ApproximateNumberOfMessagesNotVisible!, a.ApproximateNumberOfMessagesDelayed!];
}

test('queues, in-flight messages, delays and dedup windows survive a restart', async () => {
  const before = await withKumo(async (sqs) => {
    const std = (await sqs.send(new CreateQueueCommand({ QueueName: 'keep', Attributes: { VisibilityTimeout: '600' } }))).QueueUrl!;
    const fifo = (await sqs.send(new CreateQueueCommand({ QueueName: 'keep.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: 'in flight' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: 'delayed', DelaySeconds: 900 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: std, MessageBody: 'waiting' }));
    const [received] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: std }))).Messages!;
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    return { handle: received!.ReceiptHandle!, body: received!.Body!, fifoId: sent.MessageId!, fifoSeq: sent.SequenceNumber! };
  });
  await withKumo(async (sqs) => {
    const std = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'keep' }))).QueueUrl!;
    const fifo = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'keep.fifo' }))).QueueUrl!;
    assert.deepEqual(await counts(sqs, std), ['1', '1', '1']);
    const next = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: std, MaxNumberOfMessages: 10 }))).Messages!;
    assert.deepEqual(next.map((m) => m.Body), before.body === 'in flight' ? ['waiting'] : ['in flight']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: std, ReceiptHandle: before.handle }));
    assert.deepEqual(await counts(sqs, std), ['0', '1', '1']);
    const dup = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'f2', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    assert.equal(dup.MessageId, before.fifoId);
    const later = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'f3', MessageGroupId: 'g', MessageDeduplicationId: 'e' }));
    assert.ok(BigInt(later.SequenceNumber!) > BigInt(before.fifoSeq));
  });
});

test('a reset empties SQS and leaves it working', async () => {
  await withKumo(async (sqs, kumo) => {
    const res = await controlPost(kumo.endpoint, '/kumo/reset/sqs', {});
    assert.equal(res.status, 200);
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'keep' })), { name: 'QueueDoesNotExist' });
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'after-reset' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages!.length, 1);
  });
});
