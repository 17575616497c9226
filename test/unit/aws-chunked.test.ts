import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { getAwsChunkedEncodingStream } from '@smithy/core/serde';
import { AwsError } from '../../src/protocol/aws-error.ts';
import { decodeAwsChunked, decodedLength, isAwsChunked } from '../../src/protocol/aws-chunked.ts';

const UNSIGNED = { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' };

function pieces(data: Buffer, splitEvery: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += splitEvery) out.push(data.subarray(i, i + splitEvery));
  return out;
}

async function decode(chunks: Array<Buffer | string>, headers: Record<string, string> = UNSIGNED): Promise<{ body: Buffer; trailers: Record<string, string> }> {
  const { body, trailers } = decodeAwsChunked(Readable.from(chunks.map((c) => Buffer.from(c))), headers);
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part as Buffer);
  return { body: Buffer.concat(parts), trailers: trailers() };
}

async function decodeFails(wire: string | Buffer, headers: Record<string, string> = UNSIGNED): Promise<AwsError> {
  let error: unknown;
  try {
    await decode([wire], headers);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof AwsError, `expected an AwsError for ${JSON.stringify(String(wire))}, got ${String(error)}`);
  assert.equal(error.status, 400);
  return error;
}

const UNSIGNED_WIRE = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:rbbnfQ==\r\n\r\n';
const SIGNED_WIRE =
  '5;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\nhello\r\n' +
  '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n' +
  'x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:63bddb248ad2590c92712055f51b8e78ab024eead08276b24f010b0efd74843f\r\n\r\n';

test('STREAMING-UNSIGNED-PAYLOAD-TRAILER: data and trailers', async () => {
  const { body, trailers } = await decode([UNSIGNED_WIRE]);
  assert.equal(body.toString(), 'hello world');
  assert.deepEqual(trailers, { 'x-amz-checksum-crc32': 'rbbnfQ==' });
});

test('STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER): signature extensions accepted', async () => {
  const headers = { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '5' };
  const { body, trailers } = await decode([SIGNED_WIRE], headers);
  assert.equal(body.toString(), 'hello');
  assert.equal(trailers['x-amz-checksum-crc32c'], 'sOO8/Q==');
  assert.ok(trailers['x-amz-trailer-signature']);
  const plain = await decode(['5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n'], { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
  assert.equal(plain.body.toString(), 'hello');
});

test('every split of the stream decodes the same, byte by byte included', async () => {
  for (const wire of [UNSIGNED_WIRE, SIGNED_WIRE]) {
    const whole = await decode([wire]);
    for (const size of [1, 2, 3, 7, 13]) {
      const split = await decode(pieces(Buffer.from(wire), size));
      assert.deepEqual(split, whole, `split every ${size}`);
    }
  }
});

test('bodies from the JS SDK encoder, with and without a checksum trailer', async () => {
  const data = randomBytes(200_000);
  const encode = (checksum: boolean) => getAwsChunkedEncodingStream(Readable.from(pieces(data, 65_536)), {
    bodyLengthChecker: (b: Buffer) => b.length,
    ...(checksum ? {
      base64Encoder: (b: Uint8Array) => Buffer.from(b).toString('base64'),
      checksumAlgorithmFn: class {} as never,
      checksumLocationName: 'x-amz-checksum-crc32',
      streamHasher: async () => new Uint8Array([1, 2, 3, 4]),
    } : {}),
  } as never) as Readable;
  for (const checksum of [true, false]) {
    const wire: Buffer[] = [];
    for await (const part of encode(checksum)) wire.push(Buffer.from(part as Buffer));
    const { body, trailers } = await decode(pieces(Buffer.concat(wire), 997), { ...UNSIGNED, 'x-amz-decoded-content-length': String(data.length) });
    assert.ok(body.equals(data));
    assert.deepEqual(trailers, checksum ? { 'x-amz-checksum-crc32': 'AQIDBA==' } : {});
  }
});

test('data passes through while the stream is still arriving', async () => {
  const source = new Readable({ read() {} });
  const { body } = decodeAwsChunked(source, UNSIGNED);
  source.push('a\r\n0123456789\r\n');
  const first = await new Promise<Buffer>((resolve) => body.once('data', resolve));
  assert.equal(first.toString(), '0123456789');
  source.push('0\r\n\r\n');
  source.push(null);
  for await (const _ of body) { /* drain */ }
});

test('malformed framing is IncompleteBody', async () => {
  const cases = [
    'zz\r\nhello\r\n0\r\n\r\n', // not hex
    '\r\nhello\r\n0\r\n\r\n', // empty size
    '5\r\nhelloXX0\r\n\r\n', // no CRLF after the data
    '5\r\nhel', // ends inside a chunk
    '5\r\nhello\r\n', // ends before the last chunk
    '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAA', // ends inside a trailer
    '5\r\nhello\r\n0\r\nnot a trailer\r\n\r\n', // trailer without a colon
    '5\r\nhello\r\n0\r\n\r\ngarbage', // data after the end
    `${'1'.repeat(5000)}\r\n`, // runaway size line
  ];
  for (const wire of cases) {
    const err = await decodeFails(wire);
    assert.equal(err.code, 'IncompleteBody', JSON.stringify(wire));
    assert.equal(err.message, 'The request body terminated unexpectedly');
  }
});

test('x-amz-decoded-content-length must match the decoded bytes', async () => {
  const short = await decodeFails('5\r\nhello\r\n0\r\n\r\n', { ...UNSIGNED, 'x-amz-decoded-content-length': '3' });
  assert.equal(short.code, 'IncompleteBody');
  assert.equal(short.message, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
  assert.deepEqual(short.fields, { NumberBytesExpected: 3, NumberBytesProvided: 5 });
  const long = await decodeFails('5\r\nhello\r\n0\r\n\r\n', { ...UNSIGNED, 'x-amz-decoded-content-length': '9' });
  assert.deepEqual(long.fields, { NumberBytesExpected: 9, NumberBytesProvided: 5 });
});

test('a failing source fails the decoded body', async () => {
  const source = new Readable({ read() {} });
  const { body } = decodeAwsChunked(source, UNSIGNED);
  source.push('5\r\nhel');
  source.destroy(new Error('connection reset'));
  await assert.rejects(async () => { for await (const _ of body) { /* drain */ } }, /connection reset/);
});

test('decodedLength and isAwsChunked read the headers', () => {
  assert.equal(decodedLength({ 'x-amz-decoded-content-length': '1234' }), 1234);
  assert.equal(decodedLength({ 'x-amz-decoded-content-length': 'abc' }), undefined);
  assert.equal(decodedLength({}), undefined);
  assert.equal(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' }), true);
  assert.equal(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }), true);
  assert.equal(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), false);
});

test('64 MiB in 1 MiB chunks decodes completely', async () => {
  const chunk = Buffer.alloc(1 << 20, 7);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  const frames = function* () {
    for (let i = 0; i < 64; i++) yield frame;
    yield Buffer.from('0\r\n\r\n');
  };
  const { body } = decodeAwsChunked(Readable.from(frames()), UNSIGNED);
  let total = 0;
  for await (const part of body) total += (part as Buffer).length;
  assert.equal(total, 64 << 20);
});
