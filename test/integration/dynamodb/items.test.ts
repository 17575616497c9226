import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient,
  GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

async function table(range = false): Promise<string> {
  const name = `items-${++n}`;
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(range ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : [])],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(range ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}

async function rejects(p: Promise<unknown>, name: string, message: string): Promise<DynamoDBServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as DynamoDBServiceException;
    assert.equal(err.name, name);
    assert.equal(err.message, message);
    return err;
  }
  assert.fail('expected an error');
}

test('put then get round-trips every type, numbers normalised', async () => {
  const t = await table();
  const item = {
    pk: { S: 'a' }, n: { N: '0010.500' }, b: { B: new Uint8Array([1, 2, 3]) }, t: { BOOL: true }, z: { NULL: true },
    ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2.50'] }, bs: { BS: [new Uint8Array([9])] },
    l: { L: [{ S: 'e' }, { N: '1' }] }, m: { M: { k: { S: 'v' } } }, e: { S: '' },
  };
  await ddb.send(new PutItemCommand({ TableName: t, Item: item }));
  const out = await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' } }, ConsistentRead: true }));
  assert.equal(out.Item!.n!.N, '10.5');
  assert.deepEqual(out.Item!.ns!.NS, ['1', '2.5']);
  assert.deepEqual([...out.Item!.b!.B!], [1, 2, 3]);
  assert.deepEqual(out.Item!.m, { M: { k: { S: 'v' } } });
  assert.equal(out.Item!.e!.S, '');
  const missing = await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'nope' } } }));
  assert.equal(missing.Item, undefined);
});

test('conditional put fails with the item when asked', async () => {
  const t = await table();
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
  const err = await rejects(
    ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    'ConditionalCheckFailedException', 'The conditional request failed');
  assert.ok(err instanceof ConditionalCheckFailedException);
  assert.deepEqual(err.Item, { pk: { S: 'a' }, v: { N: '1' } });
});

test('update expression with arithmetic and all return values', async () => {
  const t = await table();
  await doc.send(new PutCommand({ TableName: t, Item: { pk: 'a', count: 1, tags: ['x'] } }));
  const up = await doc.send(new UpdateCommand({
    TableName: t, Key: { pk: 'a' },
    UpdateExpression: 'SET #c = #c + :one, tags = list_append(tags, :more) REMOVE gone',
    ExpressionAttributeNames: { '#c': 'count' },
    ExpressionAttributeValues: { ':one': 1, ':more': ['y'] },
    ReturnValues: 'UPDATED_NEW',
  }));
  assert.deepEqual(up.Attributes, { count: 2, tags: ['x', 'y'] });
  const old = await doc.send(new UpdateCommand({ TableName: t, Key: { pk: 'a' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 'q' }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(old.Attributes, { pk: 'a', count: 2, tags: ['x', 'y'] });
  const got = await doc.send(new GetCommand({ TableName: t, Key: { pk: 'a' }, ProjectionExpression: 'v, tags[1]' }));
  assert.deepEqual(got.Item, { v: 'q', tags: ['y'] });
});

test('update creates the item; key attributes cannot be updated', async () => {
  const t = await table();
  await ddb.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'new' } }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '5' } } }));
  const got = await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'new' } } }));
  assert.deepEqual(got.Item, { pk: { S: 'new' }, c: { N: '5' } });
  await rejects(ddb.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'new' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    'ValidationException', 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
});

test('validation messages are AWS texts', async () => {
  const t = await table();
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, bad: { SS: [] } } })),
    'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { N: '1' } } })),
    'ValidationException', 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { x: { S: '1' } } })),
    'ValidationException', 'One or more parameter values were invalid: Missing the key pk in the item');
  await rejects(ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'a' }, extra: { S: 'b' } } })),
    'ValidationException', 'The provided key element does not match the schema');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: '' } } })),
    'ValidationException', 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
  await rejects(ddb.send(new UpdateItemCommand({ TableName: t, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    'ValidationException', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' } }, ExpressionAttributeValues: { ':v': { S: 'unused' } } })),
    'ValidationException', 'ExpressionAttributeValues can only be specified when using expressions');
  await rejects(ddb.send(new PutItemCommand({ TableName: 'missing-table', Item: { pk: { S: 'a' } } })),
    'ResourceNotFoundException', 'Requested resource not found');
  await rejects(ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, big: { S: 'x'.repeat(409_600) } } })),
    'ValidationException', 'Item size has exceeded the maximum allowed size');
});

test('delete returns the old item and table counts follow', async () => {
  const t = await table();
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'a' }, v: { S: 'x' } } }));
  const d = await ddb.send(new DescribeTableCommand({ TableName: t }));
  assert.equal(d.Table!.ItemCount, 1);
  assert.equal(d.Table!.TableStatus, 'ACTIVE');
  const del = await ddb.send(new DeleteItemCommand({ TableName: t, Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(del.Attributes, { pk: { S: 'a' }, v: { S: 'x' } });
  const d2 = await ddb.send(new DescribeTableCommand({ TableName: t }));
  assert.equal(d2.Table!.ItemCount, 0);
});
