/**
 * Table definitions as stored, and what follows from a key schema: validating keys and items
 * against it (AWS's messages) and the storage keys that order items for Query.
 */
import type {
  AttributeDefinition, KeySchemaElement, Projection, ScalarAttributeType,
} from '../../generated/dynamodb.ts';
import { itemSize, MAX_ITEM_SIZE, typeOf, type AttributeValue, type Item } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import { encodeKeyValue } from './key-encoding.ts';

export interface KeyNames {
  hash: string;
  range?: string;
}

export interface IndexRecord {
  name: string;
  kind: 'GSI' | 'LSI';
  keySchema: KeySchemaElement[];
  key: KeyNames;
  projection: Projection;
  read?: number;
  write?: number;
  arn: string;
}

export interface TableRecord {
  name: string;
  id: string;
  arn: string;
  created: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  key: KeyNames;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  read: number;
  write: number;
  /** When the billing mode last became PAY_PER_REQUEST. */
  payPerRequestSince?: number;
  indexes: IndexRecord[];
  stream?: { enabled: boolean; viewType?: string; label?: string; arn?: string };
  sse?: { enabled: boolean; type?: string; kmsKeyArn?: string };
  tableClass: string;
  deletionProtection: boolean;
  ttl?: { attribute: string; enabled: boolean };
  tags: { Key: string; Value: string }[];
  /** Point-in-time recovery as UpdateContinuousBackups left it. */
  pitr?: { enabled: boolean; since: number; days: number };
  /** Where a restored table came from. */
  restoredFrom?: { backupArn?: string; tableArn: string; at: number };
}

export function keyNames(schema: KeySchemaElement[]): KeyNames {
  const hash = schema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return range === undefined ? { hash } : { hash, range };
}

export function attributeType(rec: TableRecord, name: string): ScalarAttributeType {
  return rec.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
}

const NO_MATCH = 'The provided key element does not match the schema';

function checkKeyValue(name: string, v: AttributeValue, isHash: boolean): void {
  if (v.S === '') {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`);
  }
  if (v.B !== undefined && v.B.length === 0) {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`);
  }
  const size = v.S !== undefined ? Buffer.byteLength(v.S, 'utf8') : v.B !== undefined ? v.B.length : 0;
  if (isHash && size > 2048) throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && size > 1024) throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

/** A request's `Key`: exactly the key attributes, of the declared types. */
export function checkKey(rec: TableRecord, key: Item): void {
  const names = [rec.key.hash, ...(rec.key.range === undefined ? [] : [rec.key.range])];
  if (Object.keys(key).length !== names.length) throw validation(NO_MATCH);
  for (const n of names) {
    const v = key[n];
    if (!v || typeOf(v) !== attributeType(rec, n)) throw validation(NO_MATCH);
    checkKeyValue(n, v, n === rec.key.hash);
  }
}

/** A whole item for PutItem: key attributes present and typed, index keys typed, size. */
export function checkItem(rec: TableRecord, item: Item, sizeMessage = 'Item size has exceeded the maximum allowed size'): void {
  for (const n of [rec.key.hash, rec.key.range]) {
    if (n === undefined) continue;
    const v = item[n];
    if (!v) throw invalidParameter(`Missing the key ${n} in the item`);
    const expected = attributeType(rec, n);
    if (typeOf(v) !== expected) throw invalidParameter(`Type mismatch for key ${n} expected: ${expected} actual: ${typeOf(v)}`);
    checkKeyValue(n, v, n === rec.key.hash);
  }
  for (const idx of rec.indexes) {
    for (const n of [idx.key.hash, idx.key.range]) {
      if (n === undefined || n === rec.key.hash || n === rec.key.range) continue;
      const v = item[n];
      if (!v) continue;
      const expected = attributeType(rec, n);
      if (typeOf(v) !== expected) {
        throw invalidParameter(`Type mismatch for Index Key ${n} Expected: ${expected} Actual: ${typeOf(v)} IndexName: ${idx.name}`);
      }
      if (v.S === '' || (v.B !== undefined && v.B.length === 0)) {
        throw validation(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${v.S === '' ? 'string' : 'binary'} value. IndexName: ${idx.name}, IndexKey: ${n}`);
      }
    }
  }
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation(sizeMessage);
}

/** The key attributes of an item. */
export function keyOf(key: KeyNames, item: Item): Item {
  const out: Item = { [key.hash]: item[key.hash]! };
  if (key.range !== undefined) out[key.range] = item[key.range]!;
  return out;
}

/** Where an item lives in the table's ordered storage: hash, then range. */
export function storageKey(key: KeyNames, item: Item): string {
  const h = encodeKeyValue(item[key.hash]!);
  return key.range === undefined ? h : h + encodeKeyValue(item[key.range]!);
}
