import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchExecuteStatementCommand, BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ExecuteStatementCommand,
  ExecuteTransactionCommand, GetItemCommand, type AttributeValue, type DynamoDBServiceException, type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatement } from '@aws-sdk/lib-dynamodb';
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

async function table(range = false, extra: Record<string, unknown> = {}): Promise<string> {
  const name = `pq-${++n}`;
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      ...(range ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : []),
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(range ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  }));
  return name;
}

function run(Statement: string, Parameters?: AttributeValue[], extra: Record<string, unknown> = {}) {
  return ddb.send(new ExecuteStatementCommand({ Statement, Parameters, ...extra }));
}

async function rejects(p: Promise<unknown>, name: string, message?: string): Promise<DynamoDBServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as DynamoDBServiceException;
    assert.equal(err.name, name, err.message);
    if (message !== undefined) assert.equal(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}`);
}

test('INSERT then SELECT by key; INSERT of an existing key is a DuplicateItemException', async () => {
  const t = await table();
  const ins = await run(`INSERT INTO "${t}" VALUE {'pk': 'a', 'n': 1.50, 'b': true, 'z': null, 'l': [1, 'x'], 'm': {'k': 'v'}, 's': <<'p', 'q'>>}`);
  assert.deepEqual(ins.Items, []);
  const sel = await run(`SELECT * FROM "${t}" WHERE pk = 'a'`);
  assert.deepEqual(sel.Items, [{
    pk: { S: 'a' }, n: { N: '1.5' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ N: '1' }, { S: 'x' }] }, m: { M: { k: { S: 'v' } } }, s: { SS: ['p', 'q'] },
  }]);
  await rejects(run(`INSERT INTO "${t}" VALUE {'pk': 'a'}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
  await rejects(run(`INSERT INTO "${t}" VALUE {'x': 'a'}`), 'ValidationException', 'Key attribute should be present in the item: Key pk');
  await rejects(run(`INSERT INTO "${t}" VALUE {'pk': 1}`), 'ValidationException', "Key attribute's data type should match its data type in table's schema: Key pk");
});

test('parameters bind in order; too few is refused with AWS text', async () => {
  const t = await table(true);
  await run(`INSERT INTO "${t}" VALUE {'pk': ?, 'sk': ?, 'v': ?}`, [{ S: 'p' }, { N: '1' }, { B: new Uint8Array([1, 2]) }]);
  const sel = await run(`SELECT v FROM "${t}" WHERE pk = ? AND sk = ?`, [{ S: 'p' }, { N: '1' }]);
  assert.deepEqual(sel.Items, [{ v: { B: new Uint8Array([1, 2]) } }]);
  await rejects(run(`SELECT * FROM "${t}" WHERE pk = ? AND sk = ?`, [{ S: 'p' }]), 'ValidationException', "Number of parameters in request and statement don't match.");
});

test('WHERE on key and non-key attributes, projections of nested paths named by their last step', async () => {
  const t = await table(true);
  for (let i = 1; i <= 5; i++) {
    await run(`INSERT INTO "${t}" VALUE {'pk': 'p', 'sk': ${i}, 'odd': ${i % 2 === 1}, 'm': {'k': [${i}, ${i * 10}], 'z': 'zz'}}`);
  }
  const between = await run(`SELECT sk FROM "${t}" WHERE pk = 'p' AND sk BETWEEN 2 AND 4 AND odd = true`);
  assert.deepEqual(between.Items, [{ sk: { N: '3' } }]);
  const nested = await run(`SELECT m.k[1], m.z, "odd" FROM "${t}" WHERE pk = 'p' AND sk = 2`);
  assert.deepEqual(nested.Items, [{ 'k[1]': { N: '20' }, z: { S: 'zz' }, odd: { BOOL: false } }]);
  const filtered = await run(`SELECT sk FROM "${t}" WHERE odd = true AND begins_with(m.z, 'z') AND m.k[0] IN [1, 5]`);
  assert.deepEqual(filtered.Items!.map((i) => i.sk!.N).sort(), ['1', '5']);
  const missing = await run(`SELECT sk FROM "${t}" WHERE pk = 'p' AND gone IS MISSING AND m IS NOT MISSING AND sk > 4`);
  assert.deepEqual(missing.Items, [{ sk: { N: '5' } }]);
  await rejects(run(`SELECT m.z, z FROM "${t}"`), 'ValidationException', 'Duplicate identifiers in select clause: z');
});

