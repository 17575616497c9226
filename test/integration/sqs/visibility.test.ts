import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand,
  DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { rejects, sqsHarness } from './setup.ts';

const h = sqsHarness();

async function queue(attrs?: Record<string, string>): Promise<string> {
  return (await h.sqs.send(new CreateQueueCommand({ QueueName: h.name(), Attributes: attrs }))).QueueUrl!;
}

async function receive(QueueUrl: string, extra: { VisibilityTimeout?: number; WaitTimeSeconds?: number } = {}) {
  return (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], ...extra }))).Messages ?? [];
}

async function notVisible(QueueUrl: string): Promise<string> {
  const a = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
  return a.Attributes!.ApproximateNumberOfMessagesNotVisible!;
}

test('a received message is invisible for the visibility timeout, then redelivered with a new handle', async () => {
  const QueueUrl = await queue({ VisibilityTimeout: '10' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
  const [first] = await receive(QueueUrl);
  assert.equal(first!.Attributes!.ApproximateReceiveCount, '1');
  assert.equal(await notVisible(QueueUrl), '1');
  assert.deepEqual(await receive(QueueUrl), []);
  await h.advance(9999);
  assert.deepEqual(await receive(QueueUrl), []);
  await h.advance(1);
  const [second] = await receive(QueueUrl);
  assert.equal(second!.MessageId, first!.MessageId);
  assert.notEqual(second!.ReceiptHandle, first!.ReceiptHandle);
  assert.equal(second!.Attributes!.ApproximateReceiveCount, '2');
  assert.equal(second!.Attributes!.ApproximateFirstReceiveTimestamp, first!.Attributes!.ApproximateFirstReceiveTimestamp);
});

test('the VisibilityTimeout of ReceiveMessage overrides the queue default', async () => {
  const QueueUrl = await queue();
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
  await receive(QueueUrl, { VisibilityTimeout: 2 });
  await h.advance(2000);
  assert.equal((await receive(QueueUrl)).length, 1);
});

test('ChangeMessageVisibility extends, shortens and checks its input', async () => {
  const QueueUrl = await queue({ VisibilityTimeout: '10' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
  const [m] = await receive(QueueUrl);
  await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 60 }));
  await h.advance(30_000);
  assert.deepEqual(await receive(QueueUrl), []);
  await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 0 }));
  const [again] = await receive(QueueUrl);
  assert.equal(again!.MessageId, m!.MessageId);
  await rejects(h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 43_201 })), {
    name: 'InvalidParameterValue',
  });
  await rejects(h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 43_200 })), {
    name: 'InvalidParameterValue',
    message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
  });
  await rejects(h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 5 })), {
    name: 'InvalidParameterValue',
    message: `Value ${m!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
  });
});

test('changing the visibility of a message whose timeout passed succeeds on standard queues', async () => {
  const QueueUrl = await queue({ VisibilityTimeout: '1' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
  const [m] = await receive(QueueUrl);
  await h.advance(1000);
  await h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 30 }));
  assert.equal(await notVisible(QueueUrl), '1');
});

test('DeleteMessage: latest handle deletes even after the timeout; stale handles are ignored', async () => {
  const QueueUrl = await queue({ VisibilityTimeout: '1' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
  const [m] = await receive(QueueUrl);
  await h.advance(1000);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle }));
  assert.deepEqual(await receive(QueueUrl), []);

  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'n' }));
  const [first] = await receive(QueueUrl);
  await h.advance(1000);
  const [second] = await receive(QueueUrl);
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle }));
  assert.equal(await notVisible(QueueUrl), '1');
  await h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second!.ReceiptHandle }));
  assert.equal(await notVisible(QueueUrl), '0');
});

test('malformed receipt handles and handles of another queue are invalid', async () => {
  const QueueUrl = await queue();
  const other = await queue();
  await h.sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'm' }));
  const [m] = await receive(other);
  for (const handle of ['garbage', m!.ReceiptHandle!]) {
    await rejects(h.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle })), {
      name: 'ReceiptHandleIsInvalid',
      code: 'ReceiptHandleIsInvalid',
      message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
      status: 404,
    });
  }
  await rejects(h.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'garbage', VisibilityTimeout: 1 })), {
    name: 'ReceiptHandleIsInvalid',
  });
});

test('batch delete and visibility change report each entry', async () => {
  const QueueUrl = await queue();
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
  const msgs = await receive(QueueUrl);
  const changed = await h.sqs.send(new ChangeMessageVisibilityBatchCommand({
    QueueUrl,
    Entries: [
      { Id: 'a', ReceiptHandle: msgs[0]!.ReceiptHandle, VisibilityTimeout: 0 },
      { Id: 'bad', ReceiptHandle: 'nope', VisibilityTimeout: 0 },
    ],
  }));
  assert.deepEqual(changed.Successful, [{ Id: 'a' }]);
  assert.deepEqual(changed.Failed, [{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "nope" is not a valid receipt handle.' }]);
  const deleted = await h.sqs.send(new DeleteMessageBatchCommand({
    QueueUrl,
    Entries: [{ Id: 'b', ReceiptHandle: msgs[1]!.ReceiptHandle }, { Id: 'bad', ReceiptHandle: 'nope' }],
  }));
  assert.deepEqual(deleted.Successful, [{ Id: 'b' }]);
  assert.equal(deleted.Failed![0]!.Code, 'ReceiptHandleIsInvalid');
  const twenty = Array.from({ length: 20 }, (_, i) => ({ Id: `e${i}`, ReceiptHandle: 'x' }));
  await rejects(h.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: twenty })), {
    name: 'TooManyEntriesInBatchRequest',
    message: 'Maximum number of entries per request are 10. You have sent 20.',
  });
  await rejects(h.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })), {
    name: 'EmptyBatchRequest',
    message: 'There should be at least one DeleteMessageBatchRequestEntry in the request.',
  });
});

test('long polling: a send wakes the waiting receive', async () => {
  const QueueUrl = await queue();
  const waiting = receive(QueueUrl, { WaitTimeSeconds: 20 });
  await h.waitingReceives(QueueUrl);
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake' }));
  const got = await waiting;
  assert.deepEqual(got.map((m) => m.Body), ['wake']);
});

test('long polling: a delayed message becoming visible wakes the receive', async () => {
  const QueueUrl = await queue();
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 5 }));
  const waiting = receive(QueueUrl, { WaitTimeSeconds: 20 });
  await h.waitingReceives(QueueUrl);
  await h.advance(5000);
  assert.deepEqual((await waiting).map((m) => m.Body), ['later']);
});

test('long polling: an expired visibility timeout wakes the receive', async () => {
  const QueueUrl = await queue({ VisibilityTimeout: '3' });
  await h.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'again' }));
  await receive(QueueUrl);
  const waiting = receive(QueueUrl, { WaitTimeSeconds: 20 });
  await h.waitingReceives(QueueUrl);
  await h.advance(3000);
  assert.deepEqual((await waiting).map((m) => m.Body), ['again']);
});

test('long polling ends empty when the engine clock passes WaitTimeSeconds (queue default applies)', async () => {
  const QueueUrl = await queue({ ReceiveMessageWaitTimeSeconds: '15' });
  let done = false;
  const waiting = h.sqs.send(new ReceiveMessageCommand({ QueueUrl })).then((r) => {
    done = true;
    return r;
  });
  await h.waitingReceives(QueueUrl);
  await h.advance(14_000);
  assert.equal(done, false);
  await h.waitingReceives(QueueUrl);
  await h.advance(1000);
  const res = await waiting;
  assert.equal(res.Messages, undefined);
});
