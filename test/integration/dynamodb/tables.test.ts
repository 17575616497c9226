import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DescribeTableCommand,
  DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand,
  QueryCommand, TagResourceCommand, TransactGetItemsCommand, TransactWriteItemsCommand, TransactionCanceledException,
  UntagResourceCommand, UpdateTimeToLiveCommand, type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, controlPost, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
let ddb: DynamoDBClient;
let n = 0;

before(async () => {
  kumo = await startTestKumo();
  ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
});
after(() => kumo.stop());

async function table(client = ddb, name = `tables-${++n}`): Promise<string> {
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    Tags: [{ Key: 'team', Value: 'a' }],
  }));
  return name;
}

async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${(e as DynamoDBServiceException).name}: ${(e as DynamoDBServiceException).message}`;
  }
  return 'no error';
}

test('create, describe, list with pagination, delete', async () => {
  const names = [await table(), await table(), await table()];
  const d = await ddb.send(new DescribeTableCommand({ TableName: names[0] }));
  assert.equal(d.Table!.ProvisionedThroughput!.ReadCapacityUnits, 5);
  assert.equal(d.Table!.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${names[0]}`);
  const page = await ddb.send(new ListTablesCommand({ Limit: 2 }));
  assert.equal(page.TableNames!.length, 2);
  const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: page.LastEvaluatedTableName }));
  assert.ok([...page.TableNames!, ...rest.TableNames!].includes(names[2]!));
  assert.equal(await message(table(ddb, names[0])), `ResourceInUseException: Table already exists: ${names[0]}`);
  await ddb.send(new DeleteTableCommand({ TableName: names[0] }));
  assert.equal(await message(ddb.send(new DescribeTableCommand({ TableName: names[0] }))), `ResourceNotFoundException: Requested resource not found: Table: ${names[0]} not found`);
});

test('create-table validation', async () => {
  assert.equal(await message(ddb.send(new CreateTableCommand({
    TableName: 'bad-throughput', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }))), 'ValidationException: One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  assert.equal(await message(ddb.send(new CreateTableCommand({
    TableName: 'ab', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
  }))), "ValidationException: 1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
});

test('tags and TTL settings', async () => {
  const t = await table();
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${t}`;
  await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] }));
  await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
  assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
  assert.equal((await ddb.send(new DescribeTimeToLiveCommand({ TableName: t }))).TimeToLiveDescription!.TimeToLiveStatus, 'DISABLED');
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }));
  assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: t }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
  assert.equal(await message(ddb.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))),
    'ValidationException: TimeToLive is already enabled');
});

test('expired items are deleted when kumo\'s clock passes their TTL', async () => {
  const t = await table();
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: t, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }));
  const now = (await fetch(`${kumo.endpoint}/kumo/clock`).then((r) => r.json())) as { now: number | string };
  const nowSeconds = Math.floor((typeof now.now === 'number' ? now.now : Date.parse(now.now)) / 1000);
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'soon' }, exp: { N: String(nowSeconds + 30) } } }));
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'later' }, exp: { N: String(nowSeconds + 100_000) } } }));
  assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { advance: 'PT3M' })).status, 200);
  assert.equal((await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'soon' } } }))).Item, undefined);
  assert.ok((await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'later' } } }))).Item);
});

test('batch write and get', async () => {
  const t = await table();
  await ddb.send(new BatchWriteItemCommand({ RequestItems: { [t]: [
    { PutRequest: { Item: { pk: { S: 'a' }, v: { N: '1' } } } },
    { PutRequest: { Item: { pk: { S: 'b' }, v: { N: '2' } } } },
  ] } }));
  const got = await ddb.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }, { pk: { S: 'c' } }], ProjectionExpression: 'v' } } }));
  assert.deepEqual(got.Responses![t]!.map((i) => i.v!.N).sort(), ['1', '2']);
  assert.deepEqual(got.UnprocessedKeys, {});
  assert.equal(await message(ddb.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } } }))),
    'ValidationException: Provided list of item keys contains duplicates');
});

test('transactions commit together or cancel with reasons', async () => {
  const t = await table();
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'acct' }, bal: { N: '10' } } }));
  await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: t, Key: { pk: { S: 'acct' } }, UpdateExpression: 'SET bal = bal - :x', ConditionExpression: 'bal >= :x', ExpressionAttributeValues: { ':x': { N: '4' } } } },
    { Put: { TableName: t, Item: { pk: { S: 'log1' } } } },
  ] }));
  const tg = await ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: t, Key: { pk: { S: 'acct' } } } }, { Get: { TableName: t, Key: { pk: { S: 'none' } } } }] }));
  assert.equal(tg.Responses![0]!.Item!.bal!.N, '6');
  assert.equal(tg.Responses![1]!.Item, undefined);
  try {
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: t, Item: { pk: { S: 'log2' } } } },
      { ConditionCheck: { TableName: t, Key: { pk: { S: 'acct' } }, ConditionExpression: 'bal >= :x', ExpressionAttributeValues: { ':x': { N: '100' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ] }));
    assert.fail('expected cancellation');
  } catch (e) {
    assert.ok(e instanceof TransactionCanceledException);
    assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    assert.deepEqual(e.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'acct' }, bal: { N: '6' } } },
    ]);
  }
  assert.equal((await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'log2' } } }))).Item, undefined);
});

test('tables, items and indexes survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-ddb-'));
  try {
    const first = await startTestKumo({ dataDir: dir });
    const c1 = new DynamoDBClient(clientConfig(first.endpoint));
    await c1.send(new CreateTableCommand({
      TableName: 'persisted',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    await c1.send(new PutItemCommand({ TableName: 'persisted', Item: { pk: { S: 'a' }, g: { S: 'x' }, n: { N: '12345678901234567890123456789012345678' } } }));
    await first.stop();
    const second = await startTestKumo({ dataDir: dir });
    const c2 = new DynamoDBClient(clientConfig(second.endpoint));
    const q = await c2.send(new QueryCommand({ TableName: 'persisted', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
    assert.equal(q.Items![0]!.n!.N, '12345678901234567890123456789012345678');
    assert.equal((await c2.send(new DescribeTableCommand({ TableName: 'persisted' }))).Table!.ItemCount, 1);
    await second.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