test('a SELECT whose WHERE pins the partition key reads that partition, not the table', async () => {
  const t = await table();
  const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `a${String(i).padStart(2, '0')}` }, g: { S: 'x' } } } }));
  await ddb.send(new BatchWriteItemCommand({ RequestItems: { [t]: puts } }));
  await run(`INSERT INTO "${t}" VALUE {'pk': 'zz', 'g': 'y'}`);
  // With Limit 1, a scan would stop at the first item in key order; a key read goes straight to 'zz'.
  const byKey = await run(`SELECT pk FROM "${t}" WHERE pk = 'zz'`, undefined, { Limit: 1 });
  assert.deepEqual(byKey.Items, [{ pk: { S: 'zz' } }]);
  const byIndex = await run(`SELECT pk FROM "${t}"."byG" WHERE g = 'y'`, undefined, { Limit: 1 });
  assert.deepEqual(byIndex.Items, [{ pk: { S: 'zz' } }]);
  const scanned = await run(`SELECT pk FROM "${t}" WHERE g = 'y'`, undefined, { Limit: 1 });
  assert.deepEqual(scanned.Items, []);
  assert.ok(scanned.NextToken, 'Limit counts items read, before the filter');
  const inList = await run(`SELECT pk FROM "${t}" WHERE pk IN ['zz', 'a03']`);
  assert.deepEqual(inList.Items!.map((i) => i.pk!.S), ['a03', 'zz']);
});

test('Limit and NextToken page through a scan; tokens are checked', async () => {
  const t = await table();
  for (let i = 0; i < 7; i++) await run(`INSERT INTO "${t}" VALUE {'pk': 'k${i}'}`);
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await run(`SELECT pk FROM "${t}"`, undefined, { Limit: 3, NextToken: token });
    seen.push(...page.Items!.map((i) => i.pk!.S!));
    token = page.NextToken;
    if (token) assert.ok(page.LastEvaluatedKey);
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(seen.sort(), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  const first = await run(`SELECT pk FROM "${t}"`, undefined, { Limit: 3 });
  await rejects(run(`SELECT * FROM "${t}"`, undefined, { NextToken: first.NextToken }), 'ValidationException', 'NextToken does not match request');
  await rejects(run(`SELECT * FROM "${t}"`, undefined, { NextToken: 'bm90IGEgdG9rZW4=' }), 'ValidationException', 'Invalid NextToken');
});

test('ORDER BY the sort key needs the partition key pinned', async () => {
  const t = await table(true);
  for (const sk of [2, 1, 3]) await run(`INSERT INTO "${t}" VALUE {'pk': 'o', 'sk': ${sk}}`);
  const desc = await run(`SELECT sk FROM "${t}" WHERE pk = 'o' ORDER BY sk DESC`);
  assert.deepEqual(desc.Items!.map((i) => i.sk!.N), ['3', '2', '1']);
  await rejects(run(`SELECT sk FROM "${t}" ORDER BY sk`), 'ValidationException', 'Must have WHERE clause in the statement when using ORDER BY clause.');
  await rejects(run(`SELECT sk FROM "${t}" WHERE pk = 'o' ORDER BY other`), 'ValidationException', 'Variable reference other in ORDER BY clause must be part of the primary key');
});

test('UPDATE with SET (arithmetic, list_append, set_add) and REMOVE; RETURNING', async () => {
  const t = await table();
  await run(`INSERT INTO "${t}" VALUE {'pk': 'u', 'n': 1, 'l': [1], 's': <<'a'>>, 'gone': 'x', 'm': {'a': 1}}`);
  const res = await run(`UPDATE "${t}" SET n = n + 2 SET l = list_append(l, [2]) SET s = set_add(s, <<'b'>>) SET m.b = 'new' REMOVE gone WHERE pk = 'u' RETURNING ALL NEW *`);
  assert.deepEqual(res.Items, [{ pk: { S: 'u' }, n: { N: '3' }, l: { L: [{ N: '1' }, { N: '2' }] }, s: { SS: ['a', 'b'] }, m: { M: { a: { N: '1' }, b: { S: 'new' } } } }]);
  const modified = await run(`UPDATE "${t}" SET n = 10 WHERE pk = 'u' RETURNING MODIFIED OLD *`);
  assert.deepEqual(modified.Items, [{ n: { N: '3' } }]);
  const plain = await run(`UPDATE "${t}" SET s = set_delete(s, <<'a'>>) WHERE pk = 'u'`);
  assert.deepEqual(plain.Items, []);
  const got = await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'u' } } }));
  assert.deepEqual(got.Item!.s, { SS: ['b'] });
  await rejects(run(`UPDATE "${t}" SET n = 1 WHERE pk = 'nobody'`), 'ConditionalCheckFailedException', 'The conditional request failed');
  const err = await rejects(run(`UPDATE "${t}" SET n = 1 WHERE pk = 'u' AND n = 99`, undefined, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), 'ConditionalCheckFailedException');
  assert.equal((err as unknown as { Item: Record<string, AttributeValue> }).Item.n!.N, '10');
  await rejects(run(`UPDATE "${t}" SET n = 1 WHERE n = 10`), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');
  await rejects(run(`UPDATE "${t}" SET pk = 'x' WHERE pk = 'u'`), 'ValidationException', 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
});

