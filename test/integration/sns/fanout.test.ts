import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, PublishBatchCommand, PublishCommand, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { snsHarness } from './setup.ts';

const h = snsHarness();

async function queue(name: string, fifo = false) {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }));
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

test('fan-out with attribute and body filter policies, raw vs envelope', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
  const all = await queue(h.name('all'));
  const big = await queue(h.name('big'));
  const raw = await queue(h.name('raw'));
  const body = await queue(h.name('body'));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: all.arn }));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: big.arn, Attributes: { FilterPolicy: JSON.stringify({ size: [{ numeric: ['>=', 10] }], color: [{ 'anything-but': 'red' }] }) } }));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const sub = await h.sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'sqs', Endpoint: body.arn, ReturnSubscriptionArn: true,
    Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ order: { kind: [{ prefix: 'exp' }] } }) },
  }));
  const attrs = await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
  assert.equal(attrs.Attributes!.FilterPolicyScope, 'MessageBody');
  assert.equal(attrs.Attributes!.PendingConfirmation, 'false');

  const p1 = await h.sns.send(new PublishCommand({
    TopicArn, Message: JSON.stringify({ order: { kind: 'express' } }), Subject: 'hello',
    MessageAttributes: { size: { DataType: 'Number', StringValue: '12' }, color: { DataType: 'String', StringValue: 'blue' } },
  }));
  await h.sns.send(new PublishCommand({ TopicArn, Message: 'plain', MessageAttributes: { size: { DataType: 'Number', StringValue: '3' } } }));

  const [a1, a2] = await h.receive(all.url, 2);
  const env = JSON.parse(a1!.Body!);
  assert.deepEqual(Object.keys(env), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(env.Type, 'Notification');
  assert.equal(env.MessageId, p1.MessageId);
  assert.equal(env.TopicArn, TopicArn);
  assert.deepEqual(env.MessageAttributes.size, { Type: 'Number', Value: '12' });
  assert.equal(JSON.parse(a2!.Body!).Message, 'plain');
  assert.equal(JSON.parse(a2!.Body!).Subject, undefined);

  const cert = new X509Certificate(await (await fetch(env.SigningCertURL)).text());
  const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'].map((k) => `${k}\n${env[k]}\n`).join('');
  assert.equal(createVerify('RSA-SHA1').update(signed).verify(cert.publicKey, env.Signature, 'base64'), true);

  const bigGot = await h.receive(big.url, 1);
  assert.equal(bigGot.length, 1);
  assert.equal(JSON.parse(bigGot[0]!.Body!).MessageId, p1.MessageId);
  const rawGot = await h.receive(raw.url, 2);
  assert.deepEqual(rawGot.map((m) => m.Body).sort(), ['plain', JSON.stringify({ order: { kind: 'express' } })].sort());
  assert.equal(rawGot.find((m) => m.Body === 'plain')!.MessageAttributes!.size!.StringValue, '3');
  const bodyGot = await h.receive(body.url, 1);
  assert.equal(bodyGot.length, 1);
  assert.equal((await h.receive(big.url, 1, 3)).length, 0, 'the small message was filtered out');
});

test('FIFO topic to FIFO queue keeps order and deduplicates', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: `${h.name('f')}.fifo`, Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
  const q = await queue(`${h.name('fq')}.fifo`, true);
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const seqs: string[] = [];
  for (let i = 0; i < 5; i++) seqs.push((await h.sns.send(new PublishCommand({ TopicArn, Message: `m${i}`, MessageGroupId: 'g' }))).SequenceNumber!);
  const dup = await h.sns.send(new PublishCommand({ TopicArn, Message: 'm0', MessageGroupId: 'g' }));
  assert.equal(dup.SequenceNumber, seqs[0]);
  assert.deepEqual([...seqs].sort(), seqs);
  const batch = await h.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'b1', MessageGroupId: 'g' }, { Id: 'b', Message: 'b2' }] }));
  assert.equal(batch.Successful!.length, 1);
  assert.equal(batch.Failed![0]!.Id, 'b');
  const got: string[] = [];
  for (let i = 0; i < 10 && got.length < 6; i++) {
    const msgs = await h.receive(q.url, 1);
    got.push(...msgs.map((m) => m.Body!));
    for (const m of msgs) await h.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
  }
  assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4', 'b1']);
  await assert.rejects(h.sns.send(new PublishCommand({ TopicArn, Message: 'x' })), /MessageGroupId/);
  const std = await h.sns.send(new CreateTopicCommand({ Name: h.name('std') }));
  await assert.rejects(h.sns.send(new SubscribeCommand({ TopicArn: std.TopicArn, Protocol: 'sqs', Endpoint: q.arn })), /FIFO SQS Queues can not be subscribed to standard SNS topics/);
  const attrs = await h.sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(attrs.Attributes!.FifoTopic, 'true');
  assert.equal(attrs.Attributes!.SubscriptionsConfirmed, '1');
});
