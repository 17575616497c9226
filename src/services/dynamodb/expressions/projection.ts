/** ProjectionExpression: the parts of an item named by a list of document paths. */
import { setOwn, type AttributeValue, type Item } from '../attribute-value.ts';
import type { PathNode } from './ast.ts';

interface Node {
  leaf: boolean;
  names: Map<string, Node>;
  indexes: Map<number, Node>;
}

function node(): Node {
  return { leaf: false, names: new Map(), indexes: new Map() };
}

function buildTree(paths: PathNode[]): Node {
  const root = node();
  for (const p of paths) {
    let n = root;
    for (const e of p.elements) {
      const children = 'index' in e ? n.indexes : n.names;
      const key = 'index' in e ? e.index : e.name;
      let child = (children as Map<string | number, Node>).get(key);
      if (!child) {
        child = node();
        (children as Map<string | number, Node>).set(key, child);
      }
      n = child;
    }
    n.leaf = true;
  }
  return root;
}

function extract(v: AttributeValue, n: Node): AttributeValue | undefined {
  if (n.leaf) return v;
  if (v.M && n.names.size) {
    const out: Item = {};
    for (const [k, child] of n.names) {
      const x = Object.hasOwn(v.M, k) ? v.M[k] : undefined;
      const y = x && extract(x, child);
      if (y) setOwn(out, k, y);
    }
    return Object.keys(out).length ? { M: out } : undefined;
  }
  if (v.L && n.indexes.size) {
    const out: AttributeValue[] = [];
    for (const i of [...n.indexes.keys()].sort((a, b) => a - b)) {
      const x = v.L[i];
      const y = x && extract(x, n.indexes.get(i)!);
      if (y) out.push(y);
    }
    return out.length ? { L: out } : undefined;
  }
  return undefined;
}

export type Projection = Node;

export function compileProjection(paths: PathNode[]): Projection {
  return buildTree(paths);
}

export function project(item: Item, projection: Projection): Item {
  const out = extract({ M: item }, projection);
  return out ? out.M! : {};
}
