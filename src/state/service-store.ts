import { rm } from 'node:fs/promises';
import type { ManagedBlobStore, StagedBlobs } from './blobs-base.ts';
import { FileBlobStore } from './blobs-file.ts';
import { MemoryBlobStore } from './blobs-memory.ts';
import { newTree } from './btree.ts';
import { encodeScratch } from './codec.ts';
import { StateError, errorMessage } from './errors.ts';
import { fsyncDir, listDir, mkdirDurableSync } from './fsutil.ts';
import { Journal, type Durability } from './journal.ts';
import { classify, journalPath, snapshotPath } from './layout.ts';
import type { Logger } from './logger.ts';
import type { JournalRecord, ServiceData } from './records.ts';
import type { RecoveredService } from './recovery.ts';
import { writeSnapshot, type SnapshotView } from './snapshot-file.ts';
import { StoredTable, type TableOwner } from './table.ts';
import type { ServiceState, Table } from './types.ts';

export interface StoreOptions {
  durability: Durability;
  /** Journal bytes that trigger a background compaction (at least the last snapshot's size). */
  compactEvery: number;
  freezeValues: boolean;
  blobMemoryLimit: number;
  log: Logger;
}

/** One service's tables and blobs, journaled to `dir` when the service is persisted. */
export class ServiceStore implements ServiceState, TableOwner {
  readonly freezeValues: boolean;
  private readonly tables = new Map<string, StoredTable<unknown>>();
  private maintenance: Promise<unknown> = Promise.resolve();
  private compactionQueued = false;
  private snapshotBytes = 0;
  private closed = false;

  private constructor(
    readonly service: string,
    readonly blobs: ManagedBlobStore,
    private readonly journal: Journal | null,
    private readonly dir: string | null,
    private readonly opts: StoreOptions,
  ) {
    this.freezeValues = opts.freezeValues;
  }

  static inMemory(service: string, opts: StoreOptions): ServiceStore {
    return new ServiceStore(service, new MemoryBlobStore(opts.blobMemoryLimit, opts.log), null, null, opts);
  }

  /** A persisted service over its recovered folder (sweeps orphan blob files). */
  static async persisted(service: string, dir: string, recovered: RecoveredService, opts: StoreOptions): Promise<ServiceStore> {
    const journal = new Journal(dir, recovered.gen, opts.durability, (msg, fields) => opts.log('error', msg, fields));
    journal.bytesSinceRotation = recovered.journalBytes;
    let store: ServiceStore | undefined;
    const hooks = { record: (rec: JournalRecord) => store!.write(rec), synced: () => journal.sync() };
    const blobs = await FileBlobStore.open(dir, recovered.data.blobs, opts.durability, hooks, opts.log);
    store = new ServiceStore(service, blobs, journal, dir, opts);
    store.snapshotBytes = recovered.snapshotBytes;
    store.install(recovered.data);
    return store;
  }

  /** A persisted service seen for the first time: its folder is new and empty. */
  static fresh(service: string, dir: string, opts: StoreOptions): ServiceStore {
    mkdirDurableSync(dir);
    const journal = new Journal(dir, 1, opts.durability, (msg, fields) => opts.log('error', msg, fields));
    let store: ServiceStore | undefined;
    const hooks = { record: (rec: JournalRecord) => store!.write(rec), synced: () => journal.sync() };
    store = new ServiceStore(service, new FileBlobStore(dir, newTree(), opts.durability, hooks, opts.log), journal, dir, opts);
    return store;
  }

  get persisted(): boolean {
    return this.journal !== null;
  }

  table<V>(name: string): Table<V> {
    let table = this.tables.get(name);
    if (!table) {
      if (typeof name !== 'string' || name === '') throw new TypeError('table names are non-empty strings');
      table = new StoredTable(name, newTree(), this);
      this.tables.set(name, table);
    }
    return table as StoredTable<V>;
  }

