import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ServiceIndexEntry, ServiceModel } from './model-types.ts';

/** models/ sits at the package root; this file runs from src/protocol (tsx) or dist (bundle). */
function findModelsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'models');
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('kumo: models/index.json not found next to the package');
}

let modelsDir: string | undefined;
let index: ServiceIndexEntry[] | undefined;
const cache = new Map<string, ServiceModel>();

function dir(): string {
  modelsDir ??= findModelsDir();
  return modelsDir;
}

export function serviceIndex(): ServiceIndexEntry[] {
  index ??= (JSON.parse(readFileSync(join(dir(), 'index.json'), 'utf8')) as { services: ServiceIndexEntry[] }).services;
  return index;
}

/** Loads (once) the compact model of a service; models load lazily, on a service's first request. */
export function loadModel(id: string): ServiceModel {
  let model = cache.get(id);
  if (!model) {
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`invalid service id ${id}`);
    model = JSON.parse(gunzipSync(readFileSync(join(dir(), `${id}.json.gz`))).toString('utf8')) as ServiceModel;
    // Some models (CloudFront) version their operation names; kumo names operations by their key.
    for (const [name, op] of Object.entries(model.operations)) op.name = name;
    cache.set(id, model);
  }
  return model;
}
