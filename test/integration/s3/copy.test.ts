import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CopyObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();

test('copy keeps metadata by default and replaces it with REPLACE, across buckets', async () => {
  const src = await h.bucket();
  const dst = await h.bucket();
  const put = await h.s3.send(new PutObjectCommand({ Bucket: src, Key: 'a b/src', Body: 'payload', ContentType: 'text/x-src', Metadata: { from: 'src' }, Tagging: 't=1' }));
  const copied = await h.s3.send(new CopyObjectCommand({ Bucket: dst, Key: 'copy', CopySource: `${src}/${encodeURIComponent('a b/src')}` }));
  assert.equal(copied.CopyObjectResult!.ETag, put.ETag);
  assert.ok(copied.CopyObjectResult!.LastModified instanceof Date);
  const got = await h.s3.send(new GetObjectCommand({ Bucket: dst, Key: 'copy' }));
  assert.equal(await text(got.Body), 'payload');
  assert.equal(got.ContentType, 'text/x-src');
  assert.deepEqual(got.Metadata, { from: 'src' });
  assert.deepEqual((await h.s3.send(new GetObjectTaggingCommand({ Bucket: dst, Key: 'copy' }))).TagSet, [{ Key: 't', Value: '1' }]);
  await h.s3.send(new CopyObjectCommand({
    Bucket: dst, Key: 'replaced', CopySource: `/${src}/a%20b/src`, MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { to: 'dst' },
    TaggingDirective: 'REPLACE', Tagging: 'u=2',
  }));
  const replaced = await h.s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'replaced' }));
  assert.equal(replaced.ContentType, 'text/x-new');
  assert.deepEqual(replaced.Metadata, { to: 'dst' });
  assert.deepEqual((await h.s3.send(new GetObjectTaggingCommand({ Bucket: dst, Key: 'replaced' }))).TagSet, [{ Key: 'u', Value: '2' }]);
  // The copy does not depend on the source any more.
  await h.s3.send(new DeleteObjectCommand({ Bucket: src, Key: 'a b/src' }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: dst, Key: 'copy' }))).Body), 'payload');
});

test('copy onto itself needs a change; with REPLACE it updates metadata in place', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'self', Body: 'same', Metadata: { v: '1' } }));
  await rejects(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'self', CopySource: `${b}/self` })), 'InvalidRequest',
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  await h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'self', CopySource: `${b}/self`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } }));
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'self' }));
  assert.deepEqual(head.Metadata, { v: '2' });
  await h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'self', CopySource: `${b}/self`, StorageClass: 'GLACIER_IR' }));
  assert.equal((await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'self' }))).StorageClass, 'GLACIER_IR');
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'self' }))).Body), 'same');
});

test('copy source conditions fail with 412; missing sources are NoSuchKey / NoSuchBucket', async () => {
  const b = await h.bucket();
  const { ETag } = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 's', Body: 'x' }));
  const copy = (extra: object) => h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: `${b}/s`, ...extra }));
  await copy({ CopySourceIfMatch: ETag });
  await rejects(copy({ CopySourceIfMatch: '"other"' }), 'PreconditionFailed');
  await rejects(copy({ CopySourceIfNoneMatch: ETag }), 'PreconditionFailed');
  await rejects(copy({ CopySourceIfModifiedSince: new Date() }), 'PreconditionFailed');
  await rejects(copy({ CopySourceIfUnmodifiedSince: new Date('2000-01-01') }), 'PreconditionFailed');
  await rejects(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: `${b}/missing` })), 'NoSuchKey');
  await rejects(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: `${h.name('gone')}/s` })), 'NoSuchBucket');
  await rejects(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: 'no-slash' })), 'InvalidArgument');
  await rejects(h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: `${b}/s`, MetadataDirective: 'MERGE' as 'COPY' })), 'InvalidArgument', 'Unknown metadata directive.');
});

test('copy can add a checksum the source did not have', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 's', Body: 'checksum me' }));
  const out = await h.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'd', CopySource: `${b}/s`, ChecksumAlgorithm: 'SHA256' }));
  assert.ok(out.CopyObjectResult!.ChecksumSHA256);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'd', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumSHA256, out.CopyObjectResult!.ChecksumSHA256);
});
