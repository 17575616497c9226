import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { sqsHarness } from './setup.ts';

const h = sqsHarness();

interface SqsInternal {
  sendMessage(caller: unknown, arn: string, message: Record<string, unknown>, sender: string): { MessageId: string; MD5OfMessageBody: string };
  queueExists(caller: unknown, arn: string): boolean;
  queueAttributesOf(caller: unknown, arn: string): Record<string, string> | undefined;
}

test('other services enqueue in-process through the internal API', async () => {
  const name = h.name();
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '1' } }));
  const sqs = h.kumo.app.host.internal.sqs as unknown as SqsInternal;
  const caller = { clock: h.kumo.engine.clock };
  const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
  assert.equal(sqs.queueExists(caller, arn), true);
  assert.equal(sqs.queueExists(caller, `${arn}-nope`), false);
  assert.equal(sqs.queueAttributesOf(caller, arn)!.DelaySeconds, '1');
  const sent = sqs.sendMessage(caller, arn, { MessageBody: 'from sns', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }, 'sns.amazonaws.com');
  assert.equal(sent.MD5OfMessageBody, createHash('md5').update('from sns').digest('hex'));
  assert.throws(() => sqs.sendMessage(caller, `${arn}-nope`, { MessageBody: 'x' }, 's'), { name: 'QueueDoesNotExist' });
  await h.advance(1000);
  const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['SenderId'], MessageAttributeNames: ['All'] }));
  assert.equal(Messages![0]!.MessageId, sent.MessageId);
  assert.equal(Messages![0]!.Attributes!.SenderId, 'sns.amazonaws.com');
  assert.equal(Messages![0]!.MessageAttributes!.k!.StringValue, 'v');
});
