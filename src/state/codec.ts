import type { Encoder } from 'cbor-x';

/**
 * One CBOR codec for journals and snapshots. Records off: every value is self-describing, so a
 * file decodes without state carried over from earlier frames. Buffers come back as Buffers,
 * Uint8Arrays as Uint8Arrays, Dates as Dates. copyBuffers: decoded bytes must not alias the
 * reader's block buffer, which is reused (and would otherwise stay alive behind small values).
 * Loaded on first need: a memory-only kumo never touches disk formats, so startup skips it.
 */
let codec: Encoder | undefined;

export async function loadCodec(): Promise<void> {
  if (!codec) {
    const { Encoder } = await import('cbor-x');
    codec ??= new Encoder({ useRecords: false, copyBuffers: true });
  }
}

function ready(): Encoder {
  if (!codec) throw new Error('state codec used before loadCodec()');
  return codec;
}

/** Encodes into the codec's shared scratch buffer: copy the result before encoding again. */
export function encodeScratch(value: unknown): Uint8Array {
  return ready().encode(value);
}

export function decodeOne(bytes: Uint8Array): unknown {
  return ready().decode(bytes);
}

/** Decodes a CBOR sequence (items written back to back). */
export function decodeSequence(bytes: Uint8Array): unknown[] {
  return ready().decodeMultiple(bytes) as unknown[];
}
