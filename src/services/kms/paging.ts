import { outOfRange } from './errors.ts';

export interface Page<T> {
  items: T[];
  NextMarker?: string;
  Truncated: boolean;
}

/**
 * One page of `items` (sorted by `keyOf`) after `marker`. Markers are the last key returned,
 * so a page stays correct when items are added or removed between calls.
 */
export function page<T>(items: T[], keyOf: (t: T) => string, limit: number | undefined, marker: string | undefined, max = 1000): Page<T> {
  const n = limit ?? Math.min(100, max);
  if (n < 1) throw outOfRange(n, 'limit', 'greater', 1);
  if (n > max) throw outOfRange(n, 'limit', 'less', max);
  const rest = marker === undefined ? items : items.filter((t) => keyOf(t) > marker);
  const items_ = rest.slice(0, n);
  const truncated = rest.length > n;
  return truncated ? { items: items_, NextMarker: keyOf(items_[items_.length - 1]!), Truncated: true } : { items: items_, Truncated: false };
}
