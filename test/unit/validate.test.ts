import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { AwsError } from '../../src/protocol/aws-error.ts';
import type { ServiceModel } from '../../src/protocol/model-types.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { validateInput, type ValidationStyle } from '../../src/protocol/validate.ts';

function check(id: string, op: string, input: Record<string, unknown>, style: ValidationStyle = 'coral'): AwsError | undefined {
  const model = loadModel(id);
  try {
    validateInput(model, model.operations[op]!.input, input, style);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.status, 400);
    return e;
  }
}

function fails(id: string, op: string, input: Record<string, unknown>, code: string, message: string, style: ValidationStyle = 'coral'): void {
  const err = check(id, op, input, style);
  assert.ok(err, `${id}.${op} should fail`);
  assert.equal(err.code, code);
  assert.equal(err.message, message);
}

test('required members: Coral message for json services, MissingParameter for query', () => {
  fails('sqs', 'CreateQueue', {}, 'ValidationException',
    "1 validation error detected: Value null at 'queueName' failed to satisfy constraint: Member must not be null");
  fails('sqs', 'CreateQueue', {}, 'MissingParameter', 'The request must contain the parameter QueueName.', 'query');
  fails('sqs', 'SendMessage', { QueueUrl: 'q' }, 'ValidationException',
    "1 validation error detected: Value null at 'messageBody' failed to satisfy constraint: Member must not be null");
});

test('numeric range, quoted as Coral prints it (DynamoDB ListTables Limit 0)', () => {
  fails('dynamodb', 'ListTables', { Limit: 0 }, 'ValidationException',
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
});

test('several errors: counted, joined with "; ", nested paths and list indexes', () => {
  fails('dynamodb', 'CreateTable', {
    TableName: 'abc', KeySchema: [], AttributeDefinitions: [{}], BillingMode: '',
    StreamSpecification: { StreamEnabled: true, StreamViewType: '' },
  }, 'ValidationException', '5 validation errors detected: ' + [
    "Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must not be null",
    "Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not be null",
    "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
    "Value '' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    "Value '' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
  ].join('; '));
});

test('list items are reported once for the list (Lambda Architectures)', () => {
  fails('lambda', 'CreateFunction', { FunctionName: 'f', Role: 'arn:aws:iam::000000000000:role/r', Code: {}, Architectures: ['foo'] },
    'ValidationException',
    "1 validation error detected: Value '[foo]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]");
});

test('sensitive values are not echoed; map keys are reported for the map', () => {
  fails('cognito-idp', 'SignUp', { ClientId: 'abc', Username: 'u', Password: 'a b' }, 'ValidationException',
    "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+");
  const err = check('lambda', 'CreateFunction', {
    FunctionName: 'f', Role: 'arn:aws:iam::000000000000:role/r', Code: {}, Environment: { Variables: { '1bad': 'v' } },
  });
  assert.match(err!.message, /^1 validation error detected: Value at 'environment\.variables' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must satisfy regular expression pattern: \[a-zA-Z\]\(\[a-zA-Z0-9_\]\)\+, Member must not be null\]$/);
});

test('string length and patterns (Lambda function names, STS in query style)', () => {
  const err = check('lambda', 'GetFunction', { FunctionName: 'bad name!' });
  assert.match(err!.message, /^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  assert.equal(check('lambda', 'GetFunction', { FunctionName: 'good-name_1' }), undefined);
  assert.equal(check('lambda', 'GetFunction', { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f' }), undefined);
  fails('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'x' }, 'ValidationError',
    "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2", 'query');
});

test('valid input passes, including deep DynamoDB items and blobs', () => {
  assert.equal(check('sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: 'x', DelaySeconds: 0 }), undefined);
  assert.equal(check('dynamodb', 'PutItem', { TableName: 'tbl', Item: { a: { M: { b: { L: [{ S: 'x' }, { B: Buffer.from('y') }] } } } } }), undefined);
  assert.equal(check('kms', 'Encrypt', { KeyId: 'alias/k', Plaintext: Buffer.from('x') }), undefined);
  const tooBig = check('kms', 'Encrypt', { KeyId: 'alias/k', Plaintext: Buffer.alloc(4097) });
  assert.match(tooBig!.message, /Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/);
});

test('Java pattern forms: inline flags, \\p classes, patterns JavaScript cannot express are skipped', () => {
  const model: ServiceModel = {
    id: 'patterns',
    metadata: { apiVersion: '1', endpointPrefix: 'p', protocol: 'json', serviceId: 'P' },
    operations: { Op: { name: 'Op', http: { method: 'POST', requestUri: '/' }, input: { shape: 'In' } } },
    shapes: {
      In: { type: 'structure', members: { dotAll: { shape: 'DotAll' }, letters: { shape: 'Letters' }, odd: { shape: 'Odd' }, anchored: { shape: 'Anchored' }, caseless: { shape: 'Caseless' } } },
      DotAll: { type: 'string', pattern: '(?s).{0,5}' },
      Letters: { type: 'string', pattern: '[\\p{L}\\p{N}]+' },
      Odd: { type: 'string', pattern: '^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$' },
      Anchored: { type: 'string', pattern: '^arn:' },
      Caseless: { type: 'string', pattern: '^(?i)(true|false)$' },
    },
  };
  const run = (input: Record<string, unknown>) => validateInput(model, model.operations.Op!.input, input, 'coral');
  run({ dotAll: 'a\nb', letters: 'héllo1', odd: ' anything ', anchored: 'arn:aws:x', caseless: 'TRUE' });
  assert.throws(() => run({ dotAll: 'too long' }), AwsError);
  assert.throws(() => run({ letters: 'a b' }), AwsError);
  assert.throws(() => run({ anchored: 'x arn:' }), AwsError);
  assert.throws(() => run({ caseless: 'yes' }), AwsError);
});

test('no input shape, and repeated validation of a valid input, pass', () => {
  const sqs = loadModel('sqs');
  validateInput(sqs, undefined, {}, 'coral');
  const ddb = loadModel('dynamodb');
  const op = ddb.operations.PutItem!;
  const input = { TableName: 'tbl', Item: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, { S: 'x' }])) };
  for (let i = 0; i < 10_000; i++) validateInput(ddb, op.input, input, 'coral');
});
