import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import {
  CreateExportTaskCommand, CreateLogGroupCommand, CreateLogStreamCommand, DescribeExportTasksCommand, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from '../../helpers/kumo.ts';
import { logsKit } from './setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'kumo-logs-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a task still pending when kumo stops runs after the restart', async () => {
  const first = await logsKit({ dataDir: dir, durability: 'process' });
  const t = await first.now();
  const s3 = new S3Client({ ...clientConfig(first.kumo.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
  s3.destroy();
  await first.logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
  await first.logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
  await first.logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: t - 10, message: 'survives' }] }));
  // The clock is frozen: the task cannot leave PENDING before kumo stops.
  const { taskId } = await first.logs.send(new CreateExportTaskCommand({ logGroupName: 'g', from: 0, to: t, destination: 'exports' }));
  assert.equal((await first.logs.send(new DescribeExportTasksCommand({ taskId }))).exportTasks![0]!.status!.code, 'PENDING');
  await first.close();

  const second = await logsKit({ dataDir: dir, durability: 'process' });
  const s3b = new S3Client({ ...clientConfig(second.kumo.endpoint), forcePathStyle: true });
  try {
    let code: string | undefined;
    for (let i = 0; i < 20 && code !== 'COMPLETED'; i++) {
      await second.advance(1000);
      code = (await second.logs.send(new DescribeExportTasksCommand({ taskId }))).exportTasks![0]!.status!.code;
    }
    assert.equal(code, 'COMPLETED');
    const out = await s3b.send(new GetObjectCommand({ Bucket: 'exports', Key: `exportedlogs/${taskId}/s/000000.gz` }));
    assert.equal(gunzipSync(await out.Body!.transformToByteArray()).toString(), `${new Date(t - 10).toISOString()} survives\n`);
  } finally {
    s3b.destroy();
    await second.close();
  }
});
