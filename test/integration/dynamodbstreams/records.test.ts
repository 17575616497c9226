import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand, type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { Kumo } from '../../../src/index.ts';
import { startTestKumo } from '../../helpers/kumo.ts';
import { clients, iterator, readAll, rejects, streamTable, type Clients } from './setup.ts';

let kumo: Kumo;
let c: Clients;

before(async () => {
  kumo = await startTestKumo();
  c = clients(kumo);
});
after(() => kumo.stop());

const key = (pk: string, sk = 1) => ({ pk: { S: pk }, sk: { N: String(sk) } });

/** INSERT, MODIFY, an unchanged put (no record), REMOVE, a delete of nothing (no record). */
async function changes(name: string): Promise<void> {
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a'), v: { N: '1' } } }));
  await c.ddb.send(new UpdateItemCommand({ TableName: name, Key: key('a'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a'), v: { N: '2' } } }));
  await c.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('a') }));
  await c.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('a') }));
}

for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as StreamViewType[]) {
  test(`records carry the images of ${viewType}`, async () => {
    const { name, arn } = await streamTable(c, viewType);
    await changes(name);
    const records = await readAll(c, arn);
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const newImages = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
    const oldImages = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
    const [ins, mod, rem] = records.map((r) => r.dynamodb!);
    for (const r of [ins, mod, rem]) {
      assert.deepEqual(r!.Keys, key('a'));
      assert.equal(r!.StreamViewType, viewType);
    }
    assert.deepEqual(ins!.NewImage, newImages ? { ...key('a'), v: { N: '1' } } : undefined);
    assert.equal(ins!.OldImage, undefined);
    assert.deepEqual(mod!.NewImage, newImages ? { ...key('a'), v: { N: '2' } } : undefined);
    assert.deepEqual(mod!.OldImage, oldImages ? { ...key('a'), v: { N: '1' } } : undefined);
    assert.equal(rem!.NewImage, undefined);
    assert.deepEqual(rem!.OldImage, oldImages ? { ...key('a'), v: { N: '2' } } : undefined);
  });
}

test('a record has AWS fields: ids, source, region, size, creation time, numeric sequence numbers', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('ForumNameXX'), x: { S: 'y' } } }));
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('b') } }));
  const [r, s] = await readAll(c, arn);
  assert.match(r!.eventID!, /^[0-9a-f]{32}$/);
  assert.equal(r!.eventSource, 'aws:dynamodb');
  assert.equal(r!.eventVersion, '1.1');
  assert.equal(r!.awsRegion, 'us-east-1');
  assert.equal(r!.userIdentity, undefined);
  // SizeBytes of a KEYS_ONLY record is the size of its keys: 'pk' + 11 bytes, 'sk' + number 1.
  assert.equal(r!.dynamodb!.SizeBytes, 2 + 11 + 2 + 2);
  assert.ok(r!.dynamodb!.ApproximateCreationDateTime instanceof Date);
  assert.match(r!.dynamodb!.SequenceNumber!, /^[0-9]{21}$/);
  assert.ok(BigInt(s!.dynamodb!.SequenceNumber!) > BigInt(r!.dynamodb!.SequenceNumber!));
});

