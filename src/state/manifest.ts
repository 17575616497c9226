import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateError, corrupt } from './errors.ts';
import { errnoCode, writeFileDurable } from './fsutil.ts';
import { MANIFEST } from './layout.ts';

/** Version of the data dir layout and file formats. Older formats would be migrated at open. */
export const DATA_FORMAT = 1;

export interface Manifest {
  format: number;
  kumoVersion: string;
  createdAt: string;
}

/** Reads `<dir>/kumo.json`; undefined when there is none. Unreadable or newer-format manifests throw. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const file = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw corrupt(file, 0, 'invalid JSON in the data dir manifest', err);
  }
  const m = parsed as Partial<Manifest> | null;
  if (typeof m !== 'object' || m === null || !Number.isInteger(m.format) || (m.format as number) < 1) {
    throw corrupt(file, 0, 'the data dir manifest has no valid "format"');
  }
  if (m.format! > DATA_FORMAT) {
    throw new StateError(
      'NewerFormat',
      `${file}: data dir format ${m.format} (written by kumo ${m.kumoVersion ?? 'unknown'}) is newer than this kumo reads (format ${DATA_FORMAT}); use a newer kumo or another data dir`,
      { file },
    );
  }
  return { format: m.format!, kumoVersion: String(m.kumoVersion ?? ''), createdAt: String(m.createdAt ?? '') };
}

export async function writeManifest(dir: string, kumoVersion: string): Promise<Manifest> {
  const manifest: Manifest = { format: DATA_FORMAT, kumoVersion, createdAt: new Date().toISOString() };
  await writeFileDurable(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
