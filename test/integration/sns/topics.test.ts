import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, CreateTopicCommand, DeleteTopicCommand, GetDataProtectionPolicyCommand,
  GetSMSAttributesCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, PublishBatchCommand, PublishCommand,
  PutDataProtectionPolicyCommand, SetSMSAttributesCommand, SetTopicAttributesCommand, SubscribeCommand, TagResourceCommand,
} from '@aws-sdk/client-sns';
import { snsHarness } from './setup.ts';

const h = snsHarness();

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp) {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

test('topics: attributes, tags, data protection policy, listing', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name(), Tags: [{ Key: 'team', Value: 'a' }], Attributes: { DisplayName: 'Shown' } }));
  assert.equal((await h.sns.send(new CreateTopicCommand({ Name: TopicArn!.split(':').pop()! }))).TopicArn, TopicArn, 'idempotent');
  await h.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'New' }));
  const { Attributes } = await h.sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes!.DisplayName, 'New');
  assert.equal(Attributes!.Owner, '000000000000');
  assert.ok(JSON.parse(Attributes!.Policy!).Statement);
  await h.sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
  assert.deepEqual((await h.sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }]);
  const policy = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] });
  await h.sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: policy }));
  assert.equal((await h.sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy, policy);
  assert.ok((await h.sns.send(new ListTopicsCommand({}))).Topics!.some((t) => t.TopicArn === TopicArn));
  await h.sns.send(new DeleteTopicCommand({ TopicArn }));
  await rejects(h.sns.send(new GetTopicAttributesCommand({ TopicArn })), 'NotFoundException', 'Topic does not exist');
});

test('bad input: AWS codes and messages', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
  await rejects(h.sns.send(new CreateTopicCommand({ Name: 'bad name' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
  await rejects(h.sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 'Invalid parameter: Message too long');
  await rejects(h.sns.send(new PublishCommand({ TopicArn, Message: '' })), 'InvalidParameterException', 'Invalid parameter: Empty message');
  await rejects(h.sns.send(new PublishCommand({ TopicArn: `${TopicArn}-gone`, Message: 'x' })), 'NotFoundException', 'Topic does not exist');
  await rejects(h.sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
    'InvalidParameterValueException', "Could not cast message attribute 'n' value to number.");
  await rejects(h.sns.send(new PublishCommand({ TopicArn, Message: '{}', MessageStructure: 'json' })), 'InvalidParameterException',
    'Invalid parameter: Message Structure - No default entry in JSON message body');
  await rejects(h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', Attributes: { FilterPolicy: '{"a": "b"}' } })),
    'InvalidParameterException', /^Invalid parameter: FilterPolicy: /);
  await rejects(h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' })), 'InvalidParameterException');
  const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
  await rejects(h.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries(11) })), 'TooManyEntriesInBatchRequestException',
    'The batch request contains more entries than permissible.');
  await rejects(h.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }] })),
    'BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
  await rejects(h.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'y'.repeat(70_000) }] })),
    'BatchRequestTooLongException');
});

test('email and SMS are recorded and inspectable; SMS attributes and push endpoints are stored', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }));
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'dev@example.com' }));
  await h.sns.send(new PublishCommand({ TopicArn, Message: 'to phones', Subject: 'S' }));
  await h.sns.send(new PublishCommand({ PhoneNumber: '+15555550199', Message: 'direct' }));
  const { messages } = await h.inspect('messages');
  const sms = messages.filter((m: any) => m.protocol === 'sms');
  assert.deepEqual(sms.map((m: any) => [m.endpoint, m.message]), [['+15555550100', 'to phones'], ['+15555550199', 'direct']]);
  const email = messages.filter((m: any) => m.protocol === 'email');
  assert.equal(email.length, 1, 'only the confirmation request: the email subscription is pending');
  assert.equal(JSON.parse(email[0].message).Type, 'SubscriptionConfirmation');
  await h.sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'kumo' } }));
  assert.deepEqual((await h.sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes, { DefaultSMSType: 'Transactional' });
  const app = await h.sns.send(new CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } }));
  const ep = await h.sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app.PlatformApplicationArn, Token: 'device-1' }));
  await h.sns.send(new PublishCommand({ TargetArn: ep.EndpointArn, Message: 'push' }));
  const pushed = (await h.inspect('messages', { protocol: 'application' })).messages;
  assert.deepEqual(pushed.map((m: any) => m.message), ['push']);
});

test('a Lambda subscription without an in-process Lambda invoke records a clear failure', async () => {
  const { TopicArn } = await h.sns.send(new CreateTopicCommand({ Name: h.name() }));
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:nope';
  await h.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn }));
  await h.sns.send(new PublishCommand({ TopicArn, Message: 'x' }));
  let outcome: any;
  for (let i = 0; i < 200 && !outcome; i++) {
    outcome = (await h.inspect('deliveries')).outcomes.find((o: any) => o.target.arn === fn);
    if (!outcome) await new Promise((r) => setImmediate(r));
  }
  assert.equal(outcome.target.kind, 'lambda');
  assert.equal(JSON.parse(outcome.target.payload).Records[0].EventSource, 'aws:sns');
  assert.ok(outcome.status === 'dropped' || outcome.status === 'delivered');
  if (outcome.status === 'dropped') assert.match(outcome.error, /invokeAsync|Function not found/);
});
