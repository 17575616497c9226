import type {
  FilteredLogEvent, FilterLogEventsRequest, FilterLogEventsResponse, GetLogEventsRequest, GetLogEventsResponse, InputLogEvent,
  OutputLogEvent, PutLogEventsRequest, PutLogEventsResponse, RejectedLogEventsInfo,
} from '../../generated/logs.ts';
import type { RequestContext } from '../framework/define.ts';
import { invalidParameter, invalidToken } from './errors.ts';
import { compiled } from './filters.ts';
import { groupOf } from './groups.ts';
import { feedMetricFilters, type Ingested } from './delivery.ts';
import { feedSubscriptions } from './subscription-delivery.ts';
import { groupNameOf } from './names.ts';
import { DAY_MS, eventKey, eventPosition, streamKey, type GroupRecord, type StreamRecord } from './records.ts';
import { scopeOf, storeFor, type Scope } from './store.ts';
import { sequenceToken, streamOf } from './streams.ts';

const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const MAX_SPAN = DAY_MS;
const MAX_AGE = 14 * DAY_MS;
const MAX_FUTURE = 2 * 3_600_000;

/** Anything that reaches the engine: a request context, or a runtime for internal calls. */
export type Caller = Pick<RequestContext, 'clock' | 'services'>;

/** Stores accepted events (already in chronological order), then feeds metric and subscription filters. */
export function ingest(caller: Caller, scope: Scope, group: GroupRecord, stream: StreamRecord, events: InputLogEvent[]): StreamRecord {
  const now = caller.clock.now();
  let seq = stream.seq;
  let bytes = 0;
  let first = stream.first;
  let last = stream.last;
  const stored: Ingested[] = [];
  for (const e of events) {
    const s = seq++;
    scope.events.put(eventKey(group.name, stream.name, e.timestamp, s), { m: e.message, i: now });
    bytes += Buffer.byteLength(e.message);
    if (first === undefined || e.timestamp < first) first = e.timestamp;
    if (last === undefined || e.timestamp > last) last = e.timestamp;
    stored.push({ timestamp: e.timestamp, message: e.message, seq: s });
  }
  const updated: StreamRecord = { ...stream, seq, lastIngestion: now };
  if (first !== undefined) updated.first = first;
  if (last !== undefined) updated.last = last;
  scope.streams.put(streamKey(group.name, stream.name), updated);
  if (bytes) scope.groups.put(group.name, { ...group, storedBytes: group.storedBytes + bytes });
  if (group.retention !== undefined && stored.length) {
    storeFor(caller).expireAt(scope, group.name, Math.min(...stored.map((e) => e.timestamp)) + group.retention * DAY_MS);
  }
  feedMetricFilters(caller, scope, group.name, stored);
  feedSubscriptions(caller, scope, group.name, stream.name, stored);
  return updated;
}