  write(rec: JournalRecord): void {
    if (this.closed) throw new StateError('Unavailable', 'the state engine is closed');
    const journal = this.journal;
    if (!journal) return;
    journal.append(encodeScratch(rec));
    if (!this.compactionQueued && journal.bytesSinceRotation >= Math.max(this.opts.compactEvery, this.snapshotBytes)) {
      this.compactionQueued = true;
      this.compact()
        .catch((err) => this.opts.log('error', 'compaction failed; the journal keeps growing until the next attempt', { service: this.service, error: errorMessage(err) }))
        .finally(() => (this.compactionQueued = false));
    }
  }

  sync(): Promise<void> | null {
    return this.journal?.pending ? this.journal.sync() : null;
  }

  /** A consistent point-in-time view, O(1) (copy-on-write clones of every tree). */
  view(): SnapshotView {
    return { tables: [...this.tables].map(([name, t]) => [name, t.tree.clone()]), blobs: this.blobs.view() };
  }

  /**
   * Writes a snapshot of the current state and drops the journal generations it replaces.
   * Writes continue meanwhile: they go to a new journal generation, replayed on top of it.
   */
  compact(): Promise<void> {
    return this.exclusive(async () => {
      const journal = this.journal;
      if (!journal || this.closed) return;
      const gen = journal.rotate();
      const view = this.view();
      const snap = await writeSnapshot(snapshotPath(this.dir!, gen), this.service, gen, view);
      await snap.commit();
      this.snapshotBytes = snap.bytes;
      await journal.settled(gen);
      await this.removeBefore(gen);
    });
  }

  /**
   * Replaces the whole state (reset: empty data; snapshot load: data read from `srcDir`). The new
   * state's snapshot is written while the old state still serves; then, in one step, the tables
   * switch and new writes are held back until that snapshot is committed, so a crash recovers
   * either the old state or the new one, never a mix.
   */
  replace(data: ServiceData, srcDir: string | null): Promise<void> {
    return this.exclusive(async () => {
      const staged: StagedBlobs = await this.blobs.stage(data.blobs, srcDir);
      const journal = this.journal;
      if (!journal) {
        this.install(data);
        this.blobs.commit(staged)();
        return;
      }
      const gen = journal.gen + 1;
      const snap = await writeSnapshot(snapshotPath(this.dir!, gen), this.service, gen, { tables: [...data.tables], blobs: data.blobs });
      journal.rotate(true);
      this.install(data);
      const discard = this.blobs.commit(staged);
      try {
        await snap.commit();
      } catch (err) {
        journal.fail(err);
        throw err;
      }
      journal.unhold();
      this.snapshotBytes = snap.bytes;
      discard();
      await journal.settled(gen);
      await this.removeBefore(gen);
    });
  }

  stats(): { records: number; tables: number } {
    let records = 0;
    for (const t of this.tables.values()) records += t.size;
    return { records, tables: this.tables.size };
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.closed = true;
      try {
        await this.journal?.close();
      } finally {
        await this.blobs.close();
      }
    });
  }

  /** Installs `data` as the current state; table objects handed out stay valid. */
  private install(data: ServiceData): void {
    for (const [name, table] of this.tables) table.swap(data.tables.get(name) ?? newTree());
    for (const [name, tree] of data.tables) if (!this.tables.has(name)) this.tables.set(name, new StoredTable(name, tree, this));
  }

  /** Runs maintenance jobs (compaction, replacement, close) one at a time. */
  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(job, job);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  private async removeBefore(gen: number): Promise<void> {
    const listing = classify(await listDir(this.dir!));
    const files = [
      ...listing.snapshots.filter((g) => g < gen).map((g) => snapshotPath(this.dir!, g)),
      ...listing.journals.filter((g) => g < gen).map((g) => journalPath(this.dir!, g)),
    ];
    for (const file of files) await rm(file, { force: true });
    if (files.length > 0) await fsyncDir(this.dir!);
  }
}
