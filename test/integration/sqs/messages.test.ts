import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand,
  SendMessageCommand, SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { rejects, sqsHarness } from './setup.ts';

const h = sqsHarness();

async function queue(attrs?: Record<string, string>): Promise<string> {
  return (await h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: attrs }))).QueueUrl!;
}

async function counts(QueueUrl: string): Promise<[string, string, string]> {
  const a = (await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  return [a.ApproximateNumberOfMessages!, a.ApproximateNumberOfMessagesNotVisible!, a.ApproximateNumberOfMessagesDelayed!];
}

test('a message round-trips with its attributes and digests', async () => {
  const QueueUrl = await queue();
  const MessageAttributes = {
    Text: { DataType: 'String', StringValue: 'héllo' },
    Count: { DataType: 'Number', StringValue: '42.5' },
    Blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
    Json: { DataType: 'String.json', StringValue: '{"a":1}' },
  };
  const sent = await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'body ✓', MessageAttributes }));
  assert.equal(sent.MD5OfMessageBody, createHash('md5').update('body ✓').digest('hex'));
  assert.match(sent.MD5OfMessageAttributes!, /^[0-9a-f]{32}$/);
  const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
  assert.equal(Messages!.length, 1);
  const m = Messages![0]!;
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.Body, 'body ✓');
  assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
  assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(m.MessageAttributes!.Blob!.BinaryValue, new Uint8Array([0, 1, 2, 255]));
  assert.equal(m.MessageAttributes!.Json!.DataType, 'String.json');
  assert.equal(m.Attributes, undefined);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual(await counts(QueueUrl), ['0', '0', '0']);
});

test('message attribute names filter by exact name and prefix; the digest covers what is returned', async () => {
  const QueueUrl = await queue();
  const s = (v: string) => ({ DataType: 'String', StringValue: v });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'msg', MessageAttributes: { General: s('Kenobi'), Hello: s('There'), 'Help.Me': s('Me') } }));
  const receive = async (names: string[]) => {
    const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names, VisibilityTimeout: 0 }));
    return Messages![0]!;
  };
  assert.equal((await receive(['All'])).MD5OfMessageAttributes, '4c360f3fdafd970e05fae2f149d997f5');
  const prefixed = await receive(['Hel.*']);
  assert.deepEqual(Object.keys(prefixed.MessageAttributes!).sort(), ['Hello', 'Help.Me']);
  assert.equal(prefixed.MD5OfMessageAttributes, '83fee93c1bcd8b9a5a923ffacdc636c7');
  const exact = await receive(['Hello', 'Nope']);
  assert.equal(exact.MD5OfMessageAttributes, 'a311262e065454b75da111d535b8dacd');
  const none = await receive(['Nope']);
  assert.equal(none.MessageAttributes, undefined);
  assert.equal(none.MD5OfMessageAttributes, undefined);
});

test('system attributes: All, single names, counts and timestamps on the engine clock', async () => {
  const QueueUrl = await queue();
  const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  await h.sqs.send(new SendMessageCommand({
    QueueUrl,
    MessageBody: 'msg',
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
  }));
  const clock = await (await fetch(`${h.kumo.endpoint}/kumo/clock`)).json() as { now: string };
  const now = Date.parse(clock.now);
  const first = (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0 }))).Messages![0]!;
  assert.deepEqual(first.Attributes, {
    SenderId: '000000000000',
    SentTimestamp: String(now),
    ApproximateReceiveCount: '1',
    ApproximateFirstReceiveTimestamp: String(now),
    AWSTraceHeader: trace,
  });
  const second = (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, AttributeNames: ['ApproximateReceiveCount' as 'All'] }))).Messages![0]!;
  assert.deepEqual(second.Attributes, { ApproximateReceiveCount: '2' });
});

test('bodies: missing, oversize and characters outside the allowed set are refused', async () => {
  const QueueUrl = await queue({ MaximumMessageSize: '1024' });
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '' })), {
    name: 'MissingParameter',
    code: 'MissingParameter',
    message: 'The request must contain the parameter MessageBody.',
  });
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) })), {
    name: 'InvalidParameterValue',
    message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
  });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024) }));
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bad \u0001 char' })), {
    name: 'InvalidMessageContents',
    code: 'InvalidMessageContents',
    message: "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
  });
  const big = await queue();
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl: big, MessageBody: 'x'.repeat(1_048_577) })), {
    name: 'InvalidParameterValue',
    message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
  });
});

