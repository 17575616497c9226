import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { applyAttributes, FIFO_DEFAULTS, STANDARD_DEFAULTS, type QueueLookup } from '../../src/services/sqs/attributes.ts';
import type { QueueRecord } from '../../src/services/sqs/records.ts';

const std = { name: 'q', account: '000000000000', region: 'us-east-1', fifo: false };
const fifo = { ...std, name: 'q.fifo', fifo: true };
const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const dlq = { name: 'dlq', fifo: false, attrs: {} } as QueueRecord;
const lookup: QueueLookup = (ref) => (ref.name === 'dlq' ? dlq : undefined);
const none: QueueLookup = () => undefined;

function fails(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (err: unknown) => err instanceof AwsError && err.code === code && (message === undefined || err.message === message));
}

test('values are range-checked and normalized', () => {
  const out = applyAttributes(STANDARD_DEFAULTS, { VisibilityTimeout: '0', MaximumMessageSize: '1024', SqsManagedSseEnabled: 'False' }, std, true, none);
  assert.equal(out.VisibilityTimeout, '0');
  assert.equal(out.MaximumMessageSize, '1024');
  assert.equal(out.SqsManagedSseEnabled, 'false');
  for (const [name, value] of [['DelaySeconds', '901'], ['MaximumMessageSize', '1023'], ['MessageRetentionPeriod', '59'], ['ReceiveMessageWaitTimeSeconds', '21'], ['VisibilityTimeout', '-1'], ['KmsDataKeyReusePeriodSeconds', '59'], ['DelaySeconds', 'x']]) {
    fails(() => applyAttributes(STANDARD_DEFAULTS, { [name!]: value! }, std, true, none), 'InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
  }
  fails(() => applyAttributes(STANDARD_DEFAULTS, { QueueArn: 'x' }, std, true, none), 'InvalidAttributeName', 'Unknown Attribute QueueArn.');
});

test('FIFO-only attributes on standard queues and FIFO rules', () => {
  fails(() => applyAttributes(STANDARD_DEFAULTS, { FifoQueue: 'true' }, std, false, none), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  fails(() => applyAttributes(STANDARD_DEFAULTS, { DeduplicationScope: 'queue' }, std, false, none), 'InvalidAttributeName',
    'You can specify the DeduplicationScope only when FifoQueue is set to true.');
  assert.equal(applyAttributes(FIFO_DEFAULTS, { FifoQueue: 'true' }, fifo, false, none).FifoQueue, 'true');
  fails(() => applyAttributes(FIFO_DEFAULTS, { DeduplicationScope: 'group' }, fifo, false, none), 'InvalidAttributeValue');
  fails(() => applyAttributes(FIFO_DEFAULTS, { FifoThroughputLimit: 'perMessageGroupId' }, fifo, false, none), 'InvalidAttributeValue');
  const high = applyAttributes(FIFO_DEFAULTS, { FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'messageGroup' }, fifo, false, none);
  assert.equal(high.FifoThroughputLimit, 'perMessageGroupId');
});

test('KMS and SQS-managed encryption exclude each other', () => {
  const kms = applyAttributes(STANDARD_DEFAULTS, { KmsMasterKeyId: 'alias/k' }, std, false, none);
  assert.equal(kms.SqsManagedSseEnabled, 'false');
  assert.equal(kms.KmsDataKeyReusePeriodSeconds, '300');
  const off = applyAttributes(kms, { KmsMasterKeyId: '' }, std, false, none);
  assert.equal(off.KmsMasterKeyId, undefined);
  assert.equal(off.KmsDataKeyReusePeriodSeconds, undefined);
  fails(() => applyAttributes(STANDARD_DEFAULTS, { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' }, std, false, none), 'InvalidAttributeName');
});

test('redrive policies', () => {
  const ok = applyAttributes(STANDARD_DEFAULTS, { RedrivePolicy: `{"maxReceiveCount":"5","deadLetterTargetArn":"${dlqArn}"}` }, std, false, lookup);
  assert.equal(ok.RedrivePolicy, `{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":5}`);
  const raw = (p: object) => JSON.stringify(p);
  const bad = (policy: string, reason: string) =>
    fails(() => applyAttributes(STANDARD_DEFAULTS, { RedrivePolicy: policy }, std, false, lookup), 'InvalidParameterValueException',
      `Value ${policy} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  bad(raw({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }), 'Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.');
  bad(raw({ deadLetterTargetArn: dlqArn }), 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  bad(raw({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nope', maxReceiveCount: 1 }), 'Dead letter target does not exist.');
  bad(raw({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1, x: 1 }), 'Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].');
  bad('not json', 'Redrive policy is not a valid JSON map.');
  fails(() => applyAttributes(FIFO_DEFAULTS, { RedrivePolicy: raw({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) }, fifo, false, lookup), 'InvalidParameterValueException');
  assert.equal(applyAttributes(ok, { RedrivePolicy: '' }, std, false, lookup).RedrivePolicy, undefined);
});

test('redrive allow policies and queue policies', () => {
  const byQueue = applyAttributes(STANDARD_DEFAULTS, { RedriveAllowPolicy: '{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:a"]}' }, std, false, none);
  assert.deepEqual(JSON.parse(byQueue.RedriveAllowPolicy!), { redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:000000000000:a'] });
  fails(() => applyAttributes(STANDARD_DEFAULTS, { RedriveAllowPolicy: '{"redrivePermission":"allowAll","sourceQueueArns":["x"]}' }, std, false, none), 'InvalidAttributeValue');
  fails(() => applyAttributes(STANDARD_DEFAULTS, { RedriveAllowPolicy: '{"redrivePermission":"some"}' }, std, false, none), 'InvalidAttributeValue');
  fails(() => applyAttributes(STANDARD_DEFAULTS, { Policy: '[1]' }, std, false, none), 'InvalidAttributeValue', 'Invalid value for the parameter Policy.');
  assert.equal(applyAttributes(STANDARD_DEFAULTS, { Policy: '{"Version":"2012-10-17"}' }, std, false, none).Policy, '{"Version":"2012-10-17"}');
});
