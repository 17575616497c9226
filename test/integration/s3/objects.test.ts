import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { test } from 'node:test';
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command,
  PutObjectCommand, PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();

function rawPut(path: string, headers: Record<string, string>, chunks: string[]): Promise<{ status: number; body: string }> {
  const url = new URL(h.kumo.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'PUT', path, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: data }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('put and get carry every header that matters', async () => {
  const b = await h.bucket();
  const expires = new Date('2030-01-02T03:04:05Z');
  const put = await h.s3.send(new PutObjectCommand({
    Bucket: b, Key: 'doc.txt', Body: 'hello world', ContentType: 'text/plain; charset=utf-8', ContentEncoding: 'identity',
    ContentDisposition: 'attachment; filename="doc.txt"', ContentLanguage: 'en', CacheControl: 'max-age=60', Expires: expires,
    Metadata: { author: 'ann', 'multi-word': 'a b' }, StorageClass: 'STANDARD_IA', Tagging: 'k1=v1&k2=v%202',
    WebsiteRedirectLocation: '/elsewhere',
  }));
  assert.equal(put.ETag, `"${createHash('md5').update('hello world').digest('hex')}"`);
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal(put.VersionId, undefined);
  const got = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'doc.txt' }));
  assert.equal(await text(got.Body), 'hello world');
  assert.equal(got.ContentType, 'text/plain; charset=utf-8');
  assert.equal(got.ContentEncoding, 'identity');
  assert.equal(got.ContentDisposition, 'attachment; filename="doc.txt"');
  assert.equal(got.ContentLanguage, 'en');
  assert.equal(got.CacheControl, 'max-age=60');
  assert.equal(got.ExpiresString, expires.toUTCString());
  assert.deepEqual(got.Metadata, { author: 'ann', 'multi-word': 'a b' });
  assert.equal(got.StorageClass, 'STANDARD_IA');
  assert.equal(got.TagCount, 2);
  assert.equal(got.WebsiteRedirectLocation, '/elsewhere');
  assert.equal(got.ContentLength, 11);
  assert.equal(got.AcceptRanges, 'bytes');
  const tags = await h.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'doc.txt' }));
  assert.deepEqual(tags.TagSet, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v 2' }]);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'doc.txt' }));
  assert.equal(head.ContentLength, 11);
  assert.equal(head.ETag, put.ETag);
  assert.equal(head.TagCount, undefined);
});

test('objects without a content type are binary/octet-stream; empty objects work', async () => {
  const b = await h.bucket();
  await rawPut(`/${b}/raw`, { 'content-length': '3' }, ['abc']);
  assert.equal((await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'raw' }))).ContentType, 'binary/octet-stream');
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'empty', Body: '' }));
  const got = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'empty' }));
  assert.equal(got.ContentLength, 0);
  assert.equal(got.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  assert.equal(await text(got.Body), '');
});

test('SSE headers are echoed: KMS key ids, bucket keys', async () => {
  const b = await h.bucket();
  const put = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/mine', BucketKeyEnabled: true }));
  assert.equal(put.ServerSideEncryption, 'aws:kms');
  assert.equal(put.SSEKMSKeyId, 'alias/mine');
  assert.equal(put.BucketKeyEnabled, true);
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }));
  assert.equal(head.SSEKMSKeyId, 'alias/mine');
});

test('SSE-C objects need their key to be read', async () => {
  const b = await h.bucket();
  const key = randomBytes(32);
  const sse = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(key).digest('base64') };
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'secret', Body: 'classified', ...sse }));
  await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'secret' })), 'InvalidRequest',
    'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  const got = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'secret', ...sse }));
  assert.equal(await text(got.Body), 'classified');
  assert.equal(got.SSECustomerKeyMD5, sse.SSECustomerKeyMD5);
});

test('keys are data: dots, slashes, %2F, unicode and 1024 bytes round-trip exactly', async () => {
  const b = await h.bucket();
  const keys = ['..', '../../etc/passwd', 'a//b', 'lit%2Fslash', 'caf\u00e9/\u65e5\u672c/\u{1F600}', ' spaced key ', 'q?x=1#frag', 'plus+sign', 'x'.repeat(1020) + '\u00e9\u00e9'];
  for (const key of keys) await h.s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: key }));
  for (const key of keys) assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: key }))).Body), key);
  const listed = await h.s3.send(new ListObjectsV2Command({ Bucket: b }));
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual(listed.Contents!.map((o) => o.Key), sorted);
  await rejects(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'y'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 'Your key is too long');
});

test('range GETs: single ranges, suffixes, clamping, unsatisfiable ranges', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'r', Body: '0123456789' }));
  const get = async (Range: string) => {
    const r = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'r', Range }));
    return { body: await text(r.Body), range: r.ContentRange, length: r.ContentLength };
  };
  assert.deepEqual(await get('bytes=2-4'), { body: '234', range: 'bytes 2-4/10', length: 3 });
  assert.deepEqual(await get('bytes=7-'), { body: '789', range: 'bytes 7-9/10', length: 3 });
  assert.deepEqual(await get('bytes=-2'), { body: '89', range: 'bytes 8-9/10', length: 2 });
  assert.deepEqual(await get('bytes=8-100'), { body: '89', range: 'bytes 8-9/10', length: 2 });
  assert.deepEqual(await get('bytes=0-1,4-5'), { body: '0123456789', range: undefined, length: 10 });
  const err = await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'r', Range: 'bytes=10-' })), 'InvalidRange', 'The requested range is not satisfiable');
  assert.equal(err.$metadata.httpStatusCode, 416);
});

