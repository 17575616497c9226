/** Control plane: tables, their indexes, tags, TTL and backup settings. */
import type {
  AttributeDefinition, CreateTableInput, CreateTableOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput, DescribeTableOutput, DescribeTimeToLiveInput, DescribeTimeToLiveOutput,
  KeySchemaElement, ListTablesInput, ListTablesOutput, ListTagsOfResourceInput, ListTagsOfResourceOutput, Projection,
  ProvisionedThroughput, TagResourceInput, UntagResourceInput, UpdateTableInput, UpdateTableOutput, UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
} from '../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { describeTable } from './describe.ts';
import { invalidParameter, validation } from './errors.ts';
import { limit, oneOf, required, tableName } from './params.ts';
import { keyNames, type IndexRecord, type TableRecord } from './schema.ts';
import { dropLog } from './pitr-log.ts';
import { Store } from './store.ts';
import { closeStream, openStream } from './streams/log.ts';

const ATTRIBUTE_TYPES = ['S', 'N', 'B'] as const;
const VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;

function checkKeySchema(schema: KeySchemaElement[] | undefined, field: string): KeySchemaElement[] {
  const ks = required(schema, field);
  if (ks.length < 1 || ks.length > 2) {
    throw validation(`1 validation error detected: Value '${JSON.stringify(ks)}' at '${field}' failed to satisfy constraint: Member must have length ${ks.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`);
  }
  if (ks[0]!.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (ks.length === 2) {
    if (ks[1]!.KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    if (ks[0]!.AttributeName === ks[1]!.AttributeName) {
      throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
    }
  }
  return ks;
}

function checkProjection(p: Projection | undefined, field: string): Projection {
  const projection = required(p, field);
  const type = projection.ProjectionType;
  if (type === 'INCLUDE' && !projection.NonKeyAttributes?.length) {
    throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  }
  if (type !== 'INCLUDE' && projection.NonKeyAttributes?.length) {
    throw invalidParameter(`ProjectionType is ${type ?? 'ALL'}, but NonKeyAttributes is specified`);
  }
  return { ...projection, ProjectionType: type ?? 'ALL' };
}

function throughput(billing: string, pt: ProvisionedThroughput | undefined): { read: number; write: number } {
  if (billing === 'PAY_PER_REQUEST') {
    if (pt) throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    return { read: 0, write: 0 };
  }
  if (!pt || pt.ReadCapacityUnits === undefined || pt.WriteCapacityUnits === undefined) {
    throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  for (const [name, v] of [['ReadCapacityUnits', pt.ReadCapacityUnits], ['WriteCapacityUnits', pt.WriteCapacityUnits]] as const) {
    if (v < 1) throw invalidParameter(`Provisioned throughput must be at least 1 for ${name}`);
  }
  return { read: pt.ReadCapacityUnits, write: pt.WriteCapacityUnits };
}

function tableArn(ctx: RequestContext, name: string): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`;
}

function checkDefinitions(defs: AttributeDefinition[], used: Set<string>): void {
  const names = defs.map((d) => d.AttributeName);
  for (const d of defs) oneOf(d.AttributeType, 'attributeDefinitions.member.attributeType', ATTRIBUTE_TYPES);
  if (new Set(names).size !== names.length) throw invalidParameter('Duplicate attribute names in AttributeDefinitions');
  const missing = [...used].filter((n) => !names.includes(n));
  if (missing.length) {
    throw invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${names.join(', ')}]`);
  }
  if (names.some((n) => !used.has(n))) {
    throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
}

export function CreateTable(input: CreateTableInput, ctx: RequestContext): CreateTableOutput {
  const name = tableName(input.TableName, false);
  const defs = required(input.AttributeDefinitions, 'attributeDefinitions');
  const keySchema = checkKeySchema(input.KeySchema, 'keySchema');
  const billing = oneOf(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? 'PROVISIONED';
  const { read, write } = throughput(billing, input.ProvisionedThroughput);
  const key = keyNames(keySchema);
  const arn = tableArn(ctx, name);
  const used = new Set(keySchema.map((k) => k.AttributeName));
  const indexes: IndexRecord[] = [];
  const seen = new Set<string>();
  for (const lsi of input.LocalSecondaryIndexes ?? []) {
    const ks = checkKeySchema(lsi.KeySchema, 'localSecondaryIndexes.member.keySchema');
    if (key.range === undefined) {
      throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    }
    if (ks[0]!.AttributeName !== key.hash) {
      throw invalidParameter(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${ks[0]!.AttributeName}, table hash key: ${key.hash}`);
    }
    if (ks.length !== 2) throw invalidParameter(`Index KeySchema must have a range key for index: ${lsi.IndexName}`);
    if (seen.has(lsi.IndexName)) throw invalidParameter(`Duplicate index name: ${lsi.IndexName}`);
    seen.add(lsi.IndexName);
    ks.forEach((k) => used.add(k.AttributeName));
    indexes.push({ name: lsi.IndexName, kind: 'LSI', keySchema: ks, key: keyNames(ks), projection: checkProjection(lsi.Projection, 'projection'), arn: `${arn}/index/${lsi.IndexName}` });
  }
  if ((input.LocalSecondaryIndexes?.length ?? 0) > 5) throw invalidParameter('Number of LocalSecondaryIndexes exceeds per-table limit of 5');
  for (const gsi of input.GlobalSecondaryIndexes ?? []) {
    const ks = checkKeySchema(gsi.KeySchema, 'globalSecondaryIndexes.member.keySchema');
    if (seen.has(gsi.IndexName)) throw invalidParameter(`Duplicate index name: ${gsi.IndexName}`);
    seen.add(gsi.IndexName);
    ks.forEach((k) => used.add(k.AttributeName));
    const t = throughput(billing, gsi.ProvisionedThroughput);
    indexes.push({ name: gsi.IndexName, kind: 'GSI', keySchema: ks, key: keyNames(ks), projection: checkProjection(gsi.Projection, 'projection'), read: t.read, write: t.write, arn: `${arn}/index/${gsi.IndexName}` });
  }
  checkDefinitions(defs, used);
  const store = new Store(ctx);
  if (store.tableRecord(name)) throw new AwsError('ResourceInUseException', `Table already exists: ${name}`, 400);
  const now = ctx.clock.now();
  const rec: TableRecord = {
    name, id: ctx.ids.uuid(), arn, created: now, attributeDefinitions: defs, keySchema, key, billingMode: billing, read, write,
    ...(billing === 'PAY_PER_REQUEST' ? { payPerRequestSince: now } : {}),
    indexes,
    tableClass: input.TableClass ?? 'STANDARD',
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    tags: input.Tags ?? [],
  };
  const spec = input.StreamSpecification;
  if (spec) {
    const viewType = oneOf(spec.StreamViewType, 'streamSpecification.streamViewType', VIEW_TYPES);
    if (spec.StreamEnabled && !viewType) throw invalidParameter('Table is being created with a stream enabled, UpdateViewType is required');
    if (!spec.StreamEnabled && viewType) throw invalidParameter('Table is being created with a stream disabled, UpdateViewType should not be specified');
    if (viewType) rec.stream = openStream(store, rec, viewType);
  }
  if (input.SSESpecification?.Enabled) {
    rec.sse = { enabled: true, type: input.SSESpecification.SSEType ?? 'KMS', kmsKeyArn: input.SSESpecification.KMSMasterKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/${ctx.ids.uuid()}` };
  }
  store.tables.put(name, rec);
  store.dropDerived(name);
  return { TableDescription: describeTable(store, rec, 'CREATING', Object.fromEntries(indexes.map((i) => [i.name, 'CREATING']))) };
}

export function DescribeTable(input: DescribeTableInput, ctx: RequestContext): DescribeTableOutput {
  const name = tableName(input.TableName);
  const store = new Store(ctx);
  const rec = store.tableRecord(name);
  if (!rec) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400);
  return { Table: describeTable(store, rec) };
}

export function ListTables(input: ListTablesInput, ctx: RequestContext): ListTablesOutput {
  const max = limit(input.Limit) ?? 100;
  if (max > 100) {
    throw validation(`1 validation error detected: Value '${max}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
  }
  const names: string[] = [];
  const range = input.ExclusiveStartTableName === undefined ? {} : { after: input.ExclusiveStartTableName };
  let more = false;
  for (const name of new Store(ctx).tables.keys(range)) {
    if (names.length === max) {
      more = true;
      break;
    }
    names.push(name);
  }
  return more ? { TableNames: names, LastEvaluatedTableName: names[names.length - 1] } : { TableNames: names };
}

export function DeleteTable(input: DeleteTableInput, ctx: RequestContext): DeleteTableOutput {
  const name = tableName(input.TableName);
  const store = new Store(ctx);
  const rec = store.tableRecord(name);
  if (!rec) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400);
  if (rec.deletionProtection) {
    throw new AwsError('ValidationException', `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`, 400);
  }
  const description = describeTable(store, rec, 'DELETING');
  closeStream(store, rec);
  if (rec.pitr?.enabled) dropLog(store, rec);
  store.items(name).clear();
  store.tables.delete(name);
  store.dropDerived(name);
  return { TableDescription: description };
}

export function UpdateTable(input: UpdateTableInput, ctx: RequestContext): UpdateTableOutput {
  const name = tableName(input.TableName);
  const store = new Store(ctx);
  const old = store.requireTable(name);
  const rec: TableRecord = { ...old, indexes: [...old.indexes] };
  const indexStatus: Record<string, string> = {};
  let changed = false;
  if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
    const billing = oneOf(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? rec.billingMode;
    const t = throughput(billing, input.ProvisionedThroughput ?? (billing === 'PROVISIONED' && rec.billingMode === 'PROVISIONED' ? { ReadCapacityUnits: rec.read, WriteCapacityUnits: rec.write } : undefined));
    if (billing === 'PAY_PER_REQUEST' && rec.billingMode !== 'PAY_PER_REQUEST') rec.payPerRequestSince = ctx.clock.now();
    rec.billingMode = billing;
    rec.read = t.read;
    rec.write = t.write;
    changed = true;
  }
  if (input.AttributeDefinitions) {
    const merged = [...rec.attributeDefinitions];
    for (const d of input.AttributeDefinitions) {
      oneOf(d.AttributeType, 'attributeDefinitions.member.attributeType', ATTRIBUTE_TYPES);
      const existing = merged.find((x) => x.AttributeName === d.AttributeName);
      if (existing && existing.AttributeType !== d.AttributeType) {
        throw invalidParameter(`Cannot change the type of attribute ${d.AttributeName}`);
      }
      if (!existing) merged.push(d);
    }
    rec.attributeDefinitions = merged;
  }
  const added: IndexRecord[] = [];
  for (const u of input.GlobalSecondaryIndexUpdates ?? []) {
    changed = true;
    if (u.Create) {
      const c = u.Create;
      if (rec.indexes.some((i) => i.name === c.IndexName)) {
        throw invalidParameter(`Attempting to create an index which already exists`);
      }
      const ks = checkKeySchema(c.KeySchema, 'globalSecondaryIndexUpdates.member.create.keySchema');
      for (const k of ks) {
        if (!rec.attributeDefinitions.some((d) => d.AttributeName === k.AttributeName)) {
          throw invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${ks.map((x) => x.AttributeName).join(', ')}], AttributeDefinitions: [${rec.attributeDefinitions.map((d) => d.AttributeName).join(', ')}]`);
        }
      }
      const t = throughput(rec.billingMode, c.ProvisionedThroughput);
      const def: IndexRecord = { name: c.IndexName, kind: 'GSI', keySchema: ks, key: keyNames(ks), projection: checkProjection(c.Projection, 'projection'), read: t.read, write: t.write, arn: `${rec.arn}/index/${c.IndexName}` };
      rec.indexes.push(def);
      added.push(def);
      indexStatus[c.IndexName] = 'CREATING';
    } else if (u.Delete) {
      const i = rec.indexes.findIndex((x) => x.name === u.Delete!.IndexName && x.kind === 'GSI');
      if (i < 0) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Index: ${u.Delete.IndexName} not found`, 400);
      rec.indexes.splice(i, 1);
    } else if (u.Update) {
      const i = rec.indexes.findIndex((x) => x.name === u.Update!.IndexName && x.kind === 'GSI');
      if (i < 0) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Index: ${u.Update.IndexName} not found`, 400);
      const t = throughput(rec.billingMode, u.Update.ProvisionedThroughput);
      rec.indexes[i] = { ...rec.indexes[i]!, read: t.read, write: t.write };
    }
  }
  if (input.StreamSpecification) {
    changed = true;
    const s = input.StreamSpecification;
    const viewType = oneOf(s.StreamViewType, 'streamSpecification.streamViewType', VIEW_TYPES);
    if (s.StreamEnabled && !viewType) throw invalidParameter('If stream is being enabled then UpdateViewType is required');
    if (!s.StreamEnabled && viewType) throw invalidParameter('If stream is being disabled, then UpdateViewType must not be specified');
    if (s.StreamEnabled && rec.stream?.enabled) throw validation(`Table already has an enabled stream: TableName: ${name}`);
    if (!s.StreamEnabled && !rec.stream?.enabled) throw validation(`Table has no stream to disable: TableName: ${name}`);
    if (viewType) rec.stream = openStream(store, rec, viewType);
    else {
      closeStream(store, rec);
      rec.stream = { ...rec.stream!, enabled: false };
    }
  }
  if (input.SSESpecification) {
    changed = true;
    rec.sse = input.SSESpecification.Enabled === false ? { enabled: false } : { enabled: true, type: input.SSESpecification.SSEType ?? 'KMS', kmsKeyArn: input.SSESpecification.KMSMasterKeyId ?? rec.sse?.kmsKeyArn ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/${ctx.ids.uuid()}` };
  }
  if (input.TableClass !== undefined) {
    changed = true;
    rec.tableClass = input.TableClass;
  }
  if (input.DeletionProtectionEnabled !== undefined) {
    changed = true;
    rec.deletionProtection = input.DeletionProtectionEnabled;
  }
  if (!changed) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required');
  }
  store.tables.put(name, rec);
  const derived = store.derived(rec);
  for (const n of [...derived.indexes.keys()]) if (!rec.indexes.some((i) => i.name === n)) derived.indexes.delete(n);
  for (const def of added) store.addIndex(rec, def);
  return { TableDescription: describeTable(store, rec, 'UPDATING', indexStatus) };
}

function tableByArn(ctx: RequestContext, arn: string | undefined): TableRecord {
  const resourceArn = required(arn, 'resourceArn');
  const m = /^arn:aws[a-z-]*:dynamodb:([^:]+):(\d{12}):table\/([a-zA-Z0-9_.-]+)$/.exec(resourceArn);
  const rec = m && m[1] === ctx.region && m[2] === ctx.account ? new Store(ctx).tableRecord(m[3]!) : undefined;
  if (!rec) throw new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${resourceArn} not found`, 400);
  return rec;
}

