import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { checksumOf, compositeChecksum, fullObjectCrc, wellFormed } from '../../src/services/s3/checksums.ts';
import { combiners, crc32c, Crc64Nvme } from '../../src/services/s3/crc.ts';

/** Bit-at-a-time reflected CRC, the definition the table implementations must agree with. */
function reference(poly: bigint, width: number, data: Uint8Array): bigint {
  const mask = (1n << BigInt(width)) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ mask;
}

function crc64(data: Uint8Array): bigint {
  const c = new Crc64Nvme();
  c.update(data);
  return BigInt('0x' + c.digest().toString('hex'));
}

test('standard check values of "123456789"', () => {
  const check = Buffer.from('123456789');
  assert.equal(crc32c(check), 0xe3069283);
  assert.equal(crc64(check), 0xae8b14860a799888n);
  assert.equal(crc32c(new Uint8Array()), 0);
  assert.equal(crc64(new Uint8Array()), 0n);
});

test('table implementations agree with the bitwise definition at every length and split', () => {
  for (let len = 0; len < 40; len++) {
    const data = randomBytes(len);
    assert.equal(BigInt(crc32c(data)), reference(0x82f63b78n, 32, data));
    assert.equal(crc64(data), reference(0x9a6c9329ac4bc9b5n, 64, data));
    for (let split = 0; split <= len; split++) {
      assert.equal(crc32c(data.subarray(split), crc32c(data.subarray(0, split))), crc32c(data));
      const c = new Crc64Nvme();
      c.update(data.subarray(0, split));
      c.update(data.subarray(split));
      assert.equal(BigInt('0x' + c.digest().toString('hex')), crc64(data));
    }
  }
});

test('combining CRCs of adjacent runs gives the CRC of the whole', () => {
  const a = randomBytes(1000);
  const b = randomBytes(777);
  const whole = Buffer.concat([a, b]);
  assert.equal(combiners.CRC32.combine(BigInt(zlibCrc32(a)), BigInt(zlibCrc32(b)), b.length), BigInt(zlibCrc32(whole)));
  assert.equal(combiners.CRC32C.combine(BigInt(crc32c(a)), BigInt(crc32c(b)), b.length), BigInt(crc32c(whole)));
  assert.equal(combiners.CRC64NVME.combine(crc64(a), crc64(b), b.length), crc64(whole));
  assert.equal(combiners.CRC32C.combine(BigInt(crc32c(a)), 0n, 0), BigInt(crc32c(a)));
  for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    const parts = [a, b, Buffer.alloc(0), randomBytes(5)];
    const full = fullObjectCrc(alg, parts.map((p) => ({ value: checksumOf(alg, p), size: p.length })));
    assert.equal(full, checksumOf(alg, Buffer.concat(parts)));
  }
});

test('composite checksums hash the raw part digests and count the parts', () => {
  const parts = [checksumOf('SHA256', Buffer.from('a')), checksumOf('SHA256', Buffer.from('b'))];
  const expected = checksumOf('SHA256', Buffer.concat(parts.map((p) => Buffer.from(p, 'base64'))));
  assert.equal(compositeChecksum('SHA256', parts), `${expected}-2`);
});

test('checksum values must be base64 of the digest length', () => {
  assert.ok(wellFormed('CRC32', 'AAAAAA=='));
  assert.ok(!wellFormed('CRC32', 'AAAAAAAA'));
  assert.ok(!wellFormed('SHA256', 'AAAAAA=='));
  assert.ok(!wellFormed('CRC64NVME', 'not base64!'));
  assert.ok(wellFormed('CRC64NVME', checksumOf('CRC64NVME', Buffer.from('x'))));
});
