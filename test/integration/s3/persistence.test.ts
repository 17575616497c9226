import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListObjectVersionsCommand,
  ListObjectsV2Command, ListPartsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client, UploadPartCommand, CopyObjectCommand,
} from '@aws-sdk/client-s3';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';
import { text } from './setup.ts';

const MiB = 1024 * 1024;

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
  }
  return out;
}

test('objects, versions, checksums and an in-progress multipart upload survive a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-s3-'));
  try {
    const first = await startTestKumo({ dataDir: dir });
    let s3 = new S3Client({ ...clientConfig(first.endpoint), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'durable' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'durable', VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: '../../escape', Body: 'first', ChecksumAlgorithm: 'SHA256' }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: '../../escape', Body: 'second', Metadata: { n: '2' } }));
    await s3.send(new CopyObjectCommand({ Bucket: 'durable', Key: 'copy', CopySource: 'durable/..%2F..%2Fescape' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'durable', Key: 'multi', ChecksumAlgorithm: 'CRC32C' }));
    const part1 = Buffer.alloc(5 * MiB, 'a');
    const p1 = await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'multi', UploadId, PartNumber: 1, Body: part1, ChecksumAlgorithm: 'CRC32C' }));
    s3.destroy();
    await first.stop();
    // Keys are data: nothing outside the service folders, blob files named by ids only.
    for (const f of await files(dir)) {
      assert.ok(!f.startsWith('..') && !f.includes('escape'), f);
    }

    const second = await startTestKumo({ dataDir: dir });
    s3 = new S3Client({ ...clientConfig(second.endpoint), forcePathStyle: true });
    try {
      const current = await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: '../../escape' }));
      assert.equal(await text(current.Body), 'second');
      assert.deepEqual(current.Metadata, { n: '2' });
      const old = await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: '../../escape', VersionId: v1.VersionId, ChecksumMode: 'ENABLED' }));
      assert.equal(await text(old.Body), 'first');
      assert.equal(old.ChecksumSHA256, v1.ChecksumSHA256);
      assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: 'copy' }))).Body), 'second');
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'durable', Prefix: '../' }));
      assert.equal(versions.Versions!.length, 2);
      const parts = await s3.send(new ListPartsCommand({ Bucket: 'durable', Key: 'multi', UploadId }));
      assert.deepEqual(parts.Parts!.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, 5 * MiB, p1.ETag]]);
      const p2 = await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'multi', UploadId, PartNumber: 2, Body: 'tail', ChecksumAlgorithm: 'CRC32C' }));
      const done = await s3.send(new CompleteMultipartUploadCommand({
        Bucket: 'durable', Key: 'multi', UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32C: p1.ChecksumCRC32C }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32C: p2.ChecksumCRC32C }] },
      }));
      assert.match(done.ChecksumCRC32C!, /-2$/);
      const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: 'multi' }))).Body!.transformToByteArray());
      assert.ok(body.equals(Buffer.concat([part1, Buffer.from('tail')])));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'durable' }));
      assert.deepEqual(listed.Contents!.map((o) => o.Key), ['../../escape', 'copy', 'multi']);
    } finally {
      s3.destroy();
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
