/**
 * The read loop Query and Scan share: walk an ordered source (the table's items or an index
 * tree), count items evaluated before the filter against Limit, stop at 1 MB, and report where
 * to resume with the keys AWS puts in LastEvaluatedKey.
 */
import type { ConsumedCapacity, Select } from '../../generated/dynamodb.ts';
import type { RangeOptions } from '../../state/index.ts';
import { itemSize, toItem, typeOf, type Item } from './attribute-value.ts';
import { invalidParameter, validation } from './errors.ts';
import type { Condition, PathNode } from './expressions/ast.ts';
import { matches } from './expressions/evaluate.ts';
import { compileProjection, project } from './expressions/projection.ts';
import { encodeKeyValue } from './key-encoding.ts';
import { capacityMode, consumedCapacity, readUnits } from './requests.ts';
import { attributeType, keyOf, storageKey, type IndexRecord, type TableRecord } from './schema.ts';
import type { Store } from './store.ts';

const PAGE_BYTES = 1024 * 1024;

export interface ReadPlan {
  rec: TableRecord;
  index?: IndexRecord;
  range: RangeOptions;
  filter?: Condition;
  paths?: PathNode[];
  select: Select;
  limit?: number;
  consistent: boolean;
  capacity?: string;
  /** Scan segments: keep only items whose hash key falls in this segment. */
  segment?: { segment: number; total: number };
}

export interface ReadResult {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}

/** Attributes an index holds for an item: keys plus its projection. */
function indexView(rec: TableRecord, index: IndexRecord, item: Item): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const keep = new Set([rec.key.hash, rec.key.range, index.key.hash, index.key.range, ...(index.projection.NonKeyAttributes ?? [])]);
  const out: Item = {};
  for (const k of Object.keys(item)) if (keep.has(k)) out[k] = item[k]!;
  return out;
}

/** FNV-1a over the encoded hash key: a stable split of partitions into scan segments. */
function segmentOf(encodedHash: string, total: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < encodedHash.length; i++) {
    h ^= encodedHash.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % total;
}

/** Where an ExclusiveStartKey points in the source being read. */
export function startKey(plan: Pick<ReadPlan, 'rec' | 'index'>, raw: Record<string, unknown>): string {
  const { rec, index } = plan;
  const esk = toItem(raw);
  const names = [rec.key.hash, rec.key.range, index?.key.hash, index?.key.range].filter((n): n is string => n !== undefined);
  const unique = new Set(names);
  const bad = () => validation('The provided starting key is invalid: The provided key element does not match the schema');
  if (Object.keys(esk).length !== unique.size) throw bad();
  for (const n of unique) {
    const v = esk[n];
    if (!v || typeOf(v) !== attributeType(rec, n)) throw bad();
  }
  const base = storageKey(rec.key, esk);
  if (!index) return base;
  const h = encodeKeyValue(esk[index.key.hash]!);
  return index.key.range === undefined ? h + base : h + encodeKeyValue(esk[index.key.range]!) + base;
}

export function readItems(store: Store, plan: ReadPlan): ReadResult {
  const { rec, index } = plan;
  if (index?.kind === 'GSI' && plan.select === 'ALL_ATTRIBUTES' && index.projection.ProjectionType !== 'ALL') {
    throw invalidParameter(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
  const items = store.items(rec.name);
  const source: Iterable<[string, Item]> = index
    ? (function* () {
      const tree = store.derived(rec).indexes.get(index.name)!;
      for (const [k, itemKey] of tree.entries(plan.range)) yield [k, items.get(itemKey)!];
    })()
    : items.entries(plan.range);
  const projection = plan.paths ? compileProjection(plan.paths) : undefined;
  const out: Item[] = [];
  let scanned = 0;
  let count = 0;
  let bytes = 0;
  let last: Item | undefined;
  let stopped = false;
  const hashName = rec.key.hash;
  for (const [, stored] of source) {
    if (plan.segment && segmentOf(encodeKeyValue(stored[hashName]!), plan.segment.total) !== plan.segment.segment) continue;
    const item = index && !(index.kind === 'LSI' && plan.select === 'ALL_ATTRIBUTES') ? indexView(rec, index, stored) : stored;
    scanned++;
    bytes += itemSize(item);
    last = stored;
    if (!plan.filter || matches(plan.filter, item)) {
      count++;
      if (plan.select !== 'COUNT') out.push(projection ? project(item, projection) : item);
    }
    if ((plan.limit !== undefined && scanned >= plan.limit) || bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
  }
  const result: ReadResult = { Count: count, ScannedCount: scanned };
  if (plan.select !== 'COUNT') result.Items = out;
  if (stopped && last) {
    const lek = keyOf(rec.key, last);
    if (index) Object.assign(lek, keyOf(index.key, last));
    result.LastEvaluatedKey = lek;
  }
  const cc = consumedCapacity(capacityMode(plan.capacity), rec, readUnits(bytes, plan.consistent), 'read', index?.name);
  if (cc) result.ConsumedCapacity = cc;
  return result;
}
