import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();
const MiB = 1024 * 1024;

function filled(size: number, seed: number): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) buf.writeUInt32LE((seed * 2654435761 + i) >>> 0, i);
  return buf;
}

function md5(b: Buffer): Buffer {
  return createHash('md5').update(b).digest();
}

test('create, upload parts, list, complete: the ETag is the MD5 of the part MD5s, -N', async () => {
  const b = await h.bucket();
  const key = 'big/object.bin';
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key, ContentType: 'application/x-test', Metadata: { m: '1' } }));
  const parts = [filled(5 * MiB, 1), filled(5 * MiB, 2), Buffer.from('tail')];
  const etags: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const r = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: key, UploadId, PartNumber: i + 1, Body: parts[i] }));
    assert.equal(r.ETag, `"${md5(parts[i]!).toString('hex')}"`);
    etags.push(r.ETag!);
  }
  const listed = await h.s3.send(new ListPartsCommand({ Bucket: b, Key: key, UploadId }));
  assert.deepEqual(listed.Parts!.map((p) => [p.PartNumber, p.Size, p.ETag]), parts.map((p, i) => [i + 1, p.length, etags[i]]));
  const uploads = await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b }));
  assert.deepEqual(uploads.Uploads!.map((u) => [u.Key, u.UploadId]), [[key, UploadId]]);
  const done = await h.s3.send(new CompleteMultipartUploadCommand({
    Bucket: b, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  const expected = createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex');
  assert.equal(done.ETag, `"${expected}-3"`);
  assert.equal(done.Key, key);
  const got = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  assert.equal(got.ContentType, 'application/x-test');
  assert.deepEqual(got.Metadata, { m: '1' });
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  assert.ok(bytes.equals(Buffer.concat(parts)));
  const part2 = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: key, PartNumber: 2 }));
  assert.equal(part2.PartsCount, 3);
  assert.equal(part2.ContentRange, `bytes ${5 * MiB}-${10 * MiB - 1}/${10 * MiB + 4}`);
  assert.equal(part2.$metadata.httpStatusCode, 206);
  const spanning = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: key, Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
  assert.ok(Buffer.from(await spanning.Body!.transformToByteArray()).equals(Buffer.concat(parts).subarray(5 * MiB - 2, 5 * MiB + 2)));
  const attrs = await h.s3.send(new GetObjectAttributesCommand({ Bucket: b, Key: key, ObjectAttributes: ['ETag', 'ObjectParts', 'ObjectSize'] }));
  assert.equal(attrs.ETag, `${expected}-3`);
  assert.equal(attrs.ObjectSize, 10 * MiB + 4);
  assert.equal(attrs.ObjectParts!.TotalPartsCount, 3);
  assert.equal((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads, undefined);
  await rejects(h.s3.send(new ListPartsCommand({ Bucket: b, Key: key, UploadId })), 'NoSuchUpload');
});

test('complete checks part order, ETags and the 5 MiB minimum', async () => {
  const b = await h.bucket();
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
  const p1 = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'small' }));
  const p2 = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 2, Body: 'last' }));
  const complete = (Parts: Array<{ ETag?: string; PartNumber: number }>) =>
    h.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId, MultipartUpload: { Parts } }));
  await rejects(complete([{ ETag: p2.ETag, PartNumber: 2 }, { ETag: p1.ETag, PartNumber: 1 }]), 'InvalidPartOrder',
    'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
  await rejects(complete([{ ETag: '"0123"', PartNumber: 1 }]), 'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
  await rejects(complete([{ ETag: p1.ETag, PartNumber: 7 }]), 'InvalidPart');
  await rejects(complete([{ ETag: p1.ETag, PartNumber: 1 }, { ETag: p2.ETag, PartNumber: 2 }]), 'EntityTooSmall',
    'Your proposed upload is smaller than the minimum allowed object size.');
  const single = await complete([{ ETag: p1.ETag, PartNumber: 1 }]);
  assert.match(single.ETag!, /-1"$/);
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body), 'small');
});

test('bad part numbers and unknown uploads', async () => {
  const b = await h.bucket();
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
  for (const PartNumber of [0, 10001]) {
    await rejects(h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber, Body: 'x' })), 'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive');
  }
  await rejects(h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId: 'nope', PartNumber: 1, Body: 'x' })), 'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  await h.s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId }));
  await rejects(h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'x' })), 'NoSuchUpload');
  await rejects(h.s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId })), 'NoSuchUpload');
});

