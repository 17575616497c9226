import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand,
  PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, RestoreObjectCommand, PutObjectCommand, PutObjectTaggingCommand, UploadPartCommand, type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from '../../helpers/kumo.ts';
import { makeZip } from '../../helpers/zip.ts';
import { rejects, s3Harness } from './setup.ts';

const h = s3Harness();
let client: SQSClient | undefined;
/** Created on first use: the harness starts kumo in its own before hook. */
const sqs = { send: ((cmd: never) => (client ??= new SQSClient(clientConfig(h.kumo.endpoint))).send(cmd)) as SQSClient['send'] };
after(() => client?.destroy());

async function queue(): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: h.name('q') }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: attrs.Attributes!.QueueArn! };
}

/** The next message's parsed body (waits up to ~10 s of real time for the delivery). */
async function next(url: string): Promise<any> {
  for (let i = 0; i < 5; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MaxNumberOfMessages: 1 }));
    const m = r.Messages?.[0];
    if (m) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      return JSON.parse(m.Body!);
    }
  }
  assert.fail('no message arrived');
}

async function none(url: string): Promise<void> {
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
  assert.equal(r.Messages, undefined, `unexpected message: ${r.Messages?.[0]?.Body}`);
}

async function configure(bucket: string, conf: NotificationConfiguration): Promise<void> {
  await h.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: conf }));
}

/** A bucket whose object events go to a fresh queue; the test event is consumed. */
async function wired(events: string[], extra: Partial<NotificationConfiguration['QueueConfigurations'] extends (infer T)[] | undefined ? T : never> = {}) {
  const bucket = await h.bucket();
  const q = await queue();
  await configure(bucket, { QueueConfigurations: [{ Id: 'cfg', QueueArn: q.arn, Events: events as never, ...extra }] });
  assert.equal((await next(q.url)).Event, 's3:TestEvent');
  return { bucket, q };
}

test('configuring a queue sends it the s3:TestEvent; an unchanged destination gets none', async () => {
  const bucket = await h.bucket();
  const q = await queue();
  const conf: NotificationConfiguration = { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] };
  await configure(bucket, conf);
  const t = await next(q.url);
  assert.equal(t.Service, 'Amazon S3');
  assert.equal(t.Event, 's3:TestEvent');
  assert.equal(t.Bucket, bucket);
  assert.match(t.Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof t.RequestId, 'string');
  assert.equal(typeof t.HostId, 'string');
  await configure(bucket, conf);
  await none(q.url);
});

test('PutObject sends the ObjectCreated:Put record as AWS shapes it', async () => {
  const { bucket, q } = await wired(['s3:ObjectCreated:*']);
  const put = await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/my file (1).txt', Body: 'hello' }));
  const doc = await next(q.url);
  assert.equal(doc.Records.length, 1);
  const r = doc.Records[0];
  assert.equal(r.eventVersion, '2.1');
  assert.equal(r.eventSource, 'aws:s3');
  assert.equal(r.awsRegion, 'us-east-1');
  assert.equal(r.eventName, 'ObjectCreated:Put');
  assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(r.requestParameters.sourceIPAddress, '127.0.0.1');
  assert.equal(r.responseElements['x-amz-request-id'], put.$metadata.requestId);
  assert.equal(r.responseElements['x-amz-id-2'], put.$metadata.extendedRequestId);
  assert.equal(r.s3.s3SchemaVersion, '1.0');
  assert.equal(r.s3.configurationId, 'cfg');
  assert.deepEqual(r.s3.bucket, { name: bucket, ownerIdentity: { principalId: '000000000000' }, arn: `arn:aws:s3:::${bucket}` });
  assert.equal(r.s3.object.key, 'dir/my+file+%281%29.txt');
  assert.equal(r.s3.object.size, 5);
  assert.equal(r.s3.object.eTag, put.ETag!.replace(/"/g, ''));
  assert.equal(r.s3.object.versionId, undefined, 'unversioned buckets name no version');
  assert.match(r.s3.object.sequencer, /^[0-9A-F]{18}$/);
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/my file (1).txt', Body: 'again' }));
  const second = (await next(q.url)).Records[0];
  assert.ok(second.s3.object.sequencer > r.s3.object.sequencer, 'sequencers grow per key');
  const inspected = await (await fetch(`${h.kumo.endpoint}/kumo/s3/notifications`)).json() as { outcomes: Array<{ status: string; target: { arn: string } }> };
  assert.equal(inspected.outcomes.filter((o) => o.target.arn === q.arn && o.status === 'delivered').length, 3, 'test event and two records');
});

test('CompleteMultipartUpload sends ObjectCreated:CompleteMultipartUpload', async () => {
  const { bucket, q } = await wired(['s3:ObjectCreated:CompleteMultipartUpload']);
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'single', Body: 'x' }));
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
  const part = await h.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId, PartNumber: 1, Body: 'abc' }));
  const done = await h.s3.send(new CompleteMultipartUploadCommand({
    Bucket: bucket, Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
  }));
  const r = (await next(q.url)).Records[0];
  assert.equal(r.eventName, 'ObjectCreated:CompleteMultipartUpload');
  assert.equal(r.s3.object.key, 'big');
  assert.equal(r.s3.object.size, 3);
  assert.equal(r.s3.object.eTag, done.ETag!.replace(/"/g, ''));
  await none(q.url);
});

