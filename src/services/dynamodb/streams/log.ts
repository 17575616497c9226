/**
 * The stream log: DynamoDB Streams records kept in the dynamodb service's own tables and written
 * by the same request as the item change they describe, so a change and its record are durable
 * together. Per account and region:
 *   `streams`         `<table>/<label>` -> StreamMeta
 *   `stream-records`  `<table>/<label>\0<sequence number>` -> StoredRecord
 * Every stream has exactly one shard: kumo never splits shards, so a stream's records are totally
 * ordered. Records live 24 hours on kumo's clock; a stream closed by disabling it (or by deleting
 * its table) stays readable for 24 hours and then disappears.
 */
import type { KeySchemaElement, StreamViewType } from '../../../generated/dynamodb.ts';
import type { Clock, ServiceState, Table } from '../../../state/index.ts';
import { itemSize, valuesEqual, type Item } from '../attribute-value.ts';
import { keyOf, type TableRecord } from '../schema.ts';
import type { Store } from '../store.ts';
import { firstCounter, formatSequence } from './sequence.ts';

export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Why an item changed: a request, or DynamoDB's own TTL process (a service-principal removal). */
export type ChangeCause = 'user' | 'ttl';

export interface StreamMeta {
  arn: string;
  label: string;
  table: string;
  viewType: StreamViewType;
  keySchema: KeySchemaElement[];
  created: number;
  shardId: string;
  /** The first counter the shard issues. */
  first: number;
  /** Highest counter whose record was physically trimmed (first - 1 before any). */
  trimmed: number;
  /** When the stream was disabled (or its table deleted); absent while ENABLED. */
  closedAt?: number;
}

export interface StoredRecord {
  n: number;
  id: string;
  op: 'INSERT' | 'MODIFY' | 'REMOVE';
  at: number;
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
  size: number;
  ttl?: true;
}

/** A record as the DynamoDB Streams API (and a Lambda event source) sees it. */
export interface StreamRecordShape {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: Date;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

export interface StreamRecordEvent {
  account: string;
  region: string;
  tableName: string;
  streamArn: string;
  record: StreamRecordShape;
}

export type StreamListener = (event: StreamRecordEvent) => void;

/** Last counter issued per stream (`account/region/table/label`), rebuilt from the tables on init. */
const counters = new WeakMap<ServiceState, Map<string, number>>();
const listeners = new WeakMap<Clock, Set<StreamListener>>();

function counterMap(state: ServiceState): Map<string, number> {
  let m = counters.get(state);
  if (!m) {
    m = new Map();
    counters.set(state, m);
  }
  return m;
}

export function streamKey(table: string, label: string): string {
  return `${table}/${label}`;
}

export function streamsTable(store: Store): Table<StreamMeta> {
  return store.table<StreamMeta>('streams');
}

function recordsTable(store: Store): Table<StoredRecord> {
  return store.table<StoredRecord>('stream-records');
}

function recordPrefix(meta: StreamMeta): string {
  return streamKey(meta.table, meta.label) + '\u0000';
}

export function lastCounter(store: Store, meta: StreamMeta): number {
  const key = store.scope + streamKey(meta.table, meta.label);
  const map = counterMap(store.env.state);
  let last = map.get(key);
  if (last === undefined) {
    last = meta.trimmed;
    for (const [, r] of recordsTable(store).entries({ prefix: recordPrefix(meta), reverse: true })) {
      last = Math.max(last, r.n);
      break;
    }
    map.set(key, last);
  }
  return last;
}

/** DynamoDB's stream label: the creation time, ISO 8601 without a zone, unique per table. */
function freshLabel(store: Store, table: string, now: number): { label: string; at: number } {
  for (let at = now; ; at++) {
    const label = new Date(at).toISOString().replace('Z', '');
    if (!streamsTable(store).has(streamKey(table, label))) return { label, at };
  }
}

/** Starts a new stream on a table (CreateTable, UpdateTable); returns what the table records of it. */
export function openStream(store: Store, rec: Pick<TableRecord, 'name' | 'arn' | 'keySchema'>, viewType: StreamViewType): NonNullable<TableRecord['stream']> {
  const { label, at } = freshLabel(store, rec.name, store.env.clock.now());
  const arn = `${rec.arn}/stream/${label}`;
  const first = firstCounter(at);
  const meta: StreamMeta = {
    arn, label, table: rec.name, viewType, keySchema: rec.keySchema, created: at,
    shardId: `shardId-${String(at).padStart(20, '0')}-${store.env.ids.hex(4)}`,
    first, trimmed: first - 1,
  };
  streamsTable(store).put(streamKey(rec.name, label), meta);
  counterMap(store.env.state).set(store.scope + streamKey(rec.name, label), first - 1);
  return { enabled: true, viewType, label, arn };
}

/** Closes a table's current stream (UpdateTable disabling it, DeleteTable). */
export function closeStream(store: Store, rec: TableRecord): void {
  if (!rec.stream?.enabled || rec.stream.label === undefined) return;
  const key = streamKey(rec.name, rec.stream.label);
  const meta = streamsTable(store).get(key);
  if (meta && meta.closedAt === undefined) streamsTable(store).put(key, { ...meta, closedAt: store.env.clock.now() });
}

function images(viewType: StreamViewType, before: Item | undefined, after: Item | undefined): Pick<StoredRecord, 'newImage' | 'oldImage'> {
  const out: Pick<StoredRecord, 'newImage' | 'oldImage'> = {};
  if (after && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) out.newImage = after;
  if (before && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) out.oldImage = before;
  return out;
}

/**
 * Appends the record of one item change. A write that leaves the item as it was produces no
 * record, as in DynamoDB.
 */
export function appendChange(store: Store, rec: TableRecord, before: Item | undefined, after: Item | undefined, cause: ChangeCause): void {
  if (before && after && valuesEqual({ M: before }, { M: after })) return;
  const label = rec.stream!.label!;
  const meta = streamsTable(store).get(streamKey(rec.name, label));
  if (!meta || meta.closedAt !== undefined) return;
  const n = lastCounter(store, meta) + 1;
  counterMap(store.env.state).set(store.scope + streamKey(rec.name, label), n);
  const keys = keyOf(rec.key, (after ?? before)!);
  const imgs = images(meta.viewType, before, after);
  const stored: StoredRecord = {
    n,
    id: store.env.ids.hex(16),
    op: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    at: store.env.clock.now(),
    keys,
    ...imgs,
    size: itemSize(keys) + (imgs.newImage ? itemSize(imgs.newImage) : 0) + (imgs.oldImage ? itemSize(imgs.oldImage) : 0),
    ...(cause === 'ttl' ? { ttl: true as const } : {}),
  };
  recordsTable(store).put(recordPrefix(meta) + formatSequence(n), stored);
  const subscribers = listeners.get(store.env.clock);
  if (subscribers?.size) {
    const event: StreamRecordEvent = {
      account: store.env.account, region: store.env.region, tableName: rec.name, streamArn: meta.arn,
      record: renderRecord(stored, meta, store.env.region),
    };
    // Delivered after the writing request's handler returns, never inside it.
    queueMicrotask(() => {
      for (const l of subscribers) {
        try {
          l(event);
        } catch {
          // A subscriber's failure is its own; the write it observed has happened.
        }
      }
    });
  }
}

export function renderRecord(r: StoredRecord, meta: StreamMeta, region: string): StreamRecordShape {
  const out: StreamRecordShape = {
    eventID: r.id,
    eventName: r.op,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: new Date(Math.floor(r.at / 1000) * 1000),
      Keys: r.keys,
      ...(r.newImage ? { NewImage: r.newImage } : {}),
      ...(r.oldImage ? { OldImage: r.oldImage } : {}),
      SequenceNumber: formatSequence(r.n),
      SizeBytes: r.size,
      StreamViewType: meta.viewType,
    },
  };
  if (r.ttl) out.userIdentity = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };
  return out;
}

