import type {
  CreateLogStreamRequest, DeleteLogStreamRequest, DescribeLogStreamsRequest, DescribeLogStreamsResponse, LogStream,
} from '../../generated/logs.ts';
import type { RequestContext } from '../framework/define.ts';
import { alreadyExists, invalidParameter, streamNotFound } from './errors.ts';
import { groupOf } from './groups.ts';
import { groupNameOf, page, streamArn } from './names.ts';
import { streamKey, type StreamRecord } from './records.ts';
import { scopeOf, type Scope } from './store.ts';

export function streamOf(scope: Scope, group: string, stream: string): StreamRecord {
  const s = scope.streams.get(streamKey(group, stream));
  if (!s) throw streamNotFound();
  return s;
}

/** AWS still hands out upload sequence tokens, though it no longer checks them. */
export function sequenceToken(s: StreamRecord): string {
  return String(s.seq).padStart(56, '0');
}

export function CreateLogStream(input: CreateLogStreamRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  groupOf(scope, input.logGroupName);
  const key = streamKey(input.logGroupName, input.logStreamName);
  if (scope.streams.has(key)) throw alreadyExists('The specified log stream already exists');
  scope.streams.put(key, { name: input.logStreamName, created: ctx.clock.now(), seq: 1 });
  return {};
}

export function DeleteLogStream(input: DeleteLogStreamRequest, ctx: RequestContext) {
  const scope = scopeOf(ctx);
  const g = groupOf(scope, input.logGroupName);
  const s = streamOf(scope, g.name, input.logStreamName);
  let freed = 0;
  for (const [k, e] of [...scope.events.entries({ prefix: `${streamKey(g.name, s.name)}:` })]) {
    freed += Buffer.byteLength(e.m);
    scope.events.delete(k);
  }
  scope.streams.delete(streamKey(g.name, s.name));
  if (freed) scope.groups.put(g.name, { ...g, storedBytes: Math.max(0, g.storedBytes - freed) });
  return {};
}

export function describeStream(scope: Scope, group: string, s: StreamRecord): LogStream {
  const out: LogStream = {
    logStreamName: s.name,
    creationTime: s.created,
    arn: streamArn(scope, group, s.name),
    storedBytes: 0,
    uploadSequenceToken: sequenceToken(s),
  };
  if (s.first !== undefined) out.firstEventTimestamp = s.first;
  if (s.last !== undefined) out.lastEventTimestamp = s.last;
  if (s.lastIngestion !== undefined) out.lastIngestionTime = s.lastIngestion;
  return out;
}

export function DescribeLogStreams(input: DescribeLogStreamsRequest, ctx: RequestContext): DescribeLogStreamsResponse {
  const scope = scopeOf(ctx);
  const group = groupOf(scope, groupNameOf(input)).name;
  const byTime = input.orderBy === 'LastEventTime';
  if (input.orderBy !== undefined && input.orderBy !== 'LogStreamName' && !byTime) {
    throw invalidParameter(`1 validation error detected: Value '${input.orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
  }
  if (byTime && input.logStreamNamePrefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  const streams = [...scope.streams.entries({ prefix: `${group}:${input.logStreamNamePrefix ?? ''}` })].map(([, s]) => s);
  if (byTime) streams.sort((a, b) => (a.last ?? 0) - (b.last ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (input.descending) streams.reverse();
  const p = page(streams.map((s) => describeStream(scope, group, s)), input.limit, 50, input.nextToken);
  return p.nextToken ? { logStreams: p.items, nextToken: p.nextToken } : { logStreams: p.items };
}
