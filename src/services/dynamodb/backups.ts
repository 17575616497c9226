/**
 * On-demand backups as real copies: CreateBackup copies the table's definition and items
 * (`backups`: `<table>/<backup id>` -> BackupRecord; `backup-items`: `<table>/<backup id>\0<item key>`),
 * so later writes, and deleting the table, leave the backup as it was.
 */
import type {
  BackupDescription, BackupDetails, BackupSummary, CreateBackupInput, CreateBackupOutput, DeleteBackupInput,
  DeleteBackupOutput, DescribeBackupInput, DescribeBackupOutput, ListBackupsInput, ListBackupsOutput,
  RestoreTableFromBackupInput, RestoreTableFromBackupOutput,
} from '../../generated/dynamodb.ts';
import type { Table } from '../../state/index.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { itemSize, type Item } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import { limit, oneOf, required, tableName } from './params.ts';
import { restoreTable } from './restore.ts';
import type { TableRecord } from './schema.ts';
import { Store } from './store.ts';

interface BackupRecord {
  arn: string;
  name: string;
  created: number;
  bytes: number;
  count: number;
  table: TableRecord;
}

const BACKUP_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})\/backup\/(\d{14}-[0-9a-f]{8})$/;

function backups(store: Store): Table<BackupRecord> {
  return store.table<BackupRecord>('backups');
}

function backupItems(store: Store): Table<Item> {
  return store.table<Item>('backup-items');
}

function itemPrefix(key: string): string {
  return key + '\u0000';
}

function tableNotFound(name: string): AwsError {
  return new AwsError('TableNotFoundException', `Table not found: ${name}`, 400);
}

/** The `backups` key of a backup ARN in this scope; AWS's message for a malformed one. */
function backupKey(ctx: RequestContext, arn: string | undefined): string {
  const value = required(arn, 'backupArn');
  const m = BACKUP_ARN.exec(value);
  if (!m) throw validation('Invalid Backup ARN');
  if (m[1] !== ctx.region || m[2] !== ctx.account) throw notFound(value);
  return `${m[3]}/${m[4]}`;
}

function notFound(arn: string): AwsError {
  return new AwsError('BackupNotFoundException', `Backup not found: ${arn}`, 400);
}

function details(b: BackupRecord): BackupDetails {
  return {
    BackupArn: b.arn,
    BackupName: b.name,
    BackupSizeBytes: b.bytes,
    BackupStatus: 'AVAILABLE',
    BackupType: 'USER',
    BackupCreationDateTime: new Date(b.created),
  };
}

function description(b: BackupRecord): BackupDescription {
  const t = b.table;
  const ppr = t.billingMode === 'PAY_PER_REQUEST';
  const lsis = t.indexes.filter((i) => i.kind === 'LSI').map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection }));
  const gsis = t.indexes.filter((i) => i.kind === 'GSI').map((i) => ({
    IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection,
    ProvisionedThroughput: { ReadCapacityUnits: ppr ? 0 : i.read ?? 0, WriteCapacityUnits: ppr ? 0 : i.write ?? 0 },
  }));
  return {
    BackupDetails: details(b),
    SourceTableDetails: {
      TableName: t.name,
      TableId: t.id,
      TableArn: t.arn,
      TableSizeBytes: b.bytes,
      KeySchema: t.keySchema,
      TableCreationDateTime: new Date(t.created),
      ProvisionedThroughput: { ReadCapacityUnits: ppr ? 0 : t.read, WriteCapacityUnits: ppr ? 0 : t.write },
      ItemCount: b.count,
      BillingMode: t.billingMode,
    },
    SourceTableFeatureDetails: {
      ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(t.stream?.enabled ? { StreamDescription: { StreamEnabled: true, StreamViewType: t.stream.viewType as 'KEYS_ONLY' } } : {}),
      ...(t.ttl?.enabled ? { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: t.ttl.attribute } } : {}),
      ...(t.sse?.enabled ? { SSEDescription: { Status: 'ENABLED', SSEType: (t.sse.type as 'KMS') ?? 'KMS', ...(t.sse.kmsKeyArn ? { KMSMasterKeyArn: t.sse.kmsKeyArn } : {}) } } : {}),
    },
  };
}

