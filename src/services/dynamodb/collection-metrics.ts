/**
 * ReturnItemCollectionMetrics: for tables with local secondary indexes, the size of the item
 * collection (every item sharing the partition key, plus what the LSIs hold of them) that a
 * write touched, as AWS's range estimate in GB. Tables without LSIs report nothing, as in AWS.
 */
import type { ItemCollectionMetrics } from '../../generated/dynamodb.ts';
import { itemSize, type Item } from './attribute-value.ts';
import { encodeKeyValue } from './key-encoding.ts';
import { oneOf } from './params.ts';
import type { TableRecord } from './schema.ts';
import type { Store } from './store.ts';

const GB = 1024 ** 3;

export function metricsMode(v: string | undefined): 'SIZE' | 'NONE' | undefined {
  return oneOf(v, 'returnItemCollectionMetrics', ['SIZE', 'NONE'] as const);
}

function lsiBytes(rec: TableRecord, item: Item): number {
  let n = 0;
  for (const idx of rec.indexes) {
    if (idx.kind !== 'LSI' || !item[idx.key.range!]) continue;
    if (idx.projection.ProjectionType === 'ALL') n += itemSize(item);
    else {
      const keep = new Set([rec.key.hash, rec.key.range, idx.key.range, ...(idx.projection.NonKeyAttributes ?? [])]);
      for (const [k, v] of Object.entries(item)) if (keep.has(k)) n += itemSize({ [k]: v });
    }
  }
  return n;
}

/** The metrics of the collection `item` (or its key) belongs to; undefined when not asked for or the table has no LSI. */
export function collectionMetrics(store: Store, rec: TableRecord, mode: string | undefined, item: Item): ItemCollectionMetrics | undefined {
  if (mode !== 'SIZE' || !rec.indexes.some((i) => i.kind === 'LSI')) return undefined;
  const hash = item[rec.key.hash]!;
  let bytes = 0;
  for (const [, it] of store.items(rec.name).entries({ prefix: encodeKeyValue(hash) })) bytes += itemSize(it) + lsiBytes(rec, it);
  const low = Math.floor(bytes / GB);
  return { ItemCollectionKey: { [rec.key.hash]: hash }, SizeEstimateRangeGB: [low, low + 1] };
}
