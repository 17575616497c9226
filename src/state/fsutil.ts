import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const DIR_SYNC_UNSUPPORTED = ['EISDIR', 'EPERM', 'EINVAL', 'EACCES'];

/**
 * Makes a directory's entries (created, renamed, removed files) durable. Platforms that cannot
 * open a directory for fsync (Windows) have nothing to sync there, so those errors are ignored.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.includes(errnoCode(err) ?? '')) throw err;
  } finally {
    await fh?.close();
  }
}

/** Creates a directory (once per service, outside any request's hot path) and makes its entry durable. */
export function mkdirDurableSync(dir: string): void {
  mkdirSync(dir, { recursive: true });
  let fd: number | undefined;
  try {
    fd = openSync(dirname(dir), 'r');
    fsyncSync(fd);
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.includes(errnoCode(err) ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replaces `file` with `data` atomically and durably: temp file, fsync, rename, fsync dir. */
export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(file), `${basename(file)}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await fsyncDir(dirname(file));
}

/** Entries of a directory; [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true });
}

export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
