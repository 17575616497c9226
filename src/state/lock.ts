import { readFileSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StateError } from './errors.ts';
import { errnoCode } from './fsutil.ts';
import { LOCK } from './layout.ts';

interface LockInfo {
  pid: number;
  /** Process start time (Linux: clock ticks since boot), to tell a reused pid from the holder. */
  start: string | null;
  host: string;
  kumoVersion: string;
  since: string;
}

export interface DirLock {
  release(): Promise<void>;
}

/**
 * Takes `<dir>/kumo.lock`, a file naming the holder's pid and start time. No native flock:
 * a lock whose pid is dead (or alive but started at another time: pid reuse, a restarted
 * container's pid 1) is stale and taken over at once, so a restart after kill -9 never waits.
 * Caveats: where process start times are unknown (non-Linux) a reused pid keeps the lock until
 * the file is removed; two kumos on different hosts sharing one network dir cannot see each other.
 */
export async function acquireLock(dir: string, kumoVersion: string): Promise<DirLock> {
  const path = join(dir, LOCK);
  const me: LockInfo = { pid: process.pid, start: processStart(process.pid), host: hostname(), kumoVersion, since: new Date().toISOString() };
  const mine = JSON.stringify(me);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, mine);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // link() publishes a complete file atomically and fails if a lock exists.
        await link(tmp, path);
        return { release: () => rm(path, { force: true }) };
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err;
      }
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === null) continue;
      const holder = parse(text);
      if (holder && alive(holder)) throw locked(dir, holder);
      // Move the stale lock aside; if what was moved is not what was judged stale, a
      // concurrent starter took the lock in between: give it back and fail.
      const aside = `${path}.stale-${process.pid}`;
      try {
        await rename(path, aside);
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue;
        throw err;
      }
      const moved = await readFile(aside, 'utf8');
      if (moved !== text) {
        await link(aside, path).catch(() => undefined);
        await rm(aside, { force: true });
        throw locked(dir, parse(moved));
      }
      await rm(aside, { force: true });
    }
    throw locked(dir, null);
  } finally {
    await rm(tmp, { force: true });
  }
}

function locked(dir: string, holder: LockInfo | null): StateError {
  const who = holder ? `kumo pid ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another kumo';
  return new StateError('DataDirLocked', `data dir ${dir} is in use by ${who}; stop it or choose another data dir`, { file: join(dir, LOCK) });
}

function parse(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as LockInfo;
    return Number.isInteger(v.pid) && v.pid > 0 ? v : null;
  } catch {
    return null;
  }
}

function alive(holder: LockInfo): boolean {
  if (holder.pid === process.pid) return holder.start === processStart(process.pid);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
  }
  const start = processStart(holder.pid);
  return !(holder.start && start && start !== holder.start);
}

/** Start time of a process from /proc (field 22 of stat); null where there is no procfs. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
