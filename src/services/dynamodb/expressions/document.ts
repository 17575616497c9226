/** Reading document paths (`a.b[3].c`) in items. */
import type { AttributeValue, Item } from '../attribute-value.ts';
import type { PathElement } from './ast.ts';

export function getPath(item: Item, elements: readonly PathElement[]): AttributeValue | undefined {
  const first = elements[0] as { name: string };
  let v: AttributeValue | undefined = Object.hasOwn(item, first.name) ? item[first.name] : undefined;
  for (let i = 1; i < elements.length && v; i++) {
    const e = elements[i]!;
    if ('index' in e) v = v.L ? v.L[e.index] : undefined;
    else v = v.M && Object.hasOwn(v.M, e.name) ? v.M[e.name] : undefined;
  }
  return v;
}