test('conditional reads: If-Match / If-Unmodified-Since 412, If-None-Match / If-Modified-Since 304', async () => {
  const b = await h.bucket();
  const { ETag } = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'c', Body: 'v1' }));
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'c' }));
  const modified = head.LastModified!;
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfMatch: ETag }))).Body), 'v1');
  const pre = await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfMatch: '"nope"' })), 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  assert.equal(pre.$metadata.httpStatusCode, 412);
  await rejects(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfUnmodifiedSince: new Date(modified.getTime() - 60_000) })), 'PreconditionFailed');
  // A 304 has no body, so the SDK can only report its status.
  const status = async (p: Promise<unknown>) => p.then(() => 200, (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode);
  assert.equal(await status(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfNoneMatch: ETag }))), 304);
  assert.equal(await status(h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'c', IfModifiedSince: modified }))), 304);
  assert.equal(await status(h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfModifiedSince: new Date(modified.getTime() - 60_000) }))), 200);
  // If-Match that holds wins over a failing If-Unmodified-Since.
  await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', IfMatch: ETag, IfUnmodifiedSince: new Date(modified.getTime() - 60_000) }));
});

test('conditional writes: If-None-Match: * and If-Match', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: 'first', IfNoneMatch: '*' }));
  const err = await rejects(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: 'second', IfNoneMatch: '*' })), 'PreconditionFailed');
  assert.equal(err.$metadata.httpStatusCode, 412);
  const { ETag } = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'w' }));
  await rejects(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: 'third', IfMatch: '"0000"' })), 'PreconditionFailed');
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'w', Body: 'fourth', IfMatch: ETag }));
  assert.equal(await text((await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'w' }))).Body), 'fourth');
  await rejects(h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'absent', Body: 'x', IfMatch: ETag })), 'NoSuchKey');
});

test('oversized metadata is MetadataTooLarge; a body without Content-Length is MissingContentLength', async () => {
  const b = await h.bucket();
  await rejects(
    h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'm', Body: 'x', Metadata: { big: 'v'.repeat(2100) } })),
    'MetadataTooLarge',
    'Your metadata headers exceed the maximum allowed metadata size.',
  );
  const res = await rawPut(`/${b}/chunked`, { 'transfer-encoding': 'chunked' }, ['ab', 'cd']);
  assert.equal(res.status, 411);
  assert.match(res.body, /<Code>MissingContentLength<\/Code><Message>You must provide the Content-Length HTTP header.<\/Message>/);
});

test('Content-MD5 and x-amz-content-sha256 are checked against the bytes received', async () => {
  const b = await h.bucket();
  const badMd5 = await rawPut(`/${b}/md5`, { 'content-length': '5', 'content-md5': createHash('md5').update('other').digest('base64') }, ['hello']);
  assert.equal(badMd5.status, 400);
  assert.match(badMd5.body, /<Code>BadDigest<\/Code><Message>The Content-MD5 you specified did not match what we received.<\/Message>/);
  const invalidMd5 = await rawPut(`/${b}/md5`, { 'content-length': '5', 'content-md5': 'not-base64' }, ['hello']);
  assert.match(invalidMd5.body, /<Code>InvalidDigest<\/Code>/);
  const goodMd5 = await rawPut(`/${b}/md5`, { 'content-length': '5', 'content-md5': createHash('md5').update('hello').digest('base64') }, ['hello']);
  assert.equal(goodMd5.status, 200);
  const badSha = await rawPut(`/${b}/sha`, { 'content-length': '5', 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, ['hello']);
  assert.equal(badSha.status, 400);
  assert.match(badSha.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  await rejects(h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'sha' })), 'NotFound');
});

test('delete: single keys (absent ones too) and batches, quiet or not', async () => {
  const b = await h.bucket();
  for (const k of ['a', 'b', 'c']) await h.s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
  const single = await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'a' }));
  assert.equal(single.$metadata.httpStatusCode, 204);
  await h.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'never-existed' }));
  const batch = await h.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'b' }, { Key: 'zzz' }] } }));
  assert.deepEqual(batch.Deleted!.map((d) => d.Key).sort(), ['b', 'zzz']);
  const quiet = await h.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'c' }], Quiet: true } }));
  assert.equal(quiet.Deleted, undefined);
  assert.equal((await h.s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount, 0);
  await rejects(h.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [] } })), 'MalformedXML');
});

test('object tagging: put, get, validation', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 't', Body: 'x' }));
  await h.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }] } }));
  assert.deepEqual((await h.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet, [{ Key: 'env', Value: 'dev' }]);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await rejects(h.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: eleven } })), 'InvalidTag', 'Object tags cannot be greater than 10');
  await rejects(
    h.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })),
    'InvalidTag',
    'Cannot provide multiple Tags with the same key',
  );
  await rejects(h.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'missing' })), 'NoSuchKey');
});
