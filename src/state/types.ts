/**
 * The state engine's public surface, as services and the server see it.
 * Values stored in tables are plain data (objects, arrays, strings, numbers, booleans, null,
 * Buffer/Uint8Array, Date) and are immutable once stored: an update stores a new value.
 */

export interface RangeOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** Inclusive lower bound (within the prefix when both are given). */
  start?: string;
  /** Exclusive lower bound; wins over `start`. */
  after?: string;
  /** Exclusive upper bound. */
  end?: string;
  reverse?: boolean;
}

export interface Table<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  /** Stores `value` under `key` and journals the write (durable mode). */
  put(key: string, value: V): void;
  delete(key: string): boolean;
  readonly size: number;
  /**
   * Keys in ascending (or descending) code-unit order. The table may be written while iterating:
   * iteration continues after the last key returned and always sees current values.
   */
  entries(range?: RangeOptions): IterableIterator<[string, V]>;
  keys(range?: RangeOptions): IterableIterator<string>;
  /** Deletes every key of the table (journaled as one record). */
  clear(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, as kumo's clock sees it. */
  now(): number;
  readonly frozen: boolean;
}

export interface TimerHandle {
  cancel(): void;
  readonly at: number;
}

export interface Scheduler {
  /** Runs `fn` once the clock reaches `at` (ms since epoch); timers due at the same time run in scheduling order. */
  at(at: number, fn: () => void): TimerHandle;
  /** Runs `fn` after `delayMs` of kumo clock time. */
  after(delayMs: number, fn: () => void): TimerHandle;
}

export interface Ids {
  /** RFC 4122 version 4 layout. */
  uuid(): string;
  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string;
  /** `bytes` random bytes as base64 (standard alphabet, padded). */
  base64(bytes: number): string;
  /** `bytes` random bytes. */
  bytes(bytes: number): Buffer;
  /** An AWS-style request id (uuid). */
  requestId(): string;
}

/** A file-backed (or memory-backed) large value, e.g. an S3 object body. */
export interface BlobRef {
  id: string;
  size: number;
}

export interface BlobStore {
  /** Streams `source` into a new blob; durable (fsynced in fsync mode) when the promise resolves. */
  write(source: AsyncIterable<Uint8Array>): Promise<BlobRef>;
  /** `range` is inclusive at both ends, like HTTP `Range: bytes=start-end` (end = start - 1: empty). */
  read(ref: BlobRef, range?: { start: number; end: number }): NodeJS.ReadableStream;
  /** Drops a blob no table value references any more. */
  release(ref: BlobRef): void;
}

/** The state of one service across all accounts and regions. */
export interface ServiceState {
  readonly service: string;
  /** A table holding keys of every scope; services usually reach tables through a scoped view. */
  table<V>(name: string): Table<V>;
  readonly blobs: BlobStore;
}
