import { open, type FileHandle } from 'node:fs/promises';
import type { BTree } from './btree.ts';
import type { BlobRef, BlobStore } from './types.ts';

/**
 * Small bodies already held whole skip the stream machinery: per request, async generators and
 * Readables cost more CPU than the bytes themselves.
 */
export interface WholeBlobs {
  /** Stores `data` as a new blob, as durable as write() once it resolves (synchronous when kept in memory). */
  writeWhole(data: Uint8Array): BlobRef | Promise<BlobRef>;
  /** The blob's bytes when they are in memory (a view: do not modify), else undefined. */
  inMemory(ref: BlobRef): Buffer | undefined;
}

export function wholeBlobs(store: BlobStore): (BlobStore & WholeBlobs) | undefined {
  return 'writeWhole' in store ? (store as BlobStore & WholeBlobs) : undefined;
}

/** A consistent set of blobs captured with a state view (for saveSnapshot). */
export interface BlobSnapshot {
  ids: BTree<number>;
  /** Copies the captured blobs into `<destDir>/blobs/` durably. */
  copyTo(destDir: string): Promise<void>;
  /** Lets the store delete files it kept for this snapshot. */
  done(): void;
}

/** Blobs made ready, before a state replacement, by stage(); installed by commit(). */
export interface StagedBlobs {
  ids: BTree<number>;
  contents?: BTree<Buffer | string>;
}

export interface ManagedBlobStore extends BlobStore, WholeBlobs {
  /** O(1) copy of the registry (id -> size) for compaction snapshots. */
  view(): BTree<number>;
  capture(): BlobSnapshot;
  /** Brings the blobs `ids` in from `<srcDir>/blobs/` (nothing changes for readers yet). */
  stage(ids: BTree<number>, srcDir: string | null): Promise<StagedBlobs>;
  /** Installs staged blobs; the returned function deletes the old state's blobs (call it once the new state is durable). */
  commit(staged: StagedBlobs): () => void;
  readonly count: number;
  close(): Promise<void>;
}

/**
 * Deletion that waits for snapshot copies: while any capture is alive, files of released
 * blobs stay on disk so the copy can still read them.
 */
export abstract class DeferredDrops<T> {
  private pins = 0;
  private queue: T[] = [];

  protected dropLater(item: T): void {
    if (this.pins > 0) this.queue.push(item);
    else void this.drop(item);
  }

  protected pin(): () => void {
    this.pins++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.pins === 0) {
        const items = this.queue;
        this.queue = [];
        for (const item of items) void this.drop(item);
      }
    };
  }

  /** Must not throw (it runs detached): log failures instead. */
  protected abstract drop(item: T): Promise<void>;
}

export async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.length) done += (await fh.write(data, done, data.length - done)).bytesWritten;
}

export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function checkRange(ref: BlobRef, range: { start: number; end: number } | undefined): void {
  if (!range) return;
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start - 1 || end >= ref.size) {
    throw new RangeError(`invalid blob range ${start}-${end} for ${ref.size} bytes`);
  }
}