test('versioned buckets: created records carry the version id; a delete sends DeleteMarkerCreated', async () => {
  const { bucket, q } = await wired(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const put = await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1' }));
  assert.equal((await next(q.url)).Records[0].s3.object.versionId, put.VersionId);
  const del = await h.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
  const marker = (await next(q.url)).Records[0];
  assert.equal(marker.eventName, 'ObjectRemoved:DeleteMarkerCreated');
  assert.equal(marker.s3.object.versionId, del.VersionId);
  assert.equal(marker.s3.object.size, undefined);
  assert.equal(marker.s3.object.eTag, undefined);
  await h.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId }));
  const removed = (await next(q.url)).Records[0];
  assert.equal(removed.eventName, 'ObjectRemoved:Delete');
  assert.equal(removed.s3.object.versionId, put.VersionId);
});

test('prefix and suffix filters choose the keys; event names choose the changes', async () => {
  const { bucket, q } = await wired(['s3:ObjectCreated:Put'], { Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } });
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'out/a.csv', Body: 'x' }));
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/a.txt', Body: 'x' }));
  await h.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'in/a.txt', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/a.csv', Body: 'x' }));
  const r = (await next(q.url)).Records[0];
  assert.equal(r.s3.object.key, 'in/a.csv');
  await none(q.url);
});

test('CopyObject sends ObjectCreated:Copy; lifecycle expiration sends LifecycleExpiration:Delete on kumo\'s clock', async () => {
  const { bucket, q } = await wired(['s3:ObjectCreated:Copy', 's3:LifecycleExpiration:*']);
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/src', Body: 'abc' }));
  await h.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'tmp/copy', CopySource: `${bucket}/tmp/src` }));
  const copied = (await next(q.url)).Records[0];
  assert.equal(copied.eventName, 'ObjectCreated:Copy');
  assert.equal(copied.s3.object.key, 'tmp/copy');
  await h.s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: bucket, LifecycleConfiguration: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] },
  }));
  await h.freeze();
  await h.advance(3 * 86_400_000);
  const expired = [(await next(q.url)).Records[0], (await next(q.url)).Records[0]];
  assert.deepEqual(expired.map((r) => r.eventName), ['LifecycleExpiration:Delete', 'LifecycleExpiration:Delete']);
  assert.deepEqual(expired.map((r) => r.s3.object.key).sort(), ['tmp/copy', 'tmp/src']);
  assert.equal(expired[0].userIdentity.principalId, 's3.amazonaws.com');
});

test('RestoreObject sends ObjectRestore:Post and, restores being instant, ObjectRestore:Completed', async () => {
  const { bucket, q } = await wired(['s3:ObjectRestore:*']);
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cold', Body: 'x', StorageClass: 'GLACIER' }));
  await h.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'cold', RestoreRequest: { Days: 2 } }));
  const started = (await next(q.url)).Records[0];
  assert.equal(started.eventName, 'ObjectRestore:Post');
  assert.equal(started.glacierEventData, undefined);
  const done = (await next(q.url)).Records[0];
  assert.equal(done.eventName, 'ObjectRestore:Completed');
  assert.equal(done.glacierEventData.restoreEventData.lifecycleRestoreStorageClass, 'GLACIER');
  assert.match(done.glacierEventData.restoreEventData.lifecycleRestorationExpiryTime, /T00:00:00\.000Z$/);
});

test('tagging changes send ObjectTagging events', async () => {
  const { bucket, q } = await wired(['s3:ObjectTagging:*']);
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 't', Body: 'x' }));
  await h.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 't', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
  assert.equal((await next(q.url)).Records[0].eventName, 'ObjectTagging:Put');
});

test('a destination that does not exist is refused, naming each one', async () => {
  const bucket = await h.bucket();
  const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
  const topic = 'arn:aws:sns:us-east-1:000000000000:no-such-topic';
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:no-such-function';
  const err = await rejects(h.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: bucket,
    NotificationConfiguration: {
      QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }],
      TopicConfigurations: [{ TopicArn: topic, Events: ['s3:ObjectRemoved:*'] }],
      LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn, Events: ['s3:ObjectTagging:*'] }],
    },
  })), 'InvalidArgument', 'Unable to validate the following destination configurations');
  assert.equal(err.$metadata.httpStatusCode, 400);
  const fields = err as unknown as Record<string, string>;
  assert.equal(fields.ArgumentName1, missing);
  assert.equal(fields.ArgumentValue1, 'The destination queue does not exist');
  assert.equal(fields.ArgumentName2, topic);
  assert.equal(fields.ArgumentValue2, 'The destination topic does not exist');
  assert.equal(fields.ArgumentName3, fn);
  assert.equal(fields.ArgumentValue3, `Not authorized to invoke function [${fn}]`);
  assert.deepEqual(Object.keys(await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).filter((k) => k !== '$metadata'), [],
    'a refused configuration is not stored');
  await h.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: bucket, SkipDestinationValidation: true, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] },
  }));
  assert.equal((await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).QueueConfigurations![0]!.QueueArn, missing);
});

