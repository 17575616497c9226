/**
 * BatchGetItem (100 keys, 16 MB of answer; keys past that come back as UnprocessedKeys) and
 * BatchWriteItem (25 requests, all processed at once).
 */
import type {
  BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput, ConsumedCapacity, ItemCollectionMetrics,
} from '../../generated/dynamodb.ts';
import type { RequestContext } from '../framework/define.ts';
import { itemSize, toItem, type Item } from './attribute-value.ts';
import { collectionMetrics, metricsMode } from './collection-metrics.ts';
import { validation } from './errors.ts';
import { compileProjection, project } from './expressions/projection.ts';
import { projectionOf } from './items.ts';
import { required, tableName } from './params.ts';
import { capacityMode, consumedCapacity, expressionAttributes, readUnits, requestKey, writeUnits } from './requests.ts';
import { checkItem, storageKey, type TableRecord } from './schema.ts';
import { Store } from './store.ts';

const DUPLICATES = 'Provided list of item keys contains duplicates';

/** AWS answers at most 16 MB of items per call and hands back the rest as UnprocessedKeys. */
const RESPONSE_BYTES = 16 * 1024 * 1024;

export function BatchGetItem(input: BatchGetItemInput, ctx: RequestContext): BatchGetItemOutput {
  const requests = required(input.RequestItems, 'requestItems');
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const total = Object.values(requests).reduce((n, r) => n + (r.Keys?.length ?? 0), 0);
  if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
  const store = new Store(ctx);
  const plans = Object.entries(requests).map(([rawName, req]) => {
    const name = tableName(rawName);
    const attrs = expressionAttributes(req, { ProjectionExpression: req.ProjectionExpression }, { AttributesToGet: req.AttributesToGet });
    const paths = projectionOf(req, attrs);
    attrs.checkAllUsed();
    const rec = store.requireTable(name);
    const keys = required(req.Keys, 'keys');
    if (keys.length === 0) {
      throw validation(`1 validation error detected: Value '[]' at 'requestItems.${rawName}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    }
    const seen = new Set<string>();
    const storage = keys.map((raw) => {
      const { storage: k } = requestKey(rec, raw);
      if (seen.has(k)) throw validation(DUPLICATES);
      seen.add(k);
      return k;
    });
    return { rawName, req, rec, keys, storage, projection: paths ? compileProjection(paths) : undefined };
  });
  const responses: Record<string, Item[]> = {};
  const unprocessed: BatchGetItemOutput['UnprocessedKeys'] = {};
  const capacity: ConsumedCapacity[] = [];
  let answered = 0;
  let full = false;
  for (const plan of plans) {
    const found: Item[] = [];
    let bytes = 0;
    plan.storage.forEach((k, i) => {
      const item = full ? undefined : store.items(plan.rec.name).get(k);
      const out = item && (plan.projection ? project(item, plan.projection) : item);
      if (out && answered + itemSize(out) > RESPONSE_BYTES) full = true;
      if (full) {
        (unprocessed[plan.rawName] ??= { ...plan.req, Keys: [] }).Keys.push(plan.keys[i]!);
        return;
      }
      if (!item || !out) return;
      bytes += itemSize(item);
      answered += itemSize(out);
      found.push(out);
    });
    responses[plan.rawName] = found;
    const cc = consumedCapacity(mode, plan.rec, readUnits(bytes, plan.req.ConsistentRead === true), 'read');
    if (cc) capacity.push(cc);
  }
  const out: BatchGetItemOutput = { Responses: responses, UnprocessedKeys: unprocessed };
  if (mode === 'TOTAL' || mode === 'INDEXES') out.ConsumedCapacity = capacity;
  return out;
}

interface Write {
  rec: TableRecord;
  key: string;
  keyItem: Item;
  item?: Item;
}

export function BatchWriteItem(input: BatchWriteItemInput, ctx: RequestContext): BatchWriteItemOutput {
  const requests = required(input.RequestItems, 'requestItems');
  const mode = capacityMode(input.ReturnConsumedCapacity);
  const metrics = metricsMode(input.ReturnItemCollectionMetrics);
  const total = Object.values(requests).reduce((n, r) => n + r.length, 0);
  if (total > 25 || Object.values(requests).some((r) => r.length === 0)) {
    throw validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`);
  }
  const store = new Store(ctx);
  const writes: Write[] = [];
  for (const [rawName, list] of Object.entries(requests)) {
    const rec = store.requireTable(tableName(rawName));
    const seen = new Set<string>();
    for (const w of list) {
      if ((w.PutRequest ? 1 : 0) + (w.DeleteRequest ? 1 : 0) !== 1) {
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      let write: Write;
      if (w.PutRequest) {
        const item = toItem(required(w.PutRequest.Item, 'item'));
        checkItem(rec, item);
        write = { rec, key: storageKey(rec.key, item), keyItem: item, item };
      } else {
        const k = requestKey(rec, w.DeleteRequest!.Key);
        write = { rec, key: k.storage, keyItem: k.key };
      }
      if (seen.has(write.key)) throw validation(DUPLICATES);
      seen.add(write.key);
      writes.push(write);
    }
  }
  const units = new Map<TableRecord, number>();
  const collections: Record<string, ItemCollectionMetrics[]> = {};
  for (const w of writes) {
    const old = store.items(w.rec.name).get(w.key);
    if (w.item || old) store.writeItem(w.rec, w.key, old, w.item);
    units.set(w.rec, (units.get(w.rec) ?? 0) + writeUnits(old, w.item));
    const icm = collectionMetrics(store, w.rec, metrics, w.keyItem);
    if (icm) (collections[w.rec.name] ??= []).push(icm);
  }
  const out: BatchWriteItemOutput = { UnprocessedItems: {} };
  if (Object.keys(collections).length) out.ItemCollectionMetrics = collections;
  if (mode === 'TOTAL' || mode === 'INDEXES') {
    out.ConsumedCapacity = [...units].map(([rec, n]) => consumedCapacity(mode, rec, n, 'write')!);
  }
  return out;
}