export function expiredStream(meta: StreamMeta, now: number): boolean {
  return meta.closedAt !== undefined && meta.closedAt + RETENTION_MS <= now;
}

/** The highest counter no longer readable: physically trimmed, or past retention but not yet swept. */
export function trimPoint(store: Store, meta: StreamMeta): number {
  const horizon = store.env.clock.now() - RETENTION_MS;
  let point = meta.trimmed;
  for (const [, r] of recordsTable(store).entries({ prefix: recordPrefix(meta) })) {
    if (r.at > horizon) break;
    point = r.n;
  }
  return point;
}

/** Readable records with a counter above `after`, at most `limit` of them and about `maxBytes`. */
export function readRecords(store: Store, meta: StreamMeta, after: number, limit: number, maxBytes: number): StreamRecordShape[] {
  const horizon = store.env.clock.now() - RETENTION_MS;
  const out: StreamRecordShape[] = [];
  let bytes = 0;
  const prefix = recordPrefix(meta);
  const range = after < meta.first ? { prefix } : { prefix, after: prefix + formatSequence(after) };
  for (const [, r] of recordsTable(store).entries(range)) {
    if (r.at <= horizon) continue;
    if (out.length === limit || (out.length > 0 && bytes + r.size > maxBytes)) break;
    out.push(renderRecord(r, meta, store.env.region));
    bytes += r.size;
  }
  return out;
}

/** Drops records past retention and streams closed for longer than it. */
export function trimStreams(store: Store): void {
  const now = store.env.clock.now();
  const horizon = now - RETENTION_MS;
  const records = recordsTable(store);
  for (const [key, meta] of streamsTable(store).entries()) {
    const prefix = recordPrefix(meta);
    if (expiredStream(meta, now)) {
      for (const k of [...records.keys({ prefix })]) records.delete(k);
      streamsTable(store).delete(key);
      counterMap(store.env.state).delete(store.scope + key);
      continue;
    }
    let trimmed = meta.trimmed;
    for (const [k, r] of records.entries({ prefix })) {
      if (r.at > horizon) break;
      records.delete(k);
      trimmed = r.n;
    }
    if (trimmed !== meta.trimmed) streamsTable(store).put(key, { ...meta, trimmed });
  }
}

/** Forgets derived counters (start, reset, snapshot load); they are recomputed on first use. */
export function resetCounters(state: ServiceState): void {
  counters.delete(state);
}

export function subscribe(clock: Clock, listener: StreamListener): () => void {
  let set = listeners.get(clock);
  if (!set) {
    set = new Set();
    listeners.set(clock, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}
