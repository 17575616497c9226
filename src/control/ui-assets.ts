import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface UiAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
  /** Names with a content hash never change: browsers may keep them for a year. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const here = dirname(fileURLToPath(import.meta.url));
/** dist/ui next to the bundle (dist/*.js, dist/chunks/*.js, dist-sea) or, from sources, the repository's dist/ui. */
const CANDIDATES = [join(here, 'ui'), join(here, '..', 'ui'), join(here, '..', '..', 'dist', 'ui')];

let cache: Map<string, UiAsset> | undefined;

/** The built page, read once: a rebuild of dist/ while kumo runs cannot serve it half-written files. */
export function uiAssets(): Map<string, UiAsset> | undefined {
  if (cache) return cache;
  const dir = CANDIDATES.find((d) => existsSync(join(d, 'index.html')));
  if (!dir) return undefined;
  const assets = new Map<string, UiAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, {
      type,
      body,
      gzip: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: name !== 'index.html',
    });
  }
  cache = assets;
  return assets;
}
