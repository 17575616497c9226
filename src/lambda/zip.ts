/**
 * Just enough of the zip format for deployment packages and layers: the central directory
 * (names, sizes, unix modes), stored and deflated entries, zip64 sizes. Reading is bounded:
 * sizes come from the archive, so inflation is capped by what the directory declares and the
 * total by the caller's limit (a small zip can claim to hold gigabytes).
 */
import { inflateRawSync } from 'node:zlib';
import { crc32 } from '../state/crc.ts';

export interface ZipEntry {
  name: string;
  directory: boolean;
  /** Unix permission bits (e.g. 0o755), when the archive was made on a unix system. */
  mode: number | undefined;
  symlink: boolean;
  size: number;
  compressedSize: number;
  method: number;
  crc: number;
  localOffset: number;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Lists the entries of a zip archive; throws ZipError when it is not one. */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let dirSize = buf.readUInt32LE(eocd + 12);
  let dirOffset = buf.readUInt32LE(eocd + 16);
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
    const at = Number(buf.readBigUInt64LE(eocd - 12));
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== EOCD64) throw new ZipError('bad zip64 end of central directory');
    count = Number(buf.readBigUInt64LE(at + 32));
    dirSize = Number(buf.readBigUInt64LE(at + 40));
    dirOffset = Number(buf.readBigUInt64LE(at + 48));
  }
  if (dirOffset + dirSize > buf.length) throw new ZipError('central directory outside the archive');
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipError('bad central directory entry');
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let localOffset = buf.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > buf.length) throw new ZipError('bad central directory entry');
    if (flags & 1) throw new ZipError('encrypted entries are not supported');
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // zip64 extended information: only the fields whose 32-bit slot is saturated are present.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (localOffset === 0xffffffff) localOffset = Number(buf.readBigUInt64LE(q));
      }
      x += 4 + len;
    }
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    entries.push({
      name,
      directory: name.endsWith('/'),
      mode: unixMode ? unixMode & 0o7777 : undefined,
      symlink: (unixMode & 0o170000) === 0o120000,
      size,
      compressedSize,
      method,
      crc,
      localOffset,
    });
    p = end;
  }
  return entries;
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  throw new ZipError('no end of central directory record');
}

/** The uncompressed bytes of one entry, checked against its CRC. */
export function readZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new ZipError(`bad local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipError(`${e.name} extends past the archive`);
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) data = raw;
  else if (e.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) });
    } catch {
      throw new ZipError(`${e.name} does not inflate to its declared size`);
    }
  } else throw new ZipError(`${e.name} uses unsupported compression method ${e.method}`);
  if (data.length !== e.size || crc32(data) !== e.crc) throw new ZipError(`${e.name} is corrupt`);
  return data;
}

/** Sum of the declared uncompressed sizes (what AWS checks against its unzipped limit). */
export function unzippedSize(entries: ZipEntry[]): number {
  let total = 0;
  for (const e of entries) total += e.size;
  return total;
}
