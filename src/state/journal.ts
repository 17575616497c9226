import { constants, fdatasyncSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StateError, errorMessage } from './errors.ts';
import { FRAME_HEADER, putFrame } from './frames.ts';
import { errnoCode, fsyncDir } from './fsutil.ts';
import { journalPath } from './layout.ts';
import { WritePolicy } from './write-policy.ts';

export type Durability = 'fsync' | 'process';

/** Records of one journal generation waiting to be written. */
interface Segment {
  gen: number;
  parts: Buffer[];
  /** Sequence number of its newest record. */
  lastSeq: number;
  /** Held segments are not written until unhold() (state replacement commits first). */
  held: boolean;
}

interface Waiter {
  /** sync(): the record to wait for; settled(): the generation. */
  until: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const CHUNK = 256 * 1024;
const RESOLVED = Promise.resolve();
// With O_DSYNC a write returns once its data is durable: one system call per group commit
// instead of two (write, then fdatasync). Platforms without it (Windows) sync explicitly.
const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_DSYNC } = constants;

/**
 * A service's append-only journal with group commit. append() frames a record into an
 * in-memory buffer synchronously; one flusher writes everything pending with a single write
 * and, in fsync mode, a single fdatasync, so concurrent requests share the cost of a sync.
 * The write runs on the event loop while the disk is fast, on the thread pool when it is not
 * (WritePolicy).
 * sync() resolves once every record appended before the call is written (and synced).
 */
export class Journal {
  private chunk = Buffer.allocUnsafe(CHUNK);
  private chunkStart = 0;
  private pos = 0;
  private readonly segments: Segment[];
  private appended = 0;
  private durable = 0;
  private readonly waiters: Waiter[] = [];
  private waitHead = 0;
  private readonly settleWaiters: Waiter[] = [];
  private running = false;
  private failure: StateError | null = null;
  private fh: FileHandle | null = null;
  private fhGen = -1;
  /** Bytes appended since the last rotation (what the compaction trigger looks at). */
  bytesSinceRotation = 0;
  /** Write (+ fdatasync) calls so far: far fewer than records when commits are grouped. */
  flushes = 0;
  /** Those of them made on the event loop rather than the thread pool. */
  inlineFlushes = 0;

  constructor(
    private readonly dir: string,
    gen: number,
    private readonly durability: Durability,
    private readonly log: (msg: string, fields: object) => void,
    private readonly policy = new WritePolicy(),
  ) {
    this.segments = [{ gen, parts: [], lastSeq: 0, held: false }];
  }

  /** The generation new records go to. */
  get gen(): number {
    return this.last().gen;
  }

  get pending(): boolean {
    return this.durable < this.appended;
  }

