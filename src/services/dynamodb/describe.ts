/** TableDescription as DescribeTable, CreateTable and friends answer it. */
import type { GlobalSecondaryIndexDescription, LocalSecondaryIndexDescription, TableDescription } from '../../generated/dynamodb.ts';
import type { TableRecord } from './schema.ts';
import type { Store } from './store.ts';

export function describeTable(store: Store, rec: TableRecord, status: TableDescription['TableStatus'] = 'ACTIVE', indexStatus: Record<string, string> = {}): TableDescription {
  const d = store.derived(rec);
  const ppr = rec.billingMode === 'PAY_PER_REQUEST';
  const out: TableDescription = {
    AttributeDefinitions: rec.attributeDefinitions,
    TableName: rec.name,
    KeySchema: rec.keySchema,
    TableStatus: status,
    CreationDateTime: new Date(rec.created),
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: ppr ? 0 : rec.read, WriteCapacityUnits: ppr ? 0 : rec.write },
    TableSizeBytes: d.bytes,
    ItemCount: d.count,
    TableArn: rec.arn,
    TableId: rec.id,
    DeletionProtectionEnabled: rec.deletionProtection,
  };
  if (ppr || rec.payPerRequestSince !== undefined) {
    out.BillingModeSummary = {
      BillingMode: rec.billingMode,
      ...(rec.payPerRequestSince !== undefined ? { LastUpdateToPayPerRequestDateTime: new Date(rec.payPerRequestSince) } : {}),
    };
  }
  const lsis: LocalSecondaryIndexDescription[] = [];
  const gsis: GlobalSecondaryIndexDescription[] = [];
  for (const idx of rec.indexes) {
    const tree = d.indexes.get(idx.name);
    const common = {
      IndexName: idx.name,
      KeySchema: idx.keySchema,
      Projection: idx.projection,
      IndexSizeBytes: tree?.bytes ?? 0,
      ItemCount: tree?.count ?? 0,
      IndexArn: idx.arn,
    };
    if (idx.kind === 'LSI') lsis.push(common);
    else {
      gsis.push({
        ...common,
        IndexStatus: (indexStatus[idx.name] as 'ACTIVE') ?? 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: ppr ? 0 : idx.read ?? 0, WriteCapacityUnits: ppr ? 0 : idx.write ?? 0 },
      });
    }
  }
  if (lsis.length) out.LocalSecondaryIndexes = lsis;
  if (gsis.length) out.GlobalSecondaryIndexes = gsis;
  if (rec.stream) {
    // A disabled stream's ARN and label stay on the table; only the specification goes.
    if (rec.stream.enabled) out.StreamSpecification = { StreamEnabled: true, StreamViewType: rec.stream.viewType as 'NEW_IMAGE' };
    out.LatestStreamLabel = rec.stream.label;
    out.LatestStreamArn = rec.stream.arn;
  }
  if (rec.restoredFrom) {
    out.RestoreSummary = {
      ...(rec.restoredFrom.backupArn ? { SourceBackupArn: rec.restoredFrom.backupArn } : {}),
      SourceTableArn: rec.restoredFrom.tableArn,
      RestoreDateTime: new Date(rec.restoredFrom.at),
      RestoreInProgress: false,
    };
  }
  if (rec.sse?.enabled) {
    out.SSEDescription = { Status: 'ENABLED', SSEType: (rec.sse.type as 'KMS') ?? 'KMS', ...(rec.sse.kmsKeyArn ? { KMSMasterKeyArn: rec.sse.kmsKeyArn } : {}) };
  }
  if (rec.tableClass !== 'STANDARD') out.TableClassSummary = { TableClass: rec.tableClass as 'STANDARD' };
  return out;
}
