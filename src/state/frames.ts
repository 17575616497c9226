import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from './crc.ts';
import { StateError, corrupt, errorMessage } from './errors.ts';

/**
 * Journals and snapshots are sequences of frames: [u32 LE payload length][u32 LE CRC-32 of the
 * payload][payload]. A zero length is never written, so zero-filled tails (left by some file
 * systems after a power loss) read as damage, not as empty records.
 */
export const FRAME_HEADER = 8;
/** No single record comes near this; a larger length field is damage. */
export const MAX_FRAME = 1 << 30;
const BLOCK = 1 << 20;

/** Writes one frame at `pos` (the caller sized `target`); returns the position after it. */
export function putFrame(target: Buffer, pos: number, payload: Uint8Array): number {
  target.writeUInt32LE(payload.length, pos);
  target.writeUInt32LE(crc32(payload), pos + 4);
  target.set(payload, pos + FRAME_HEADER);
  return pos + FRAME_HEADER + payload.length;
}

export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  putFrame(out, 0, payload);
  return out;
}

export interface ScanResult {
  /** File size when scanned. */
  size: number;
  /** Offset after the last good frame. */
  end: number;
  /** Set when the file ends in a torn record (only in 'tail' mode): where and why. */
  torn?: { offset: number; reason: string };
}

/**
 * Calls `onFrame` for every frame of `file`, in order. The payload is only valid during the
 * call (the block buffer is reused). In 'strict' mode any damage throws an error naming file and
 * offset. In 'tail' mode (the newest journal) damage counts as a torn tail when nothing valid
 * follows it — a crash can only tear the end of an append-only file; a good frame after the
 * damage means the middle is corrupt, which throws.
 */
export async function scanFrames(
  file: string,
  mode: 'strict' | 'tail',
  onFrame: (payload: Buffer, offset: number) => void,
): Promise<ScanResult> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const reader = new BlockReader(fh, size);
    let off = 0;
    const bad = async (reason: string): Promise<ScanResult> => {
      if (mode === 'strict') throw corrupt(file, off, reason);
      if (await validFrameAfter(fh, off, size)) throw corrupt(file, off, `${reason}, and valid records follow`);
      return { size, end: off, torn: { offset: off, reason } };
    };
    while (off < size) {
      if (size - off < FRAME_HEADER) return await bad('incomplete frame header');
      if (!reader.has(off, FRAME_HEADER)) await reader.fill(off, FRAME_HEADER);
      const len = reader.u32(off);
      const crc = reader.u32(off + 4);
      if (len === 0 || len > MAX_FRAME) return await bad(`invalid frame length ${len}`);
      if (off + FRAME_HEADER + len > size) return await bad('incomplete frame');
      if (!reader.has(off, FRAME_HEADER + len)) await reader.fill(off, FRAME_HEADER + len);
      const payload = reader.view(off + FRAME_HEADER, len);
      if (crc32(payload) !== crc) return await bad('CRC mismatch');
      try {
        onFrame(payload, off);
      } catch (err) {
        if (err instanceof StateError) throw err;
        throw corrupt(file, off, `undecodable record (${errorMessage(err)})`, err);
      }
      off += FRAME_HEADER + len;
    }
    return { size, end: size };
  } finally {
    await fh.close();
  }
}

/** Serves byte ranges of a file from one reused block, reading ahead sequentially. */
class BlockReader {
  private buf = Buffer.allocUnsafe(0);
  private start = 0;
  private len = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
  ) {}

  has(at: number, n: number): boolean {
    return at >= this.start && at + n <= this.start + this.len;
  }

  async fill(at: number, n: number): Promise<void> {
    const want = Math.min(Math.max(n, BLOCK), this.size - at);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(Math.max(want, BLOCK));
    this.start = at;
    this.len = await readFully(this.fh, this.buf, want, at);
  }

  u32(at: number): number {
    return this.buf.readUInt32LE(at - this.start);
  }

  view(at: number, n: number): Buffer {
    return this.buf.subarray(at - this.start, at - this.start + n);
  }
}

async function readFully(fh: FileHandle, buf: Buffer, n: number, at: number): Promise<number> {
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, at + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** CRC work spent looking for valid frames after damage before giving up and refusing. */
const SEARCH_BUDGET = 256 << 20;

/**
 * Is there any offset after `from` where a complete frame with a matching CRC starts? Undecided
 * (the search would cost too much) counts as yes: refusing to start beats dropping data.
 */
async function validFrameAfter(fh: FileHandle, from: number, size: number): Promise<boolean> {
  const rest = Buffer.allocUnsafe(size - from);
  const n = await readFully(fh, rest, rest.length, from);
  let budget = SEARCH_BUDGET;
  for (let p = 1; p + FRAME_HEADER < n; p++) {
    const len = rest.readUInt32LE(p);
    if (len === 0 || len > n - p - FRAME_HEADER) continue;
    if ((budget -= len) < 0) return true;
    if (crc32(rest.subarray(p + FRAME_HEADER, p + FRAME_HEADER + len)) === rest.readUInt32LE(p + 4)) return true;
  }
  return false;
}