export function TagResource(input: TagResourceInput, ctx: RequestContext): Record<string, never> {
  const rec = tableByArn(ctx, input.ResourceArn);
  const tags = new Map(rec.tags.map((t) => [t.Key, t.Value]));
  for (const t of required(input.Tags, 'tags')) tags.set(t.Key, t.Value);
  if (tags.size > 50) throw validation('Number of Tags exceed the current limit for the provided ResourceArn');
  new Store(ctx).tables.put(rec.name, { ...rec, tags: [...tags].map(([Key, Value]) => ({ Key, Value })) });
  return {};
}

export function UntagResource(input: UntagResourceInput, ctx: RequestContext): Record<string, never> {
  const rec = tableByArn(ctx, input.ResourceArn);
  const remove = new Set(required(input.TagKeys, 'tagKeys'));
  new Store(ctx).tables.put(rec.name, { ...rec, tags: rec.tags.filter((t) => !remove.has(t.Key)) });
  return {};
}

export function ListTagsOfResource(input: ListTagsOfResourceInput, ctx: RequestContext): ListTagsOfResourceOutput {
  return { Tags: tableByArn(ctx, input.ResourceArn).tags };
}

export function UpdateTimeToLive(input: UpdateTimeToLiveInput, ctx: RequestContext): UpdateTimeToLiveOutput {
  const name = tableName(input.TableName);
  const store = new Store(ctx);
  const rec = store.requireTable(name);
  const spec = required(input.TimeToLiveSpecification, 'timeToLiveSpecification');
  const attribute = required(spec.AttributeName, 'timeToLiveSpecification.attributeName');
  if (rec.ttl?.enabled && rec.ttl.attribute !== attribute) {
    throw validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${rec.ttl.attribute}`);
  }
  if (spec.Enabled && rec.ttl?.enabled) throw validation('TimeToLive is already enabled');
  if (!spec.Enabled && !rec.ttl?.enabled) throw validation('TimeToLive is already disabled');
  store.tables.put(name, { ...rec, ttl: { attribute, enabled: spec.Enabled } });
  return { TimeToLiveSpecification: { AttributeName: attribute, Enabled: spec.Enabled } };
}

export function DescribeTimeToLive(input: DescribeTimeToLiveInput, ctx: RequestContext): DescribeTimeToLiveOutput {
  const rec = new Store(ctx).requireTable(tableName(input.TableName));
  if (!rec.ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: rec.ttl.attribute } };
}
