import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kumo } from '../../../src/index.ts';
import { startTestKumo } from '../../helpers/kumo.ts';

/** Malformed input must come back as a 4xx in the client's protocol, never a 500. */

let kumo: Kumo;
let queueUrl: string;
let fifoUrl: string;

async function json(op: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(kumo.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${op}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

before(async () => {
  kumo = await startTestKumo();
  queueUrl = (await json('CreateQueue', { QueueName: 'bad-input' })).body.QueueUrl;
  fifoUrl = (await json('CreateQueue', { QueueName: 'bad-input.fifo', Attributes: { FifoQueue: 'true' } })).body.QueueUrl;
});
after(() => kumo.stop());

test('garbage in every operation answers 4xx', async () => {
  const cases: Array<[string, unknown]> = [];
  const junk: unknown[] = [null, 1, 'x', [], {}, [null], [1], { a: null }, { a: 1 }, -1, 1e12, 1.5, '', ' ', '\u0000'];
  const ops: Record<string, string[]> = {
    CreateQueue: ['QueueName', 'Attributes', 'tags'],
    SendMessage: ['MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageSystemAttributes', 'MessageGroupId', 'MessageDeduplicationId'],
    SendMessageBatch: ['Entries'],
    ReceiveMessage: ['MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds', 'AttributeNames', 'MessageAttributeNames', 'MessageSystemAttributeNames', 'ReceiveRequestAttemptId'],
    DeleteMessage: ['ReceiptHandle'],
    DeleteMessageBatch: ['Entries'],
    ChangeMessageVisibility: ['ReceiptHandle', 'VisibilityTimeout'],
    ChangeMessageVisibilityBatch: ['Entries'],
    GetQueueAttributes: ['AttributeNames'],
    SetQueueAttributes: ['Attributes'],
    ListQueues: ['QueueNamePrefix', 'MaxResults', 'NextToken'],
    ListDeadLetterSourceQueues: ['MaxResults', 'NextToken'],
    TagQueue: ['Tags'],
    UntagQueue: ['TagKeys'],
    AddPermission: ['Label', 'AWSAccountIds', 'Actions'],
    RemovePermission: ['Label'],
    GetQueueUrl: ['QueueName', 'QueueOwnerAWSAccountId'],
    StartMessageMoveTask: ['SourceArn', 'DestinationArn', 'MaxNumberOfMessagesPerSecond'],
    CancelMessageMoveTask: ['TaskHandle'],
    ListMessageMoveTasks: ['SourceArn', 'MaxResults'],
    PurgeQueue: ['QueueUrl'],
    DeleteQueue: ['QueueUrl'],
  };
  for (const [op, members] of Object.entries(ops)) {
    for (const url of [queueUrl, fifoUrl, 'nonsense', 5]) {
      for (const m of members) for (const v of junk) cases.push([op, { QueueUrl: url, MessageBody: 'b', [m]: v }]);
    }
    cases.push([op, '{not json'], [op, '[]'], [op, 'null']);
  }
  for (const [op, body] of cases) {
    if (op === 'PurgeQueue' || op === 'DeleteQueue') continue;
    const res = await json(op, body);
    assert.ok(res.status < 500, `${op} ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`);
  }
});