test('DELETE: of a missing item succeeds, RETURNING ALL OLD only', async () => {
  const t = await table();
  await run(`INSERT INTO "${t}" VALUE {'pk': 'd', 'v': 1}`);
  assert.deepEqual((await run(`DELETE FROM "${t}" WHERE pk = 'nobody'`)).Items, []);
  await rejects(run(`DELETE FROM "${t}" WHERE pk = 'd' AND v = 2`), 'ConditionalCheckFailedException');
  await rejects(run(`DELETE FROM "${t}" WHERE pk = 'd' RETURNING ALL NEW *`), 'ValidationException',
    'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.');
  assert.deepEqual((await run(`DELETE FROM "${t}" WHERE pk = 'd' RETURNING ALL OLD *`)).Items, [{ pk: { S: 'd' }, v: { N: '1' } }]);
  assert.equal((await ddb.send(new GetItemCommand({ TableName: t, Key: { pk: { S: 'd' } } }))).Item, undefined);
});

test('statements AWS cannot read get its exact texts', async () => {
  const t = await table();
  const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";
  await rejects(run(`SELECT * FROM "${t}" WHERE pk = 1 foo`), 'ValidationException', `${NOT_WELL_FORMED}Unexpected token after expression`);
  await rejects(run(`SELECT * FROM "${t}" WHERE`), 'ValidationException', `${NOT_WELL_FORMED}Unexpected term`);
  await rejects(run(`SELECT * FROM "${t}" WHERE pk = 'p1' AND`), 'ValidationException', `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`);
  await rejects(run(`SELECT * FROM "${t}" WHERE ORDER BY pk`), 'ValidationException', `${NOT_WELL_FORMED}Unexpected keyword`);
  await rejects(run(`SELECT * FROM "${t}" WHERE IS NULL`), 'ValidationException', `${NOT_WELL_FORMED}Unexpected operator`);
  await rejects(run('DELETE FROM'), 'ValidationException', `${NOT_WELL_FORMED}Expected identifier for simple path`);
  await rejects(run(`SELECT * FROM "${t}" WHERE pk = 1 /* note`), 'ValidationException', NOT_WELL_FORMED);
  await rejects(run(`SELECT * FROM "${t}" AS x WHERE pk = 'x'`), 'ValidationException', 'Aliasing is not supported');
  await rejects(run(`SELECT * FROM "${t}" WHERE pk = 1e126`), 'ValidationException',
    'Number overflow. Attempting to store a number with magnitude larger than supported range under root');
  await rejects(run(`INSERT INTO "${t}" VALUE {'pk': 'x', 'l': [1, 1e126]}`), 'ValidationException',
    'Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]');
  await rejects(run(`SELECT pk FROM "${t}" WHERE pk = 'x' AND val < ?`, [{ BOOL: true }]), 'ValidationException',
    'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL');
  await rejects(run('SELECT * FROM "no-such-table"'), 'ResourceNotFoundException', 'Requested resource not found');
  await rejects(run(`SELECT * FROM "${t}" LIMIT 1`), 'ValidationException', 'Unsupported clause: LIMIT');
});