test('batch writes and transactions are streamed, one record per item change', async () => {
  const { name, arn } = await streamTable(c, 'NEW_IMAGE');
  await c.ddb.send(new BatchWriteItemCommand({ RequestItems: { [name]: [{ PutRequest: { Item: key('a', 1) } }, { PutRequest: { Item: key('a', 2) } }] } }));
  await c.ddb.send(new TransactWriteItemsCommand({
    TransactItems: [
      { Delete: { TableName: name, Key: key('a', 1) } },
      { Update: { TableName: name, Key: key('a', 2), UpdateExpression: 'SET t = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } } },
    ],
  }));
  const records = await readAll(c, arn);
  assert.deepEqual(records.map((r) => `${r.eventName}:${r.dynamodb!.Keys!.sk!.N}`), ['INSERT:1', 'INSERT:2', 'REMOVE:1', 'MODIFY:2']);
});

test('iterator types: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER; Limit pages', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  for (let i = 1; i <= 3; i++) await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('p', i) }));
  const latest = await iterator(c, arn, 'LATEST');
  const all = await readAll(c, arn);
  const seqs = all.map((r) => r.dynamodb!.SequenceNumber!);
  assert.equal(seqs.length, 3);

  const at = await c.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(c, arn, 'AT_SEQUENCE_NUMBER', seqs[1]) }));
  assert.deepEqual(at.Records!.map((r) => r.dynamodb!.SequenceNumber), [seqs[1], seqs[2]]);
  const afterSeq = await c.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(c, arn, 'AFTER_SEQUENCE_NUMBER', seqs[1]) }));
  assert.deepEqual(afterSeq.Records!.map((r) => r.dynamodb!.SequenceNumber), [seqs[2]]);

  const page1 = await c.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(c, arn, 'TRIM_HORIZON'), Limit: 2 }));
  assert.equal(page1.Records!.length, 2);
  const page2 = await c.streams.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator! }));
  assert.deepEqual(page2.Records!.map((r) => r.dynamodb!.SequenceNumber), [seqs[2]]);
  const page3 = await c.streams.send(new GetRecordsCommand({ ShardIterator: page2.NextShardIterator! }));
  assert.deepEqual(page3.Records, []);
  assert.ok(page3.NextShardIterator, 'an open shard always has a next iterator');

  const fromLatest = await c.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
  assert.deepEqual(fromLatest.Records, []);
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('p', 4) }));
  const next = await c.streams.send(new GetRecordsCommand({ ShardIterator: fromLatest.NextShardIterator! }));
  assert.deepEqual(next.Records!.map((r) => r.dynamodb!.Keys!.sk!.N), ['4']);
});

test('ListStreams, DescribeStream and the table agree on the stream', async () => {
  const { name, arn } = await streamTable(c, 'NEW_AND_OLD_IMAGES');
  const table = (await c.ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(table.LatestStreamArn, arn);
  assert.deepEqual(table.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  assert.match(table.LatestStreamLabel!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
  assert.equal(arn, `${table.TableArn}/stream/${table.LatestStreamLabel}`);
  const listed = await c.streams.send(new ListStreamsCommand({ TableName: name }));
  assert.deepEqual(listed.Streams, [{ StreamArn: arn, TableName: name, StreamLabel: table.LatestStreamLabel }]);
  const d = (await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
  assert.equal(d.StreamStatus, 'ENABLED');
  assert.equal(d.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.equal(d.TableName, name);
  assert.deepEqual(d.KeySchema, table.KeySchema);
  assert.ok(d.CreationRequestDateTime instanceof Date);
  assert.equal(d.Shards!.length, 1);
  assert.match(d.Shards![0]!.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
  assert.match(d.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{21}$/);
  assert.equal(d.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber, undefined);
  const past = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: d.Shards![0]!.ShardId }));
  assert.deepEqual(past.StreamDescription!.Shards, []);
});

test('ListStreams pages with Limit and ExclusiveStartStreamArn', async () => {
  const made = [await streamTable(c, 'KEYS_ONLY'), await streamTable(c, 'KEYS_ONLY'), await streamTable(c, 'KEYS_ONLY')];
  const seen: string[] = [];
  let start: string | undefined;
  do {
    const page = await c.streams.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamArn: start }));
    assert.ok(page.Streams!.length <= 2);
    seen.push(...page.Streams!.map((s) => s.StreamArn!));
    start = page.LastEvaluatedStreamArn;
  } while (start);
  for (const m of made) assert.equal(seen.filter((a) => a === m.arn).length, 1);
});

