import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueueArn, parseQueueUrl, queueArn, queueUrl } from '../../src/services/sqs/urls.ts';

test('queue URL forms', () => {
  const ref = { account: '123456789012', region: 'us-east-1', name: 'q' };
  assert.deepEqual(parseQueueUrl('http://localhost:4566/123456789012/q', '000000000000', 'us-east-1'), ref);
  assert.deepEqual(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/q', '000000000000', 'us-east-1'), { ...ref, region: 'eu-west-1' });
  assert.deepEqual(parseQueueUrl('https://queue.amazonaws.com/123456789012/q', '000000000000', 'us-east-1'), ref);
  assert.deepEqual(parseQueueUrl('http://sqs.ap-south-1.localhost.localstack.cloud:4566/123456789012/q', '0', 'us-east-1'), { ...ref, region: 'ap-south-1' });
  assert.deepEqual(parseQueueUrl('http://localhost:4566/queue/eu-central-1/123456789012/q', '0', 'us-east-1'), { ...ref, region: 'eu-central-1' });
  assert.deepEqual(parseQueueUrl('/123456789012/q', '0', 'us-east-1'), ref);
  assert.deepEqual(parseQueueUrl('q', '123456789012', 'us-east-1'), ref);
  assert.equal(parseQueueUrl('http://localhost:4566/q', '0', 'us-east-1'), undefined);
  assert.equal(parseQueueUrl('http://localhost:4566/acct/q', '0', 'us-east-1'), undefined);
  assert.equal(queueUrl('http://localhost:4566', '123456789012', 'q'), 'http://localhost:4566/123456789012/q');
});

test('queue ARNs by partition', () => {
  assert.equal(queueArn('us-east-1', '123456789012', 'q'), 'arn:aws:sqs:us-east-1:123456789012:q');
  assert.equal(queueArn('cn-north-1', '123456789012', 'q'), 'arn:aws-cn:sqs:cn-north-1:123456789012:q');
  assert.equal(queueArn('us-gov-west-1', '123456789012', 'q'), 'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q');
  assert.deepEqual(parseQueueArn('arn:aws:sqs:us-east-1:123456789012:q.fifo'), { account: '123456789012', region: 'us-east-1', name: 'q.fifo' });
  assert.equal(parseQueueArn('arn:aws:sns:us-east-1:123456789012:t'), undefined);
  assert.equal(parseQueueArn('dummy'), undefined);
  assert.equal(parseQueueArn('arn:aws:sqs:us-east-1:12:q'), undefined);
});
