/**
 * Creating a table from a saved definition and items (RestoreTableFromBackup,
 * RestoreTableToPointInTime), with AWS's overrides. As in AWS, the restored table has no stream,
 * TTL, tags or deletion protection: those are set again by hand.
 */
import type {
  BillingMode, GlobalSecondaryIndex, LocalSecondaryIndex, ProvisionedThroughput, SSESpecification, TableDescription,
} from '../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import type { Item } from './attribute-value.ts';
import { describeTable } from './describe.ts';
import { validation } from './errors.ts';
import { oneOf, tableName } from './params.ts';
import type { IndexRecord, TableRecord } from './schema.ts';
import type { Store } from './store.ts';

export interface RestoreOverrides {
  BillingModeOverride?: BillingMode;
  ProvisionedThroughputOverride?: ProvisionedThroughput;
  GlobalSecondaryIndexOverride?: GlobalSecondaryIndex[];
  LocalSecondaryIndexOverride?: LocalSecondaryIndex[];
  SSESpecificationOverride?: SSESpecification;
}

function invalidRequest(detail: string): AwsError {
  return validation(`Invalid Request: ${detail}`);
}

function throughput(source: TableRecord, o: RestoreOverrides): { billing: BillingMode; read: number; write: number } {
  const billing = oneOf(o.BillingModeOverride, 'billingModeOverride', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? source.billingMode;
  const pt = o.ProvisionedThroughputOverride;
  if (o.BillingModeOverride === 'PAY_PER_REQUEST' && pt) throw invalidRequest('Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST');
  if (o.BillingModeOverride === 'PROVISIONED' && !pt) throw invalidRequest('Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED');
  if (pt && billing !== 'PROVISIONED') throw invalidRequest('Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED');
  if (billing === 'PAY_PER_REQUEST') return { billing, read: 0, write: 0 };
  return { billing, read: pt?.ReadCapacityUnits ?? source.read, write: pt?.WriteCapacityUnits ?? source.write };
}

function indexes(source: TableRecord, o: RestoreOverrides, arn: string, billing: BillingMode): IndexRecord[] {
  const pick = (kind: 'GSI' | 'LSI', wanted: { IndexName: string; ProvisionedThroughput?: ProvisionedThroughput }[] | undefined): IndexRecord[] => {
    const existing = source.indexes.filter((i) => i.kind === kind);
    const chosen = wanted === undefined ? existing.map((i) => ({ def: i, pt: undefined })) : wanted.map((w) => {
      const def = existing.find((i) => i.name === w.IndexName);
      if (!def) throw invalidRequest(`Index ${w.IndexName} does not match a secondary index that existed in the source table and cannot be created during the restore operation`);
      return { def, pt: w.ProvisionedThroughput };
    });
    return chosen.map(({ def, pt }) => {
      const out: IndexRecord = { ...def, arn: `${arn}/index/${def.name}` };
      if (kind === 'GSI') {
        out.read = billing === 'PAY_PER_REQUEST' ? 0 : pt?.ReadCapacityUnits ?? def.read ?? 1;
        out.write = billing === 'PAY_PER_REQUEST' ? 0 : pt?.WriteCapacityUnits ?? def.write ?? 1;
      }
      return out;
    });
  };
  return [...pick('LSI', o.LocalSecondaryIndexOverride), ...pick('GSI', o.GlobalSecondaryIndexOverride)];
}

export function restoreTable(
  store: Store,
  ctx: RequestContext,
  source: TableRecord,
  target: string | undefined,
  items: Iterable<[string, Item]>,
  o: RestoreOverrides,
  from: NonNullable<TableRecord['restoredFrom']>,
): TableDescription {
  const name = tableName(target, false, 'targetTableName');
  if (store.tableRecord(name)) throw new AwsError('TableAlreadyExistsException', `Table already exists: ${name}`, 400);
  const now = ctx.clock.now();
  const arn = `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`;
  const t = throughput(source, o);
  const rec: TableRecord = {
    name, id: ctx.ids.uuid(), arn, created: now,
    attributeDefinitions: source.attributeDefinitions, keySchema: source.keySchema, key: source.key,
    billingMode: t.billing, read: t.read, write: t.write,
    ...(t.billing === 'PAY_PER_REQUEST' ? { payPerRequestSince: now } : {}),
    indexes: indexes(source, o, arn, t.billing),
    ...(source.sse ? { sse: source.sse } : {}),
    tableClass: source.tableClass,
    deletionProtection: false,
    tags: [],
    restoredFrom: from,
  };
  const sse = o.SSESpecificationOverride;
  if (sse) {
    rec.sse = sse.Enabled === false ? { enabled: false } : { enabled: true, type: sse.SSEType ?? 'KMS', kmsKeyArn: sse.KMSMasterKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/${ctx.ids.uuid()}` };
  }
  store.tables.put(name, rec);
  store.dropDerived(name);
  for (const [key, item] of items) store.writeItem(rec, key, undefined, item);
  return describeTable(store, rec, 'CREATING');
}