export function PutLogEvents(input: PutLogEventsRequest, ctx: RequestContext): PutLogEventsResponse {
  const scope = scopeOf(ctx);
  const group = groupOf(scope, input.logGroupName);
  const stream = streamOf(scope, group.name, input.logStreamName);
  const events = input.logEvents;
  let size = 0;
  for (const e of events) size += Buffer.byteLength(e.message) + EVENT_OVERHEAD;
  if (size > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${size} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (events.length && events[events.length - 1]!.timestamp - events[0]!.timestamp > MAX_SPAN) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const now = ctx.clock.now();
  const rejected: RejectedLogEventsInfo = {};
  const accepted: InputLogEvent[] = [];
  events.forEach((e, i) => {
    if (e.timestamp < now - MAX_AGE) rejected.tooOldLogEventEndIndex = i;
    else if (group.retention !== undefined && e.timestamp <= now - group.retention * DAY_MS) rejected.expiredLogEventEndIndex = i;
    else if (e.timestamp > now + MAX_FUTURE) rejected.tooNewLogEventStartIndex ??= i;
    else accepted.push(e);
  });
  const updated = ingest(ctx, scope, group, stream, accepted);
  const out: PutLogEventsResponse = { nextSequenceToken: sequenceToken(updated) };
  if (Object.keys(rejected).length) out.rejectedLogEventsInfo = rejected;
  return out;
}

// ---------------------------------------------------------------- GetLogEvents

const POS_WIDTH = 28;

/** `f/` and `b/` tokens hold an event position (timestamp, sequence), 56 digits like AWS's. */
function token(dir: 'f' | 'b', ts: number, seq: number): string {
  return `${dir}/${String(ts).padStart(POS_WIDTH, '0')}${String(seq).padStart(POS_WIDTH, '0')}`;
}

function parseToken(t: string): { dir: 'f' | 'b'; ts: number; seq: number } {
  const m = /^([fb])\/(\d{28})(\d{28})$/.exec(t);
  if (!m) throw invalidToken();
  return { dir: m[1] as 'f' | 'b', ts: Number(m[2]), seq: Number(m[3]) };
}

const pad = (ts: number) => String(Math.max(0, Math.trunc(ts))).padStart(16, '0');

function checkLimit(limit: number | undefined, max: number): number {
  const n = limit ?? max;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalidParameter(`1 validation error detected: Value '${n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  }
  return n;
}

export function GetLogEvents(input: GetLogEventsRequest, ctx: RequestContext): GetLogEventsResponse {
  const scope = scopeOf(ctx);
  const group = groupOf(scope, groupNameOf(input)).name;
  const stream = streamOf(scope, group, input.logStreamName);
  const limit = checkLimit(input.limit, 10_000);
  const sk = `${streamKey(group, stream.name)}:`;
  const lower = input.startTime !== undefined ? `${sk}${pad(input.startTime)}:` : undefined;
  const upper = input.endTime !== undefined ? `${sk}${pad(input.endTime)}:` : undefined;
  const tok = input.nextToken !== undefined ? parseToken(input.nextToken) : undefined;
  const forward = tok ? tok.dir === 'f' : input.startFromHead === true;
  const range: { prefix: string; start?: string; after?: string; end?: string; reverse?: boolean } = { prefix: sk, reverse: !forward };
  if (forward) {
    range.start = lower;
    if (tok) {
      const after = eventKey(group, stream.name, tok.ts, tok.seq);
      range.after = lower !== undefined && lower > after ? undefined : after;
      if (range.after === undefined) range.start = lower;
    }
    range.end = upper;
  } else {
    range.start = lower;
    range.end = upper;
    if (tok) {
      const before = eventKey(group, stream.name, tok.ts, tok.seq);
      if (upper === undefined || before < upper) range.end = before;
    }
  }
  const picked: Array<{ key: string; e: OutputLogEvent }> = [];
  let bytes = 0;
  for (const [key, e] of scope.events.entries(range)) {
    if (picked.length >= limit) break;
    bytes += Buffer.byteLength(e.m) + EVENT_OVERHEAD;
    if (bytes > MAX_BATCH_BYTES && picked.length) break;
    const { ts } = eventPosition(key);
    picked.push({ key, e: { timestamp: ts, message: e.m, ingestionTime: e.i } });
  }
  if (!forward) picked.reverse();
  if (picked.length === 0) {
    // Nothing (more) in this direction: hand back tokens for the same position, as AWS does.
    if (tok) {
      const back = tok.dir === 'b' ? tok : { ts: tok.ts, seq: tok.seq + 1 };
      const fwd = tok.dir === 'f' ? tok : { ts: tok.ts, seq: Math.max(0, tok.seq - 1) };
      return { events: [], nextForwardToken: token('f', fwd.ts, fwd.seq), nextBackwardToken: token('b', back.ts, back.seq) };
    }
    return { events: [], nextForwardToken: token('f', 0, 0), nextBackwardToken: token('b', 0, 0) };
  }
  const firstPos = eventPosition(picked[0]!.key);
  const lastPos = eventPosition(picked[picked.length - 1]!.key);
  return {
    events: picked.map((p) => p.e),
    nextForwardToken: token('f', lastPos.ts, lastPos.seq),
    nextBackwardToken: token('b', firstPos.ts, firstPos.seq),
  };
}

// ---------------------------------------------------------------- FilterLogEvents

/** A 56-digit event id: timestamp, sequence and the stream's place among the group's streams. */
function eventId(ts: number, streamIndex: number, seq: number): string {
  return `${String(ts).padStart(20, '0')}${String(streamIndex).padStart(16, '0')}${String(seq).padStart(20, '0')}`;
}

export function FilterLogEvents(input: FilterLogEventsRequest, ctx: RequestContext): FilterLogEventsResponse {
  const scope = scopeOf(ctx);
  const group = groupOf(scope, groupNameOf(input)).name;
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix in the same request.');
  }
  const limit = checkLimit(input.limit, 10_000);
  const pattern = compiled(input.filterPattern);
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    const raw = Buffer.from(input.nextToken, 'base64url').toString();
    if (!/^\d{56}$/.test(raw)) throw invalidToken();
    after = raw;
  }
  const streams = [...scope.streams.entries({ prefix: `${group}:` })].map(([, s]) => s.name);
  const wanted = new Set(input.logStreamNames ?? streams.filter((s) => s.startsWith(input.logStreamNamePrefix ?? '')));
  const found: FilteredLogEvent[] = [];
  streams.forEach((name, index) => {
    if (!wanted.has(name)) return;
    const sk = `${streamKey(group, name)}:`;
    const range = {
      prefix: sk,
      start: input.startTime !== undefined ? `${sk}${pad(input.startTime)}:` : undefined,
      end: input.endTime !== undefined ? `${sk}${pad(input.endTime + 1)}:` : undefined,
    };
    for (const [key, e] of scope.events.entries(range)) {
      const { ts, seq } = eventPosition(key);
      const id = eventId(ts, index, seq);
      if (after !== undefined && id <= after) continue;
      if (!pattern.match(e.m)) continue;
      found.push({ logStreamName: name, timestamp: ts, message: e.m, ingestionTime: e.i, eventId: id });
    }
  });
  found.sort((a, b) => (a.eventId! < b.eventId! ? -1 : 1));
  const events = found.slice(0, limit);
  const out: FilterLogEventsResponse = { events };
  if (found.length > limit) out.nextToken = Buffer.from(events[events.length - 1]!.eventId!).toString('base64url');
  return out;
}
