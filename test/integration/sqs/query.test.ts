import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { Kumo } from '../../../src/index.ts';
import { controlPost, startTestKumo } from '../../helpers/kumo.ts';

/** The query protocol as older SDKs and the AWS CLI v1 speak it: signed form posts, XML answers. */

let kumo: Kumo;
const xml = new XMLParser({ isArray: (name, jpath) => !String(jpath).startsWith('ErrorResponse') && ['Attribute', 'Message', 'MessageAttribute', 'SendMessageBatchResultEntry', 'BatchResultErrorEntry', 'Tag'].includes(name) });

before(async () => {
  kumo = await startTestKumo();
  await controlPost(kumo.endpoint, '/kumo/clock', { freeze: true });
});
after(() => kumo.stop());

async function call(params: Record<string, string>, path = '/'): Promise<{ status: number; body: any; raw: string }> {
  const res = await fetch(kumo.endpoint + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  assert.equal(res.headers.get('content-type'), 'text/xml');
  const raw = await res.text();
  return { status: res.status, body: xml.parse(raw), raw };
}

async function ok(params: Record<string, string>): Promise<any> {
  const res = await call(params);
  assert.equal(res.status, 200, res.raw);
  return res.body[`${params.Action}Response`][`${params.Action}Result`];
}

async function error(params: Record<string, string>, status: number, code: string, message?: string): Promise<void> {
  const res = await call(params);
  assert.equal(res.status, status, res.raw);
  const e = res.body.ErrorResponse.Error;
  assert.equal(e.Type, 'Sender');
  assert.equal(e.Code, code);
  if (message !== undefined) assert.equal(e.Message, message);
  assert.ok(res.body.ErrorResponse.RequestId);
}

let n = 0;
async function queue(extra: Record<string, string> = {}): Promise<string> {
  return (await ok({ Action: 'CreateQueue', QueueName: `query-${++n}`, ...extra })).QueueUrl;
}

test('CreateQueue with attributes and tags; GetQueueAttributes answers Attribute elements', async () => {
  const url = await queue({ 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '20', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' });
  assert.equal(url, `${kumo.endpoint}/000000000000/query-${n}`);
  const attrs = await ok({ Action: 'GetQueueAttributes', QueueUrl: url, 'AttributeName.1': 'VisibilityTimeout', 'AttributeName.2': 'QueueArn' });
  assert.deepEqual(attrs.Attribute, [
    { Name: 'VisibilityTimeout', Value: 20 },
    { Name: 'QueueArn', Value: `arn:aws:sqs:us-east-1:000000000000:query-${n}` },
  ]);
  const tags = await ok({ Action: 'ListQueueTags', QueueUrl: url });
  assert.deepEqual(tags.Tag, [{ Key: 'team', Value: 'a' }]);
  await error({ Action: 'CreateQueue', QueueName: `query-${n}`, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '21' }, 400, 'QueueAlreadyExists');
});

test('send, receive with attributes, delete', async () => {
  const url = await queue();
  const sent = await ok({
    Action: 'SendMessage',
    QueueUrl: url,
    MessageBody: 'hello',
    'MessageAttribute.1.Name': 'Foo',
    'MessageAttribute.1.Value.DataType': 'String',
    'MessageAttribute.1.Value.StringValue': 'Bar',
  });
  assert.equal(sent.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
  assert.equal(sent.MD5OfMessageAttributes, 'ae7155c6026991b6d54b11589678bf9c');
  const got = await ok({ Action: 'ReceiveMessage', QueueUrl: url, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' });
  const m = got.Message[0];
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.Body, 'hello');
  assert.equal(m.MD5OfMessageAttributes, 'ae7155c6026991b6d54b11589678bf9c');
  assert.deepEqual(m.MessageAttribute, [{ Name: 'Foo', Value: { DataType: 'String', StringValue: 'Bar' } }]);
  assert.deepEqual(m.Attribute.find((a: { Name: string }) => a.Name === 'ApproximateReceiveCount'), { Name: 'ApproximateReceiveCount', Value: 1 });
  await ok({ Action: 'DeleteMessage', QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
  const empty = await ok({ Action: 'ReceiveMessage', QueueUrl: url });
  assert.equal(empty, '');
});

test('a request posted to the queue URL may leave QueueUrl out', async () => {
  const url = await queue();
  const path = new URL(url).pathname;
  const sent = await call({ Action: 'SendMessage', MessageBody: 'by path' }, path);
  assert.equal(sent.status, 200, sent.raw);
  const got = await call({ Action: 'ReceiveMessage' }, path);
  assert.equal(got.body.ReceiveMessageResponse.ReceiveMessageResult.Message[0].Body, 'by path');
  await error({ Action: 'ReceiveMessage' }, 400, 'MissingParameter', 'The request must contain the parameter QueueUrl.');
});

test('batches report successful and failed entries', async () => {
  const url = await queue();
  const res = await ok({
    Action: 'SendMessageBatch',
    QueueUrl: url,
    'SendMessageBatchRequestEntry.1.Id': 'good',
    'SendMessageBatchRequestEntry.1.MessageBody': 'a',
    'SendMessageBatchRequestEntry.2.Id': 'bad',
    'SendMessageBatchRequestEntry.2.MessageBody': 'b\u0001',
  });
  assert.equal(res.SendMessageBatchResultEntry[0].Id, 'good');
  assert.deepEqual({ ...res.BatchResultErrorEntry[0], Message: undefined }, { Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true, Message: undefined });
  await error({ Action: 'SendMessageBatch', QueueUrl: url }, 400, 'AWS.SimpleQueueService.EmptyBatchRequest');
});

test('errors carry the legacy query codes', async () => {
  const url = await queue();
  await error({ Action: 'GetQueueUrl', QueueName: 'missing' }, 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
  await error({ Action: 'ReceiveMessage', QueueUrl: url, MaxNumberOfMessages: '11' }, 400, 'InvalidParameterValue',
    'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
  await error({ Action: 'DeleteMessage', QueueUrl: url, ReceiptHandle: 'nope' }, 404, 'ReceiptHandleIsInvalid', 'The input receipt handle "nope" is not a valid receipt handle.');
  await error({ Action: 'SendMessage', QueueUrl: url }, 400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
  await error({ Action: 'SetQueueAttributes', QueueUrl: url, 'Attribute.1.Name': 'Nope', 'Attribute.1.Value': '1' }, 400, 'InvalidAttributeName', 'Unknown Attribute Nope.');
  await ok({ Action: 'PurgeQueue', QueueUrl: url });
  await error({ Action: 'PurgeQueue', QueueUrl: url }, 403, 'AWS.SimpleQueueService.PurgeQueueInProgress');
  await error({ Action: 'ChangeMessageVisibilityBatch', QueueUrl: url, 'ChangeMessageVisibilityBatchRequestEntry.1.Id': 'a:b', 'ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle': 'x' },
    400, 'AWS.SimpleQueueService.InvalidBatchEntryId');
});

test('ListQueues answers one QueueUrl element per queue', async () => {
  await queue();
  const res = await ok({ Action: 'ListQueues', QueueNamePrefix: 'query-' });
  const urls: string[] = [].concat(res.QueueUrl);
  assert.ok(urls.length >= 1);
  assert.ok(urls.every((u) => u.startsWith(`${kumo.endpoint}/000000000000/query-`)));
});

test('JSON clients get the query code in x-amzn-query-error', async () => {
  const res = await fetch(kumo.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.GetQueueUrl',
      'x-amzn-query-mode': 'true',
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
    },
    body: JSON.stringify({ QueueName: 'missing' }),
  });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  const body = (await res.json()) as { __type: string; message: string };
  assert.match(body.__type, /QueueDoesNotExist$/);
  assert.equal(body.message, 'The specified queue does not exist.');
});
