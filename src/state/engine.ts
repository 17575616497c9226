import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineClock } from './clock.ts';
import { canonical, checkSnapshotTarget, isWithin, openDataDir } from './datadir.ts';
import { StateError, asSnapshotSourceError, errorMessage } from './errors.ts';
import { fsyncDir } from './fsutil.ts';
import { createIds } from './ids.ts';
import type { Durability } from './journal.ts';
import { BLOBS, isServiceName, snapshotPath } from './layout.ts';
import type { DirLock } from './lock.ts';
import { silent, type Logger } from './logger.ts';
import { readManifest, writeManifest } from './manifest.ts';
import { emptyServiceData, type ServiceData } from './records.ts';
import { recoverService } from './recovery.ts';
import { ServiceStore, type StoreOptions } from './service-store.ts';
import { writeSnapshot } from './snapshot-file.ts';
import type { Ids, Scheduler, ServiceState } from './types.ts';
import { loadCodec } from './codec.ts';

export interface EngineOptions {
  /** Persist to this directory (created if missing); memory only without it. */
  dataDir?: string;
  /** fsync (default): a write is durable against power loss when sync() resolves; process: against a killed process only. */
  durability?: Durability;
  /** Makes ids reproducible (KUMO_SEED). */
  seed?: string;
  /** With a data dir: the services that persist (default all); the others stay in memory. */
  persistServices?: string[] | 'all';
  kumoVersion: string;
  log?: Logger;
  /** Journal bytes of a service that trigger a background compaction (default 64 MiB; at least the last snapshot's size). */
  compactEvery?: number;
  /** Memory-only blobs larger than this spill to a temp dir (default 1 MiB). */
  blobMemoryLimit?: number;
  /**
   * Deep-freeze every stored value so that mutating one throws. Costs a walk of each value per
   * write, so it is off by default; tests and development turn it on to catch handlers that
   * mutate stored values.
   */
  freezeValues?: boolean;
}

const RESOLVED = Promise.resolve();

/** kumo's state: tables per service, journals and snapshots, blobs, clock, scheduler, ids. */
export class StateEngine {
  readonly clock: EngineClock;
  readonly scheduler: Scheduler;
  readonly ids: Ids;
  private readonly stores = new Map<string, ServiceStore>();
  private readonly storeOpts: StoreOptions;
  private readonly log: Logger;
  private closed = false;

  private constructor(
    private readonly opts: EngineOptions,
    private readonly dataDir: string | null,
    private readonly lock: DirLock | null,
  ) {
    this.log = opts.log ?? silent;
    this.clock = new EngineClock(this.log);
    this.scheduler = this.clock.scheduler;
    this.ids = createIds(opts.seed);
    this.storeOpts = {
      durability: opts.durability ?? 'fsync',
      compactEvery: opts.compactEvery ?? 64 * 1024 * 1024,
      freezeValues: opts.freezeValues ?? false,
      blobMemoryLimit: opts.blobMemoryLimit ?? 1024 * 1024,
      log: this.log,
    };
  }

