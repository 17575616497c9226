import sortedBtree, { simpleComparator } from 'sorted-btree';

// sorted-btree is CommonJS: imported from ESM (tsx, and the bundle, which keeps packages
// external) its default import is module.exports, whose `default` is the class.
const BTreeClass = sortedBtree.default;

export type BTree<V> = sortedBtree.default<string, V>;

/** An empty B+ tree ordered by UTF-16 code units (what `<` does on strings). */
export function newTree<V>(): BTree<V> {
  return new BTreeClass<string, V>(undefined, simpleComparator);
}

/** sorted-btree's node classes (exported at runtime, undeclared in its typings). */
interface NodeApi {
  size(): number;
}
const { BNode, BNodeInternal } = sortedBtree as unknown as {
  BNode: new (keys: string[], values: unknown[]) => NodeApi;
  BNodeInternal: new (children: NodeApi[], size: number) => NodeApi;
};
const MAX_NODE = 32;

/**
 * Builds a tree from keys already in strictly ascending order, bottom-up in O(n) with no key
 * comparisons (inserting one by one costs ~20 string comparisons per key: seconds at 1M keys).
 * Nodes are filled evenly, as sorted-btree's own invariants require (checked in the tests).
 */
export function treeFromSorted<V>(keys: string[], values: V[]): BTree<V> {
  const tree = newTree<V>();
  if (keys.length === 0) return tree;
  let level: NodeApi[] = [];
  for (const [from, to] of evenRuns(keys.length)) level.push(new BNode(keys.slice(from, to), values.slice(from, to)));
  while (level.length > 1) {
    const next: NodeApi[] = [];
    for (const [from, to] of evenRuns(level.length)) {
      const children = level.slice(from, to);
      let size = 0;
      for (const child of children) size += child.size();
      next.push(new BNodeInternal(children, size));
    }
    level = next;
  }
  (tree as unknown as { _root: NodeApi })._root = level[0]!;
  return tree;
}

/** Splits n items into the fewest runs of at most MAX_NODE, as even as possible. */
function* evenRuns(n: number): Generator<[number, number]> {
  const runs = Math.ceil(n / MAX_NODE);
  for (let i = 0; i < runs; i++) yield [Math.floor((i * n) / runs), Math.floor(((i + 1) * n) / runs)];
}
