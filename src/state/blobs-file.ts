import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { assertBlobId, isBlobId, newBlobId } from './blob-ids.ts';
import { DeferredDrops, checkRange, fsyncFile, writeAll, type BlobSnapshot, type ManagedBlobStore, type StagedBlobs } from './blobs-base.ts';
import type { BTree } from './btree.ts';
import { errnoCode, fsyncDir, listDir } from './fsutil.ts';
import type { Durability } from './journal.ts';
import { BLOBS } from './layout.ts';
import { BLOB_ADD, BLOB_DELETE, type JournalRecord } from './records.ts';
import type { Logger } from './logger.ts';
import type { BlobRef } from './types.ts';

export interface BlobJournal {
  record(rec: JournalRecord): void;
  /** Resolves when records made so far are durable. */
  synced(): Promise<void>;
}

/**
 * Blobs of a persisted service: one file per blob in `<service>/blobs/`, named by its id.
 * Ordering that keeps a crash recoverable: the file is written and fsynced (with its directory
 * entry) before the journal record that registers it; a file is deleted only after the record
 * that unregisters it is durable. Files without a registration are crash leftovers, swept at open.
 */
export class FileBlobStore extends DeferredDrops<string> implements ManagedBlobStore {
  private readonly dir: string;
  private dirReady = false;

  constructor(
    private readonly serviceDir: string,
    private sizes: BTree<number>,
    private readonly durability: Durability,
    private readonly journal: BlobJournal,
    private readonly log: Logger,
  ) {
    super();
    this.dir = join(serviceDir, BLOBS);
  }

  /** Opens the store over recovered registrations, deleting blob files nothing registers. */
  static async open(serviceDir: string, sizes: BTree<number>, durability: Durability, journal: BlobJournal, log: Logger): Promise<FileBlobStore> {
    const store = new FileBlobStore(serviceDir, sizes, durability, journal, log);
    const files = await listDir(store.dir);
    store.dirReady = files.length > 0;
    let swept = 0;
    for (const name of files) {
      const id = name.endsWith('.tmp') ? name.slice(0, -4) : name;
      if (!isBlobId(id)) continue;
      if (name === id && sizes.has(id)) continue;
      await unlink(join(store.dir, name));
      swept++;
    }
    if (swept > 0) log('info', 'removed blob files left by an interrupted write', { dir: store.dir, files: swept });
    const present = new Set(files);
    for (const id of sizes.keys()) {
      if (!present.has(id)) log('warn', 'a registered blob file is missing; reads of it will fail', { dir: store.dir, id });
    }
    return store;
  }

  get count(): number {
    return this.sizes.size;
  }

  async write(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef> {
    await this.ensureDir();
    const id = newBlobId();
    const path = join(this.dir, id);
    const fh = await open(path, 'wx');
    let size = 0;
    try {
      for await (const chunk of source) {
        await writeAll(fh, chunk);
        size += chunk.length;
      }
      if (this.durability === 'fsync') await fh.datasync();
    } catch (err) {
      await fh.close();
      await unlink(path).catch(() => undefined);
      throw err;
    }
    await fh.close();
    if (this.durability === 'fsync') await fsyncDir(this.dir);
    this.sizes.set(id, size);
    this.journal.record([BLOB_ADD, id, size]);
    return { id, size };
  }

  writeWhole(data: Uint8Array): Promise<BlobRef> {
    return this.write([data]);
  }

  inMemory(): undefined {
    return undefined;
  }

  read(ref: BlobRef, range?: { start: number; end: number }): NodeJS.ReadableStream {
    const id = assertBlobId(ref.id);
    const size = this.sizes.get(id);
    if (size === undefined) throw new Error(`unknown blob ${id}`);
    checkRange({ id, size }, range);
    if (range && range.end < range.start) return Readable.from([], { objectMode: false });
    return createReadStream(join(this.dir, id), range ? { start: range.start, end: range.end } : {});
  }

  release(ref: BlobRef): void {
    const id = assertBlobId(ref.id);
    if (!this.sizes.delete(id)) return;
    this.journal.record([BLOB_DELETE, id]);
    this.journal.synced().then(
      () => this.dropLater(id),
      () => undefined,
    );
  }

  view(): BTree<number> {
    return this.sizes.clone();
  }

  capture(): BlobSnapshot {
    const ids = this.sizes.clone();
    const done = this.pin();
    return {
      ids,
      done,
      copyTo: async (destDir) => {
        if (ids.size === 0) return;
        const dest = join(destDir, BLOBS);
        await mkdir(dest, { recursive: true });
        for (const id of ids.keys()) {
          await copyFile(join(this.dir, id), join(dest, id));
          await fsyncFile(join(dest, id));
        }
        await fsyncDir(dest);
        await fsyncDir(destDir);
      },
    };
  }

  async stage(ids: BTree<number>, srcDir: string | null): Promise<StagedBlobs> {
    if (srcDir === null || ids.size === 0) return { ids };
    await this.ensureDir();
    for (const [id, size] of ids.entries()) {
      const target = join(this.dir, id);
      if ((await stat(target).catch(() => undefined))?.size === size) continue;
      await copyFile(join(srcDir, BLOBS, id), `${target}.tmp`);
      await fsyncFile(`${target}.tmp`);
      await rename(`${target}.tmp`, target);
    }
    await fsyncDir(this.dir);
    return { ids };
  }

  commit(staged: StagedBlobs): () => void {
    const old = this.sizes;
    this.sizes = staged.ids;
    return () => {
      for (const id of old.keys()) if (!this.sizes.has(id)) this.dropLater(id);
    };
  }

  async close(): Promise<void> {}

  protected async drop(id: string): Promise<void> {
    // The id may be live again (a loaded snapshot holding the same blob).
    if (this.sizes.has(id)) return;
    try {
      await unlink(join(this.dir, id));
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') this.log('warn', 'could not delete a released blob', { dir: this.dir, id, error: String(err) });
    }
  }

  private async ensureDir(): Promise<void> {
    if (this.dirReady) return;
    await mkdir(this.dir, { recursive: true });
    await fsyncDir(this.serviceDir);
    this.dirReady = true;
  }
}
