import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, GetObjectCommand, HeadObjectCommand,
  PutObjectCommand, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { rejects, s3Harness, text } from './setup.ts';

const h = s3Harness();
const MiB = 1024 * 1024;
const ALGORITHMS: ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

function raw(method: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; body: string }> {
  const url = new URL(h.kumo.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function crc32b64(data: string | Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
}

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: computed by the SDK, validated, stored, returned with checksum mode (header and trailer)`, async () => {
    const b = await h.bucket();
    const member = `Checksum${algorithm}` as const;
    const put = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'header', Body: 'checksummed body', ChecksumAlgorithm: algorithm }));
    assert.ok(put[member]);
    assert.equal(put.ChecksumType, 'FULL_OBJECT');
    const streamed = await h.s3.send(new PutObjectCommand({
      Bucket: b, Key: 'trailer', Body: Readable.from([Buffer.from('checksummed '), Buffer.from('body')]), ContentLength: 16, ChecksumAlgorithm: algorithm,
    }));
    assert.equal(streamed[member], put[member]);
    const got = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'trailer', ChecksumMode: 'ENABLED' }));
    assert.equal(got[member], put[member]);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    assert.equal(await text(got.Body), 'checksummed body');
    const plain = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'trailer' }));
    assert.equal(plain[member], undefined);
    const attrs = await h.s3.send(new GetObjectAttributesCommand({ Bucket: b, Key: 'header', ObjectAttributes: ['Checksum'] }));
    assert.equal(attrs.Checksum![member], put[member]);
  });
}

test('the SDK default (CRC32) is what a plain PutObject stores', async () => {
  const b = await h.bucket();
  const put = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'hello' }));
  assert.equal(put.ChecksumCRC32, crc32b64('hello'));
});

test('a wrong checksum value is BadDigest; a malformed one or two at once InvalidRequest', async () => {
  const b = await h.bucket();
  const bad = await raw('PUT', `/${b}/k`, { 'content-length': '5', 'x-amz-checksum-crc32': crc32b64('other') }, 'hello');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
  const malformed = await raw('PUT', `/${b}/k`, { 'content-length': '5', 'x-amz-checksum-sha256': 'abc' }, 'hello');
  assert.match(malformed.body, /<Code>InvalidRequest<\/Code><Message>Value for x-amz-checksum-sha256 header is invalid.<\/Message>/);
  const two = await raw('PUT', `/${b}/k`, { 'content-length': '5', 'x-amz-checksum-crc32': crc32b64('hello'), 'x-amz-checksum-crc32c': 'AAAAAA==' }, 'hello');
  assert.match(two.body, /<Message>Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.<\/Message>/);
  const mismatch = await raw('PUT', `/${b}/k`, { 'content-length': '5', 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': crc32b64('hello') }, 'hello');
  assert.match(mismatch.body, /<Message>Value for x-amz-sdk-checksum-algorithm header is invalid.<\/Message>/);
  await rejects(h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })), 'NotFound');
  const good = await raw('PUT', `/${b}/k`, { 'content-length': '5', 'x-amz-checksum-crc32': crc32b64('hello') }, 'hello');
  assert.equal(good.status, 200);
});

test('aws-chunked trailers: de-framed before storage, the trailing checksum validated', async () => {
  const b = await h.bucket();
  const body = (trailer: string) => `5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:${trailer}\r\n\r\n`;
  const headers = (payload: string) => ({
    'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '11',
    'x-amz-trailer': 'x-amz-checksum-crc32', 'content-length': String(Buffer.byteLength(payload)),
  });
  const good = body(crc32b64('hello world'));
  assert.equal((await raw('PUT', `/${b}/ok`, headers(good), good)).status, 200);
  const stored = await h.s3.send(new GetObjectCommand({ Bucket: b, Key: 'ok', ChecksumMode: 'ENABLED' }));
  assert.equal(await text(stored.Body), 'hello world');
  assert.equal(stored.ChecksumCRC32, crc32b64('hello world'));
  assert.equal(stored.ContentEncoding, undefined);
  const wrong = body(crc32b64('something else'));
  const res = await raw('PUT', `/${b}/bad`, headers(wrong), wrong);
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>BadDigest<\/Code>/);
  await rejects(h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'bad' })), 'NotFound');
});

async function multipart(b: string, key: string, algorithm: ChecksumAlgorithm, type: 'COMPOSITE' | 'FULL_OBJECT' | undefined, parts: Buffer[]) {
  const member = `Checksum${algorithm}` as const;
  const { UploadId, ChecksumType } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key, ChecksumAlgorithm: algorithm, ChecksumType: type }));
  const done: Array<Record<string, unknown>> = [];
  for (let i = 0; i < parts.length; i++) {
    const r = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: key, UploadId, PartNumber: i + 1, Body: parts[i], ChecksumAlgorithm: algorithm }));
    assert.ok(r[member]);
    done.push({ PartNumber: i + 1, ETag: r.ETag, [member]: r[member] });
  }
  const out = await h.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: key, UploadId, MultipartUpload: { Parts: done }, ChecksumType: type }));
  return { out, partChecksums: done.map((p) => p[member] as string), ChecksumType };
}

test('multipart composite checksums: checksum of the part checksums, -N', async () => {
  const b = await h.bucket();
  const parts = [Buffer.alloc(5 * MiB, 1), Buffer.from('end')];
  const { out, partChecksums, ChecksumType } = await multipart(b, 'composite', 'SHA256', undefined, parts);
  assert.equal(ChecksumType, 'COMPOSITE');
  const expected = createHash('sha256').update(Buffer.concat(partChecksums.map((c) => Buffer.from(c, 'base64')))).digest('base64');
  assert.equal(out.ChecksumSHA256, `${expected}-2`);
  assert.equal(out.ChecksumType, 'COMPOSITE');
  const head = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'composite', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumSHA256, `${expected}-2`);
  const part = await h.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'composite', ChecksumMode: 'ENABLED', PartNumber: 2 }));
  assert.equal(part.ChecksumSHA256, partChecksums[1]);
});

test('multipart full-object CRCs equal the CRC of the whole object', async () => {
  const b = await h.bucket();
  const parts = [Buffer.alloc(5 * MiB, 7), Buffer.from('the rest of it')];
  for (const algorithm of ['CRC64NVME', 'CRC32C', 'CRC32'] as const) {
    const { out } = await multipart(b, `full-${algorithm}`, algorithm, 'FULL_OBJECT', parts);
    assert.equal(out.ChecksumType, 'FULL_OBJECT');
    const whole = await h.s3.send(new PutObjectCommand({ Bucket: b, Key: `whole-${algorithm}`, Body: Buffer.concat(parts), ChecksumAlgorithm: algorithm }));
    assert.equal(out[`Checksum${algorithm}`], whole[`Checksum${algorithm}`]);
  }
});

test('multipart checksum rules: algorithm mismatch, missing part checksums, invalid type combinations', async () => {
  const b = await h.bucket();
  await rejects(h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k', ChecksumAlgorithm: 'SHA1', ChecksumType: 'FULL_OBJECT' })), 'InvalidRequest',
    'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.');
  const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'k', ChecksumAlgorithm: 'CRC32' }));
  await rejects(h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'SHA256' })), 'InvalidRequest',
    'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: sha256');
  const p = await h.s3.send(new UploadPartCommand({ Bucket: b, Key: 'k', UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'CRC32' }));
  await rejects(h.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] } })),
    'InvalidRequest', 'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');
});
