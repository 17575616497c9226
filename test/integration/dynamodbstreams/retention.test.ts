import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DeleteTableCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { Kumo } from '../../../src/index.ts';
import { startTestKumo } from '../../helpers/kumo.ts';
import { advance, clients, iterator, readAll, rejects, streamTable, type Clients } from './setup.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let kumo: Kumo;
let c: Clients;

before(async () => {
  kumo = await startTestKumo();
  c = clients(kumo);
});
after(() => kumo.stop());

const key = (pk: string) => ({ pk: { S: pk }, sk: { N: '1' } });

test('iterators expire after 15 minutes of kumo time', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('a') }));
  const it = await iterator(c, arn, 'TRIM_HORIZON');
  await advance(kumo, 14 * MINUTE);
  const page = await c.streams.send(new GetRecordsCommand({ ShardIterator: it }));
  assert.equal(page.Records!.length, 1);
  await advance(kumo, 2 * MINUTE);
  await rejects(c.streams.send(new GetRecordsCommand({ ShardIterator: it })), 'ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
  // The next iterator a read hands out is new, so it still works.
  assert.deepEqual((await c.streams.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }))).Records, []);
});

test('records are trimmed after 24 hours: TRIM_HORIZON moves on, old positions are refused', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('old') }));
  const [old] = await readAll(c, arn);
  await advance(kumo, 12 * 60 * MINUTE);
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('new') }));
  await advance(kumo, 12 * 60 * MINUTE + MINUTE);
  assert.deepEqual((await readAll(c, arn)).map((r) => r.dynamodb!.Keys!.pk!.S), ['new']);
  const seq = old!.dynamodb!.SequenceNumber!;
  await rejects(iterator(c, arn, 'AT_SEQUENCE_NUMBER', seq), 'TrimmedDataAccessException');
  await rejects(iterator(c, arn, 'AFTER_SEQUENCE_NUMBER', String(BigInt(seq) - 1n).padStart(21, '0')), 'TrimmedDataAccessException');
  // AFTER the trimmed record itself reads on from the oldest one left.
  const afterOld = await c.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(c, arn, 'AFTER_SEQUENCE_NUMBER', seq) }));
  assert.deepEqual(afterOld.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['new']);
});

test('an iterator whose next record was trimmed meanwhile fails with TrimmedDataAccessException', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('a') }));
  const [a] = await readAll(c, arn);
  await advance(kumo, DAY - 5 * MINUTE);
  const it = await iterator(c, arn, 'AT_SEQUENCE_NUMBER', a!.dynamodb!.SequenceNumber);
  await advance(kumo, 10 * MINUTE);
  await rejects(c.streams.send(new GetRecordsCommand({ ShardIterator: it })), 'TrimmedDataAccessException');
});

test('a TTL deletion is a service-principal REMOVE', async () => {
  const { name, arn } = await streamTable(c, 'OLD_IMAGE');
  await c.ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }));
  const now = Math.floor(Date.parse((await (await fetch(`${kumo.endpoint}/kumo/clock`)).json() as { now: string }).now) / 1000);
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('ttl'), exp: { N: String(now + 30) } } }));
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('user') } }));
  await advance(kumo, 3 * MINUTE);
  const records = await readAll(c, arn);
  const removal = records.find((r) => r.eventName === 'REMOVE')!;
  assert.deepEqual(removal.dynamodb!.Keys, key('ttl'));
  assert.deepEqual(removal.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
  assert.equal(removal.dynamodb!.OldImage!.exp!.N, String(now + 30));
  assert.ok(records.filter((r) => r.eventName === 'INSERT').every((r) => r.userIdentity === undefined));
});

test('a deleted table\'s stream stays readable for 24 hours, then is gone', async () => {
  const { name, arn } = await streamTable(c, 'KEYS_ONLY');
  await c.ddb.send(new PutItemCommand({ TableName: name, Item: key('a') }));
  await c.ddb.send(new DeleteTableCommand({ TableName: name }));
  const d = (await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
  assert.equal(d.StreamStatus, 'DISABLED');
  assert.equal((await readAll(c, arn)).length, 1);
  await advance(kumo, DAY + 2 * MINUTE);
  await rejects(c.streams.send(new DescribeStreamCommand({ StreamArn: arn })), 'ResourceNotFoundException');
  assert.deepEqual((await c.streams.send(new ListStreamsCommand({ TableName: name }))).Streams, []);
});

test('stream records, their sequence numbers and iterators survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-streams-'));
  try {
    const first = await startTestKumo({ dataDir: dir });
    const c1 = clients(first);
    const { name, arn } = await streamTable(c1, 'NEW_AND_OLD_IMAGES');
    await c1.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a'), v: { N: '1' } } }));
    await c1.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a'), v: { N: '2' } } }));
    const before = await readAll(c1, arn);
    const latest = await iterator(c1, arn, 'LATEST');
    await first.stop();

    const second = await startTestKumo({ dataDir: dir });
    try {
      const c2 = clients(second);
      const afterRestart = await readAll(c2, arn);
      assert.deepEqual(afterRestart, before);
      await c2.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a'), v: { N: '3' } } }));
      const page = await c2.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
      assert.equal(page.Records!.length, 1);
      assert.deepEqual(page.Records![0]!.dynamodb!.OldImage!.v, { N: '2' });
      assert.ok(BigInt(page.Records![0]!.dynamodb!.SequenceNumber!) > BigInt(before[1]!.dynamodb!.SequenceNumber!));
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
