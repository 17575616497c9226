import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand, CopyObjectCommand,
} from '@aws-sdk/client-s3';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();

async function versioned(): Promise<string> {
  const b = await h.bucket();
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
  return b;
}

test('versioning configuration: unset, enabled, suspended', async () => {
  const b = await h.bucket();
  const initial = await h.s3.send(new GetBucketVersioningCommand({ Bucket: b }));
  assert.equal(initial.Status, undefined);
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await h.s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status, 'Enabled');
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await h.s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status, 'Suspended');
  await rejects(h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'On' as 'Enabled' } })), 'MalformedXML');
});

test('every write is a version; reads by version id; the latest wins', async () => {
  const b = await versioned();
  const v1 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'one' }));
  const v2 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'two' }));
  assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body), 'two');
  const old = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }));
  assert.equal(await text(old.Body), 'one');
  assert.equal(old.VersionId, v1.VersionId);
  await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'A'.repeat(32) })), 'NoSuchVersion', 'The specified version does not exist.');
  await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'bad!' })), 'InvalidArgument', 'Invalid version id specified');
});

test('delete markers: hide the key, answer 404 / 405, are listed, and deleting them restores the object', async () => {
  const b = await versioned();
  const v1 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'alive' }));
  const del = await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
  assert.equal(del.DeleteMarker, true);
  assert.ok(del.VersionId);
  const missing = await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), 'NoSuchKey');
  assert.equal(missing.$response?.headers['x-amz-delete-marker'], 'true');
  const byId = await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId })), 'MethodNotAllowed',
    'The specified method is not allowed against this resource.');
  assert.equal(byId.$metadata.httpStatusCode, 405);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId })).catch((e: { $metadata: { httpStatusCode: number } }) => e);
  assert.equal(head.$metadata.httpStatusCode, 405);
  assert.equal((await h.s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount, 0);
  const versions = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
  assert.deepEqual(versions.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['k', v1.VersionId, false]]);
  assert.deepEqual(versions.DeleteMarkers!.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['k', del.VersionId, true]]);
  const removed = await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId }));
  assert.equal(removed.DeleteMarker, true);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body), 'alive');
});

test('deleting a version permanently; the bucket is empty only when no version is left', async () => {
  const b = await versioned();
  const v1 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'one' }));
  const v2 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'two' }));
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: v2.VersionId }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body), 'one');
  const marker = await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
  await rejects(h.s3.send(new DeleteBucketCommand({ Bucket: b })), 'BucketNotEmpty', 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  const batch = await h.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'k', VersionId: v1.VersionId }, { Key: 'k', VersionId: marker.VersionId }] } }));
  assert.equal(batch.Deleted!.length, 2);
  assert.equal(batch.Deleted!.find((d) => d.VersionId === marker.VersionId)!.DeleteMarker, true);
  await h.s3.send(new DeleteBucketCommand({ Bucket: b }));
});

test('ListObjectVersions: newest first per key, key and version-id markers', async () => {
  const b = await versioned();
  const ids: string[] = [];
  for (const body of ['1', '2', '3']) ids.push((await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'a', Body: body }))).VersionId!);
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'b', Body: 'b' }));
  const all = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
  assert.deepEqual(all.Versions!.map((v) => [v.Key, v.VersionId]), [['a', ids[2]], ['a', ids[1]], ['a', ids[0]], ['b', all.Versions![3]!.VersionId]]);
  const page = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b, MaxKeys: 2 }));
  assert.equal(page.IsTruncated, true);
  assert.equal(page.NextKeyMarker, 'a');
  assert.equal(page.NextVersionIdMarker, ids[1]);
  const rest = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b, KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker }));
  assert.deepEqual(rest.Versions!.map((v) => v.VersionId), [ids[0], all.Versions![3]!.VersionId]);
  const afterA = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b, KeyMarker: 'a' }));
  assert.deepEqual(afterA.Versions!.map((v) => v.Key), ['b']);
});

test('suspended versioning writes the null version, replacing the previous null version', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'pre-versioning' }));
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
  const v = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'versioned' }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'null' }))).Body), 'pre-versioning');
  await h.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
  const s1 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'suspended' }));
  assert.equal(s1.VersionId, 'null');
  const versions = await h.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
  assert.deepEqual(versions.Versions!.map((x) => x.VersionId), ['null', v.VersionId]);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'null' }))).Body), 'suspended');
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }));
  assert.equal(head.VersionId, 'null');
});

test('copy from a specific version reports it', async () => {
  const b = await versioned();
  const v1 = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'src', Body: 'old' }));
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'src', Body: 'new' }));
  const out = await h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src?versionId=${v1.VersionId}` }));
  assert.equal(out.CopySourceVersionId, v1.VersionId);
  assert.ok(out.VersionId);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'dst' }))).Body), 'old');
});
