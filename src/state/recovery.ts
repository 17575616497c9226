import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeOne } from './codec.ts';
import { corrupt } from './errors.ts';
import { scanFrames } from './frames.ts';
import { fsyncDir, listDir } from './fsutil.ts';
import { classify, journalPath, snapshotPath } from './layout.ts';
import type { Logger } from './logger.ts';
import { applyRecord, emptyServiceData, type ServiceData } from './records.ts';
import { readSnapshot } from './snapshot-file.ts';

export interface RecoveredService {
  data: ServiceData;
  /** The journal generation to append to. */
  gen: number;
  /** Journal bytes on top of the snapshot (feeds the compaction trigger). */
  journalBytes: number;
  snapshotBytes: number;
}

/**
 * Rebuilds a service's state from its folder: the newest snapshot, then every newer journal
 * generation in order. Only the newest journal may end in a torn record; it is dropped (and,
 * with `repair`, truncated away). Any other damage throws an error naming file and offset.
 * With `repair`, files made obsolete by the snapshot and crash leftovers are removed —
 * after everything was read, so a failed open changes nothing.
 */
export async function recoverService(dir: string, repair: boolean, log: Logger): Promise<RecoveredService> {
  const listing = classify(await listDir(dir));
  const snapGen = listing.snapshots.at(-1) ?? 0;
  let data = emptyServiceData();
  let snapshotBytes = 0;
  if (snapGen > 0) {
    const file = snapshotPath(dir, snapGen);
    data = await readSnapshot(file);
    snapshotBytes = (await stat(file)).size;
  }
  const journals = listing.journals.filter((g) => g >= snapGen);
  let journalBytes = 0;
  for (const [i, gen] of journals.entries()) {
    const file = journalPath(dir, gen);
    const result = await scanFrames(file, i === journals.length - 1 ? 'tail' : 'strict', (payload, offset) => {
      if (!applyRecord(data, decodeOne(payload))) throw corrupt(file, offset, 'unknown journal record');
    });
    journalBytes += result.end;
    if (result.torn) {
      log('warn', repair ? 'journal ends in a torn record (interrupted write); truncating it' : 'journal ends in a torn record; ignoring it', {
        file,
        offset: result.torn.offset,
        reason: result.torn.reason,
        droppedBytes: result.size - result.end,
      });
      if (repair) await truncate(file, result.end);
    }
  }
  if (repair) {
    const obsolete = [
      ...listing.snapshots.filter((g) => g < snapGen).map((g) => snapshotPath(dir, g)),
      ...listing.journals.filter((g) => g < snapGen).map((g) => journalPath(dir, g)),
      ...listing.temps.map((name) => join(dir, name)),
    ];
    for (const file of obsolete) await rm(file, { force: true });
    if (obsolete.length > 0) await fsyncDir(dir);
  }
  return { data, gen: journals.at(-1) ?? Math.max(snapGen, 1), journalBytes, snapshotBytes };
}

async function truncate(file: string, size: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(size);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
