/**
 * Unpacks a deployment package or layer into a directory. Every path is checked to stay inside
 * that directory (zip-slip), symlinks are made last and only when they point inside it, so no
 * entry can write through one.
 */
import { chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readZipDirectory, readZipEntry, ZipError } from './zip.ts';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** Writes the archive's files under `root` (created; must not exist yet). Throws ZipError. */
export async function extractZip(zip: Buffer, root: string): Promise<void> {
  const entries = readZipDirectory(zip);
  const base = resolve(root);
  const links: Array<{ path: string; target: string }> = [];
  await mkdir(base, { recursive: true });
  for (const e of entries) {
    const name = e.name.replace(/\\/g, '/');
    const path = resolve(base, name);
    if (name.includes('\0') || isAbsolute(name) || !inside(base, path)) throw new ZipError(`entry ${JSON.stringify(e.name)} escapes the archive root`);
    if (e.directory) {
      await mkdir(path, { recursive: true });
      continue;
    }
    const data = readZipEntry(zip, e);
    if (e.symlink) {
      links.push({ path, target: data.toString('utf8') });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { mode: e.mode ?? 0o644 });
    if (e.mode !== undefined) await chmod(path, e.mode & 0o777);
  }
  for (const link of links) {
    if (!inside(base, resolve(dirname(link.path), link.target))) continue;
    await mkdir(dirname(link.path), { recursive: true });
    await symlink(link.target, link.path).catch(() => undefined);
  }
}

/**
 * Builds each directory once: concurrent callers share the work, and a finished directory is
 * published atomically (filled as a sibling, then renamed), so a failure never leaves half a tree.
 */
export class DirCache {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  get(key: string, fill: (dir: string) => Promise<void>): Promise<string> {
    let p = this.pending.get(key);
    if (!p) {
      p = this.build(key, fill);
      this.pending.set(key, p);
      p.catch(() => this.pending.delete(key));
    }
    return p;
  }

  private async build(key: string, fill: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(this.root, key);
    const tmp = `${dir}.partial`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await fill(tmp);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return dir;
  }
}