test('BatchExecuteStatement runs each statement on its own', async () => {
  const t = await table();
  await run(`INSERT INTO "${t}" VALUE {'pk': 'b1', 'v': 1}`);
  const writes = await ddb.send(new BatchExecuteStatementCommand({
    Statements: [
      { Statement: `INSERT INTO "${t}" VALUE {'pk': 'b2'}` },
      { Statement: `INSERT INTO "${t}" VALUE {'pk': 'b1'}` },
      { Statement: `UPDATE "${t}" SET v = 2 WHERE pk = 'b1' AND v = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      { Statement: 'SELEKT' },
    ],
  }));
  assert.deepEqual(writes.Responses![0], { TableName: t });
  assert.deepEqual(writes.Responses![1]!.Error, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' });
  assert.deepEqual(writes.Responses![2]!.Error, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'b1' }, v: { N: '1' } } });
  assert.equal(writes.Responses![3]!.Error!.Code, 'ValidationError');
  const reads = await ddb.send(new BatchExecuteStatementCommand({
    Statements: [
      { Statement: `SELECT * FROM "${t}" WHERE pk = ?`, Parameters: [{ S: 'b2' }] },
      { Statement: `SELECT * FROM "${t}" WHERE pk = 'none'` },
      { Statement: `SELECT * FROM "${t}" WHERE v = 1` },
    ],
  }));
  assert.deepEqual(reads.Responses![0], { TableName: t, Item: { pk: { S: 'b2' } } });
  assert.deepEqual(reads.Responses![1], { TableName: t });
  assert.deepEqual(reads.Responses![2]!.Error, { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' });
});

test('ExecuteTransaction: all or nothing, EXISTS conditions, reads, AWS texts, idempotency', async () => {
  const t = await table();
  await run(`INSERT INTO "${t}" VALUE {'pk': 'x', 'v': 1}`);
  const failed = await rejects(ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [
      { Statement: `INSERT INTO "${t}" VALUE {'pk': 'y'}` },
      { Statement: `EXISTS(SELECT * FROM "${t}" WHERE pk = 'x' AND v = 2)` },
    ],
  })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
  assert.deepEqual((failed as TransactionCanceledException).CancellationReasons!.map((r) => r.Code), ['None', 'ConditionalCheckFailed']);
  assert.deepEqual((await run(`SELECT * FROM "${t}" WHERE pk = 'y'`)).Items, []);

  const ok = await ddb.send(new ExecuteTransactionCommand({
    ClientRequestToken: 'tok-1',
    TransactStatements: [
      { Statement: `INSERT INTO "${t}" VALUE {'pk': 'y'}` },
      { Statement: `UPDATE "${t}" SET v = v + 1 WHERE pk = 'x'` },
    ],
  }));
  assert.deepEqual(ok.Responses, []);
  await ddb.send(new ExecuteTransactionCommand({
    ClientRequestToken: 'tok-1',
    TransactStatements: [
      { Statement: `INSERT INTO "${t}" VALUE {'pk': 'y'}` },
      { Statement: `UPDATE "${t}" SET v = v + 1 WHERE pk = 'x'` },
    ],
  }));
  const reads = await ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [{ Statement: `SELECT v FROM "${t}" WHERE pk = 'x'` }, { Statement: `SELECT * FROM "${t}" WHERE pk = 'none'` }],
  }));
  assert.deepEqual(reads.Responses, [{ Item: { v: { N: '2' } } }, {}]);

  await rejects(ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [{ Statement: `SELECT * FROM "${t}" WHERE pk = 'x'` }, { Statement: `DELETE FROM "${t}" WHERE pk = 'x'` }],
  })), 'ValidationException', 'ExecuteTransaction API does not support both read and write operations in the same request.');
  await rejects(ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [{ Statement: `UPDATE "${t}" SET v = 5 WHERE pk = 'x' RETURNING ALL NEW *` }],
  })), 'ValidationException', 'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.');
  await rejects(ddb.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "${t}" WHERE` }] })),
    'ValidationException', "Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed: Unexpected term");
});

test('lib-dynamodb ExecuteStatement with native parameters', async () => {
  const t = await table(true);
  const doc = DynamoDBDocumentClient.from(ddb);
  await doc.send(new DocExecuteStatement({ Statement: `INSERT INTO "${t}" VALUE {'pk': ?, 'sk': ?, 'tags': ?}`, Parameters: ['d', 7, ['a', 'b']] }));
  const out = await doc.send(new DocExecuteStatement({ Statement: `SELECT * FROM "${t}" WHERE pk = ? AND sk >= ?`, Parameters: ['d', 7] }));
  assert.deepEqual(out.Items, [{ pk: 'd', sk: 7, tags: ['a', 'b'] }]);
});
