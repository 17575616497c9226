import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCodec } from '../state/codec.ts';
import { StateError } from '../state/errors.ts';
import { BLOBS, isServiceName } from '../state/layout.ts';
import { acquireLock } from '../state/lock.ts';
import type { Logger } from '../state/logger.ts';
import { readManifest, type Manifest } from '../state/manifest.ts';
import type { ServiceData } from '../state/records.ts';
import { recoverService } from '../state/recovery.ts';
import { VERSION } from '../version.ts';

export interface ServiceReport {
  service: string;
  data?: ServiceData;
  /** Damage that recovery would refuse: names the file and byte offset. */
  error?: string;
  /** Recoverable findings (a torn journal tail, which the next start truncates). */
  warnings: string[];
}

/**
 * Reads a stopped kumo's data dir with the engine's own recovery code, without repairing
 * anything. The dir's lock is held meanwhile, so a live kumo's dir is refused and no kumo can
 * start on it mid-read. Each service is reported separately: damage in one does not hide the rest.
 */
export async function readDataDir(dir: string, progress: (line: string) => void): Promise<{ dir: string; manifest: Manifest; services: ServiceReport[] }> {
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => undefined);
  if (!info?.isDirectory()) throw new StateError('NotADataDir', `${abs} is not a directory`, { file: abs });
  const manifest = await readManifest(abs);
  if (!manifest) throw new StateError('NotADataDir', `${abs} is not a kumo data dir (no kumo.json)`, { file: abs });
  const lock = await acquireLock(abs, VERSION);
  try {
    await loadCodec();
    const names = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isDirectory() && isServiceName(e.name)).map((e) => e.name).sort();
    const services: ServiceReport[] = [];
    for (const [i, service] of names.entries()) {
      progress(`reading ${service} (${i + 1}/${names.length})`);
      const warnings: string[] = [];
      const log: Logger = (level, msg, fields) => {
        const f = fields as { file?: string; offset?: number } | undefined;
        if (level === 'warn' || level === 'error') warnings.push(`${f?.file ?? service}: ${msg}${f?.offset !== undefined ? ` at byte offset ${f.offset}` : ''}`);
      };
      try {
        const { data } = await recoverService(join(abs, service), false, log);
        await checkBlobs(join(abs, service), data);
        services.push({ service, data, warnings });
      } catch (e) {
        if (!(e instanceof StateError)) throw e;
        services.push({ service, error: e.message, warnings });
      }
    }
    return { dir: abs, manifest, services };
  } finally {
    await lock.release();
  }
}

async function checkBlobs(serviceDir: string, data: ServiceData): Promise<void> {
  for (const [id, size] of data.blobs.entries()) {
    const file = join(serviceDir, BLOBS, id);
    const actual = await stat(file).then((s) => s.size, () => -1);
    if (actual !== size) throw new StateError('DataCorrupt', `${file}: blob file is ${actual < 0 ? 'missing' : `${actual} bytes, ${size} expected`}`, { file });
  }
}

/** Stored values as JSON: binary as {"$base64"}, big integers as strings, maps as objects, dates as ISO strings. */
export function toJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (value instanceof Set) return [...value].map(toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return String(value);
}

/** The human-readable form of a data dir's state: tables by key, blob sizes, damage per service. */
export function dumpDocument(read: { dir: string; manifest: Manifest }, services: ServiceReport[]) {
  return {
    dataDir: read.dir,
    manifest: read.manifest,
    services: Object.fromEntries(services.map((s) => [
      s.service,
      s.error
        ? { error: s.error }
        : {
            ...(s.warnings.length ? { warnings: s.warnings } : {}),
            tables: Object.fromEntries([...s.data!.tables].filter(([, t]) => t.size > 0).map(([name, t]) => [name, Object.fromEntries([...t.entries()].map(([k, v]) => [k, toJson(v)]))])),
            blobs: Object.fromEntries(s.data!.blobs.entries()),
          },
    ])),
  };
}
