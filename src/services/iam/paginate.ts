import { validationFailed } from './errors.ts';

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * IAM's Marker/MaxItems paging over an already ordered list. The marker is the position of the
 * next item, opaque to clients (base64), so a list that changes between pages skips nothing
 * kept before it.
 */
export function paginate<T>(items: T[], input: { Marker?: string; MaxItems?: number }): Page<T> {
  let start = 0;
  if (input.Marker !== undefined) {
    const decoded = Number(Buffer.from(input.Marker, 'base64').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationFailed('Invalid Marker.');
    start = decoded;
  }
  const max = input.MaxItems ?? 100;
  const end = start + max;
  const page = items.slice(start, end);
  if (end < items.length) return { items: page, IsTruncated: true, Marker: Buffer.from(String(end)).toString('base64') };
  return { items: page, IsTruncated: false };
}

/** PathPrefix filters: `/` matches everything. */
export function underPath<T extends { Path: string }>(items: T[], prefix: string | undefined): T[] {
  return prefix ? items.filter((i) => i.Path.startsWith(prefix)) : items;
}
