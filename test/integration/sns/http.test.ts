import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, SetSubscriptionAttributesCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { httpEndpoint, snsHarness } from './setup.ts';

const h = snsHarness();

test('HTTP subscription: confirmation handshake via SubscribeURL, then notifications', async () => {
  const ep = await httpEndpoint();
  try {
    const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
    const sub = await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: ep.url }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');
    const [conf] = await ep.next(1);
    assert.equal(conf!.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    const doc = JSON.parse(conf!.body);
    assert.equal(doc.Type, 'SubscriptionConfirmation');
    assert.equal(doc.TopicArn, TopicArn);
    assert.match(doc.SubscribeURL, /\/kumo\/sns\/confirm-subscription\?/);
    assert.ok(doc.Token && doc.Signature && doc.SigningCertURL);
    const listed = await h.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(listed.Subscriptions![0]!.SubscriptionArn, 'PendingConfirmation');

    await h.sns.send(new PublishCommand({ TopicArn, Message: 'not yet' }));
    const confirmed = await (await fetch(doc.SubscribeURL)).json() as any;
    const arn = confirmed.ConfirmSubscriptionResult.SubscriptionArn;
    assert.match(arn, /^arn:aws:sns:us-east-1:000000000000:t-\d+:[0-9a-f-]{36}$/);
    const again = await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: doc.Token }));
    assert.equal(again.SubscriptionArn, arn);
    const attrs = await h.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    assert.equal(attrs.Attributes!.PendingConfirmation, 'false');

    const { MessageId } = await h.sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 's' }));
    const [, note] = await ep.next(2);
    assert.equal(note!.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(note!.headers['x-amz-sns-subscription-arn'], arn);
    assert.equal(note!.headers['content-type'], 'text/plain; charset=UTF-8');
    const body = JSON.parse(note!.body);
    assert.equal(body.MessageId, MessageId);
    assert.equal(body.Message, 'hello');
    assert.equal(ep.received.length, 2, 'nothing was delivered before confirmation');
  } finally {
    await ep.close();
  }
});

test('HTTP retries follow the delivery policy on the engine clock, then the redrive policy DLQ', async () => {
  let status = 200;
  const ep = await httpEndpoint(() => status);
  try {
    const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name('dlq') }));
    const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: ep.url }));
    const [conf] = await ep.next(1);
    const { SubscriptionArn } = await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: JSON.parse(conf!.body).Token }));
    await h.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn }) }));
    status = 503;
    await h.sns.send(new PublishCommand({ TopicArn, Message: 'doomed' }));
    await ep.next(2);
    for (let i = 3; i <= 5; i++) {
      await h.advance(20_000);
      await ep.next(i);
    }
    const dead = await h.receive(QueueUrl!, 1);
    assert.equal(JSON.parse(dead[0]!.Body!).Message, 'doomed');
    assert.equal(dead[0]!.MessageAttributes!.ERROR_CODE!.StringValue, 'RetriesExhausted');
    assert.equal(ep.received.length, 5, 'first attempt and 3 retries, no more');
  } finally {
    await ep.close();
  }
});
