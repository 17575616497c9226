import { join } from 'node:path';

/**
 * On-disk names. Per service folder:
 *   snapshot-<gen>.snap   state before journal generation <gen> (highest one wins)
 *   journal-<gen>.log     records appended after that snapshot, oldest generation first
 *   *.tmp                 unfinished writes of a crashed process, ignored and removed
 *   blobs/<id>            large values, named by generated ids only
 */
export const MANIFEST = 'kumo.json';
export const LOCK = 'kumo.lock';
export const BLOBS = 'blobs';

const GEN_DIGITS = 10;

export function journalName(gen: number): string {
  return `journal-${String(gen).padStart(GEN_DIGITS, '0')}.log`;
}

export function snapshotName(gen: number): string {
  return `snapshot-${String(gen).padStart(GEN_DIGITS, '0')}.snap`;
}

export function journalPath(dir: string, gen: number): string {
  return join(dir, journalName(gen));
}

export function snapshotPath(dir: string, gen: number): string {
  return join(dir, snapshotName(gen));
}

export interface DirListing {
  snapshots: number[];
  journals: number[];
  temps: string[];
}

/** Sorts a service folder's entries into snapshot and journal generations (ascending). */
export function classify(entries: string[]): DirListing {
  const out: DirListing = { snapshots: [], journals: [], temps: [] };
  for (const name of entries) {
    const m = /^(snapshot|journal)-(\d+)\.(snap|log)$/.exec(name);
    if (m && (m[1] === 'snapshot') === (m[3] === 'snap')) (m[1] === 'snapshot' ? out.snapshots : out.journals).push(Number(m[2]));
    else if (name.endsWith('.tmp')) out.temps.push(name);
  }
  out.snapshots.sort((a, b) => a - b);
  out.journals.sort((a, b) => a - b);
  return out;
}

/** Service names become folder names, so only plain ids are accepted. */
export function isServiceName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(name);
}
