/**
 * S3's additional checksums: which one a request asks for (value header, aws-chunked trailer
 * or x-amz-sdk-checksum-algorithm), computing them while the body streams, validating what the
 * client sent, and the checksums of multipart objects (composite: a checksum of the parts'
 * checksums; full object: the parts' CRCs combined).
 */
import { createHash, type Hash } from 'node:crypto';
import { AwsError } from '../framework/define.ts';
import { combiners, crc32, crc32c, Crc64Nvme } from './crc.ts';
import { invalidRequest, notImplemented } from './errors.ts';
import type { StoredChecksum } from './store.ts';

export const ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'MD5', 'SHA512'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
const UNSUPPORTED = ['XXHASH64', 'XXHASH3', 'XXHASH128'];

const DIGEST_BYTES: Record<Algorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32, MD5: 16, SHA512: 64 };
const NODE_HASH: Partial<Record<Algorithm, string>> = { SHA1: 'sha1', SHA256: 'sha256', MD5: 'md5', SHA512: 'sha512' };

export function isCrc(a: Algorithm): a is 'CRC32' | 'CRC32C' | 'CRC64NVME' {
  return a === 'CRC32' || a === 'CRC32C' || a === 'CRC64NVME';
}

export function headerName(a: string): string {
  return `x-amz-checksum-${a.toLowerCase()}`;
}

/** The input/output member carrying a checksum (`ChecksumCRC32`, ...). */
export function memberName(a: string): string {
  return `Checksum${a}`;
}

export interface Running {
  update(chunk: Uint8Array): void;
  digest(): Buffer;
}

class Crc32Running implements Running {
  private crc = 0;
  constructor(private readonly fn: (d: Uint8Array, prev: number) => number) {}
  update(chunk: Uint8Array): void {
    this.crc = this.fn(chunk, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

class HashRunning implements Running {
  private readonly hash: Hash;
  constructor(name: string) {
    this.hash = createHash(name);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function running(a: Algorithm): Running {
  if (a === 'CRC32') return new Crc32Running(crc32);
  if (a === 'CRC32C') return new Crc32Running(crc32c);
  if (a === 'CRC64NVME') return new Crc64Nvme();
  return new HashRunning(NODE_HASH[a]!);
}

export function checksumOf(a: Algorithm, data: Uint8Array): string {
  const r = running(a);
  r.update(data);
  return r.digest().toString('base64');
}

export function parseAlgorithm(raw: string | undefined): Algorithm | undefined {
  if (raw === undefined) return undefined;
  const a = raw.toUpperCase();
  if ((ALGORITHMS as readonly string[]).includes(a)) return a as Algorithm;
  if (UNSUPPORTED.includes(a)) throw notImplemented(`the ${a} checksum algorithm`);
  throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
}

/** A base64 value that decodes to exactly a digest of `a`. */
export function wellFormed(a: Algorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, 'base64').length === DIGEST_BYTES[a];
}

/** What a write request says about its checksum. */
interface ChecksumRequest {
  algorithm?: Algorithm;
  /** The value sent as a header. */
  value?: string;
  /** The trailer (lower-case header name) that will carry the value after the body. */
  trailer?: string;
}

/**
 * Reads the checksum headers of PutObject / UploadPart style inputs: at most one value header or
 * trailer; x-amz-sdk-checksum-algorithm must agree with it.
 */
/** Member names per algorithm, built once: every write looks them all up. */
const MEMBERS = ALGORITHMS.map((a) => [a, memberName(a)] as const);
const UNSUPPORTED_MEMBERS = UNSUPPORTED.map((a) => [a, memberName(a)] as const);

export function checksumRequest(input: Record<string, unknown>, headers: Readonly<Record<string, string>> | undefined): ChecksumRequest {
  for (const [a, m] of UNSUPPORTED_MEMBERS) if (input[m] !== undefined) throw notImplemented(`the ${a} checksum algorithm`);
  const given: Algorithm[] = [];
  for (const [a, m] of MEMBERS) if (typeof input[m] === 'string') given.push(a);
  const trailerHeader = headers?.['x-amz-trailer']?.trim().toLowerCase();
  let trailerAlg: Algorithm | undefined;
  if (trailerHeader) {
    const m = /^x-amz-checksum-([a-z0-9]+)$/.exec(trailerHeader);
    const a = m ? ALGORITHMS.find((x) => x.toLowerCase() === m[1]) : undefined;
    if (!a) throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
    trailerAlg = a;
  }
  if (given.length + (trailerAlg ? 1 : 0) > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const sdk = parseAlgorithm(input.ChecksumAlgorithm as string | undefined);
  const algorithm = given[0] ?? trailerAlg ?? sdk;
  if (sdk && algorithm !== sdk) throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
  const value = given[0] ? (input[memberName(given[0])] as string) : undefined;
  if (value !== undefined && !wellFormed(given[0]!, value)) throw invalidRequest(`Value for ${headerName(given[0]!)} header is invalid.`);
  return { algorithm, value, trailer: trailerAlg ? trailerHeader : undefined };
}

/** Checks the computed checksum against the header or trailer value; returns the value to store. */
export function verifyChecksum(req: ChecksumRequest, computed: Record<string, string>, trailers: (() => Record<string, string>) | undefined): string | undefined {
  const a = req.algorithm;
  if (!a) return undefined;
  let expected = req.value;
  if (req.trailer) {
    expected = trailers?.()[req.trailer];
    if (expected === undefined || !wellFormed(a, expected)) throw invalidRequest(`Value for ${req.trailer} trailing header is invalid.`);
  }
  const actual = computed[a]!;
  if (expected !== undefined && expected !== actual) throw badChecksum(a);
  return actual;
}

export function badChecksum(a: string): AwsError {
  return new AwsError('BadDigest', `The ${a} you specified did not match the calculated checksum.`, 400);
}

/** The checksum output members (`ChecksumCRC32`, `ChecksumType`) for a stored checksum. */
export function checksumMembers(c: StoredChecksum | undefined): Record<string, string> {
  if (!c) return {};
  return { [memberName(c.algorithm)]: c.value, ChecksumType: c.type };
}

/** base64(H(concat of the parts' raw digests)) + `-N`. */
export function compositeChecksum(a: Algorithm, partValues: string[]): string {
  const r = running(a);
  for (const v of partValues) r.update(Buffer.from(v, 'base64'));
  return `${r.digest().toString('base64')}-${partValues.length}`;
}

/** The CRC of the whole object from its parts' CRCs and sizes. */
export function fullObjectCrc(a: 'CRC32' | 'CRC32C' | 'CRC64NVME', parts: Array<{ value: string; size: number }>): string {
  const combiner = combiners[a];
  const bytes = DIGEST_BYTES[a];
  let crc: bigint | undefined;
  for (const p of parts) {
    const v = BigInt('0x' + Buffer.from(p.value, 'base64').toString('hex'));
    crc = crc === undefined ? v : combiner.combine(crc, v, p.size);
  }
  const hex = (crc ?? 0n).toString(16).padStart(bytes * 2, '0');
  return Buffer.from(hex, 'hex').toString('base64');
}
