import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Ids } from './types.ts';

/** Ids from crypto randomness, or — with a seed — from a deterministic generator (KUMO_SEED). */
export function createIds(seed?: string): Ids {
  const bytes = seed === undefined ? (n: number) => randomBytes(n) : seededBytes(seed);
  const uuid = seed === undefined ? () => randomUUID() : () => formatUuid(bytes(16));
  return {
    uuid,
    hex: (n) => bytes(n).toString('hex'),
    base64: (n) => bytes(n).toString('base64'),
    bytes,
    requestId: uuid,
  };
}

/** RFC 4122 version 4 layout over 16 random bytes. */
function formatUuid(b: Buffer): string {
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** sfc32 (a small, fast, well-tested PRNG) keyed by SHA-256 of the seed. */
function seededBytes(seed: string): (n: number) => Buffer {
  const key = createHash('sha256').update(seed, 'utf8').digest();
  let a = key.readUInt32LE(0);
  let b = key.readUInt32LE(4);
  let c = key.readUInt32LE(8);
  let d = key.readUInt32LE(12);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 mixes its state over the first few rounds.
  for (let i = 0; i < 15; i++) next();
  return (n) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`byte count must be a non-negative integer, got ${n}`);
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };
}
