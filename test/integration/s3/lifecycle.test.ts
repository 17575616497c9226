import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateMultipartUploadCommand, DeleteObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, type LifecycleRule,
} from '@aws-sdk/client-s3';
import { s3Harness } from './setup.ts';

const h = s3Harness();
const DAY = 86_400_000;

async function withRules(Rules: LifecycleRule[], versioned = false): Promise<string> {
  const b = await h.bucket();
  if (versioned) await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
  await h.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules } }));
  return b;
}

async function keys(b: string): Promise<string[]> {
  return ((await h.s3.send(new ListObjectsV2Command({ Bucket: b }))).Contents ?? []).map((o) => o.Key!);
}

test('expiration deletes matching objects once kumo clock passes the due midnight; x-amz-expiration shows it', async () => {
  const b = await withRules([{ ID: 'tmp-1d', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }]);
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'tmp/a', Body: 'x' }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'keep/b', Body: 'x' }));
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'tmp/a' }));
  const due = new Date(Math.floor(head.LastModified!.getTime() / DAY) * DAY + 2 * DAY);
  assert.equal(head.Expiration, `expiry-date="${due.toUTCString()}", rule-id="tmp-1d"`);
  assert.equal((await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'keep/b' }))).Expiration, undefined);
  await h.advance(due.getTime() - Date.now() - 3_600_000);
  assert.deepEqual(await keys(b), ['keep/b', 'tmp/a']);
  await h.advance(2 * 3_600_000);
  assert.deepEqual(await keys(b), ['keep/b']);
});

test('versioned buckets: expiration adds a delete marker; noncurrent versions and lone delete markers expire too', async () => {
  const b = await withRules([
    { ID: 'current', Status: 'Enabled', Filter: { Prefix: 'c/' }, Expiration: { Days: 1 } },
    { ID: 'old', Status: 'Enabled', Filter: { Prefix: 'n/' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'm/' }, Expiration: { ExpiredObjectDeleteMarker: true } },
  ], true);
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'c/obj', Body: 'v1' }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'n/obj', Body: 'v1' }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'n/obj', Body: 'v2' }));
  const marker = (await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'm/obj', Body: 'v1' }))).VersionId;
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'm/obj', VersionId: marker }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'm/obj', Body: 'v2' }));
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'm/obj' }));
  const versions = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
  const mVersion = versions.Versions!.find((v) => v.Key === 'm/obj')!.VersionId;
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'm/obj', VersionId: mVersion }));
  await h.advance(3 * DAY);
  const after = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
  assert.deepEqual((after.Versions ?? []).map((v) => [v.Key, v.IsLatest]), [['c/obj', false], ['n/obj', true]]);
  assert.deepEqual((after.DeleteMarkers ?? []).map((m) => [m.Key, m.IsLatest]), [['c/obj', true]]);
});

test('incomplete multipart uploads are aborted after DaysAfterInitiation', async () => {
  const b = await withRules([{ ID: 'abort', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }]);
  await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'stale' }));
  await h.advance(DAY);
  assert.equal((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads?.length, 1);
  await h.advance(2 * DAY);
  assert.equal((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads, undefined);
});

test('disabled rules do nothing', async () => {
  const b = await withRules([{ ID: 'off', Status: 'Disabled', Filter: {}, Expiration: { Days: 1 } }]);
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
  await h.advance(5 * DAY);
  assert.deepEqual(await keys(b), ['k']);
});
