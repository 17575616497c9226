import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildQuery, keySchemaOf, validateQuery, type TableDescription } from '../../src/ui/key-condition.ts';

const table: TableDescription = {
  TableName: 'orders',
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }, { AttributeName: 'status', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }] }],
};

test('key schema of the table and of an index, with declared types', () => {
  assert.deepEqual(keySchemaOf(table), { partition: { name: 'customer', type: 'S' }, sort: { name: 'at', type: 'N' } });
  assert.deepEqual(keySchemaOf(table, 'by-status'), { partition: { name: 'status', type: 'S' } });
  assert.throws(() => keySchemaOf(table, 'nope'), /has no index nope/);
});

test('a partition-only query uses placeholders for names and values', () => {
  assert.deepEqual(buildQuery(keySchemaOf(table, 'by-status'), { table: 'orders', index: 'by-status', partitionValue: 'open', limit: 5 }), {
    TableName: 'orders', IndexName: 'by-status', KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'status' }, ExpressionAttributeValues: { ':pk': { S: 'open' } }, Limit: 5,
  });
});

test('sort conditions: comparison, BETWEEN and begins_with, descending', () => {
  const schema = keySchemaOf(table);
  const between = buildQuery(schema, { table: 'orders', partitionValue: 'c1', sort: { op: 'between', value: '1', value2: ' 20 ' }, descending: true });
  assert.equal(between.KeyConditionExpression, '#pk = :pk AND #sk BETWEEN :sk AND :sk2');
  assert.deepEqual(between.ExpressionAttributeValues, { ':pk': { S: 'c1' }, ':sk': { N: '1' }, ':sk2': { N: '20' } });
  assert.equal(between.ScanIndexForward, false);
  assert.equal(buildQuery(schema, { table: 'orders', partitionValue: 'c1', sort: { op: '>=', value: '3' } }).KeyConditionExpression, '#pk = :pk AND #sk >= :sk');
  const strings = { partition: { name: 'pk', type: 'S' as const }, sort: { name: 'sk', type: 'S' as const } };
  assert.equal(buildQuery(strings, { table: 't', partitionValue: 'a', sort: { op: 'begins_with', value: 'order#' } }).KeyConditionExpression, '#pk = :pk AND begins_with(#sk, :sk)');
});

test('problems are listed before anything is sent', () => {
  const schema = keySchemaOf(table);
  assert.deepEqual(validateQuery(schema, { table: 'orders', partitionValue: '' }), ['customer needs a value']);
  assert.deepEqual(validateQuery(schema, { table: 'orders', partitionValue: 'c', sort: { op: '=', value: 'x' } }), ['at is a number (N): "x" is not one']);
  assert.deepEqual(validateQuery(schema, { table: 'orders', partitionValue: 'c', sort: { op: 'between', value: '9', value2: '2' } }),
    ['BETWEEN needs the lower bound first: 9 is greater than 2']);
  assert.deepEqual(validateQuery(schema, { table: 'orders', partitionValue: 'c', sort: { op: 'begins_with', value: '1' } }),
    ['begins_with works on string and binary sort keys, not numbers']);
  assert.deepEqual(validateQuery(keySchemaOf(table, 'by-status'), { table: 'orders', partitionValue: 'open', sort: { op: '=', value: '1' }, limit: 0 }),
    ['This key has no sort key: leave the sort condition empty', 'Limit must be a whole number of at least 1']);
  assert.throws(() => buildQuery(schema, { table: 'orders', partitionValue: '' }), /customer needs a value/);
});
