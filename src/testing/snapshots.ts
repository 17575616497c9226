import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KumoInstance } from '../api/types.ts';
import { dumpDocument, readDataDir } from '../cli/offline.ts';
import { startKumo, type Kumo, type KumoOptions } from '../index.ts';
import { LOCK } from '../state/layout.ts';

/**
 * Starts kumo on a copy of the snapshot (or stopped data dir) at `dir` in a fresh temp dir, so
 * every scenario starts from the same state and never changes the original. stop() removes
 * the copy.
 */
export function withSnapshot(dir: string, options?: KumoOptions & { mode?: 'in-process' }): Promise<Kumo>;
export function withSnapshot(dir: string, options: KumoOptions & { mode: 'process' }): Promise<KumoInstance>;
export async function withSnapshot(dir: string, options: KumoOptions & { mode?: 'in-process' | 'process' } = {}): Promise<Kumo | KumoInstance> {
  const source = resolve(dir);
  await readFile(join(source, 'kumo.json')).catch(() => {
    throw new Error(`withSnapshot: ${source} is not a kumo snapshot or data dir (no kumo.json)`);
  });
  const tmp = await mkdtemp(join(tmpdir(), 'kumo-scenario-'));
  const dataDir = join(tmp, 'data');
  await cp(source, dataDir, { recursive: true, filter: (src) => !src.slice(source.length + 1).startsWith(LOCK) });
  let kumo: Kumo | KumoInstance;
  try {
    kumo = await startKumo({ port: 0, durability: 'process', ...options, dataDir });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const stop = kumo.stop.bind(kumo);
  kumo.stop = async () => {
    try {
      await stop();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
  return kumo;
}

/**
 * Saves kumo's state under `dir` as `<label>-<time>/`: a snapshot another kumo (or
 * withSnapshot) can start from, plus `state.json`, its human-readable dump. Returns the folder.
 */
export async function saveArtifact(kumo: KumoInstance, dir: string, label: string): Promise<string> {
  const slug = label.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'test';
  const target = resolve(dir, `${slug}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(resolve(dir), { recursive: true });
  await kumo.snapshot.save(join(target, 'snapshot'));
  const read = await readDataDir(join(target, 'snapshot'), () => undefined);
  await writeFile(join(target, 'state.json'), JSON.stringify(dumpDocument(read, read.services), null, 2) + '\n');
  return target;
}

/** What test runners pass a test function: node:test's TestContext, Vitest's context. */
interface TestContextLike {
  name?: string;
  task?: { name?: string };
  diagnostic?(message: string): void;
}

/**
 * Wraps a test function: when it fails, kumo's state is saved under `dir` (see saveArtifact)
 * before the failure propagates, and the folder is reported (node:test diagnostics, else stderr).
 * `kumo` may be a function, for instances created in a before hook.
 */
export function onFailureArtifact<A extends unknown[]>(
  kumo: KumoInstance | (() => KumoInstance | undefined),
  dir: string,
  fn: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const ctx = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as TestContextLike;
      const instance = typeof kumo === 'function' ? kumo() : kumo;
      if (instance) {
        try {
          const saved = await saveArtifact(instance, dir, ctx.name ?? ctx.task?.name ?? 'test');
          const note = `kumo state saved to ${saved}`;
          if (typeof ctx.diagnostic === 'function') ctx.diagnostic(note);
          else process.stderr.write(note + '\n');
        } catch (saveErr) {
          process.stderr.write(`kumo: could not save the failure artifact: ${(saveErr as Error).message}\n`);
        }
      }
      throw err;
    }
  };
}
