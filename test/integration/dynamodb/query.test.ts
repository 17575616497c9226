import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateTableCommand, DynamoDBClient, QueryCommand, ScanCommand, UpdateTableCommand, type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand as DocQuery } from '@aws-sdk/lib-dynamodb';
import type { Kumo } from '../../../src/index.ts';
import { clientConfig, startTestKumo } from '../../helpers/kumo.ts';

let kumo: Kumo;
let ddb: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let n = 0;

before(async () => {
  kumo = await startTestKumo();
  ddb = new DynamoDBClient(clientConfig(kumo.endpoint));
  doc = DynamoDBDocumentClient.from(ddb);
});
after(() => kumo.stop());

/** A table keyed (pk S, sk N) with a GSI on (g S, sk N) holding keys only, filled with pk=p, sk=0..count-1. */
async function filled(count: number): Promise<string> {
  const name = `query-${++n}`;
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, (_, j) => ({
      PutRequest: { Item: { pk: 'p', sk: i + j, even: (i + j) % 2 === 0, ...((i + j) % 3 === 0 ? { g: 'three' } : {}) } },
    }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [name]: batch } }));
  }
  await doc.send(new BatchWriteCommand({ RequestItems: { [name]: [{ PutRequest: { Item: { pk: 'other', sk: 1 } } }] } }));
  return name;
}

function sks(items: Record<string, any>[] | undefined): number[] {
  return (items ?? []).map((i) => Number(i.sk.N ?? i.sk));
}

test('sort-key conditions select ranges, numerically ordered, both directions', async () => {
  const t = await filled(30);
  const q = (expr: string, values: Record<string, unknown>, forward = true) =>
    doc.send(new DocQuery({ TableName: t, KeyConditionExpression: expr, ExpressionAttributeValues: values, ScanIndexForward: forward }));
  assert.deepEqual(sks((await q('pk = :p AND sk < :v', { ':p': 'p', ':v': 3 })).Items), [0, 1, 2]);
  assert.deepEqual(sks((await q('pk = :p AND sk <= :v', { ':p': 'p', ':v': 2 })).Items), [0, 1, 2]);
  assert.deepEqual(sks((await q('pk = :p AND sk > :v', { ':p': 'p', ':v': 27 })).Items), [28, 29]);
  assert.deepEqual(sks((await q('pk = :p AND sk >= :v', { ':p': 'p', ':v': 28 })).Items), [28, 29]);
  assert.deepEqual(sks((await q('pk = :p AND sk BETWEEN :a AND :b', { ':p': 'p', ':a': 9, ':b': 11 })).Items), [9, 10, 11]);
  assert.deepEqual(sks((await q('pk = :p AND sk = :v', { ':p': 'p', ':v': 10 })).Items), [10]);
  assert.deepEqual(sks((await q('pk = :p AND sk < :v', { ':p': 'p', ':v': 3 }, false)).Items), [2, 1, 0]);
  assert.equal((await q('pk = :p', { ':p': 'p' })).Count, 30);
});

test('Limit counts items before the filter and pagination resumes', async () => {
  const t = await filled(10);
  const page = await doc.send(new DocQuery({
    TableName: t, KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t',
    ExpressionAttributeValues: { ':p': 'p', ':t': true }, Limit: 4,
  }));
  assert.deepEqual(sks(page.Items), [0, 2]);
  assert.equal(page.ScannedCount, 4);
  assert.deepEqual(page.LastEvaluatedKey, { pk: 'p', sk: 3 });
  const next = await doc.send(new DocQuery({
    TableName: t, KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t',
    ExpressionAttributeValues: { ':p': 'p', ':t': true }, ExclusiveStartKey: page.LastEvaluatedKey,
  }));
  assert.deepEqual(sks(next.Items), [4, 6, 8]);
  assert.equal(next.LastEvaluatedKey, undefined);
  const back = await doc.send(new DocQuery({
    TableName: t, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' },
    ScanIndexForward: false, ExclusiveStartKey: { pk: 'p', sk: 3 },
  }));
  assert.deepEqual(sks(back.Items), [2, 1, 0]);
});

