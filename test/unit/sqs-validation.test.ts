import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import {
  checkBatch, checkBody, checkFifoId, checkMessageAttributes, checkQueueName, intParam,
} from '../../src/services/sqs/validation.ts';

function fails(fn: () => unknown, code: string, message?: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

test('bodies: XML characters pass, others name the first offender', () => {
  assert.equal(checkBody('tab\tnl\ncr\r emoji 😀 \uE000\uFFFD'), 'tab\tnl\ncr\r emoji 😀 \uE000\uFFFD');
  fails(() => checkBody('a\u0008'), 'InvalidMessageContents', /^Invalid binary character '#x8' was found in the message body/);
  fails(() => checkBody('\uFFFF'), 'InvalidMessageContents', /'#xFFFF'/);
  fails(() => checkBody('lone \uD800 surrogate'), 'InvalidMessageContents', /'#xD800'/);
  fails(() => checkBody(''), 'MissingRequiredParameterException', 'The request must contain the parameter MessageBody.');
});

test('integer parameters: range and AWS wording', () => {
  assert.equal(intParam(undefined, 'MaxNumberOfMessages', 1, 10, 'r'), undefined);
  assert.equal(intParam(10, 'MaxNumberOfMessages', 1, 10, 'r'), 10);
  fails(() => intParam(0, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.'), 'InvalidParameterValueException',
    'Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
  fails(() => intParam(1.5, 'X', 1, 10, 'r'), 'InvalidParameterValueException');
});

test('queue names', () => {
  assert.equal(checkQueueName('a-b_C9', false), 'a-b_C9');
  assert.equal(checkQueueName(`${'x'.repeat(75)}.fifo`, true), `${'x'.repeat(75)}.fifo`);
  fails(() => checkQueueName('x'.repeat(81), false), 'InvalidParameterValueException');
  fails(() => checkQueueName(`${'x'.repeat(76)}.fifo`, true), 'InvalidParameterValueException');
  fails(() => checkQueueName('a.b', false), 'InvalidParameterValueException');
  fails(() => checkQueueName('plain', true), 'InvalidParameterValueException', /must end with \.fifo suffix/);
  fails(() => checkQueueName(undefined, false), 'MissingRequiredParameterException');
});

test('FIFO ids: printable ASCII without spaces, 1 to 128', () => {
  assert.equal(checkFifoId('a!~{}', 'MessageGroupId'), 'a!~{}');
  assert.equal(checkFifoId(undefined, 'MessageGroupId'), undefined);
  fails(() => checkFifoId('', 'MessageDeduplicationId'), 'InvalidParameterValueException',
    'Value  for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  fails(() => checkFifoId('x'.repeat(129), 'MessageGroupId'), 'InvalidParameterValueException');
  fails(() => checkFifoId('é', 'MessageGroupId'), 'InvalidParameterValueException');
});

test('batches: empty, too many, malformed and repeated ids', () => {
  assert.equal(checkBatch([{ Id: 'a' }, { Id: 'b-_1' }], 'E').length, 2);
  fails(() => checkBatch([], 'SendMessageBatchRequestEntry'), 'EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  fails(() => checkBatch(undefined, 'E'), 'EmptyBatchRequest');
  fails(() => checkBatch(Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}` })), 'E'), 'TooManyEntriesInBatchRequest',
    'Maximum number of entries per request are 10. You have sent 11.');
  fails(() => checkBatch([{ Id: 'x'.repeat(81) }], 'E'), 'InvalidBatchEntryId');
  fails(() => checkBatch([{ Id: '' }], 'E'), 'InvalidBatchEntryId');
  fails(() => checkBatch([{ Id: 'a' }, { Id: 'a' }], 'E'), 'BatchEntryIdsNotDistinct', 'Id a repeated.');
});

test('message attributes: stored form and size', () => {
  const { attrs, size } = checkMessageAttributes({
    s: { DataType: 'String', StringValue: 'v', BinaryValue: Buffer.from('ignored') },
    n: { DataType: 'Number.int', StringValue: '-1.5e3' },
    b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) },
  }, 'user');
  assert.deepEqual(attrs, {
    s: { DataType: 'String', StringValue: 'v' },
    n: { DataType: 'Number.int', StringValue: '-1.5e3' },
    b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) },
  });
  assert.equal(size, (1 + 6 + 1) + (1 + 10 + 6) + (1 + 6 + 2));
  assert.deepEqual(checkMessageAttributes(undefined, 'user'), { size: 0 });
});

test('message attributes: AWS errors', () => {
  const one = (name: string, v: { DataType: string; StringValue?: string; BinaryValue?: Buffer }) => () => checkMessageAttributes({ [name]: v }, 'user');
  fails(one('x', { DataType: 'String', StringValue: '' }), 'InvalidParameterValueException', "Message (user) attribute 'x' must contain a non-empty value of type 'String'.");
  fails(one('x', { DataType: 'Binary' }), 'InvalidParameterValueException', "Message (user) attribute 'x' must contain a non-empty value of type 'Binary'.");
  fails(one('x', { DataType: 'Number', StringValue: '1x' }), 'InvalidParameterValueException', "Can't cast the value of message (user) attribute 'x' to a number.");
  fails(one('x', { DataType: 'Strings', StringValue: 'v' }), 'InvalidParameterValueException', /supported type prefixes: Binary, Number, String\.$/);
  fails(one('x', { DataType: 'String.', StringValue: 'v' }), 'InvalidParameterValueException');
  fails(one('a b', { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException', /'#x20' was found in the message attribute name/);
  fails(one('.a', { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException', "Invalid message attribute name starting with character '.' was found.");
  fails(one('a.', { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException', "Invalid message attribute name ending with character '.' was found.");
  fails(one('a..b', { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException', "Message attribute name can not have successive '.' character.");
  fails(one('amazon.x', { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException');
  fails(one('x'.repeat(257), { DataType: 'String', StringValue: 'v' }), 'InvalidParameterValueException');
  fails(one('x', { DataType: 'String', StringValue: 'a\u0000' }), 'InvalidParameterValueException');
  fails(() => checkMessageAttributes({ Other: { DataType: 'String', StringValue: 'v' } }, 'system'), 'InvalidParameterValueException');
  assert.ok(checkMessageAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } }, 'system').attrs);
});
