/** Marker-based paging over key-ordered listings (markers are opaque to clients). */
import { invalidParameter } from './errors.ts';

export interface Page<T> {
  items: T[];
  next?: string;
}

export function pageOf<T extends { key: string }>(items: Iterable<T>, marker: string | undefined, max: number): Page<T> {
  let after: string | undefined;
  if (marker !== undefined && marker !== '') {
    after = Buffer.from(marker, 'base64url').toString('utf8');
    if (!after) throw invalidParameter('Invalid marker');
  }
  const out: T[] = [];
  for (const item of items) {
    if (after !== undefined && item.key <= after) continue;
    if (out.length === max) return { items: out, next: Buffer.from(out[out.length - 1]!.key, 'utf8').toString('base64url') };
    out.push(item);
  }
  return { items: out };
}
