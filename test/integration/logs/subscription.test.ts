import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteSubscriptionFilterCommand, DescribeSubscriptionFiltersCommand, PutDestinationCommand,
  PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { makeZip } from '../../helpers/zip.ts';
import { logsKit, rejects, type LogsKit } from './setup.ts';

let kit: LogsKit;
let lambda: LambdaClient;
let sqs: SQSClient;
before(async () => {
  kit = await logsKit();
  lambda = new LambdaClient(clientConfig(kit.kumo.endpoint));
  sqs = new SQSClient(clientConfig(kit.kumo.endpoint));
});
after(async () => {
  lambda.destroy();
  sqs.destroy();
  await kit.close();
});

/** A function that decodes what CloudWatch Logs sends it and forwards the decoded message to a queue. */
async function sink(name: string): Promise<{ arn: string; url: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-seen` }));
  const source = `
const zlib = require('node:zlib');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const decoded = zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8');
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.SEEN, MessageBody: decoded }));
};`;
  const out = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler',
    Code: { ZipFile: makeZip({ 'index.js': source }) }, Environment: { Variables: { SEEN: QueueUrl! } },
  }));
  return { arn: out.FunctionArn!, url: QueueUrl! };
}

/** The next `n` decoded messages the sink forwarded, by type. */
async function seen(url: string, n: number): Promise<any[]> {
  const out: any[] = [];
  for (let i = 0; i < 20 && out.length < n; i++) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }));
    for (const m of got.Messages ?? []) out.push(JSON.parse(m.Body!));
  }
  return out;
}

async function group(name: string, stream = 's1'): Promise<void> {
  await kit.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await kit.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
}

test('matching events reach the subscribed function as a gzipped DATA_MESSAGE, after a CONTROL_MESSAGE', async () => {
  const fn = await sink('sub-sink');
  await group('app');
  await kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'app', filterName: 'errors', filterPattern: 'ERROR', destinationArn: fn.arn }));
  const [control] = await seen(fn.url, 1);
  assert.equal(control.messageType, 'CONTROL_MESSAGE');
  assert.equal(control.owner, 'CloudwatchLogs');
  assert.match(control.logEvents[0].message, /^CWL CONTROL MESSAGE: Checking health of destination/);
  const now = await kit.now();
  await kit.logs.send(new PutLogEventsCommand({
    logGroupName: 'app', logStreamName: 's1',
    logEvents: [{ timestamp: now - 2, message: 'ERROR one' }, { timestamp: now - 1, message: 'INFO fine' }, { timestamp: now, message: 'ERROR two' }],
  }));
  const [data, ...rest] = await seen(fn.url, 1);
  assert.equal(rest.length, 0);
  assert.equal(data.messageType, 'DATA_MESSAGE');
  assert.equal(data.owner, '000000000000');
  assert.equal(data.logGroup, 'app');
  assert.equal(data.logStream, 's1');
  assert.deepEqual(data.subscriptionFilters, ['errors']);
  assert.deepEqual(data.logEvents.map((e: any) => [e.timestamp, e.message]), [[now - 2, 'ERROR one'], [now, 'ERROR two']]);
  for (const e of data.logEvents) assert.match(e.id, /^\d{56}$/);
  assert.equal(data.logEvents[0].extractedFields, undefined);
});

test('space-delimited patterns send the named fields as extractedFields', async () => {
  const fn = await sink('fields-sink');
  await group('access');
  await kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'access', filterName: 'client-errors', filterPattern: '[ip, user, status = 4*]', destinationArn: fn.arn }));
  await seen(fn.url, 1);
  const now = await kit.now();
  await kit.logs.send(new PutLogEventsCommand({
    logGroupName: 'access', logStreamName: 's1',
    logEvents: [{ timestamp: now, message: '10.0.0.1 alice 404' }, { timestamp: now, message: '10.0.0.2 bob 200' }],
  }));
  const [data] = await seen(fn.url, 1);
  assert.deepEqual(data.logEvents.map((e: any) => e.extractedFields), [{ ip: '10.0.0.1', user: 'alice', status: '404' }]);
});

test('a Logs destination whose target is a function delivers there', async () => {
  const fn = await sink('dest-sink');
  await group('via-dest');
  const { destination } = await kit.logs.send(new PutDestinationCommand({ destinationName: 'to-fn', targetArn: fn.arn, roleArn: 'arn:aws:iam::000000000000:role/r' }));
  await kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'via-dest', filterName: 'all', filterPattern: '', destinationArn: destination!.arn! }));
  await seen(fn.url, 1);
  const now = await kit.now();
  await kit.logs.send(new PutLogEventsCommand({ logGroupName: 'via-dest', logStreamName: 's1', logEvents: [{ timestamp: now, message: 'hello' }] }));
  const [data] = await seen(fn.url, 1);
  assert.equal(data.logGroup, 'via-dest');
  assert.deepEqual(data.logEvents.map((e: any) => e.message), ['hello']);
});

test('subscription filters are stored, two per group; deleted ones stop delivering', async () => {
  const fn = await sink('limit-sink');
  await group('limits');
  await kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'limits', filterName: 'a', filterPattern: '', destinationArn: fn.arn }));
  await kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'limits', filterName: 'b', filterPattern: 'ERROR', destinationArn: fn.arn, distribution: 'Random' }));
  await rejects(kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'limits', filterName: 'c', filterPattern: '', destinationArn: fn.arn })), 'LimitExceededException');
  const subs = await kit.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'limits' }));
  assert.deepEqual(subs.subscriptionFilters!.map((s) => [s.filterName, s.distribution, s.destinationArn]), [['a', 'ByLogStream', fn.arn], ['b', 'Random', fn.arn]]);
  await seen(fn.url, 2);
  await kit.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: 'limits', filterName: 'a' }));
  const now = await kit.now();
  await kit.logs.send(new PutLogEventsCommand({ logGroupName: 'limits', logStreamName: 's1', logEvents: [{ timestamp: now, message: 'ERROR x' }] }));
  const got = await seen(fn.url, 1);
  assert.deepEqual(got.map((d) => d.subscriptionFilters), [['b']]);
});

test('destinations kumo cannot deliver to are refused as AWS refuses unreachable ones', async () => {
  await group('refused');
  const put = (destinationArn: string) => kit.logs.send(new PutSubscriptionFilterCommand({ logGroupName: 'refused', filterName: 'f', filterPattern: '', destinationArn, roleArn: 'arn:aws:iam::000000000000:role/r' }));
  await rejects(put('arn:aws:kinesis:us-east-1:000000000000:stream/s'), 'InvalidParameterException', /Kinesis stream/);
  await rejects(put('arn:aws:firehose:us-east-1:000000000000:deliverystream/d'), 'InvalidParameterException', /Firehose stream/);
  await rejects(put('arn:aws:lambda:us-east-1:000000000000:function:missing'), 'InvalidParameterException', 'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.');
  await rejects(put('arn:aws:logs:us-east-1:000000000000:destination:none'), 'ResourceNotFoundException');
  await rejects(put('nope'), 'InvalidParameterException');
  assert.equal((await kit.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'refused' }))).subscriptionFilters!.length, 0);
});