  /** Creates or validates the data dir, takes its lock and recovers every persisted service folder. */
  static async open(opts: EngineOptions): Promise<StateEngine> {
    if (opts.durability !== undefined && opts.durability !== 'fsync' && opts.durability !== 'process') {
      throw new TypeError(`durability must be fsync or process, got ${String(opts.durability)}`);
    }
    if (!opts.dataDir) return new StateEngine(opts, null, null);
    await loadCodec();
    const dir = await canonical(opts.dataDir);
    const { lock } = await openDataDir(dir, opts.kumoVersion);
    const engine = new StateEngine(opts, dir, lock);
    try {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || !isServiceName(entry.name)) continue;
        if (!engine.persists(entry.name)) {
          engine.log('info', 'service not persisted (persistServices); leaving its folder untouched', { service: entry.name });
          continue;
        }
        const started = performance.now();
        const serviceDir = join(dir, entry.name);
        const recovered = await recoverService(serviceDir, true, engine.log);
        engine.stores.set(entry.name, await ServiceStore.persisted(entry.name, serviceDir, recovered, engine.storeOpts));
        engine.log('debug', 'service state recovered', { service: entry.name, ms: Math.round(performance.now() - started) });
      }
    } catch (err) {
      await engine.close().catch(() => undefined);
      throw err;
    }
    return engine;
  }

  /** The state of one service, created on first use (recovered data already loaded). */
  service(name: string): ServiceState {
    return this.store(name);
  }

  /** A scheduler whose timers reset() and loadSnapshot() cancel along with the service's state. */
  schedulerFor(service: string): Scheduler {
    return this.clock.scheduler.forOwner(service);
  }

  /** Resolves when every write made before the call is durable (at once in memory mode). */
  sync(): Promise<void> {
    return this.pendingSync() ?? RESOLVED;
  }

  /** sync() for the request path: undefined when nothing is waiting for a commit, so no promise is awaited. */
  pendingSync(): Promise<void> | undefined {
    if (!this.dataDir) return undefined;
    let waits: Promise<void>[] | undefined;
    for (const store of this.stores.values()) {
      const p = store.sync();
      if (p) (waits ??= []).push(p);
    }
    if (!waits) return undefined;
    return waits.length === 1 ? waits[0]! : Promise.all(waits).then(() => undefined);
  }

  /** Empties one service (or all) in memory and on disk, and cancels its timers (all timers for a full reset). */
  async reset(service?: string): Promise<void> {
    this.checkOpen();
    const names = service === undefined ? [...this.stores.keys()] : this.stores.has(service) ? [service] : [];
    this.clock.scheduler.cancelOwner(service);
    for (const name of names) await this.stores.get(name)!.replace(emptyServiceData(), null);
  }

  /** Compacts one service (or all) now instead of waiting for the journal to grow. */
  async compact(service?: string): Promise<void> {
    this.checkOpen();
    for (const [name, store] of this.stores) if (service === undefined || name === service) await store.compact();
  }

  /**
   * Writes a consistent point-in-time copy of all state to `dir` (new or empty, outside the data
   * dir) as a data dir another kumo can start from. Writes continue meanwhile; they are not in
   * the copy. kumo.json is written last: an interrupted copy is not a data dir.
   */
  async saveSnapshot(dir: string): Promise<void> {
    this.checkOpen();
    // Captured first, in one synchronous step: the copy is the state of every service at the call.
    const captures = [...this.stores].map(([name, store]) => ({ name, view: store.view(), blobs: store.blobs.capture() }));
    try {
      await loadCodec();
      const target = await canonical(dir);
      await checkSnapshotTarget(target, this.dataDir);
      await mkdir(target, { recursive: true });
      for (const { name, view, blobs } of captures) {
        view.blobs = blobs.ids;
        if (blobs.ids.size === 0 && view.tables.every(([, tree]) => tree.size === 0)) continue;
        const serviceDir = join(target, name);
        await mkdir(serviceDir);
        await (await writeSnapshot(snapshotPath(serviceDir, 1), name, 1, view)).commit();
        await blobs.copyTo(serviceDir);
      }
      await fsyncDir(target);
      await writeManifest(target, this.opts.kumoVersion);
    } finally {
      for (const { blobs } of captures) blobs.done();
    }
  }

  /**
   * Replaces all running state with the data dir at `dir` and cancels every timer (services
   * rebuild theirs in init). Everything is read and validated first: if anything is wrong the
   * running state is untouched and the error (status 400) says why.
   */
  async loadSnapshot(dir: string): Promise<void> {
    this.checkOpen();
    await loadCodec();
    const src = await canonical(dir);
    const loaded = new Map<string, ServiceData>();
    try {
      if (this.dataDir && isWithin(src, this.dataDir)) throw new Error('it is the running data dir');
      if (!(await stat(src)).isDirectory()) throw new Error('not a directory');
      if (!(await readManifest(src))) throw new Error('not a kumo data dir (no kumo.json)');
      for (const entry of await readdir(src, { withFileTypes: true })) {
        if (!entry.isDirectory() || !isServiceName(entry.name)) continue;
        const { data } = await recoverService(join(src, entry.name), false, this.log);
        await checkBlobFiles(join(src, entry.name), data);
        loaded.set(entry.name, data);
      }
    } catch (err) {
      throw asSnapshotSourceError(err, src);
    }
    this.clock.scheduler.cancelOwner();
    for (const name of new Set([...this.stores.keys(), ...loaded.keys()])) {
      const data = loaded.get(name);
      await this.store(name).replace(data ?? emptyServiceData(), data ? join(src, name) : null);
    }
  }

  stats(): { dataDir?: string; durability: string; seed?: string; services: Record<string, { records: number; tables: number }> } {
    const services: Record<string, { records: number; tables: number }> = {};
    for (const [name, store] of this.stores) services[name] = store.stats();
    return {
      ...(this.dataDir ? { dataDir: this.dataDir } : {}),
      durability: this.dataDir ? this.storeOpts.durability : 'memory',
      ...(this.opts.seed !== undefined ? { seed: this.opts.seed } : {}),
      services,
    };
  }

  /** Writes out everything pending, closes the journals and releases the data dir lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.scheduler.stop();
    let failure: unknown;
    for (const [name, store] of this.stores) {
      try {
        await store.close();
      } catch (err) {
        failure ??= err;
        this.log('error', 'closing a service failed', { service: name, error: errorMessage(err) });
      }
    }
    await this.lock?.release();
    if (failure) throw failure;
  }

  private persists(name: string): boolean {
    const list = this.opts.persistServices ?? 'all';
    return this.dataDir !== null && (list === 'all' || list.includes(name));
  }

  private store(name: string): ServiceStore {
    let store = this.stores.get(name);
    if (store) return store;
    this.checkOpen();
    if (!isServiceName(name)) throw new TypeError(`invalid service name ${JSON.stringify(name)}`);
    store = this.persists(name) ? ServiceStore.fresh(name, join(this.dataDir!, name), this.storeOpts) : ServiceStore.inMemory(name, this.storeOpts);
    this.stores.set(name, store);
    return store;
  }

  private checkOpen(): void {
    if (this.closed) throw new StateError('Unavailable', 'the state engine is closed');
  }
}

/** A snapshot whose registered blob files are missing or truncated is refused up front. */
async function checkBlobFiles(serviceDir: string, data: ServiceData): Promise<void> {
  for (const [id, size] of data.blobs.entries()) {
    const file = join(serviceDir, BLOBS, id);
    const actual = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (actual !== size) throw new Error(`blob file ${file} is ${actual < 0 ? 'missing' : `${actual} bytes, expected ${size}`}`);
  }
}