export function CreateBackup(input: CreateBackupInput, ctx: RequestContext): CreateBackupOutput {
  const name = tableName(input.TableName);
  const backupName = tableName(input.BackupName, false, 'backupName');
  const store = new Store(ctx);
  const rec = store.tableRecord(name);
  if (!rec) throw tableNotFound(name);
  const now = ctx.clock.now();
  const id = `${String(now).padStart(14, '0')}-${ctx.ids.hex(4)}`;
  const key = `${name}/${id}`;
  const copy = backupItems(store);
  let bytes = 0;
  let count = 0;
  for (const [k, item] of store.items(name).entries()) {
    copy.put(itemPrefix(key) + k, item);
    bytes += itemSize(item);
    count++;
  }
  const b: BackupRecord = { arn: `${rec.arn}/backup/${id}`, name: backupName, created: now, bytes, count, table: rec };
  backups(store).put(key, b);
  return { BackupDetails: details(b) };
}

export function DescribeBackup(input: DescribeBackupInput, ctx: RequestContext): DescribeBackupOutput {
  const key = backupKey(ctx, input.BackupArn);
  const b = backups(new Store(ctx)).get(key);
  if (!b) throw notFound(input.BackupArn);
  return { BackupDescription: description(b) };
}

export function DeleteBackup(input: DeleteBackupInput, ctx: RequestContext): DeleteBackupOutput {
  const key = backupKey(ctx, input.BackupArn);
  const store = new Store(ctx);
  const b = backups(store).get(key);
  if (!b) throw notFound(input.BackupArn);
  const copy = backupItems(store);
  for (const k of [...copy.keys({ prefix: itemPrefix(key) })]) copy.delete(k);
  backups(store).delete(key);
  const out = description(b);
  out.BackupDetails!.BackupStatus = 'DELETED';
  return { BackupDescription: out };
}

export function ListBackups(input: ListBackupsInput, ctx: RequestContext): ListBackupsOutput {
  const max = limit(input.Limit) ?? 100;
  if (max > 100) {
    throw validation(`1 validation error detected: Value '${max}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
  }
  const type = oneOf(input.BackupType, 'backupType', ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] as const) ?? 'USER';
  const lower = input.TimeRangeLowerBound?.getTime();
  const upper = input.TimeRangeUpperBound?.getTime();
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw invalidParameter('Time range lower bound must be less than or equal to upper bound');
  }
  const store = new Store(ctx);
  const range = input.TableName !== undefined ? { prefix: `${tableName(input.TableName)}/` } : {};
  const start = input.ExclusiveStartBackupArn !== undefined ? backupKey(ctx, input.ExclusiveStartBackupArn) : undefined;
  const summaries: BackupSummary[] = [];
  let more = false;
  if (type === 'USER' || type === 'ALL') {
    for (const [, b] of backups(store).entries(start === undefined ? range : { ...range, after: start })) {
      if ((lower !== undefined && b.created < lower) || (upper !== undefined && b.created > upper)) continue;
      if (summaries.length === max) {
        more = true;
        break;
      }
      summaries.push({
        TableName: b.table.name, TableId: b.table.id, TableArn: b.table.arn, BackupArn: b.arn, BackupName: b.name,
        BackupCreationDateTime: new Date(b.created), BackupStatus: 'AVAILABLE', BackupType: 'USER', BackupSizeBytes: b.bytes,
      });
    }
  }
  const out: ListBackupsOutput = { BackupSummaries: summaries };
  if (more) out.LastEvaluatedBackupArn = summaries[summaries.length - 1]!.BackupArn;
  return out;
}

export function RestoreTableFromBackup(input: RestoreTableFromBackupInput, ctx: RequestContext): RestoreTableFromBackupOutput {
  const key = backupKey(ctx, input.BackupArn);
  const store = new Store(ctx);
  const b = backups(store).get(key);
  if (!b) throw notFound(input.BackupArn);
  const prefix = itemPrefix(key);
  const items = (function* () {
    for (const [k, item] of backupItems(store).entries({ prefix })) yield [k.slice(prefix.length), item] as [string, Item];
  })();
  const table = restoreTable(store, ctx, b.table, input.TargetTableName, items, input, {
    backupArn: b.arn, tableArn: b.table.arn, at: ctx.clock.now(),
  });
  return { TableDescription: table };
}
