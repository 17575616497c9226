import type { BTree } from './btree.ts';
import { prefixEnd } from './records.ts';
import type { RangeOptions } from './types.ts';

/** A tree that may be written to (or swapped) between two steps of an iteration. */
export interface LiveTree<V> {
  readonly tree: BTree<V>;
  /** Changes on every write and swap. */
  readonly version: number;
}

/**
 * Entries of `src` within `range`. The B+ tree iterator runs at full speed while the table is
 * untouched; after a write it re-seeks just past the last key returned, so callers may update or
 * delete entries while iterating and always see current values.
 */
export function* rangeEntries<V>(src: LiveTree<V>, range: RangeOptions = {}): Generator<[string, V], undefined, undefined> {
  const prefix = range.prefix ?? '';
  let low = prefix;
  let lowOpen = false;
  if (range.after !== undefined) {
    if (range.after >= low) {
      low = range.after;
      lowOpen = true;
    }
  } else if (range.start !== undefined && range.start > low) {
    low = range.start;
  }
  let high = prefixEnd(prefix);
  if (range.end !== undefined && (high === undefined || range.end < high)) high = range.end;
  if (high !== undefined && low >= high) return undefined;

  let version = src.version;
  if (!range.reverse) {
    let last = lowOpen ? low : undefined;
    let it = src.tree.entries(low);
    for (;;) {
      if (src.version !== version) {
        version = src.version;
        it = src.tree.entries(last ?? low);
      }
      const step = it.next();
      if (step.done) return undefined;
      const key = step.value[0];
      if (last !== undefined && key <= last) continue;
      if (high !== undefined && key >= high) return undefined;
      last = key;
      yield step.value;
    }
  }
  let last = high;
  let it = last === undefined ? src.tree.entriesReversed() : src.tree.entriesReversed(last, undefined, true);
  for (;;) {
    if (src.version !== version) {
      version = src.version;
      it = last === undefined ? src.tree.entriesReversed() : src.tree.entriesReversed(last, undefined, true);
    }
    const step = it.next();
    if (step.done) return undefined;
    const key = step.value[0];
    if (key < low || (lowOpen && key === low)) return undefined;
    last = key;
    yield step.value;
  }
}
