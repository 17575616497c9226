import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { history as listHistory, putRule, resetFaults as reset } from './helpers.ts';

let kumo: Kumo;
let ddb: DynamoDBClient;
let sqs: SQSClient;

before(async () => {
  kumo = await startTestKumo({ seed: 'fault-errors' });
  const retry = { maxAttempts: 3 };
  ddb = new DynamoDBClient({ ...clientConfig(kumo.endpoint), ...retry });
  sqs = new SQSClient({ ...clientConfig(kumo.endpoint), ...retry });
  await ddb.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
});
after(async () => {
  ddb.destroy();
  sqs.destroy();
  await kumo.stop();
});

const history = (rule?: string) => listHistory(kumo.endpoint, rule);

test('a throttled PutItem is retried by the SDK and succeeds on the 3rd attempt', async () => {
  await reset(kumo.endpoint);
  const put = await putRule(kumo.endpoint, 'throttle-orders', { match: { service: 'dynamodb', operation: 'PutItem', resource: 'orders' }, error: 'throttle', times: 2 });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const out = await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'retried' } } }));
  assert.equal(out.$metadata.attempts, 3);
  const events = await history('throttle-orders');
  assert.equal(events.length, 2);
  assert.equal(events[0].code, 'ProvisionedThroughputExceededException');
  assert.equal(events[0].operation, 'PutItem');
  assert.equal(events[0].action, 'error');
  assert.ok(events[0].requestId);
});

test('with one attempt the SDK surfaces the injected error', async () => {
  await reset(kumo.endpoint);
  await putRule(kumo.endpoint, 't', { match: { service: 'dynamodb', operation: 'PutItem' }, error: 'throttle' });
  const once = new DynamoDBClient(clientConfig(kumo.endpoint));
  const err = await once.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'x' } } })).then(() => undefined, (e: any) => e);
  once.destroy();
  assert.equal(err?.name, 'ProvisionedThroughputExceededException');
  assert.equal(err.$metadata.httpStatusCode, 400);
});

test('an injected error leaves the state untouched', async () => {
  await reset(kumo.endpoint);
  await putRule(kumo.endpoint, 'fail-put', { match: { service: 'dynamodb', operation: 'PutItem' }, error: { code: 'InternalServerError', status: 500 } });
  const once = new DynamoDBClient(clientConfig(kumo.endpoint));
  const err = await once.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'never' } } })).then(() => undefined, (e: any) => e);
  once.destroy();
  assert.equal(err?.name, 'InternalServerError');
  assert.equal(err.$metadata.httpStatusCode, 500);
  await reset(kumo.endpoint);
  const got = await ddb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'never' } } }));
  assert.equal(got.Item, undefined);
});

