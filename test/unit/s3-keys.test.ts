import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { AFTER_ALL, decodeKey, encodeKey, justAfter } from '../../src/services/s3/keys.ts';
import { boundaryOf, FormReader } from '../../src/services/s3/multipart-form.ts';
import { parseCopyRange, parseRange } from '../../src/services/s3/range.ts';
import { urlEncode } from '../../src/services/s3/listing.ts';
import { AwsError } from '../../src/protocol/aws-error.ts';

const SAMPLES = ['', 'a', 'ab', 'a/b', '\u0000', '\u0001', 'a\u0000b', 'a\u0001', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff',
  '\u{10000}', '\u{1F600}', '\u{10FFFF}', 'z\u{1F600}a', '..', '%2F'];

test('encoded keys sort exactly like UTF-8 bytes and decode back', () => {
  for (const k of SAMPLES) assert.equal(decodeKey(encodeKey(k)), k);
  for (const x of SAMPLES) {
    for (const y of SAMPLES) {
      const bytes = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
      const ex = encodeKey(x);
      const ey = encodeKey(y);
      assert.equal(ex < ey ? -1 : ex > ey ? 1 : 0, bytes, `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  }
  assert.equal(encodeKey('plain/ascii.txt'), 'plain/ascii.txt');
  assert.ok(!encodeKey('a\u0000b').includes('\u0000'));
});

test('positions: justAfter is the next key, prefix + AFTER_ALL is past everything under the prefix', () => {
  const p = encodeKey('photos/');
  for (const k of ['photos/', 'photos/\u{1F600}', 'photos/\u0000', 'photos/\u00ff\u00ff']) {
    assert.ok(encodeKey(k) < p + AFTER_ALL);
  }
  assert.ok(justAfter(encodeKey('a')) < encodeKey('a\u0000'));
  assert.ok(justAfter(encodeKey('a')) > encodeKey('a'));
});

test('encoding-type=url: form encoding that keeps slashes', () => {
  assert.equal(urlEncode('a b+c/d%e'), 'a+b%2Bc/d%25e');
  assert.equal(urlEncode('caf\u00e9~*'), 'caf%C3%A9%7E*');
});

test('ranges as S3 reads them', () => {
  assert.deepEqual(parseRange('bytes=0-4', 10), { start: 0, end: 4 });
  assert.deepEqual(parseRange('bytes=5-', 10), { start: 5, end: 9 });
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=-30', 10), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=8-100', 10), { start: 8, end: 9 });
  assert.equal(parseRange('bytes=5-2', 10), undefined);
  assert.equal(parseRange('bytes=0-1,3-4', 10), undefined);
  assert.equal(parseRange('items=0-1', 10), undefined);
  assert.equal(parseRange(undefined, 10), undefined);
  for (const bad of ['bytes=10-', 'bytes=10-20', 'bytes=-0']) {
    assert.throws(() => parseRange(bad, 10), (e: unknown) => e instanceof AwsError && e.code === 'InvalidRange' && e.status === 416);
  }
  assert.throws(() => parseRange('bytes=0-', 0), (e: unknown) => e instanceof AwsError && e.code === 'InvalidRange');
  assert.deepEqual(parseCopyRange('bytes=2-3', 10), { start: 2, end: 3 });
  assert.throws(() => parseCopyRange('bytes=2-', 10), (e: unknown) => e instanceof AwsError && e.code === 'InvalidArgument');
  assert.throws(() => parseCopyRange('bytes=2-10', 10), (e: unknown) => e instanceof AwsError && e.code === 'InvalidArgument');
});

async function parseForm(body: Buffer, boundary: string, chunk: number): Promise<Array<[string, string | undefined, string]>> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunk) chunks.push(body.subarray(i, i + chunk));
  const reader = new FormReader(Readable.from(chunks), boundary);
  const parts: Array<[string, string | undefined, string]> = [];
  for (let p = await reader.next(); p; p = await reader.next()) parts.push([p.name, p.filename, await reader.text(1 << 20)]);
  return parts;
}

test('multipart/form-data is read the same whatever the network splits', async () => {
  const boundary = '----kumoBoundary7MA4YWxk';
  assert.equal(boundaryOf(`multipart/form-data; boundary=${boundary}`), boundary);
  assert.equal(boundaryOf('multipart/form-data; boundary="quoted"'), 'quoted');
  assert.equal(boundaryOf('text/plain'), undefined);
  const body = Buffer.from(
    `preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/x\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n` +
    `line1\r\n--not-the-boundary\r\n-${boundary}\r\n` +
    `--${boundary}--\r\nepilogue`,
  );
  const expected: Array<[string, string | undefined, string]> = [['key', undefined, 'uploads/x'], ['file', 'a.bin', `line1\r\n--not-the-boundary\r\n-${boundary}`]];
  for (const size of [1, 2, 3, 7, 16, 64, body.length]) assert.deepEqual(await parseForm(body, boundary, size), expected, `chunk size ${size}`);
  await assert.rejects(parseForm(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nunterminated`), boundary, 5),
    (e: unknown) => e instanceof AwsError && e.code === 'MalformedPOSTRequest');
});
