import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();
const SECRET = 'kumo/Secret+Key';
const verified = s3Harness({ s3VerifySignatures: true, s3Credentials: { AKIDKUMOTEST: SECRET } });

test('presigned GET and PUT work with plain fetch; hoisted x-amz-* parameters count as headers', async () => {
  const b = await h.bucket();
  const signer = h.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  const putUrl = await getSignedUrl(signer, new PutObjectCommand({ Bucket: b, Key: 'dir/a file', ContentType: 'text/plain', Metadata: { origin: 'browser' } }), { expiresIn: 300 });
  assert.match(putUrl, /x-amz-meta-origin=browser/);
  const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded', headers: { 'content-type': 'text/plain' } });
  assert.equal(put.status, 200);
  assert.ok(put.headers.get('etag'));
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dir/a file' }));
  assert.deepEqual(head.Metadata, { origin: 'browser' });
  assert.equal(head.ContentType, 'text/plain');
  const getUrl = await getSignedUrl(h.s3, new GetObjectCommand({ Bucket: b, Key: 'dir/a file', ResponseContentDisposition: 'attachment' }), { expiresIn: 300 });
  const got = await fetch(getUrl);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-disposition'), 'attachment');
  assert.equal(await got.text(), 'uploaded');
});

test('a presigned PUT signed with the SDK default checksum of an empty body refuses other bodies, as S3 does', async () => {
  const b = await h.bucket();
  const url = await getSignedUrl(h.s3, new PutObjectCommand({ Bucket: b, Key: 'k' }), { expiresIn: 300 });
  assert.match(url, /x-amz-checksum-crc32=AAAAAA%3D%3D/);
  const res = await fetch(url, { method: 'PUT', body: 'not empty' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /<Code>BadDigest<\/Code>/);
  assert.equal((await fetch(url, { method: 'PUT', body: '' })).status, 200);
});

test('expiry is enforced on kumo clock: AccessDenied "Request has expired"', async () => {
  const b = await h.bucket();
  await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'v' }));
  const url = await getSignedUrl(h.s3, new GetObjectCommand({ Bucket: b, Key: 'k' }), { expiresIn: 60 });
  assert.equal((await fetch(url)).status, 200);
  await h.advance(61_000);
  const res = await fetch(url);
  assert.equal(res.status, 403);
  const body = await res.text();
  assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><X-Amz-Expires>60<\/X-Amz-Expires><Expires>[^<]+<\/Expires><ServerTime>[^<]+<\/ServerTime>/);
  const week = url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801');
  const tooLong = await fetch(week);
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /<Code>AuthorizationQueryParametersError<\/Code>/);
});

test('with KUMO_S3_VERIFY_SIGNATURES, presigned URLs are checked against the configured secret', async () => {
  const good = verified.client({ credentials: { accessKeyId: 'AKIDKUMOTEST', secretAccessKey: SECRET } });
  const b = verified.name();
  await good.send(new CreateBucketCommand({ Bucket: b }));
  await good.send(new PutObjectCommand({ Bucket: b, Key: 'a key/ü', Body: 'signed' }));
  const url = await getSignedUrl(good, new GetObjectCommand({ Bucket: b, Key: 'a key/ü' }), { expiresIn: 60 });
  assert.equal(await (await fetch(url)).text(), 'signed');
  const tampered = await fetch(url.replace('a%20key', 'b%20key'));
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.<\/Message>/);
  const wrongSecret = verified.client({ credentials: { accessKeyId: 'AKIDKUMOTEST', secretAccessKey: 'wrong' } });
  const forged = await getSignedUrl(wrongSecret, new GetObjectCommand({ Bucket: b, Key: 'a key/ü' }), { expiresIn: 60 });
  assert.equal((await fetch(forged)).status, 403);
  const unknown = verified.client({ credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: SECRET } });
  const stranger = await fetch(await getSignedUrl(unknown, new GetObjectCommand({ Bucket: b, Key: 'a key/ü' }), { expiresIn: 60 }));
  assert.match(await stranger.text(), /<Code>InvalidAccessKeyId<\/Code>/);
});

test('with KUMO_S3_VERIFY_SIGNATURES, header-signed requests are checked too (streaming uploads included)', async () => {
  const good = verified.client({ credentials: { accessKeyId: 'AKIDKUMOTEST', secretAccessKey: SECRET } });
  await good.send(new ListBucketsCommand({}));
  const b = verified.name();
  await good.send(new CreateBucketCommand({ Bucket: b }));
  await good.send(new PutObjectCommand({ Bucket: b, Key: 'streamed', Body: Readable.from([Buffer.from('abc')]), ContentLength: 3 }));
  assert.equal(await text((await good.send(new GetObjectCommand({ Bucket: b, Key: 'streamed' }))).Body), 'abc');
  const bad = verified.client({ credentials: { accessKeyId: 'AKIDKUMOTEST', secretAccessKey: 'nope' } });
  await rejects(bad.send(new ListBucketsCommand({})), 'SignatureDoesNotMatch');
});
