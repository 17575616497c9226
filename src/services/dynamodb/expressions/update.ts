/**
 * Applies a resolved UpdateExpression to an item, producing a new item (stored values are
 * immutable). Every right-hand side reads the item as it was before the update, as AWS does.
 */
import { setOwn, typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import { addNumbers, subtractNumbers } from '../decimal.ts';
import { validation } from '../errors.ts';
import type { Operand, PathElement, PathNode, UpdateAst } from './ast.ts';
import { getPath } from './document.ts';

const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';
const BAD_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING = 'The provided expression refers to an attribute that does not exist in the item';

function setValue(original: Item, op: Operand): AttributeValue {
  switch (op.type) {
    case 'value':
      return op.value!;
    case 'path': {
      const v = getPath(original, op.elements);
      if (!v) throw validation(MISSING);
      return v;
    }
    case 'arith': {
      const a = setValue(original, op.left);
      const b = setValue(original, op.right);
      if (a.N === undefined || b.N === undefined) throw validation(WRONG_TYPE);
      return { N: op.op === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
    }
    case 'call': {
      if (op.name === 'if_not_exists') {
        const existing = getPath(original, (op.args[0] as PathNode).elements);
        return existing ?? setValue(original, op.args[1]!);
      }
      const a = setValue(original, op.args[0]!);
      const b = setValue(original, op.args[1]!);
      if (!a.L || !b.L) throw validation(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
  }
}

/** Rebuilds the containers along `path` with `change` applied to the last step. */
function modify(
  item: Item,
  elements: readonly PathElement[],
  change: (current: AttributeValue | undefined) => AttributeValue | undefined,
  missingParentIsError: boolean,
): Item {
  const walk = (container: AttributeValue | undefined, depth: number): AttributeValue | undefined => {
    const e = elements[depth]!;
    const last = depth === elements.length - 1;
    if ('index' in e) {
      if (!container) {
        if (missingParentIsError) throw validation(BAD_PATH);
        return undefined;
      }
      if (!container.L) throw validation(BAD_PATH);
      const list = container.L.slice();
      const current = list[e.index];
      const next = last ? change(current) : walk(current, depth + 1);
      if (next === current) return container;
      if (next === undefined) list.splice(e.index, 1);
      else if (e.index >= list.length) list.push(next);
      else list[e.index] = next;
      return { L: list };
    }
    if (!container) {
      if (missingParentIsError) throw validation(BAD_PATH);
      return undefined;
    }
    if (!container.M) throw validation(BAD_PATH);
    const current = Object.hasOwn(container.M, e.name) ? container.M[e.name] : undefined;
    const next = last ? change(current) : walk(current, depth + 1);
    if (next === current) return container;
    const map: Item = { ...container.M };
    if (next === undefined) delete map[e.name];
    else setOwn(map, e.name, next);
    return { M: map };
  };
  const root = walk({ M: item }, 0);
  return root ? root.M! : item;
}

function addTo(current: AttributeValue | undefined, v: AttributeValue): AttributeValue {
  if (!current) return v;
  const t = typeOf(v);
  if (typeOf(current) !== t) throw validation(WRONG_TYPE);
  if (t === 'N') return { N: addNumbers(current.N!, v.N!) };
  if (t === 'SS') return { SS: union(current.SS!, v.SS!, (x) => x) };
  if (t === 'NS') return { NS: union(current.NS!, v.NS!, (x) => x) };
  return { BS: union(current.BS!, v.BS!, (x) => x.toString('latin1')) };
}

function union<T>(a: T[], b: T[], key: (x: T) => string): T[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((x) => !seen.has(key(x)))];
}

function deleteFrom(current: AttributeValue | undefined, v: AttributeValue): AttributeValue | undefined {
  if (!current) return undefined;
  const t = typeOf(v);
  if (typeOf(current) !== t) throw validation(WRONG_TYPE);
  const remove = (list: AttributeValue[]) => (x: AttributeValue) => !list.some((y) => valuesEqual(x, y));
  let rest: AttributeValue[];
  if (t === 'SS') rest = current.SS!.map((S) => ({ S })).filter(remove(v.SS!.map((S) => ({ S }))));
  else if (t === 'NS') rest = current.NS!.map((N) => ({ N })).filter(remove(v.NS!.map((N) => ({ N }))));
  else rest = current.BS!.map((B) => ({ B })).filter(remove(v.BS!.map((B) => ({ B }))));
  if (rest.length === 0) return undefined;
  if (t === 'SS') return { SS: rest.map((x) => x.S!) };
  if (t === 'NS') return { NS: rest.map((x) => x.N!) };
  return { BS: rest.map((x) => x.B!) };
}

/** REMOVE a[1], a[3]: indexes name positions in the original list, so remove the highest first. */
function removalOrder(paths: PathNode[]): PathNode[] {
  return paths.slice().sort((x, y) => {
    const a = x.elements[x.elements.length - 1]!;
    const b = y.elements[y.elements.length - 1]!;
    return 'index' in a && 'index' in b ? b.index - a.index : 0;
  });
}

export function applyUpdate(original: Item, ast: UpdateAst): Item {
  const values = ast.set.map((a) => setValue(original, a.value));
  let item = original;
  ast.set.forEach((a, i) => {
    item = modify(item, a.path.elements, () => values[i], true);
  });
  for (const p of removalOrder(ast.remove)) item = modify(item, p.elements, () => undefined, false);
  for (const a of ast.add) item = modify(item, a.path.elements, (cur) => addTo(cur, a.value.value!), true);
  for (const a of ast.delete) item = modify(item, a.path.elements, (cur) => deleteFrom(cur, a.value.value!), false);
  return item;
}

/** Top-level attributes an update writes: AWS refuses updates to key attributes. */
export function updatedAttributes(ast: UpdateAst): string[] {
  const paths = [...ast.set.map((a) => a.path), ...ast.remove, ...ast.add.map((a) => a.path), ...ast.delete.map((a) => a.path)];
  return paths.map((p) => (p.elements[0] as { name: string }).name);
}
