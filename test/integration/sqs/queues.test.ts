import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand,
  ListQueueTagsCommand, PurgeQueueCommand, SendMessageCommand, SetQueueAttributesCommand, TagQueueCommand, UntagQueueCommand,
  ListDeadLetterSourceQueuesCommand, AddPermissionCommand, RemovePermissionCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { rejects, sqsHarness } from './setup.ts';

const h = sqsHarness();

test('CreateQueue returns a URL on the host and port the client used', async () => {
  const name = h.name();
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
  assert.equal(QueueUrl, `${h.kumo.endpoint}/000000000000/${name}`);
  const local = new SQSClient(clientConfig(h.kumo.endpoint.replace('127.0.0.1', 'localhost')));
  const again = await local.send(new GetQueueUrlCommand({ QueueName: name }));
  local.destroy();
  assert.equal(again.QueueUrl, `${h.kumo.endpoint.replace('127.0.0.1', 'localhost')}/000000000000/${name}`);
});

test('CreateQueue is idempotent with the same attributes and refuses different ones', async () => {
  const name = h.name();
  const first = await h.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '5' } }));
  const same = await h.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '5' } }));
  assert.equal(same.QueueUrl, first.QueueUrl);
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '6' } })), {
    name: 'QueueNameExists',
    code: 'QueueAlreadyExists',
    message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    status: 400,
  });
});

test('CreateQueue checks names and attributes', async () => {
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: 'bad name!' })), {
    name: 'InvalidParameterValue',
    message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
  });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: 'x'.repeat(81) })), { name: 'InvalidParameterValue' });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: 'nofifo', Attributes: { FifoQueue: 'true' } })), {
    name: 'InvalidParameterValue',
    message: /must end with \.fifo suffix/,
  });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: 'x.fifo' })), { name: 'InvalidParameterValue' });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: { VisibilityTimeout: '43201' } })), {
    name: 'InvalidAttributeValue',
    code: 'InvalidAttributeValue',
    message: 'Invalid value for the parameter VisibilityTimeout.',
  });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: { Colour: 'blue' } as Record<string, string> })), {
    name: 'InvalidAttributeName',
    message: 'Unknown Attribute Colour.',
  });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: { ContentBasedDeduplication: 'true' } })), {
    name: 'InvalidAttributeName',
    message: 'Unknown Attribute ContentBasedDeduplication.',
  });
  await rejects(h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: { FifoThroughputLimit: 'perQueue' } })), {
    name: 'InvalidAttributeName',
    message: 'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
  });
});

test('GetQueueAttributes All reports every attribute with defaults and counts', async () => {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: { VisibilityTimeout: '20' } }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', DelaySeconds: 10 }));
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const name = QueueUrl!.split('/').pop();
  assert.deepEqual({ ...Attributes, CreatedTimestamp: 't', LastModifiedTimestamp: 't' }, {
    QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
    ApproximateNumberOfMessages: '1',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '1',
    CreatedTimestamp: 't',
    LastModifiedTimestamp: 't',
    DelaySeconds: '0',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '20',
    SqsManagedSseEnabled: 'true',
  });
  const one = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  assert.deepEqual(Object.keys(one.Attributes!), ['QueueArn']);
});

test('FIFO queues report their FIFO attributes', async () => {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({
    QueueName: `${h.name()}.fifo`,
    Attributes: { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
  }));
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  assert.equal(Attributes!.FifoQueue, 'true');
  assert.equal(Attributes!.ContentBasedDeduplication, 'false');
  assert.equal(Attributes!.DeduplicationScope, 'messageGroup');
  assert.equal(Attributes!.FifoThroughputLimit, 'perMessageGroupId');
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'false' } })), {
    name: 'InvalidAttributeValue',
    message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
  });
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: 'queue' } })), {
    name: 'InvalidAttributeValue',
  });
});

test('SetQueueAttributes updates values, SSE settings and rejects unknown names', async () => {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name() }));
  await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '2048', DelaySeconds: '420' } }));
  await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } }));
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  assert.equal(Attributes!.MaximumMessageSize, '2048');
  assert.equal(Attributes!.DelaySeconds, '420');
  assert.equal(Attributes!.KmsMasterKeyId, 'testKeyId');
  assert.equal(Attributes!.KmsDataKeyReusePeriodSeconds, '6000');
  assert.equal(Attributes!.SqsManagedSseEnabled, 'false');
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' } })), {
    name: 'InvalidAttributeName',
    message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
  });
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'true' } })), {
    name: 'InvalidAttributeName',
    message: 'Unknown Attribute FifoQueue.',
  });
  await rejects(h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Nope' as 'All'] })), {
    name: 'InvalidAttributeName',
    message: 'Unknown Attribute Nope.',
  });
});

test('RedrivePolicy is checked and normalized', async () => {
  const dlq = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name('dlq') }));
  const dlqArn = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name() }));
  const bad = JSON.stringify({ deadLetterTargetArn: 'dummy', maxReceiveCount: 42 });
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: bad } })), {
    name: 'InvalidParameterValue',
    code: 'InvalidParameterValue',
    message: `Value ${bad} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`,
  });
  await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '3' }) } }));
  const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
  assert.deepEqual(JSON.parse(Attributes!.RedrivePolicy!), { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
  const sources = await h.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.QueueUrl }));
  assert.deepEqual(sources.queueUrls, [QueueUrl]);
  await h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: '' } }));
  const cleared = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
  assert.equal(cleared.Attributes, undefined);
});

