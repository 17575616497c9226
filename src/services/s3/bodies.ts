/**
 * Object bodies as streams: requests stream into the blob store while MD5 (the ETag) and any
 * checksums are computed on the way; responses stream out of one blob or across the blobs of a
 * multipart object. Nothing here holds a whole body in memory.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AwsError } from '../framework/define.ts';
import { wholeBlobs } from '../../state/blobs-base.ts';
import type { BlobRef, ServiceState } from '../../state/types.ts';
import { checksumOf, running, type Algorithm, type Running } from './checksums.ts';
import { entityTooLarge } from './errors.ts';

export interface Ingested {
  blob: BlobRef;
  size: number;
  md5: Buffer;
  /** Base64 digests of the requested algorithms. */
  checksums: Record<string, string>;
  /** Hex SHA-256, when asked for (x-amz-content-sha256 checks). */
  sha256?: string;
}

interface IngestOptions {
  algorithms: Algorithm[];
  maxSize: number;
  sha256?: boolean;
  /** The size the request declares: small bodies are read whole first, which is cheaper than streaming them. */
  expected?: number;
}

/** Bodies up to this size are handled as one buffer (a bounded amount per request). */
export const SMALL_BODY = 64 * 1024;

/** Reads a small stream whole, without the cost of async iteration. */
export function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

type Source = AsyncIterable<Uint8Array> | Buffer | Uint8Array | undefined;

/** Streams a request body into a new blob (released again if anything fails after it was written). */
export async function ingest(state: ServiceState, source: Source, opts: IngestOptions): Promise<Ingested> {
  if (opts.expected !== undefined && opts.expected <= SMALL_BODY && source !== undefined && !(source instanceof Uint8Array) && 'on' in source) {
    source = await collect(source as NodeJS.ReadableStream);
  }
  if (source === undefined || source instanceof Uint8Array) return ingestWhole(state, source ?? EMPTY, opts);
  const md5 = createHash('md5');
  const sha = opts.sha256 ? createHash('sha256') : undefined;
  const hashers: Array<[string, Running]> = [...new Set(opts.algorithms)].map((a) => [a, running(a)]);
  let size = 0;
  async function* tap(): AsyncGenerator<Uint8Array> {
    for await (const raw of source as AsyncIterable<Uint8Array>) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      size += chunk.length;
      if (size > opts.maxSize) throw entityTooLarge(size, opts.maxSize);
      md5.update(chunk);
      sha?.update(chunk);
      for (const [, h] of hashers) h.update(chunk);
      yield chunk;
    }
  }
  const blob = await state.blobs.write(tap());
  const checksums: Record<string, string> = {};
  for (const [a, h] of hashers) checksums[a] = h.digest().toString('base64');
  return { blob, size, md5: md5.digest(), checksums, sha256: sha?.digest('hex') };
}

const EMPTY = Buffer.alloc(0);

/** A body already in memory: each digest in one call, and the blob stored without a stream. */
async function ingestWhole(state: ServiceState, data: Uint8Array, opts: IngestOptions): Promise<Ingested> {
  if (data.length > opts.maxSize) throw entityTooLarge(data.length, opts.maxSize);
  const checksums: Record<string, string> = {};
  for (const a of opts.algorithms) checksums[a] = checksumOf(a, data);
  const sha256 = opts.sha256 ? createHash('sha256').update(data).digest('hex') : undefined;
  const md5 = createHash('md5').update(data).digest();
  const whole = wholeBlobs(state.blobs);
  const blob = whole ? await whole.writeWhole(data) : await state.blobs.write((async function* () { yield data; })());
  return { blob, size: data.length, md5, checksums, sha256 };
}

/**
 * Checks x-amz-content-sha256 when it is a payload hash (not UNSIGNED-PAYLOAD or a STREAMING-*
 * marker). Call before ingest to know whether to hash, after it to compare.
 */
export function payloadHash(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  const v = headers?.['x-amz-content-sha256'];
  return v && /^[0-9a-fA-F]{64}$/.test(v) ? v.toLowerCase() : undefined;
}

export function checkPayloadHash(expected: string | undefined, got: Ingested): void {
  if (expected === undefined || expected === got.sha256) return;
  throw new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    ClientComputedContentSHA256: expected,
    S3ComputedContentSHA256: got.sha256,
  });
}

/** Validates Content-MD5 (format first, then value against the received bytes). */
export function checkContentMd5(contentMd5: string | undefined, md5: Buffer | undefined): void {
  if (contentMd5 === undefined) return;
  const raw = Buffer.from(contentMd5, 'base64');
  if (raw.length !== 16 || raw.toString('base64') !== contentMd5.trim()) {
    throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
  }
  if (md5 && !raw.equals(md5)) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
      ExpectedDigest: contentMd5,
      CalculatedDigest: md5.toString('base64'),
    });
  }
}

/** Bytes `start..end` (inclusive) of a body made of `segments`, as one stream. */
export function readRange(state: ServiceState, segments: readonly BlobRef[], start: number, end: number): Readable {
  if (segments.length === 1 && end >= start) {
    const only = segments[0]!;
    const whole = start === 0 && end === only.size - 1;
    return state.blobs.read(only, whole ? undefined : { start, end }) as Readable;
  }
  return Readable.from(concatenated(state, segments, start, end), { objectMode: false });
}

async function* concatenated(state: ServiceState, segments: readonly BlobRef[], start: number, end: number): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (const seg of segments) {
    const segStart = offset;
    const segEnd = offset + seg.size - 1;
    offset += seg.size;
    if (seg.size === 0 || segEnd < start || segStart > end) continue;
    const from = Math.max(start, segStart) - segStart;
    const to = Math.min(end, segEnd) - segStart;
    for await (const chunk of state.blobs.read(seg, { start: from, end: to })) yield chunk as Uint8Array;
  }
}

/** Bytes `start..end` of a one-blob body the store holds in memory, without a stream; else undefined. */
export function bytesInMemory(state: ServiceState, segments: readonly BlobRef[], start: number, end: number): Buffer | undefined {
  if (segments.length !== 1 || end - start + 1 > SMALL_BODY) return undefined;
  const bytes = wholeBlobs(state.blobs)?.inMemory(segments[0]!);
  if (bytes === undefined || end >= bytes.length) return undefined;
  return end < start ? EMPTY : bytes.subarray(start, end + 1);
}

export function readAll(state: ServiceState, segments: readonly BlobRef[], size: number): Readable {
  return size === 0 ? Readable.from([], { objectMode: false }) : readRange(state, segments, 0, size - 1);
}
