import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handlesToDelete, sqsEvent, type QueueMessage } from '../../src/services/lambda/sqs-batches.ts';

const msgs: QueueMessage[] = ['a', 'b', 'c'].map((id) => ({ MessageId: id, ReceiptHandle: `h-${id}`, Body: `body-${id}`, MD5OfBody: 'm', Attributes: { ApproximateReceiveCount: '1' } }));

test('sqsEvent builds Lambda SQS records', () => {
  const withAttr: QueueMessage = { ...msgs[0]!, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } }, MD5OfMessageAttributes: 'x' };
  const e = sqsEvent([withAttr], 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');
  assert.deepEqual(e.Records[0], {
    messageId: 'a', receiptHandle: 'h-a', body: 'body-a', attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: { k: { stringValue: 'v', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    md5OfBody: 'm', md5OfMessageAttributes: 'x', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q', awsRegion: 'us-east-1',
  });
});

test('success deletes all; failure deletes none', () => {
  assert.deepEqual(handlesToDelete(msgs, false, null, false), ['h-a', 'h-b', 'h-c']);
  assert.deepEqual(handlesToDelete(msgs, true, null, true), []);
});

test('ReportBatchItemFailures keeps only the reported messages', () => {
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: [{ itemIdentifier: 'b' }] }, true), ['h-a', 'h-c']);
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: [] }, true), ['h-a', 'h-b', 'h-c']);
  assert.deepEqual(handlesToDelete(msgs, false, {}, true), ['h-a', 'h-b', 'h-c']);
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: [{ itemIdentifier: 'zzz' }] }, true), []);
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: [{ itemIdentifier: '' }] }, true), []);
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: 'bad' }, true), []);
  assert.deepEqual(handlesToDelete(msgs, false, { batchItemFailures: [{ itemIdentifier: 'b' }] }, false), ['h-a', 'h-b', 'h-c']);
});