  append(payload: Uint8Array): void {
    if (this.failure) throw this.failure;
    const need = FRAME_HEADER + payload.length;
    if (this.pos + need > this.chunk.length) {
      this.seal();
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, need));
      this.pos = this.chunkStart = 0;
    }
    this.pos = putFrame(this.chunk, this.pos, payload);
    this.last().lastSeq = ++this.appended;
    this.bytesSinceRotation += need;
    this.kick();
  }

  /**
   * Starts generation gen+1: records appended from now on go to its file. With `hold`, they are
   * not written until unhold(), so nothing lands on disk before the snapshot that must precede it.
   */
  rotate(hold = false): number {
    this.seal();
    const gen = this.gen + 1;
    this.segments.push({ gen, parts: [], lastSeq: this.appended, held: hold });
    this.bytesSinceRotation = 0;
    this.kick();
    return gen;
  }

  unhold(): void {
    for (const seg of this.segments) seg.held = false;
    this.kick();
  }

  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable >= this.appended) return RESOLVED;
    return new Promise((resolve, reject) => {
      this.waiters.push({ until: this.appended, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once every generation older than `gen` is written and its file closed. */
  settled(gen: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.segments[0]!.gen >= gen) return RESOLVED;
    return new Promise((resolve, reject) => {
      this.settleWaiters.push({ until: gen, resolve, reject });
      this.kick();
    });
  }

  /** Marks the journal unusable: later appends throw, syncs reject. */
  fail(err: unknown): void {
    if (this.failure) return;
    this.failure =
      err instanceof StateError ? err : new StateError('Unavailable', `journal write failed in ${this.dir}: ${errorMessage(err)}`, { cause: err });
    this.log('journal failed; writes to this service are refused', { dir: this.dir, error: this.failure.message });
    for (let i = this.waitHead; i < this.waiters.length; i++) this.waiters[i]!.reject(this.failure);
    for (const w of this.settleWaiters) w.reject(this.failure);
    this.waiters.length = this.waitHead = this.settleWaiters.length = 0;
  }

  /** Writes everything (held segments included) and closes the file. */
  async close(): Promise<void> {
    this.unhold();
    await this.sync();
    await this.settled(this.gen);
    if (this.fh) await this.fh.close();
    this.fh = null;
    this.failure = new StateError('Unavailable', 'the state engine is closed');
  }

  private last(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Moves the unwritten part of the current chunk into the newest segment. */
  private seal(): void {
    if (this.pos > this.chunkStart) {
      this.last().parts.push(this.chunk.subarray(this.chunkStart, this.pos));
      this.chunkStart = this.pos;
    }
  }

  private kick(): void {
    if (this.running || this.failure) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        // One turn of the event loop lets every request that just got its sync answer append
        // its next records, so they share the next write. (Starting at once, overlapping those
        // requests' work with the sync, measured slower: batches halve, syncs double.)
        await new Promise<void>((r) => setImmediate(r));
        const seg = this.segments[0]!;
        const isLast = this.segments.length === 1;
        if (isLast) this.seal();
        if (seg.held) break;
        if (seg.parts.length > 0) {
          const parts = seg.parts;
          const upTo = seg.lastSeq;
          seg.parts = [];
          await this.write(seg.gen, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
          this.markDurable(upTo);
          continue;
        }
        if (isLast) break;
        if (this.fhGen === seg.gen) await this.closeFile();
        this.segments.shift();
        this.markDurable(seg.lastSeq);
        this.settle();
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.running = false;
    }
    if (!this.failure && this.hasWork()) this.kick();
  }

  private hasWork(): boolean {
    const seg = this.segments[0]!;
    if (seg.held) return false;
    return seg.parts.length > 0 || this.segments.length > 1 || this.pos > this.chunkStart;
  }

  private async write(gen: number, data: Buffer): Promise<void> {
    if (this.fhGen !== gen) {
      if (this.fh) await this.closeFile();
      this.fh = await this.openGen(gen);
      this.fhGen = gen;
    }
    const explicitSync = this.durability === 'fsync' && !O_DSYNC;
    const start = performance.now();
    if (this.policy.inline(start)) {
      const fd = this.fh!.fd;
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
      if (explicitSync) fdatasyncSync(fd);
      const end = performance.now();
      this.policy.tookInline(end - start, end);
      this.inlineFlushes++;
    } else {
      let done = 0;
      while (done < data.length) done += (await this.fh!.write(data, done, data.length - done)).bytesWritten;
      if (explicitSync) await this.fh!.datasync();
    }
    this.flushes++;
  }

  private async openGen(gen: number): Promise<FileHandle> {
    const path = journalPath(this.dir, gen);
    const flags = O_WRONLY | O_APPEND | (this.durability === 'fsync' && O_DSYNC ? O_DSYNC : 0);
    try {
      const fh = await open(path, flags | O_CREAT | O_EXCL);
      // A new file's directory entry must be durable before records in it count as durable.
      if (this.durability === 'fsync') await fsyncDir(this.dir);
      return fh;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      return open(path, flags);
    }
  }

  /** Older generations are always synced when left, whatever the mode: recovery expects only the newest to be torn. */
  private async closeFile(): Promise<void> {
    const fh = this.fh!;
    this.fh = null;
    this.fhGen = -1;
    await fh.datasync();
    await fh.close();
  }

  private markDurable(seq: number): void {
    if (seq > this.durable) this.durable = seq;
    while (this.waitHead < this.waiters.length && this.waiters[this.waitHead]!.until <= this.durable) this.waiters[this.waitHead++]!.resolve();
    if (this.waitHead === this.waiters.length) this.waiters.length = this.waitHead = 0;
  }

  private settle(): void {
    const oldest = this.segments[0]!.gen;
    for (let i = this.settleWaiters.length - 1; i >= 0; i--) {
      if (this.settleWaiters[i]!.until <= oldest) this.settleWaiters.splice(i, 1)[0]!.resolve();
    }
  }
}