test('re-uploading a part replaces it', async () => {
  const b = await h.bucket();
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k' }));
  await h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'old' }));
  const p = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'new!' }));
  const parts = await h.s3.send(new ListPartsCommand({ Bucket: b, Key: 'k', UploadId }));
  assert.deepEqual(parts.Parts!.map((x) => [x.PartNumber, x.Size]), [[1, 4]]);
  await h.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId, MultipartUpload: { Parts: [{ ETag: p.ETag, PartNumber: 1 }] } }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body), 'new!');
});

test('upload part copy, whole and by range, from another bucket', async () => {
  const src = await h.bucket();
  const source = filled(6 * MiB, 7);
  await h.s3.send(new PutObjectCommand({ Bucket: src, Key: 'source bin', Body: source }));
  const b = await h.bucket();
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'copy' }));
  const whole = await h.s3.send(new UploadPartCopyCommand({ Bucket: b, Key: 'copy', UploadId, PartNumber: 1, CopySource: `${src}/source%20bin` }));
  assert.equal(whole.CopyPartResult!.ETag, `"${md5(source).toString('hex')}"`);
  const ranged = await h.s3.send(new UploadPartCopyCommand({
    Bucket: b, Key: 'copy', UploadId, PartNumber: 2, CopySource: `/${src}/source%20bin`, CopySourceRange: 'bytes=10-19',
  }));
  await rejects(h.s3.send(new UploadPartCopyCommand({
    Bucket: b, Key: 'copy', UploadId, PartNumber: 3, CopySource: `${src}/source%20bin`, CopySourceRange: `bytes=0-${6 * MiB}`,
  })), 'InvalidArgument', `Range specified is not valid for source object of size: ${6 * MiB}`);
  await h.s3.send(new CompleteMultipartUploadCommand({
    Bucket: b, Key: 'copy', UploadId,
    MultipartUpload: { Parts: [{ ETag: whole.CopyPartResult!.ETag, PartNumber: 1 }, { ETag: ranged.CopyPartResult!.ETag, PartNumber: 2 }] },
  }));
  const got = Buffer.from(await (await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'copy' }))).Body!.transformToByteArray());
  assert.ok(got.equals(Buffer.concat([source, source.subarray(10, 20)])));
});

test('ListMultipartUploads: prefix, delimiter, key and upload id markers', async () => {
  const b = await h.bucket();
  const ids: Record<string, string> = {};
  for (const key of ['a/1', 'a/2', 'b', 'c']) ids[key] = (await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key }))).UploadId!;
  const rolled = await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b, Delimiter: '/' }));
  assert.deepEqual(rolled.CommonPrefixes!.map((p) => p.Prefix), ['a/']);
  assert.deepEqual(rolled.Uploads!.map((u) => u.Key), ['b', 'c']);
  const page = await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b, MaxUploads: 2 }));
  assert.equal(page.IsTruncated, true);
  assert.equal(page.NextKeyMarker, 'a/2');
  const next = await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b, KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker }));
  assert.deepEqual(next.Uploads!.map((u) => u.Key), ['b', 'c']);
  const prefixed = await h.s3.send(new ListMultipartUploadsCommand({ Bucket: b, Prefix: 'a/' }));
  assert.deepEqual(prefixed.Uploads!.map((u) => u.UploadId), [ids['a/1'], ids['a/2']]);
});

test('lib-storage Upload streams a multipart upload with the SDK default checksums', async () => {
  const b = await h.bucket();
  const data = filled(12 * MiB + 123, 3);
  const upload = new Upload({ client: h.s3, params: { Bucket: b, Key: 'streamed', Body: Readable.from([data.subarray(0, 7 * MiB), data.subarray(7 * MiB)]) } });
  const out = await upload.done();
  assert.match(out.ETag!, /-3"$/);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'streamed', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ContentLength, data.length);
  const got = Buffer.from(await (await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'streamed' }))).Body!.transformToByteArray());
  assert.ok(got.equals(data));
  const small = new Upload({ client: h.s3, params: { Bucket: b, Key: 'small', Body: 'tiny body' } });
  await small.done();
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'small' }))).Body), 'tiny body');
});
