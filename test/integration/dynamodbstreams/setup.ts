import assert from 'node:assert/strict';
import { CreateTableCommand, DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record, type GetRecordsCommandOutput,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost } from '../../helpers/kumo.ts';

export interface Clients {
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
}

export function clients(kumo: Kumo): Clients {
  return { ddb: new DynamoDBClient(clientConfig(kumo.endpoint)), streams: new DynamoDBStreamsClient(clientConfig(kumo.endpoint)) };
}

let n = 0;

/** A table keyed by pk (S) and sk (N) with a stream of `viewType`; returns its name and stream ARN. */
export async function streamTable(c: Clients, viewType: StreamViewType, extra: Record<string, unknown> = {}): Promise<{ name: string; arn: string }> {
  const name = `stream-${process.pid}-${++n}`;
  const out = await c.ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    ...extra,
  }));
  return { name, arn: out.TableDescription!.LatestStreamArn! };
}

export async function iterator(c: Clients, arn: string, type: ShardIteratorType, sequence?: string): Promise<string> {
  const d = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = d.StreamDescription!.Shards![0]!;
  const out = await c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: type, SequenceNumber: sequence }));
  return out.ShardIterator!;
}

/** Every record from TRIM_HORIZON, following NextShardIterator until a page comes back empty. */
export async function readAll(c: Clients, arn: string): Promise<_Record[]> {
  let it: string | undefined = await iterator(c, arn, 'TRIM_HORIZON');
  const out: _Record[] = [];
  while (it) {
    const page: GetRecordsCommandOutput = await c.streams.send(new GetRecordsCommand({ ShardIterator: it }));
    out.push(...page.Records!);
    if (!page.Records!.length) break;
    it = page.NextShardIterator;
  }
  return out;
}

export async function advance(kumo: Kumo, ms: number): Promise<void> {
  const res = await controlPost(kumo.endpoint, '/kumo/clock', { advance: ms });
  assert.equal(res.status, 200);
}

export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    assert.equal(err.name, name, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return;
  }
  assert.fail(`expected ${name}`);
}
