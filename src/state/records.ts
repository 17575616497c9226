import { isBlobId } from './blob-ids.ts';
import { newTree, type BTree } from './btree.ts';

/**
 * Journal record payloads, as CBOR arrays (smaller and faster to decode than maps):
 *   [PUT, table, key, value] [DELETE, table, key] [CLEAR, table] [CLEAR_PREFIX, table, prefix]
 *   [BLOB_ADD, id, size] [BLOB_DELETE, id]
 */
export const PUT = 0;
export const DELETE = 1;
export const CLEAR = 2;
export const CLEAR_PREFIX = 3;
export const BLOB_ADD = 4;
export const BLOB_DELETE = 5;

export type JournalRecord =
  | [typeof PUT, string, string, unknown]
  | [typeof DELETE, string, string]
  | [typeof CLEAR, string]
  | [typeof CLEAR_PREFIX, string, string]
  | [typeof BLOB_ADD, string, number]
  | [typeof BLOB_DELETE, string];

/** Everything one service persists: its tables and the ids (and sizes) of its live blobs. */
export interface ServiceData {
  tables: Map<string, BTree<unknown>>;
  blobs: BTree<number>;
}

export function emptyServiceData(): ServiceData {
  return { tables: new Map(), blobs: newTree() };
}

export function tableOf(data: ServiceData, name: string): BTree<unknown> {
  let tree = data.tables.get(name);
  if (!tree) {
    tree = newTree();
    data.tables.set(name, tree);
  }
  return tree;
}

/** Deletes the keys starting with `prefix` (used by a scoped view's clear()). */
export function deletePrefix(tree: BTree<unknown>, prefix: string): number {
  const end = prefixEnd(prefix);
  if (end === undefined) {
    const n = tree.size;
    tree.clear();
    return n;
  }
  return tree.deleteRange(prefix, end, false);
}

/** The smallest string greater than every string starting with `prefix` (undefined: none). */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}

/** Applies a decoded record during replay; false when it is not a record this format knows. */
export function applyRecord(data: ServiceData, rec: unknown): boolean {
  if (!Array.isArray(rec) || typeof rec[1] !== 'string') return false;
  switch (rec[0]) {
    case PUT:
      if (rec.length !== 4 || typeof rec[2] !== 'string') return false;
      tableOf(data, rec[1]).set(rec[2], rec[3]);
      return true;
    case DELETE:
      if (rec.length !== 3 || typeof rec[2] !== 'string') return false;
      data.tables.get(rec[1])?.delete(rec[2]);
      return true;
    case CLEAR:
      if (rec.length !== 2) return false;
      data.tables.get(rec[1])?.clear();
      return true;
    case CLEAR_PREFIX: {
      if (rec.length !== 3 || typeof rec[2] !== 'string') return false;
      const tree = data.tables.get(rec[1]);
      if (tree) deletePrefix(tree, rec[2]);
      return true;
    }
    case BLOB_ADD:
      if (rec.length !== 3 || !isBlobId(rec[1]) || typeof rec[2] !== 'number') return false;
      data.blobs.set(rec[1], rec[2]);
      return true;
    case BLOB_DELETE:
      if (rec.length !== 2) return false;
      data.blobs.delete(rec[1]);
      return true;
    default:
      return false;
  }
}
