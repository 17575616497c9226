import { Encoder } from 'cbor-x';

/**
 * One CBOR codec for journals and snapshots. Records off: every value is self-describing, so a
 * file decodes without state carried over from earlier frames. Buffers come back as Buffers,
 * Uint8Arrays as Uint8Arrays, Dates as Dates. copyBuffers: decoded bytes must not alias the
 * reader's block buffer, which is reused (and would otherwise stay alive behind small values).
 */
const codec = new Encoder({ useRecords: false, copyBuffers: true });

/** Encodes into the codec's shared scratch buffer: copy the result before encoding again. */
export function encodeScratch(value: unknown): Uint8Array {
  return codec.encode(value);
}

export function decodeOne(bytes: Uint8Array): unknown {
  return codec.decode(bytes);
}

/** Decodes a CBOR sequence (items written back to back). */
export function decodeSequence(bytes: Uint8Array): unknown[] {
  return codec.decodeMultiple(bytes) as unknown[];
}
