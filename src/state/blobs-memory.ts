import { createReadStream, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { assertBlobId, newBlobId } from './blob-ids.ts';
import { DeferredDrops, checkRange, fsyncFile, writeAll, type BlobSnapshot, type ManagedBlobStore, type StagedBlobs } from './blobs-base.ts';
import { newTree, type BTree } from './btree.ts';
import { fsyncDir, removeQuietly } from './fsutil.ts';
import { BLOBS } from './layout.ts';
import type { Logger } from './logger.ts';
import type { BlobRef } from './types.ts';

/** A blob's bytes, or the path of the temp file it spilled to. */
type Content = Buffer | string;

/**
 * Blobs of a service that is not persisted: bytes in memory up to `limit`, larger ones spilled
 * to a private temp dir (removed at close, and at process exit should close never run).
 */
export class MemoryBlobStore extends DeferredDrops<string> implements ManagedBlobStore {
  private sizes: BTree<number> = newTree();
  private contents: BTree<Content> = newTree();
  private spillDir: string | null = null;
  private spillDirPending: Promise<string> | null = null;

  constructor(
    private readonly limit: number,
    private readonly log: Logger,
  ) {
    super();
  }

  get count(): number {
    return this.sizes.size;
  }

  async write(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<BlobRef> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let spill: { path: string; fh: Awaited<ReturnType<typeof open>> } | null = null;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (spill) {
          await writeAll(spill.fh, chunk);
        } else {
          chunks.push(chunk);
          if (size > this.limit) {
            const path = join(await this.ensureSpillDir(), newBlobId());
            spill = { path, fh: await open(path, 'wx') };
            await writeAll(spill.fh, Buffer.concat(chunks));
            chunks.length = 0;
          }
        }
      }
    } catch (err) {
      if (spill) {
        await spill.fh.close();
        await unlink(spill.path).catch(() => undefined);
      }
      throw err;
    }
    if (spill) await spill.fh.close();
    const id = newBlobId();
    this.sizes.set(id, size);
    this.contents.set(id, spill ? spill.path : Buffer.concat(chunks));
    return { id, size };
  }

  writeWhole(data: Uint8Array): BlobRef | Promise<BlobRef> {
    if (data.length > this.limit) return this.write([data]);
    const id = newBlobId();
    this.sizes.set(id, data.length);
    // A copy: `data` may be a view into a larger buffer (a socket read) this must not keep alive.
    this.contents.set(id, Buffer.from(data));
    return { id, size: data.length };
  }

  inMemory(ref: BlobRef): Buffer | undefined {
    const content = this.contents.get(assertBlobId(ref.id));
    return typeof content === 'string' ? undefined : content;
  }

  read(ref: BlobRef, range?: { start: number; end: number }): NodeJS.ReadableStream {
    const id = assertBlobId(ref.id);
    const content = this.contents.get(id);
    if (content === undefined) throw new Error(`unknown blob ${id}`);
    checkRange({ id, size: this.sizes.get(id)! }, range);
    if (typeof content === 'string') {
      if (range && range.end < range.start) return Readable.from([], { objectMode: false });
      return createReadStream(content, range ? { start: range.start, end: range.end } : {});
    }
    return Readable.from([range ? content.subarray(range.start, range.end + 1) : content], { objectMode: false });
  }

  release(ref: BlobRef): void {
    const id = assertBlobId(ref.id);
    const content = this.contents.get(id);
    if (content === undefined) return;
    this.sizes.delete(id);
    this.contents.delete(id);
    if (typeof content === 'string') this.dropLater(content);
  }

  view(): BTree<number> {
    return this.sizes.clone();
  }

  capture(): BlobSnapshot {
    const ids = this.sizes.clone();
    const contents = this.contents.clone();
    const done = this.pin();
    return {
      ids,
      done,
      copyTo: async (destDir) => {
        if (ids.size === 0) return;
        const dest = join(destDir, BLOBS);
        await mkdir(dest, { recursive: true });
        for (const [id, content] of contents.entries()) {
          if (typeof content === 'string') await copyFile(content, join(dest, id));
          else await writeFile(join(dest, id), content);
          await fsyncFile(join(dest, id));
        }
        await fsyncDir(dest);
        await fsyncDir(destDir);
      },
    };
  }

  async stage(ids: BTree<number>, srcDir: string | null): Promise<StagedBlobs> {
    const contents = newTree<Content>();
    if (srcDir !== null) {
      for (const id of ids.keys()) {
        const src = join(srcDir, BLOBS, id);
        if ((await stat(src)).size <= this.limit) {
          contents.set(id, await readFile(src));
        } else {
          const path = join(await this.ensureSpillDir(), newBlobId());
          await copyFile(src, path);
          contents.set(id, path);
        }
      }
    }
    return { ids, contents };
  }

  commit(staged: StagedBlobs): () => void {
    const old = this.contents;
    this.sizes = staged.ids;
    this.contents = staged.contents ?? newTree();
    for (const content of old.values()) if (typeof content === 'string') this.dropLater(content);
    return () => undefined;
  }

  async close(): Promise<void> {
    const dir = this.spillDir ?? (await this.spillDirPending?.catch(() => null));
    this.spillDir = null;
    this.spillDirPending = null;
    if (!dir) return;
    spillDirs.delete(dir);
    await removeQuietly(dir);
  }

  protected async drop(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (err) {
      this.log('warn', 'could not delete a spilled blob', { path, error: String(err) });
    }
  }

  private ensureSpillDir(): Promise<string> {
    this.spillDirPending ??= mkdtemp(join(tmpdir(), 'kumo-blobs-')).then((dir) => {
      this.spillDir = dir;
      trackSpillDir(dir);
      return dir;
    });
    return this.spillDirPending;
  }
}

/** Spill dirs still present; one exit hook removes them all should a process end without close(). */
const spillDirs = new Set<string>();
let exitHook = false;

function trackSpillDir(dir: string): void {
  spillDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const d of spillDirs) rmSync(d, { recursive: true, force: true });
  });
}