test('message attributes are checked', async () => {
  const QueueUrl = await queue();
  const send = (MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>) =>
    h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', MessageAttributes }));
  await rejects(send({ ErrorDetails: { DataType: 'String', StringValue: '' } }), {
    name: 'InvalidParameterValue',
    message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
  });
  await rejects(send({ Age: { DataType: 'Number', StringValue: 'abc' } }), {
    name: 'InvalidParameterValue',
    message: "Can't cast the value of message (user) attribute 'Age' to a number.",
  });
  await rejects(send({ a: { DataType: 'Integer', StringValue: '1' } }), { name: 'InvalidParameterValue', message: /supported type prefixes/ });
  await rejects(send({ 'bad!name': { DataType: 'String', StringValue: '1' } }), {
    name: 'InvalidParameterValue',
    message: "Invalid non-alphanumeric character '#x21' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
  });
  await rejects(send({ 'AWS.x': { DataType: 'String', StringValue: '1' } }), { name: 'InvalidParameterValue' });
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
  await rejects(send(eleven), { name: 'InvalidParameterValue', message: 'Number of message attributes [11] exceeds the allowed maximum [10].' });
});

test('delays: per queue and per message, counted as delayed until visible', async () => {
  const QueueUrl = await queue({ DelaySeconds: '5' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue delay' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no delay', DelaySeconds: 0 }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'long delay', DelaySeconds: 10 }));
  assert.deepEqual(await counts(QueueUrl), ['1', '0', '2']);
  const first = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(first.Messages!.map((m) => m.Body), ['no delay']);
  await h.advance(5000);
  assert.deepEqual(await counts(QueueUrl), ['1', '1', '1']);
  const second = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(second.Messages!.map((m) => m.Body), ['queue delay']);
  await h.advance(5000);
  const third = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(third.Messages!.map((m) => m.Body), ['long delay']);
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })), {
    name: 'InvalidParameterValue',
    message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
  });
});

test('ReceiveMessage returns up to MaxNumberOfMessages and checks its parameters', async () => {
  const QueueUrl = await queue();
  for (let i = 0; i < 12; i++) await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
  const one = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(one.Messages!.length, 1);
  const ten = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.equal(ten.Messages!.length, 10);
  assert.equal(new Set(ten.Messages!.map((m) => m.MessageId)).size, 10);
  await rejects(h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), {
    name: 'InvalidParameterValue',
    code: 'InvalidParameterValue',
    message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
  });
  await rejects(h.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })), {
    name: 'InvalidParameterValue',
    message: 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
  });
  await rejects(h.sqs.send(new ReceiveMessageCommand({ QueueUrl, ReceiveRequestAttemptId: 'a' })), {
    name: 'InvalidParameterValue',
    message: 'Value a for parameter ReceiveRequestAttemptId is invalid. Reason: The request include parameter that is not valid for this queue type.',
  });
  const empty = await queue();
  const none = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: empty }));
  assert.equal(none.Messages, undefined);
});

test('SendMessageBatch: entries succeed or fail one by one; request-level limits', async () => {
  const QueueUrl = await queue({ MaximumMessageSize: '1024' });
  const res = await h.sqs.send(new SendMessageBatchCommand({
    QueueUrl,
    Entries: [
      { Id: 'ok', MessageBody: 'a', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
      { Id: 'big', MessageBody: 'x'.repeat(1025) },
      { Id: 'bad', MessageBody: 'a\u0000b' },
    ],
  }));
  assert.deepEqual(res.Successful!.map((e) => e.Id), ['ok']);
  assert.equal(res.Successful![0]!.MD5OfMessageBody, '0cc175b9c0f1b6a831c399e269772661');
  assert.ok(res.Successful![0]!.MD5OfMessageAttributes);
  assert.deepEqual(res.Failed, [
    { Id: 'big', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' },
    { Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: "Invalid binary character '#x0' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF" },
  ]);
  await rejects(h.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })), {
    name: 'EmptyBatchRequest',
    code: 'AWS.SimpleQueueService.EmptyBatchRequest',
    message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
  });
  const twenty = Array.from({ length: 20 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
  await rejects(h.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: twenty })), {
    name: 'TooManyEntriesInBatchRequest',
    code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    message: 'Maximum number of entries per request are 10. You have sent 20.',
  });
  await rejects(h.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a:b', MessageBody: 'x' }] })), {
    name: 'InvalidBatchEntryId',
    code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
    message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  });
  await rejects(h.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })), {
    name: 'BatchEntryIdsNotDistinct',
    code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    message: 'Id a repeated.',
  });
  const big = await queue();
  await rejects(h.sqs.send(new SendMessageBatchCommand({
    QueueUrl: big,
    Entries: [{ Id: 'a', MessageBody: 'x'.repeat(524_288) }, { Id: 'b', MessageBody: 'x'.repeat(524_289) }],
  })), {
    name: 'BatchRequestTooLong',
    code: 'AWS.SimpleQueueService.BatchRequestTooLong',
    message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
  });
});

test('operations on a queue that does not exist', async () => {
  const QueueUrl = `${h.kumo.endpoint}/000000000000/missing`;
  await rejects(h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), {
    name: 'QueueDoesNotExist',
    code: 'AWS.SimpleQueueService.NonExistentQueue',
    status: 400,
  });
  await rejects(h.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '1' } })), { name: 'QueueDoesNotExist' });
});