test('configurations are checked as S3 does: overlaps, FIFO queues, regions, ids', async () => {
  const bucket = await h.bucket();
  const q = await queue();
  const refused = (conf: NotificationConfiguration, message: string) =>
    rejects(h.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: conf })), 'InvalidArgument', message);
  const overlap = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
  await refused({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }, { QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'] }] }, overlap);
  await refused({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectCreated:Copy'] }] }, overlap);
  await refused({
    QueueConfigurations: [
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/b/' }] } } },
    ],
  }, 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.');
  await refused({ QueueConfigurations: [{ Id: 'same', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }, { Id: 'same', QueueArn: q.arn, Events: ['s3:ObjectRemoved:*'] }] },
    'Same ID used for multiple configurations. IDs must be unique.');
  await refused({ QueueConfigurations: [{ QueueArn: `${q.arn}.fifo`, Events: ['s3:ObjectCreated:*'] }] }, 'FIFO SQS queues are not supported.');
  await refused({ QueueConfigurations: [{ QueueArn: q.arn.replace('us-east-1', 'eu-west-1'), Events: ['s3:ObjectCreated:*'] }] },
    'The notification destination service region is not valid for the bucket location constraint');
  await configure(bucket, {
    QueueConfigurations: [
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } },
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } } },
    ],
  });
  const got = await h.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  assert.equal(got.QueueConfigurations!.length, 2);
  const id = got.QueueConfigurations![0]!.Id!;
  assert.match(Buffer.from(id, 'base64').toString(), /^[0-9a-f-]{36}$/, 'generated ids are base64 UUIDs');
  assert.equal(got.QueueConfigurations![0]!.Filter!.Key!.FilterRules![0]!.Name, 'Prefix');
});

test('an SNS destination publishes the record with S3 subject', async () => {
  const sns = new SNSClient(clientConfig(h.kumo.endpoint));
  const bucket = await h.bucket();
  const q = await queue();
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: h.name('t') }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  await configure(bucket, { TopicConfigurations: [{ TopicArn, Events: ['s3:ObjectCreated:*'] }] });
  const test = await next(q.url);
  assert.equal(test.Subject, 'Amazon S3 Notification');
  assert.equal(JSON.parse(test.Message).Event, 's3:TestEvent');
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'via-sns', Body: 'x' }));
  const note = await next(q.url);
  assert.equal(JSON.parse(note.Message).Records[0].s3.object.key, 'via-sns');
  sns.destroy();
});

test('a Lambda destination invokes the function with the event', async () => {
  const lambda = new LambdaClient(clientConfig(h.kumo.endpoint));
  const q = await queue();
  const source = `
    const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
    const sqs = new SQSClient({});
    exports.handler = async (event) => { await sqs.send(new SendMessageCommand({ QueueUrl: ${JSON.stringify(q.url)}, MessageBody: JSON.stringify(event) })); };
  `;
  const fn = await lambda.send(new CreateFunctionCommand({
    FunctionName: h.name('fn'), Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler',
    Code: { ZipFile: makeZip({ 'index.js': source }) }, Timeout: 30,
  }));
  const bucket = await h.bucket();
  await configure(bucket, { LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'] }] });
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'to-lambda.json', Body: '{}' }));
  let event: any;
  for (let i = 0; i < 15 && !event; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 2 }));
    if (r.Messages?.length) event = JSON.parse(r.Messages[0]!.Body!);
  }
  assert.ok(event, 'the function did not report an event');
  assert.equal(event.Records[0].eventSource, 'aws:s3');
  assert.equal(event.Records[0].s3.configurationId, 'fn');
  assert.equal(event.Records[0].s3.object.key, 'to-lambda.json');
  lambda.destroy();
});

test('EventBridge-enabled buckets send "Object Created" to the default bus', async () => {
  const eb = new EventBridgeClient(clientConfig(h.kumo.endpoint));
  const bucket = await h.bucket();
  const q = await queue();
  const rule = h.name('rule');
  await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: [bucket] } } }) }));
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: q.arn }] }));
  await configure(bucket, { EventBridgeConfiguration: {} });
  const put = await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'eb key', Body: 'abc' }));
  const e = await next(q.url);
  assert.equal(e.source, 'aws.s3');
  assert.equal(e['detail-type'], 'Object Created');
  assert.deepEqual(e.resources, [`arn:aws:s3:::${bucket}`]);
  assert.equal(e.detail.bucket.name, bucket);
  assert.equal(e.detail.object.key, 'eb key');
  assert.equal(e.detail.object.size, 3);
  assert.equal(e.detail.object.etag, put.ETag!.replace(/"/g, ''));
  assert.equal(e.detail.reason, 'PutObject');
  assert.equal(e.detail['request-id'], put.$metadata.requestId);
  await h.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'eb key' }));
  const d = await next(q.url);
  assert.equal(d['detail-type'], 'Object Deleted');
  assert.equal(d.detail['deletion-type'], 'Permanently Deleted');
  eb.destroy();
});
