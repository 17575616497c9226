import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isBlobId } from './blob-ids.ts';
import { treeFromSorted, type BTree } from './btree.ts';
import { decodeOne, decodeSequence, encodeScratch } from './codec.ts';
import { corrupt } from './errors.ts';
import { frame, scanFrames } from './frames.ts';
import { fsyncDir } from './fsutil.ts';
import { emptyServiceData, type ServiceData } from './records.ts';
import { Slicer } from './slicer.ts';

/**
 * A snapshot file is a frame sequence:
 *   header  {format, service, gen, createdAt}
 *   tables  CBOR sequence: [TABLE, name], then [key, value] pairs in key order
 *   blobs   CBOR sequence: [BLOBS], then [id, size] pairs
 *   end     [END, tableCount, recordCount, blobCount]
 * A file without its end frame is unreadable (renames are atomic, so only damage can cut one).
 */
export const SNAPSHOT_FORMAT = 1;
const TABLE = 0;
const BLOBS = 1;
const END = 9;
const FRAME_TARGET = 64 * 1024;
const WRITE_TARGET = 1 << 20;

/** An immutable point-in-time view of a service (cloned trees). */
export interface SnapshotView {
  tables: [string, BTree<unknown>][];
  blobs: BTree<number>;
}

export interface WrittenSnapshot {
  bytes: number;
  /** Renames the fsynced temp file into place and fsyncs the directory. */
  commit(): Promise<void>;
}

/**
 * Writes `view` to `<file>.tmp` and fsyncs it, yielding to the event loop every few ms so a
 * large state never stalls requests. Nothing is visible until commit(): a crash before the
 * rename leaves a temp file that recovery ignores.
 */
export async function writeSnapshot(file: string, service: string, gen: number, view: SnapshotView): Promise<WrittenSnapshot> {
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  const out = new SnapshotOut(fh);
  try {
    await out.frame(encodeScratch({ format: SNAPSHOT_FORMAT, service, gen, createdAt: new Date() }));
    let records = 0;
    let tables = 0;
    for (const [name, tree] of view.tables) {
      if (tree.size === 0) continue;
      tables++;
      records += await out.pairs([TABLE, name], tree);
    }
    const blobs = await out.pairs([BLOBS], view.blobs);
    await out.frame(encodeScratch([END, tables, records, blobs]));
    await out.flush();
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  return {
    bytes: out.bytes,
    commit: async () => {
      await rename(tmp, file);
      await fsyncDir(dirname(file));
    },
  };
}

class SnapshotOut {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private payload = Buffer.allocUnsafe(FRAME_TARGET * 2);
  private len = 0;
  private readonly slicer = new Slicer();
  bytes = 0;

  constructor(private readonly fh: FileHandle) {}

  async frame(payload: Uint8Array): Promise<void> {
    const f = frame(payload);
    this.parts.push(f);
    this.partBytes += f.length;
    if (this.partBytes >= WRITE_TARGET) await this.flush();
  }

  /** Writes the entries of `tree` as frames headed by `head`; returns how many. */
  async pairs(head: unknown[], tree: BTree<unknown>): Promise<number> {
    let n = 0;
    this.len = 0;
    this.add(encodeScratch(head));
    const headLen = this.len;
    for (const entry of tree.entries()) {
      this.add(encodeScratch(entry));
      n++;
      if (this.len >= FRAME_TARGET) {
        await this.frame(this.payload.subarray(0, this.len));
        this.len = 0;
        this.add(encodeScratch(head));
      }
      if ((n & 63) === 0 && this.slicer.due()) await this.slicer.pause();
    }
    if (this.len > headLen) await this.frame(this.payload.subarray(0, this.len));
    return n;
  }

  async flush(): Promise<void> {
    if (this.partBytes === 0) return;
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partBytes = 0;
    let done = 0;
    while (done < data.length) done += (await this.fh.write(data, done, data.length - done)).bytesWritten;
    this.bytes += data.length;
  }

  private add(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.payload.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.payload.length * 2, this.len + bytes.length));
      this.payload.copy(bigger, 0, 0, this.len);
      this.payload = bigger;
    }
    this.payload.set(bytes, this.len);
    this.len += bytes.length;
  }
}

/** Reads a snapshot file; any damage throws an error naming the file and offset. */
export async function readSnapshot(file: string): Promise<ServiceData> {
  const data = emptyServiceData();
  const tables = new Map<string, { keys: string[]; values: unknown[] }>();
  let seenHeader = false;
  let end: number[] | undefined;
  let records = 0;
  let blobs = 0;
  const scan = await scanFrames(file, 'strict', (payload, offset) => {
    if (end) throw corrupt(file, offset, 'record after the end record');
    if (!seenHeader) {
      const head = decodeOne(payload) as { format?: unknown } | null;
      if (typeof head !== 'object' || head === null || typeof head.format !== 'number') throw corrupt(file, offset, 'not a kumo snapshot');
      if (head.format > SNAPSHOT_FORMAT) throw corrupt(file, offset, `snapshot format ${head.format} is newer than this kumo reads (${SNAPSHOT_FORMAT})`);
      seenHeader = true;
      return;
    }
    const items = decodeSequence(payload);
    const head = items[0];
    if (!Array.isArray(head)) throw corrupt(file, offset, 'malformed snapshot record');
    if (head[0] === END) {
      end = head as number[];
      return;
    }
    if (head[0] === TABLE && typeof head[1] === 'string') {
      let table = tables.get(head[1]);
      if (!table) tables.set(head[1], (table = { keys: [], values: [] }));
      const { keys, values } = table;
      for (let i = 1; i < items.length; i++) {
        const pair = items[i];
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw corrupt(file, offset, 'malformed snapshot entry');
        if (keys.length > 0 && !(keys[keys.length - 1]! < pair[0])) throw corrupt(file, offset, 'snapshot keys out of order');
        keys.push(pair[0]);
        values.push(pair[1]);
      }
      records += items.length - 1;
    } else if (head[0] === BLOBS) {
      for (let i = 1; i < items.length; i++) {
        const pair = items[i];
        if (!Array.isArray(pair) || !isBlobId(pair[0]) || typeof pair[1] !== 'number') throw corrupt(file, offset, 'malformed blob entry');
        data.blobs.set(pair[0], pair[1]);
      }
      blobs += items.length - 1;
    } else {
      throw corrupt(file, offset, 'unknown snapshot record');
    }
  });
  if (!end) throw corrupt(file, scan.end, 'snapshot ends without its end record');
  if (end[1] !== tables.size || end[2] !== records || end[3] !== blobs) {
    throw corrupt(file, scan.end, `snapshot counts do not match its end record (${tables.size}/${records}/${blobs} read, ${end.slice(1).join('/')} written)`);
  }
  for (const [name, { keys, values }] of tables) data.tables.set(name, treeFromSorted(keys, values));
  return data;
}