test('disabling closes the stream (readable, DISABLED, shard ended); re-enabling makes a new one', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('a') }));
  const held = await iterator(c, arn, 'TRIM_HORIZON');
  await c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
  const table = (await c.ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(table.StreamSpecification, undefined);
  assert.equal(table.LatestStreamArn, arn);
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('b') }));

  const d = (await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
  assert.equal(d.StreamStatus, 'DISABLED');
  const range = d.Shards![0]!.SequenceNumberRange!;
  assert.match(range.EndingSequenceNumber!, /^\d{21}$/);
  const page = await c.streams.send(new GetRecordsCommand({ ShardIterator: held }));
  assert.deepEqual(page.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['a']);
  assert.equal(page.Records![0]!.dynamodb!.SequenceNumber, range.EndingSequenceNumber);
  assert.equal(page.NextShardIterator, undefined, 'a closed shard read to its end has no next iterator');

  await c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
  const again = (await c.ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.notEqual(again.LatestStreamArn, arn);
  assert.deepEqual(again.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('c') }));
  assert.deepEqual((await readAll(c, again.LatestStreamArn!)).map((r) => r.dynamodb!.Keys!.pk!.S), ['c']);
  const listed = await c.streams.send(new ListStreamsCommand({ TableName: name }));
  assert.deepEqual(listed.Streams!.map((s) => s.StreamArn), [arn, again.LatestStreamArn]);
});

test('UpdateTable stream errors carry AWS texts', async () => {
  const { name } = await streamTable(c, 'KEYS_ONLY');
  await rejects(c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })),
    'ValidationException', `Table already has an enabled stream: TableName: ${name}`);
  await rejects(c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } })),
    'ValidationException', 'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified');
  await c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
  await rejects(c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })),
    'ValidationException', `Table has no stream to disable: TableName: ${name}`);
  await rejects(c.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true } })),
    'ValidationException', 'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required');
});

test('bad input: malformed ARN, unknown stream and shard, sequence numbers, iterators, limits', async () => {
  const { arn } = await streamTable(c, 'KEYS_ONLY');
  const shardId = (await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
  await rejects(c.streams.send(new DescribeStreamCommand({ StreamArn: 'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf' })), 'ValidationException');
  const missing = arn.replace(/stream\/.*/, 'stream/2001-01-01T00:00:00.000');
  await rejects(c.streams.send(new DescribeStreamCommand({ StreamArn: missing })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${missing} not found`);
  await rejects(c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })),
    'ResourceNotFoundException', 'Requested resource not found: Shard does not exist');
  await rejects(c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'ValidationException');
  await rejects(c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST', SequenceNumber: '000000000000000000001' })), 'ValidationException');
  await rejects(c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: 'sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv' })), 'ValidationException');
  await rejects(c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '000000000000000000001' })),
    'TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
  await rejects(c.streams.send(new GetRecordsCommand({ ShardIterator: 'sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg' })), 'ValidationException');
  await rejects(c.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(c, arn, 'LATEST'), Limit: 1001 })), 'ValidationException',
    "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
  await rejects(c.streams.send(new ListStreamsCommand({ Limit: 101 })), 'ValidationException');
  await rejects(c.streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: 'kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas' })), 'ValidationException');
});

test('onStreamRecord delivers every new record in-process', async () => {
  const { name, arn } = await streamTable(c, 'NEW_IMAGE');
  const dynamodb = kumo.app.host.internal.dynamodb as unknown as {
    onStreamRecord(caller: { clock: unknown }, l: (e: { streamArn: string; tableName: string; record: { eventName: string } }) => void): () => void;
  };
  const seen: string[] = [];
  const stop = dynamodb.onStreamRecord({ clock: kumo.engine.clock }, (e) => {
    if (e.streamArn === arn) seen.push(`${e.tableName}:${e.record.eventName}`);
  });
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('a') }));
  await c.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('a') }));
  stop();
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('b') }));
  assert.deepEqual(seen, [`${name}:INSERT`, `${name}:REMOVE`]);
});
