import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DynamoDBClient,
  GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
let ddb: DynamoDBClient;
let n = 0;

before(async () => {
  kumo = await startTestKumo();
  ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
});
after(() => kumo.stop());

async function table(lsi = false, extra: Record<string, unknown> = {}): Promise<string> {
  const name = `lim-${++n}`;
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      ...(lsi ? [{ AttributeName: 'l', AttributeType: 'S' as const }] : []),
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    ...(lsi ? { LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'l', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } }] } : {}),
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  }));
  return name;
}

async function rejects(p: Promise<unknown>, name: string, message: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as DynamoDBServiceException;
    assert.equal(err.name, name, err.message);
    assert.equal(err.message, message);
    return;
  }
  assert.fail(`expected ${name}`);
}

const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

test('ReturnItemCollectionMetrics reports the item collection of tables with an LSI, and nothing otherwise', async () => {
  const t = await table(true);
  const expected = { ItemCollectionKey: { pk: { S: 'c' } }, SizeEstimateRangeGB: [0, 1] };
  const put = await ddb.send(new PutItemCommand({ TableName: t, Item: { ...key('c', '1'), l: { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(put.ItemCollectionMetrics, expected);
  const upd = await ddb.send(new UpdateItemCommand({ TableName: t, Key: key('c', '1'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(upd.ItemCollectionMetrics, expected);
  const batch = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: key('c', '2') } }] }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(batch.ItemCollectionMetrics, { [t]: [expected] });
  const tx = await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: t, Item: key('c', '3') } }], ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(tx.ItemCollectionMetrics, { [t]: [expected] });
  const del = await ddb.send(new DeleteItemCommand({ TableName: t, Key: key('c', '1'), ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(del.ItemCollectionMetrics, expected);
  const none = await ddb.send(new PutItemCommand({ TableName: t, Item: key('c', '4') }));
  assert.equal(none.ItemCollectionMetrics, undefined);
  const plain = await table(false);
  const noLsi = await ddb.send(new PutItemCommand({ TableName: plain, Item: key('c', '1'), ReturnItemCollectionMetrics: 'SIZE' }));
  assert.equal(noLsi.ItemCollectionMetrics, undefined);
});

test('BatchGetItem answers at most 16 MB and returns the rest as UnprocessedKeys', async () => {
  const t = await table();
  const big = 'x'.repeat(390 * 1024);
  for (let i = 0; i < 45; i++) await ddb.send(new PutItemCommand({ TableName: t, Item: { ...key('big', String(i).padStart(2, '0')), v: { S: big } } }));
  const keys = Array.from({ length: 45 }, (_, i) => key('big', String(i).padStart(2, '0')));
  const out = await ddb.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: keys, ConsistentRead: true } } }));
  const got = out.Responses![t]!.length;
  const left = out.UnprocessedKeys![t]!;
  assert.ok(got >= 40 && got < 45, `answered ${got}`);
  assert.equal(got + left.Keys!.length, 45);
  assert.equal(left.ConsistentRead, true);
  const rest = await ddb.send(new BatchGetItemCommand({ RequestItems: { [t]: left } }));
  assert.equal(rest.Responses![t]!.length, left.Keys!.length);
  assert.deepEqual(rest.UnprocessedKeys, {});
});

test('expressions are limited to 4 KB, with AWS texts per expression kind', async () => {
  const t = await table();
  await ddb.send(new PutItemCommand({ TableName: t, Item: key('k', '1') }));
  const name = (len: number) => 'a' + 'z'.repeat(len - 1);
  const PREFIX = 'Expression size has exceeded the maximum allowed size;';
  await rejects(ddb.send(new GetItemCommand({ TableName: t, Key: key('k', '1'), ProjectionExpression: name(4097) })),
    'ValidationException', `Invalid ProjectionExpression: ${PREFIX}`);
  const ok = await ddb.send(new GetItemCommand({ TableName: t, Key: key('k', '1'), ProjectionExpression: name(4096) }));
  assert.deepEqual(ok.Item, {});
  const filter = `${name(4097)} = :v`;
  await rejects(ddb.send(new ScanCommand({ TableName: t, FilterExpression: filter, ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    'ValidationException', `Invalid FilterExpression: ${PREFIX} expression size: ${filter.length}`);
  const cond = `attribute_not_exists(${name(4097)})`;
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: key('k', '2'), ConditionExpression: cond })),
    'ValidationException', `Invalid ConditionExpression: ${PREFIX} expression size: ${cond.length}`);
  await rejects(ddb.send(new UpdateItemCommand({ TableName: t, Key: key('k', '1'), UpdateExpression: `SET ${name(4097)} = :v`, ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    'ValidationException', `Invalid UpdateExpression: ${PREFIX}`);
  await rejects(ddb.send(new QueryCommand({ TableName: t, KeyConditionExpression: `pk = :p AND ${name(4097)} = :q`, ExpressionAttributeValues: { ':p': { S: 'k' }, ':q': { S: 'x' } } })),
    'ValidationException', `Invalid KeyConditionExpression: ${PREFIX}`);
});

test('expression functions: AWS texts and size() counting UTF-16 code units', async () => {
  const t = await table();
  await ddb.send(new PutItemCommand({ TableName: t, Item: { ...key('s', '1'), u: { S: 'é𝄞' } } }));
  await ddb.send(new UpdateItemCommand({ TableName: t, Key: key('s', '1'), UpdateExpression: 'SET touched = :t', ConditionExpression: 'size(u) = :n', ExpressionAttributeValues: { ':n': { N: '3' }, ':t': { N: '1' } } }));
  const bySize = await ddb.send(new ScanCommand({ TableName: t, FilterExpression: 'size(:s) = :n', ExpressionAttributeValues: { ':s': { S: 'abc' }, ':n': { N: '3' } } }));
  assert.equal(bySize.Count, 1);
  await rejects(ddb.send(new ScanCommand({ TableName: t, FilterExpression: 'size(:s) = :n', ExpressionAttributeValues: { ':s': { N: '1' }, ':n': { N: '3' } } })),
    'ValidationException', 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: key('s', '2'), ConditionExpression: 'a = if_not_exists(b, :v)', ExpressionAttributeValues: { ':v': { N: '1' } } })),
    'ValidationException', 'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists');
  await rejects(ddb.send(new ScanCommand({ TableName: t, FilterExpression: 'attribute_type(u, :t)', ExpressionAttributeValues: { ':t': { S: 'STRING' } } })),
    'ValidationException', 'Invalid FilterExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}');
  await rejects(ddb.send(new ScanCommand({ TableName: t, FilterExpression: 'u BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { S: 'z' } } })),
    'ValidationException', 'Invalid FilterExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:z}');
});

test('key size and deletion protection messages are AWS\'s', async () => {
  const t = await table(false, { DeletionProtectionEnabled: true });
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: key('h'.repeat(2049), '1') })),
    'ValidationException', 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: key('h', 's'.repeat(1025)) })),
    'ValidationException', 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  await rejects(ddb.send(new DeleteTableCommand({ TableName: t })),
    'ValidationException', 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
});