test('COUNT, GSI queries with projections and index keys in LastEvaluatedKey', async () => {
  const t = await filled(12);
  const count = await ddb.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' }));
  assert.equal(count.Count, 12);
  assert.equal(count.Items, undefined);
  const g = await ddb.send(new QueryCommand({ TableName: t, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'three' } }, Limit: 2 }));
  assert.deepEqual(g.Items, [{ pk: { S: 'p' }, sk: { N: '0' }, g: { S: 'three' } }, { pk: { S: 'p' }, sk: { N: '3' }, g: { S: 'three' } }]);
  assert.deepEqual(g.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '3' }, g: { S: 'three' } });
  const rest = await ddb.send(new QueryCommand({ TableName: t, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'three' } }, ExclusiveStartKey: g.LastEvaluatedKey }));
  assert.deepEqual(sks(rest.Items), [6, 9]);
});

test('a GSI added later is filled from existing items', async () => {
  const t = await filled(6);
  await ddb.send(new UpdateTableCommand({
    TableName: t,
    AttributeDefinitions: [{ AttributeName: 'sk', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'bySk', KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }));
  const out = await ddb.send(new QueryCommand({ TableName: t, IndexName: 'bySk', KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }));
  assert.deepEqual(out.Items!.map((i) => i.pk!.S).sort(), ['other', 'p']);
});

test('key condition errors are AWS texts', async () => {
  const t = await filled(1);
  const fails = async (input: Record<string, unknown>, message: string) => {
    try {
      await ddb.send(new QueryCommand({ TableName: t, ...input } as never));
      assert.fail('expected an error');
    } catch (e) {
      assert.equal((e as DynamoDBServiceException).message, message);
    }
  };
  await fails({ KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Query condition missed key schema element: pk');
  await fails({ KeyConditionExpression: 'pk = :v OR sk = :w', ExpressionAttributeValues: { ':v': { S: 'p' }, ':w': { N: '1' } } }, 'Invalid operator used in KeyConditionExpression: OR');
  await fails({ KeyConditionExpression: 'pk = :v', FilterExpression: 'sk > :w', ExpressionAttributeValues: { ':v': { S: 'p' }, ':w': { N: '1' } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
  await fails({ KeyConditionExpression: '', ExpressionAttributeValues: { ':v': { S: 'p' } } }, 'Invalid KeyConditionExpression: The expression can not be empty;');
  await fails({ IndexName: 'byG', ConsistentRead: true, KeyConditionExpression: 'g = :v', ExpressionAttributeValues: { ':v': { S: 'p' } } }, 'Consistent reads are not supported on global secondary indexes');
  await fails({ KeyConditionExpression: 'pk = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type');
});

test('parallel scan segments partition the table', async () => {
  const t = await filled(40);
  const seen: number[] = [];
  for (let segment = 0; segment < 3; segment++) {
    const out = await ddb.send(new ScanCommand({ TableName: t, Segment: segment, TotalSegments: 3 }));
    seen.push(out.Count!);
  }
  assert.equal(seen.reduce((a, b) => a + b, 0), 41);
  const filtered = await ddb.send(new ScanCommand({ TableName: t, FilterExpression: 'sk < :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  assert.equal(filtered.Count, 3);
  assert.equal(filtered.ScannedCount, 41);
});

test('legacy KeyConditions, QueryFilter and AttributesToGet', async () => {
  const t = await filled(6);
  const out = await ddb.send(new QueryCommand({
    TableName: t,
    KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '4' }] } },
    QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } },
    AttributesToGet: ['sk'],
  }));
  assert.deepEqual(out.Items, [{ sk: { N: '2' } }, { sk: { N: '4' } }]);
  assert.equal(out.ScannedCount, 4);
});
