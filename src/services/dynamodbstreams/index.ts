/**
 * Amazon DynamoDB Streams. The records themselves are written by the dynamodb service in the
 * same request as the item change (so they are durable with it); this service reads them through
 * dynamodb's internal API and adds what the Streams API defines on top: shards (one per stream,
 * kumo never splits them), iterators of every type that expire after 15 minutes of kumo time,
 * paging by 1000 records or 1 MB.
 */
import type {
  DescribeStreamInput, DescribeStreamOutput, GetRecordsInput, GetRecordsOutput, GetShardIteratorInput,
  GetShardIteratorOutput, ListStreamsInput, ListStreamsOutput, RecordShape,
} from '../../generated/dynamodbstreams.ts';
import type { DynamoDbStreamsApi, StreamInfo } from '../dynamodb/streams/internal.ts';
import { AwsError, defineService, type RequestContext } from '../framework/define.ts';
import { decodeIterator, encodeIterator } from './iterators.ts';

const ITERATOR_TTL_MS = 15 * 60 * 1000;
const PAGE_BYTES = 1024 * 1024;
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/;

/** The stream log lives in the dynamodb service; before it has loaded there is nothing to read. */
function api(ctx: RequestContext): DynamoDbStreamsApi | undefined {
  return ctx.services.dynamodb as unknown as DynamoDbStreamsApi | undefined;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

function tooLarge(value: number, field: string, max: number): AwsError {
  return validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
}

function checkArn(arn: string): void {
  if (!STREAM_ARN.test(arn)) throw validation(`Invalid StreamArn: ${arn}`);
}

function requireStream(ctx: RequestContext, arn: string): StreamInfo {
  checkArn(arn);
  const s = api(ctx)?.describeStream(ctx, arn);
  if (!s) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`, 400);
  return s;
}

function requireShard(s: StreamInfo, shardId: string): void {
  if (shardId !== s.shardId) throw new AwsError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist', 400);
}

function trimmed(): AwsError {
  return new AwsError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed.', 400);
}

function ListStreams(input: ListStreamsInput, ctx: RequestContext): ListStreamsOutput {
  const limit = input.Limit ?? 100;
  if (limit > 100) throw tooLarge(limit, 'limit', 100);
  if (input.ExclusiveStartStreamArn !== undefined) checkArn(input.ExclusiveStartStreamArn);
  const start = input.ExclusiveStartStreamArn;
  const all = (api(ctx)?.listStreams(ctx, input.TableName) ?? []).filter((s) => start === undefined || s.arn > start);
  const page = all.slice(0, limit);
  const out: ListStreamsOutput = { Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })) };
  if (all.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
  return out;
}

function DescribeStream(input: DescribeStreamInput, ctx: RequestContext): DescribeStreamOutput {
  const limit = input.Limit ?? 100;
  if (limit > 100) throw tooLarge(limit, 'limit', 100);
  const s = requireStream(ctx, input.StreamArn);
  const dynamodb = api(ctx)!;
  // A stream's one shard has no parent and so no children; paging past it leaves nothing.
  const listed = input.ShardFilter === undefined && (input.ExclusiveStartShardId === undefined || input.ExclusiveStartShardId < s.shardId);
  const range: { StartingSequenceNumber: string; EndingSequenceNumber?: string } = {
    StartingSequenceNumber: dynamodb.formatSequenceNumber(s.first),
  };
  if (s.status === 'DISABLED') range.EndingSequenceNumber = dynamodb.formatSequenceNumber(Math.max(s.last, s.first));
  return {
    StreamDescription: {
      StreamArn: s.arn,
      StreamLabel: s.label,
      StreamStatus: s.status,
      StreamViewType: s.viewType,
      CreationRequestDateTime: new Date(s.created),
      TableName: s.tableName,
      KeySchema: s.keySchema,
      Shards: listed ? [{ ShardId: s.shardId, SequenceNumberRange: range }] : [],
    },
  };
}

function GetShardIterator(input: GetShardIteratorInput, ctx: RequestContext): GetShardIteratorOutput {
  const s = requireStream(ctx, input.StreamArn);
  requireShard(s, input.ShardId);
  const type = input.ShardIteratorType;
  const needsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (needsSequence && input.SequenceNumber === undefined) {
    throw validation(`Must provide a SequenceNumber for ShardIteratorType ${type}`);
  }
  if (!needsSequence && input.SequenceNumber !== undefined) {
    throw validation(`Must not provide a SequenceNumber for ShardIteratorType ${type}`);
  }
  let after: number | 'horizon';
  if (type === 'TRIM_HORIZON') after = 'horizon';
  else if (type === 'LATEST') after = s.last;
  else {
    const n = api(ctx)!.parseSequenceNumber(input.SequenceNumber!);
    if (n === undefined) throw validation(`Invalid SequenceNumber: ${input.SequenceNumber}`);
    after = type === 'AT_SEQUENCE_NUMBER' ? n - 1 : n;
    if (after < s.trimmed) throw trimmed();
  }
  return { ShardIterator: encodeIterator({ arn: s.arn, shardId: s.shardId, after, issued: ctx.clock.now() }) };
}

function GetRecords(input: GetRecordsInput, ctx: RequestContext): GetRecordsOutput {
  const limit = input.Limit ?? 1000;
  if (limit > 1000) throw tooLarge(limit, 'limit', 1000);
  const it = decodeIterator(input.ShardIterator);
  const now = ctx.clock.now();
  if (now - it.issued > ITERATOR_TTL_MS) {
    throw new AwsError('ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.', 400);
  }
  const s = requireStream(ctx, it.arn);
  requireShard(s, it.shardId);
  const dynamodb = api(ctx)!;
  const after = it.after === 'horizon' ? s.trimmed : it.after;
  if (after < s.trimmed) throw trimmed();
  const records = dynamodb.streamRecords(ctx, s.arn, after, limit, PAGE_BYTES);
  const last = records.length ? dynamodb.parseSequenceNumber(records[records.length - 1]!.dynamodb.SequenceNumber)! : after;
  const out: GetRecordsOutput = { Records: records as RecordShape[] };
  // A closed shard read to its end has no next iterator: that is how readers learn it ended.
  if (s.status === 'ENABLED' || last < s.last) {
    out.NextShardIterator = encodeIterator({ arn: s.arn, shardId: s.shardId, after: last, issued: now });
  }
  return out;
}

export default defineService({
  name: 'dynamodbstreams',
  operations: { ListStreams, DescribeStream, GetShardIterator, GetRecords },
});
