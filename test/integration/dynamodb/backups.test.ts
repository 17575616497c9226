import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateBackupCommand, CreateTableCommand, DeleteBackupCommand, DeleteTableCommand, DescribeBackupCommand,
  DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListBackupsCommand, PutItemCommand,
  QueryCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand, ScanCommand, UpdateContinuousBackupsCommand,
  type DynamoDBServiceException,
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

async function table(): Promise<string> {
  const name = `bk-${++n}`;
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}

const put = (t: string, pk: string, v: string) => ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: pk }, g: { S: 'x' }, v: { S: v } } }));

async function rejects(p: Promise<unknown>, name: string, message?: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as DynamoDBServiceException;
    assert.equal(err.name, name, err.message);
    if (message !== undefined) assert.equal(err.message, message);
    return;
  }
  assert.fail(`expected ${name}`);
}

async function advance(ms: number): Promise<void> {
  assert.equal((await controlPost(kumo.endpoint, '/kumo/clock', { advance: ms })).status, 200);
}

test('a backup is a copy: later writes and deleting the table leave it, restore brings it back with its indexes', async () => {
  const t = await table();
  await put(t, 'a', 'before');
  const created = await ddb.send(new CreateBackupCommand({ TableName: t, BackupName: 'snap' }));
  const d = created.BackupDetails!;
  assert.match(d.BackupArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${t}/backup/\\d{14}-[0-9a-f]{8}$`));
  assert.equal(d.BackupStatus, 'AVAILABLE');
  assert.equal(d.BackupType, 'USER');
  await put(t, 'a', 'after');
  await put(t, 'b', 'after');
  await ddb.send(new DeleteTableCommand({ TableName: t }));

  const desc = (await ddb.send(new DescribeBackupCommand({ BackupArn: d.BackupArn }))).BackupDescription!;
  assert.equal(desc.SourceTableDetails!.TableName, t);
  assert.equal(desc.SourceTableDetails!.ItemCount, 1);
  assert.equal(desc.SourceTableFeatureDetails!.GlobalSecondaryIndexes![0]!.IndexName, 'byG');

  const restored = await ddb.send(new RestoreTableFromBackupCommand({ BackupArn: d.BackupArn, TargetTableName: `${t}-restored` }));
  assert.equal(restored.TableDescription!.RestoreSummary!.SourceBackupArn, d.BackupArn);
  const items = await ddb.send(new ScanCommand({ TableName: `${t}-restored` }));
  assert.deepEqual(items.Items, [{ pk: { S: 'a' }, g: { S: 'x' }, v: { S: 'before' } }]);
  const byIndex = await ddb.send(new QueryCommand({ TableName: `${t}-restored`, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
  assert.equal(byIndex.Count, 1);
  const table2 = (await ddb.send(new DescribeTableCommand({ TableName: `${t}-restored` }))).Table!;
  assert.equal(table2.ItemCount, 1);
  assert.equal(table2.RestoreSummary!.RestoreInProgress, false);
  await rejects(ddb.send(new RestoreTableFromBackupCommand({ BackupArn: d.BackupArn, TargetTableName: `${t}-restored` })), 'TableAlreadyExistsException', `Table already exists: ${t}-restored`);
});

test('ListBackups filters and pages; DeleteBackup removes the copy', async () => {
  const t = await table();
  const arns: string[] = [];
  for (let i = 0; i < 3; i++) arns.push((await ddb.send(new CreateBackupCommand({ TableName: t, BackupName: `bak${i}` }))).BackupDetails!.BackupArn!);
  const page1 = await ddb.send(new ListBackupsCommand({ TableName: t, Limit: 2 }));
  assert.equal(page1.BackupSummaries!.length, 2);
  assert.ok(page1.LastEvaluatedBackupArn);
  const page2 = await ddb.send(new ListBackupsCommand({ TableName: t, ExclusiveStartBackupArn: page1.LastEvaluatedBackupArn }));
  assert.deepEqual([...page1.BackupSummaries!, ...page2.BackupSummaries!].map((b) => b.BackupArn).sort(), [...arns].sort());
  assert.equal(page2.LastEvaluatedBackupArn, undefined);
  const deleted = await ddb.send(new DeleteBackupCommand({ BackupArn: arns[0] }));
  assert.equal(deleted.BackupDescription!.BackupDetails!.BackupStatus, 'DELETED');
  await rejects(ddb.send(new DescribeBackupCommand({ BackupArn: arns[0] })), 'BackupNotFoundException', `Backup not found: ${arns[0]}`);
  await rejects(ddb.send(new DescribeBackupCommand({ BackupArn: 'arn:aws:dynamodb:us-east-1:000000000000:backup' })), 'ValidationException', 'Invalid Backup ARN');
  await rejects(ddb.send(new CreateBackupCommand({ TableName: 'missing-table', BackupName: 'x1x' })), 'TableNotFoundException', 'Table not found: missing-table');
  await rejects(ddb.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(2000), TimeRangeUpperBound: new Date(1000) })), 'ValidationException',
    'One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound');
});

test('restore overrides: billing mode and throughput, with AWS texts', async () => {
  const t = await table();
  const arn = (await ddb.send(new CreateBackupCommand({ TableName: t, BackupName: 'over' }))).BackupDetails!.BackupArn!;
  await rejects(ddb.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: `${t}-p`, BillingModeOverride: 'PROVISIONED' })),
    'ValidationException', 'Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED');
  const out = await ddb.send(new RestoreTableFromBackupCommand({
    BackupArn: arn, TargetTableName: `${t}-p`, BillingModeOverride: 'PROVISIONED',
    ProvisionedThroughputOverride: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
    GlobalSecondaryIndexOverride: [],
  }));
  assert.equal(out.TableDescription!.ProvisionedThroughput!.ReadCapacityUnits, 3);
  assert.equal(out.TableDescription!.GlobalSecondaryIndexes, undefined);
});

test('continuous backups: PITR described from the clock; restore to a point in time undoes later changes', async () => {
  const t = await table();
  const off = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: t }));
  assert.deepEqual(off.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
  await rejects(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: `${t}-pitr`, UseLatestRestorableTime: true })), 'PointInTimeRecoveryUnavailableException');
  await put(t, 'a', 'v1');
  const on = await ddb.send(new UpdateContinuousBackupsCommand({ TableName: t, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } }));
  const pitr = on.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
  assert.equal(pitr.PointInTimeRecoveryStatus, 'ENABLED');
  assert.equal(pitr.RecoveryPeriodInDays, 7);
  await advance(60_000);
  await put(t, 'b', 'v1');
  await advance(60_000);
  const mark = (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: t }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
  assert.ok(mark.LatestRestorableDateTime!.getTime() - mark.EarliestRestorableDateTime!.getTime() >= 120_000);
  await advance(60_000);
  await put(t, 'a', 'v2');
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'c' }, g: { S: 'x' } } }));
  await advance(60_000);
  await ddb.send(new PutItemCommand({ TableName: t, Item: { pk: { S: 'd' }, g: { S: 'x' } } }));

  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: `${t}-then`, RestoreDateTime: mark.LatestRestorableDateTime }));
  const then = await ddb.send(new ScanCommand({ TableName: `${t}-then` }));
  assert.deepEqual(then.Items!.map((i) => `${i.pk!.S}:${i.v?.S}`).sort(), ['a:v1', 'b:v1']);
  await ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: `${t}-now`, UseLatestRestorableTime: true }));
  const now = await ddb.send(new ScanCommand({ TableName: `${t}-now` }));
  assert.equal(now.Count, 4);
  assert.equal((await ddb.send(new GetItemCommand({ TableName: `${t}-now`, Key: { pk: { S: 'a' } } }))).Item!.v!.S, 'v2');
  await rejects(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: `${t}-x`, RestoreDateTime: new Date(0) })), 'InvalidRestoreTimeException');
  await rejects(ddb.send(new RestoreTableToPointInTimeCommand({ SourceTableName: t, TargetTableName: `${t}-x`, RestoreDateTime: new Date(), UseLatestRestorableTime: true })),
    'ValidationException', 'Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both');
  await rejects(ddb.send(new UpdateContinuousBackupsCommand({ TableName: t, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 3 } })),
    'ValidationException', 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.');
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: t, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
  await rejects(ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'missing-table' })), 'TableNotFoundException', 'Table not found: missing-table');
});
