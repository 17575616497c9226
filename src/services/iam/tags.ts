import { invalidInput, limitExceeded } from './errors.ts';
import type { Tag } from './store.ts';

const MAX_TAGS = 50;

/** Adds or replaces tags (keys compare case-insensitively, as IAM does). */
export function mergeTags(current: Tag[], added: Tag[] | undefined, kind: string): Tag[] {
  if (!added?.length) return current;
  const seen = new Set<string>();
  for (const t of added) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  const out = current.filter((t) => !seen.has(t.Key.toLowerCase())).concat(added.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
  if (out.length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit for ${kind}.`);
  return out;
}

export function removeTags(current: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return current.filter((t) => !drop.has(t.Key.toLowerCase()));
}

