import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import {
  CancelExportTaskCommand, CreateExportTaskCommand, CreateLogGroupCommand, CreateLogStreamCommand, DescribeExportTasksCommand, PutLogEventsCommand,
  type ExportTask,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from '../../helpers/kumo.ts';
import { logsKit, rejects, type LogsKit } from './setup.ts';

/** Export tasks write a log group's events to kumo's S3 as AWS lays them out, on kumo's clock. */
let kit: LogsKit;
let s3: S3Client;
let t0: number;
before(async () => {
  kit = await logsKit();
  s3 = new S3Client({ ...clientConfig(kit.kumo.endpoint), forcePathStyle: true });
  t0 = await kit.now();
  await kit.logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
  for (const stream of ['web/1', 'worker']) await kit.logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: stream }));
  await kit.logs.send(new PutLogEventsCommand({
    logGroupName: 'app', logStreamName: 'web/1',
    logEvents: [{ timestamp: t0 - 3000, message: 'too early' }, { timestamp: t0 - 2000, message: 'GET /' }, { timestamp: t0 - 1000, message: 'GET /health' }],
  }));
  await kit.logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'worker', logEvents: [{ timestamp: t0 - 1500, message: 'job done' }] }));
});
after(async () => {
  s3.destroy();
  await kit.close();
});

async function task(taskId: string): Promise<ExportTask> {
  return (await kit.logs.send(new DescribeExportTasksCommand({ taskId }))).exportTasks![0]!;
}

/** Advances kumo's clock until the task leaves PENDING/RUNNING (the S3 writes finish asynchronously). */
async function finished(taskId: string): Promise<ExportTask> {
  for (let i = 0; i < 50; i++) {
    const t = await task(taskId);
    if (t.status!.code !== 'PENDING' && t.status!.code !== 'RUNNING') return t;
    await kit.advance(1000);
  }
  assert.fail('the export task did not finish');
}

async function gunzipped(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return gunzipSync(await out.Body!.transformToByteArray()).toString('utf8');
}

test('a task writes each stream\'s events in range as gzip under <prefix>/<taskId>/<stream>/000000.gz', async () => {
  const bucket = 'export-all';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { taskId } = await kit.logs.send(new CreateExportTaskCommand({
    taskName: 'nightly', logGroupName: 'app', from: t0 - 2000, to: t0 - 1000, destination: bucket,
  }));
  const pending = await task(taskId!);
  assert.equal(pending.status!.code, 'PENDING');
  assert.equal(pending.taskName, 'nightly');
  assert.equal(pending.destinationPrefix, 'exportedlogs');
  assert.equal(pending.executionInfo!.creationTime, t0);
  assert.equal(pending.executionInfo!.completionTime, undefined);
  const done = await finished(taskId!);
  assert.deepEqual(done.status, { code: 'COMPLETED', message: 'Completed successfully' });
  assert.ok(done.executionInfo!.completionTime! > t0);
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map((o) => o.Key).sort();
  assert.deepEqual(keys, [
    `exportedlogs/${taskId}/web-1/000000.gz`,
    `exportedlogs/${taskId}/worker/000000.gz`,
    'exportedlogs/aws-logs-write-test',
  ].sort());
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.equal(await gunzipped(bucket, `exportedlogs/${taskId}/web-1/000000.gz`), `${iso(t0 - 2000)} GET /\n${iso(t0 - 1000)} GET /health\n`);
  assert.equal(await gunzipped(bucket, `exportedlogs/${taskId}/worker/000000.gz`), `${iso(t0 - 1500)} job done\n`);
  const check = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'exportedlogs/aws-logs-write-test' }));
  assert.equal(await check.Body!.transformToString(), 'Permission Check Successful');
  await rejects(kit.logs.send(new CancelExportTaskCommand({ taskId })), 'InvalidOperationException', 'The specified export task has already finished');
});

test('a stream prefix and destination prefix narrow and place the export; DescribeExportTasks filters by status', async () => {
  const bucket = 'export-worker';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { taskId } = await kit.logs.send(new CreateExportTaskCommand({
    logGroupName: 'app', logStreamNamePrefix: 'work', from: 0, to: t0, destination: bucket, destinationPrefix: 'logs/app',
  }));
  assert.equal((await kit.logs.send(new DescribeExportTasksCommand({ statusCode: 'PENDING' }))).exportTasks!.map((t) => t.taskId).join(), taskId);
  await finished(taskId!);
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map((o) => o.Key).sort();
  assert.deepEqual(keys, [`logs/app/${taskId}/worker/000000.gz`, 'logs/app/aws-logs-write-test'].sort());
  assert.equal((await kit.logs.send(new DescribeExportTasksCommand({ statusCode: 'PENDING' }))).exportTasks!.length, 0);
  assert.ok((await kit.logs.send(new DescribeExportTasksCommand({ statusCode: 'COMPLETED' }))).exportTasks!.some((t) => t.taskId === taskId));
});

test('a missing bucket is refused; a bucket deleted before the task runs fails it', async () => {
  await rejects(kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'app', from: 0, to: t0, destination: 'no-such-export-bucket' })),
    'InvalidParameterException', 'The given bucket does not exist. Please make sure the bucket is valid.');
  await rejects(kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'nope', from: 0, to: t0, destination: 'export-all' })),
    'ResourceNotFoundException', 'The specified log group does not exist.');
  await rejects(kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'app', from: 10, to: 1, destination: 'export-all' })), 'InvalidParameterException');
  const bucket = 'export-gone';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { taskId } = await kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'app', from: 0, to: t0, destination: bucket, destinationPrefix: 'p' }));
  await rejects(kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'app', from: 0, to: t0, destination: bucket })), 'LimitExceededException', 'Resource limit exceeded.');
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'p/aws-logs-write-test' }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  const failed = await finished(taskId!);
  assert.deepEqual(failed.status, { code: 'FAILED', message: 'The given bucket does not exist. Please make sure the bucket is valid.' });
});

test('a pending task can be cancelled and then never writes', async () => {
  const bucket = 'export-cancel';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { taskId } = await kit.logs.send(new CreateExportTaskCommand({ logGroupName: 'app', from: 0, to: t0, destination: bucket }));
  await kit.logs.send(new CancelExportTaskCommand({ taskId }));
  const t = await task(taskId!);
  assert.deepEqual(t.status, { code: 'CANCELLED', message: 'Cancelled by user' });
  await kit.advance(5000);
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map((o) => o.Key);
  assert.deepEqual(keys, ['exportedlogs/aws-logs-write-test']);
  await rejects(kit.logs.send(new CancelExportTaskCommand({ taskId })), 'InvalidOperationException', 'The specified export task has already finished');
  await rejects(kit.logs.send(new CancelExportTaskCommand({ taskId: 'no-such-task' })), 'ResourceNotFoundException', 'The specified export task does not exist.');
});
