/**
 * What the dynamodbstreams service (and, later, Lambda event source mappings) call in-process to
 * read the stream log. The first argument is the caller's context or runtime: its clock
 * identifies the kumo whose state is meant, its account and region the scope.
 */
import type { KeySchemaElement, StreamViewType } from '../../../generated/dynamodb.ts';
import type { Clock } from '../../../state/index.ts';
import type { ServiceRuntime } from '../../framework/define.ts';
import { Store } from '../store.ts';
import {
  expiredStream, lastCounter, readRecords, streamsTable, subscribe, trimPoint, type StreamListener, type StreamMeta,
  type StreamRecordShape,
} from './log.ts';
import { formatSequence, parseSequence } from './sequence.ts';

export interface Caller {
  clock: Clock;
  account: string;
  region: string;
}

export interface StreamInfo {
  arn: string;
  label: string;
  tableName: string;
  viewType: StreamViewType;
  keySchema: KeySchemaElement[];
  created: number;
  status: 'ENABLED' | 'DISABLED';
  shardId: string;
  /** Counters: the shard's first, the last issued (first - 1 when none), the highest no longer readable. */
  first: number;
  last: number;
  trimmed: number;
}

const runtimes = new WeakMap<Clock, ServiceRuntime>();

/** Called by the dynamodb service's init: from now on callers sharing this clock read this state. */
export function registerRuntime(rt: ServiceRuntime): void {
  runtimes.set(rt.clock, rt);
}

function storeFor(caller: Caller): Store | undefined {
  const rt = runtimes.get(caller.clock);
  return rt && new Store({ account: caller.account, region: caller.region, state: rt.state, clock: rt.clock, ids: rt.ids });
}

function info(store: Store, meta: StreamMeta): StreamInfo {
  return {
    arn: meta.arn,
    label: meta.label,
    tableName: meta.table,
    viewType: meta.viewType,
    keySchema: meta.keySchema,
    created: meta.created,
    status: meta.closedAt === undefined ? 'ENABLED' : 'DISABLED',
    shardId: meta.shardId,
    first: meta.first,
    last: lastCounter(store, meta),
    trimmed: trimPoint(store, meta),
  };
}

/** `<table ARN>/stream/<label>` -> the `streams` key; undefined for another scope or a malformed ARN. */
function keyOfArn(caller: Caller, arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:dynamodb:([^:]+):(\d{12}):table\/([a-zA-Z0-9_.-]+)\/stream\/(.+)$/.exec(arn);
  if (!m || m[1] !== caller.region || m[2] !== caller.account) return undefined;
  return `${m[3]}/${m[4]}`;
}

function metaOf(store: Store, caller: Caller, arn: string): StreamMeta | undefined {
  const key = keyOfArn(caller, arn);
  const meta = key === undefined ? undefined : streamsTable(store).get(key);
  return meta && meta.arn === arn && !expiredStream(meta, store.env.clock.now()) ? meta : undefined;
}

/** Live streams (ENABLED, or DISABLED within retention), ordered by table then creation. */
export function listStreams(caller: Caller, tableName?: string): StreamInfo[] {
  const store = storeFor(caller);
  if (!store) return [];
  const now = store.env.clock.now();
  const out: StreamInfo[] = [];
  const range = tableName === undefined ? {} : { prefix: `${tableName}/` };
  for (const [, meta] of streamsTable(store).entries(range)) if (!expiredStream(meta, now)) out.push(info(store, meta));
  return out;
}

export function describeStream(caller: Caller, arn: string): StreamInfo | undefined {
  const store = storeFor(caller);
  const meta = store && metaOf(store, caller, arn);
  return meta && info(store, meta);
}

/** Readable records of a stream with a counter above `after` (at most `limit`, about `maxBytes`). */
export function streamRecords(caller: Caller, arn: string, after: number, limit: number, maxBytes: number): StreamRecordShape[] {
  const store = storeFor(caller);
  const meta = store && metaOf(store, caller, arn);
  return meta ? readRecords(store, meta, after, limit, maxBytes) : [];
}

/** Calls `listener` for every stream record this kumo writes from now on; returns the unsubscribe. */
export function onStreamRecord(caller: { clock: Clock }, listener: StreamListener): () => void {
  return subscribe(caller.clock, listener);
}

export function formatSequenceNumber(n: number): string {
  return formatSequence(n);
}

export function parseSequenceNumber(s: string): number | undefined {
  return parseSequence(s);
}

export const streamsApi = {
  listStreams, describeStream, streamRecords, onStreamRecord, formatSequenceNumber, parseSequenceNumber,
};

export type DynamoDbStreamsApi = typeof streamsApi;