test('times and after: skip the first N matches, then fire M times', async () => {
  await reset(kumo.endpoint);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
  await putRule(kumo.endpoint, 'counted', { match: { service: 'sqs', operation: 'SendMessage', resource: 'counted' }, error: 'internal', after: 2, times: 2 });
  const once = new SQSClient(clientConfig(kumo.endpoint));
  const outcomes: string[] = [];
  for (let i = 0; i < 6; i++) {
    outcomes.push(await once.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` })).then(() => 'ok', (e: any) => `${e.name}:${e.$metadata.httpStatusCode}`));
  }
  once.destroy();
  assert.deepEqual(outcomes, ['ok', 'ok', 'InternalFailure:500', 'InternalFailure:500', 'ok', 'ok']);
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, '4');
  const list = (await (await fetch(`${kumo.endpoint}/kumo/faults`)).json()) as any;
  assert.deepEqual(list.rules[0].stats, { matches: 6, fired: 2, active: false });
  const health = (await (await fetch(`${kumo.endpoint}/kumo/health`)).json()) as any;
  assert.deepEqual(health.faults, { active: 0 });
});

test('rules match on resource: another queue is not affected; queue URL and ARN match too', async () => {
  await reset(kumo.endpoint);
  const { QueueUrl: a } = await sqs.send(new CreateQueueCommand({ QueueName: 'res-a' }));
  const { QueueUrl: b } = await sqs.send(new CreateQueueCommand({ QueueName: 'res-b' }));
  await putRule(kumo.endpoint, 'by-arn', { match: { service: 'sqs', resource: 'arn:aws:sqs:*:res-a' }, error: 'throttle' });
  const once = new SQSClient(clientConfig(kumo.endpoint));
  const errA = await once.send(new SendMessageCommand({ QueueUrl: a, MessageBody: 'x' })).then(() => undefined, (e: any) => e);
  await once.send(new SendMessageCommand({ QueueUrl: b, MessageBody: 'x' }));
  once.destroy();
  assert.equal(errA?.name, 'RequestThrottled');
  assert.deepEqual((await history()).map((e) => e.rule), ['by-arn']);
});

test('faults never apply to /kumo/* endpoints', async () => {
  await reset(kumo.endpoint);
  await putRule(kumo.endpoint, 'everything', { error: 'internal' });
  const res = await fetch(`${kumo.endpoint}/kumo/health`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as any;
  assert.deepEqual(body.faults, { active: 1 });
  await reset(kumo.endpoint);
});

test('S3: a bucket+key prefix rule answers SlowDown 503; other keys are untouched', async () => {
  const { S3Client, CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  await reset(kumo.endpoint);
  const s3 = new S3Client({ ...clientConfig(kumo.endpoint), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'slow-bucket' }));
    await putRule(kumo.endpoint, 'slow-down', { match: { service: 's3', operation: 'PutObject', resource: 'slow-bucket/hot/*' }, error: 'throttle' });
    const err = await s3.send(new PutObjectCommand({ Bucket: 'slow-bucket', Key: 'hot/1', Body: 'x' })).then(() => undefined, (e: any) => e);
    assert.equal(err?.name, 'SlowDown');
    assert.equal(err.$metadata.httpStatusCode, 503);
    await s3.send(new PutObjectCommand({ Bucket: 'slow-bucket', Key: 'cold/1', Body: 'x' }));
  } finally {
    s3.destroy();
  }
});

async function clock(body: unknown) {
  await fetch(`${kumo.endpoint}/kumo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

test('a token bucket on the engine clock throttles past its burst and refills as the clock advances', async () => {
  await reset(kumo.endpoint);
  await clock({ freeze: true });
  try {
    await putRule(kumo.endpoint, 'bucket', { match: { service: 'dynamodb', operation: 'GetItem' }, rateLimit: { rate: 1, burst: 2 } });
    const once = new DynamoDBClient(clientConfig(kumo.endpoint));
    const get = () => once.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'a' } } })).then(() => '.', (e: any) => (e.name === 'ProvisionedThroughputExceededException' ? 'x' : e.name));
    let seen = '';
    for (let i = 0; i < 4; i++) seen += await get();
    await clock({ advance: 1000 });
    seen += await get();
    seen += await get();
    once.destroy();
    assert.equal(seen, '..xx.x');
  } finally {
    await clock({ freeze: false });
  }
});

test('from/until: a rule fires only inside its window on the engine clock', async () => {
  await reset(kumo.endpoint);
  await clock({ freeze: true });
  try {
    const now = Date.parse(((await (await fetch(`${kumo.endpoint}/kumo/clock`)).json()) as any).now);
    const hour = 3_600_000;
    await putRule(kumo.endpoint, 'window', {
      match: { service: 'dynamodb', operation: 'GetItem' }, error: 'internal',
      from: new Date(now + hour).toISOString(), until: new Date(now + 2 * hour).toISOString(),
    });
    const once = new DynamoDBClient(clientConfig(kumo.endpoint));
    const get = () => once.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'a' } } })).then(() => '.', () => 'x');
    let seen = await get();
    await clock({ advance: 'PT1H' });
    seen += await get();
    await clock({ advance: 'PT1H' });
    seen += await get();
    once.destroy();
    assert.equal(seen, '.x.');
    const events = await history('window');
    assert.equal(events[0].time, new Date(now + hour).toISOString());
    assert.equal(events[0].code, 'InternalServerError');
  } finally {
    await clock({ freeze: false });
  }
});
