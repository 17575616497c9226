import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { StateError } from './errors.ts';
import { errnoCode } from './fsutil.ts';
import { LOCK, MANIFEST } from './layout.ts';
import { acquireLock, type DirLock } from './lock.ts';
import { readManifest, writeManifest, type Manifest } from './manifest.ts';

/**
 * Opens (creating if needed) a data dir: takes the lock, then checks or writes the manifest.
 * A non-empty directory without kumo.json is refused rather than filled with kumo's files.
 */
export async function openDataDir(dir: string, kumoVersion: string): Promise<{ lock: DirLock; manifest: Manifest }> {
  await mkdir(dir, { recursive: true });
  const lock = await acquireLock(dir, kumoVersion);
  try {
    const manifest = await readManifest(dir);
    if (manifest) return { lock, manifest };
    const others = (await readdir(dir)).filter((name) => !name.startsWith(LOCK) && name !== `${MANIFEST}.tmp`);
    if (others.length > 0) {
      throw new StateError('NotADataDir', `${dir} is not a kumo data dir (no ${MANIFEST}) and is not empty; choose an empty or new directory`, { file: dir });
    }
    return { lock, manifest: await writeManifest(dir, kumoVersion) };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** Resolves symlinks of the longest existing part of `path`. */
export async function canonical(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    const parent = dirname(abs);
    return parent === abs ? abs : join(await canonical(parent), basename(abs));
  }
}

export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** saveSnapshot's target must be a new or empty directory outside the data dir. */
export async function checkSnapshotTarget(target: string, dataDir: string | null): Promise<void> {
  const bad = (why: string) => new StateError('InvalidSnapshotTarget', `cannot save a snapshot to ${target}: ${why}`, { status: 400 });
  if (dataDir && isWithin(target, dataDir)) throw bad('it is the running data dir or inside it');
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw bad(String(err));
  }
  if (!info.isDirectory()) throw bad('it exists and is not a directory');
  if ((await readdir(target)).length > 0) throw bad('the directory is not empty');
}
