/**
 * CRC-32C (Castagnoli) and CRC-64/NVME, the two S3 checksums node does not compute natively,
 * as slice-by-8 table implementations; and combination of CRCs of adjacent byte runs (what a
 * full-object checksum of a multipart upload is made from).
 * Both, like CRC-32, are reflected with all-ones init and final xor.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

function tables32(poly: number): Uint32Array[] {
  const t: Uint32Array[] = [new Uint32Array(256)];
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[0]![i] = c >>> 0;
  }
  for (let s = 1; s < 8; s++) {
    const prev = t[s - 1]!;
    const cur = new Uint32Array(256);
    for (let i = 0; i < 256; i++) cur[i] = (prev[i]! >>> 8) ^ t[0]![prev[i]! & 0xff]!;
    t.push(cur);
  }
  return t;
}

let c32c: Uint32Array[] | undefined;

/** Continues a CRC-32C over `data`; start with 0 (the value of an empty input). */
export function crc32c(data: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = (c32c ??= tables32(0x82f63b78)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = ~previous >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    crc ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    crc =
      t7[crc & 0xff]! ^ t6[(crc >>> 8) & 0xff]! ^ t5[(crc >>> 16) & 0xff]! ^ t4[crc >>> 24]! ^
      t3[data[i + 4]!]! ^ t2[data[i + 5]!]! ^ t1[data[i + 6]!]! ^ t0[data[i + 7]!]!;
  }
  for (; i < n; i++) crc = (crc >>> 8) ^ t0[(crc ^ data[i]!) & 0xff]!;
  return ~crc >>> 0;
}

export function crc32(data: Uint8Array, previous = 0): number {
  return zlibCrc32(data, previous);
}

/** CRC-64/NVME tables as 32-bit halves (lo, hi) per slice. */
let c64: { lo: Uint32Array[]; hi: Uint32Array[] } | undefined;
const POLY64 = 0x9a6c9329ac4bc9b5n;

function tables64(): { lo: Uint32Array[]; hi: Uint32Array[] } {
  const base: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY64 : c >> 1n;
    base.push(c);
  }
  const lo: Uint32Array[] = [];
  const hi: Uint32Array[] = [];
  let prev = base;
  for (let s = 0; s < 8; s++) {
    const l = new Uint32Array(256);
    const h = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      l[i] = Number(prev[i]! & 0xffffffffn);
      h[i] = Number(prev[i]! >> 32n);
    }
    lo.push(l);
    hi.push(h);
    prev = prev.map((v) => (v >> 8n) ^ base[Number(v & 0xffn)]!);
  }
  return { lo, hi };
}

/** A running CRC-64/NVME. */
export class Crc64Nvme {
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(data: Uint8Array): void {
    const { lo: L, hi: H } = (c64 ??= tables64());
    const [l0, l1, l2, l3, l4, l5, l6, l7] = L as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const [h0, h1, h2, h3, h4, h5, h6, h7] = H as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const n = data.length;
    for (; i + 8 <= n; i += 8) {
      const a = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      const b = (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
      const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
      const b0 = b & 0xff, b1 = (b >>> 8) & 0xff, b2 = (b >>> 16) & 0xff, b3 = b >>> 24;
      lo = (l7[a0]! ^ l6[a1]! ^ l5[a2]! ^ l4[a3]! ^ l3[b0]! ^ l2[b1]! ^ l1[b2]! ^ l0[b3]!) >>> 0;
      hi = (h7[a0]! ^ h6[a1]! ^ h5[a2]! ^ h4[a3]! ^ h3[b0]! ^ h2[b1]! ^ h1[b2]! ^ h0[b3]!) >>> 0;
    }
    for (; i < n; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = (l0[idx]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (h0[idx]! ^ (hi >>> 8)) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** The CRC, big-endian, as S3 encodes it (before base64). */
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}

/**
 * Combination of reflected CRCs (zlib's crc32_combine, generalised to any width):
 * crc(A·B) = crc(A)·x^(8·len(B)) mod P  xor  crc(B).
 */
class CrcCombiner {
  private readonly x2n: bigint[] = [];
  private readonly top: bigint;

  constructor(private readonly poly: bigint, width: number) {
    this.top = 1n << BigInt(width - 1);
    let p = 1n << BigInt(width - 2);
    for (let k = 0; k < 64; k++) {
      this.x2n.push(p);
      p = this.multiply(p, p);
    }
  }

  private multiply(a: bigint, b: bigint): bigint {
    let m = this.top;
    let p = 0n;
    for (;;) {
      if (a & m) {
        p ^= b;
        if ((a & (m - 1n)) === 0n) break;
      }
      m >>= 1n;
      b = b & 1n ? (b >> 1n) ^ this.poly : b >> 1n;
    }
    return p;
  }

  /** x^(8·bytes) mod P. */
  private shift(bytes: number): bigint {
    let p = this.top;
    let k = 3;
    for (let n = BigInt(bytes); n > 0n; n >>= 1n, k++) {
      if (n & 1n) p = this.multiply(this.x2n[k % 64]!, p);
    }
    return p;
  }

  combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
    return this.multiply(this.shift(lengthB), crcA) ^ crcB;
  }
}

export const combiners = {
  CRC32: new CrcCombiner(0xedb88320n, 32),
  CRC32C: new CrcCombiner(0x82f63b78n, 32),
  CRC64NVME: new CrcCombiner(POLY64, 64),
};