test('RedriveAllowPolicy denies dead-letter use', async () => {
  const dlq = await h.sqs.send(new CreateQueueCommand({
    QueueName: h.name('dlq'),
    Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) },
  }));
  const dlqArn = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await rejects(h.sqs.send(new CreateQueueCommand({
    QueueName: h.name(),
    Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
  })), { name: 'InvalidParameterValue', message: /is not allowed to use/ });
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue"}' } })), {
    name: 'InvalidAttributeValue',
  });
});

test('GetQueueUrl finds queues of other accounts and reports missing ones', async () => {
  const name = h.name();
  const other = new SQSClient(clientConfig(h.kumo.endpoint, '111122223333'));
  const created = await other.send(new CreateQueueCommand({ QueueName: name }));
  other.destroy();
  assert.equal(created.QueueUrl, `${h.kumo.endpoint}/111122223333/${name}`);
  const found = await h.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '111122223333' }));
  assert.equal(found.QueueUrl, created.QueueUrl);
  await rejects(h.sqs.send(new GetQueueUrlCommand({ QueueName: name })), {
    name: 'QueueDoesNotExist',
    code: 'AWS.SimpleQueueService.NonExistentQueue',
    message: 'The specified queue does not exist.',
    status: 400,
  });
});

test('ListQueues filters by prefix and pages', async () => {
  const names = ['lst-a', 'lst-b', 'lst-c', 'other-lst'];
  for (const QueueName of names) await h.sqs.send(new CreateQueueCommand({ QueueName }));
  const all = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lst-' }));
  assert.deepEqual(all.QueueUrls!.map((u) => u.split('/').pop()), ['lst-a', 'lst-b', 'lst-c']);
  assert.equal(all.NextToken, undefined);
  const page1 = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lst-', MaxResults: 2 }));
  assert.equal(page1.QueueUrls!.length, 2);
  assert.ok(page1.NextToken);
  const page2 = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lst-', MaxResults: 2, NextToken: page1.NextToken }));
  assert.deepEqual(page2.QueueUrls!.map((u) => u.split('/').pop()), ['lst-c']);
  assert.equal(page2.NextToken, undefined);
  const none = await h.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
  assert.equal(none.QueueUrls, undefined);
  await rejects(h.sqs.send(new ListQueuesCommand({ MaxResults: 1001 })), { name: 'InvalidParameterValue' });
});

test('DeleteQueue removes the queue and its messages', async () => {
  const name = h.name();
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
  await h.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  await rejects(h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })), { name: 'QueueDoesNotExist' });
  await rejects(h.sqs.send(new DeleteQueueCommand({ QueueUrl })), { name: 'QueueDoesNotExist' });
  const again = await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: again.QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  assert.equal(attrs.Attributes!.ApproximateNumberOfMessages, '0');
});

test('PurgeQueue empties the queue once every 60 seconds', async () => {
  const name = h.name();
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
  await h.sqs.send(new PurgeQueueCommand({ QueueUrl }));
  const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  assert.equal(attrs.Attributes!.ApproximateNumberOfMessages, '0');
  await rejects(h.sqs.send(new PurgeQueueCommand({ QueueUrl })), {
    name: 'PurgeQueueInProgress',
    code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
    message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    status: 403,
  });
  await h.advance(60_000);
  await h.sqs.send(new PurgeQueueCommand({ QueueUrl }));
});

test('tags: create, add, remove, list', async () => {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), tags: { team: 'a' } }));
  await h.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev', tag3: '' } }));
  assert.deepEqual((await h.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'a', env: 'dev', tag3: '' });
  await h.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team', 'env', 'tag3'] }));
  assert.equal((await h.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, undefined);
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  await rejects(h.sqs.send(new TagQueueCommand({ QueueUrl, Tags: many })), { name: 'InvalidParameterValue' });
});

test('AddPermission and RemovePermission edit the queue policy', async () => {
  const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: h.name() }));
  const arn = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await h.sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'p1', AWSAccountIds: ['111122223333'], Actions: ['ReceiveMessage'] }));
  const policy = JSON.parse((await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!.Policy!);
  assert.deepEqual(policy, {
    Version: '2008-10-17',
    Id: `${arn}/SQSDefaultPolicy`,
    Statement: [{
      Sid: 'p1',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'SQS:ReceiveMessage',
      Resource: arn,
    }],
  });
  await rejects(h.sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'p1', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })), {
    name: 'InvalidParameterValue',
    message: 'Value p1 for parameter Label is invalid. Reason: Already exists.',
  });
  await h.sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'p1' }));
  const after = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
  assert.equal(after.Attributes, undefined);
  await rejects(h.sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'p1' })), {
    name: 'InvalidParameterValue',
    message: "Value p1 for parameter Label is invalid. Reason: can't find label.",
  });
});

test('queue URLs in AWS and LocalStack forms are accepted', async () => {
  const name = h.name();
  await h.sqs.send(new CreateQueueCommand({ QueueName: name }));
  for (const QueueUrl of [
    `https://sqs.us-east-1.amazonaws.com/000000000000/${name}`,
    `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}`,
    `http://localhost:4566/queue/us-east-1/000000000000/${name}`,
  ]) {
    const res = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    assert.equal(res.Attributes!.QueueArn, `arn:aws:sqs:us-east-1:000000000000:${name}`);
  }
});
