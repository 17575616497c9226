import type { RawResponse } from '../protocol/types.ts';
import type { App } from '../server/app.ts';
import { uiAssets } from './ui-assets.ts';
import { resourceCounts } from './ui-resources.ts';

const PREFIX = '/kumo/ui';

/**
 * The page may only talk to the origin it came from, cannot be framed (clickjacking the control
 * plane) and loads nothing from the network.
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function isUiPath(path: string): boolean {
  return path === PREFIX || path.startsWith(PREFIX + '/');
}

function plain(status: number, message: string, extra: Record<string, string> = {}): RawResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...extra }, body: message + '\n' };
}

/** `GET /kumo/ui` (the resource browser), its hashed assets, and its read-only `api/*` data. */
export function handleUi(app: App, method: string, path: string, headers: Record<string, string>): RawResponse {
  if (method !== 'GET' && method !== 'HEAD') return plain(405, `${method} is not allowed on ${path}`, { allow: 'GET, HEAD' });
  const rest = path.slice(PREFIX.length).replace(/^\/+/, '');
  if (rest === 'api/resources') {
    return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(resourceCounts(app)) + '\n' };
  }
  const assets = uiAssets();
  if (!assets) return plain(503, 'The resource browser is not built: run `npm run build` (it writes dist/ui).');
  const asset = assets.get(rest === '' ? 'index.html' : rest);
  if (!asset || rest.includes('/')) return plain(404, `No resource browser file ${path}`);
  const cache = asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
  const common = { etag: asset.etag, 'cache-control': cache, vary: 'Accept-Encoding', ...PAGE_HEADERS };
  if (headers['if-none-match']?.split(',').some((t) => t.trim() === asset.etag)) return { status: 304, headers: common };
  const gzip = /\bgzip\b/.test(headers['accept-encoding'] ?? '');
  return {
    status: 200,
    headers: { ...common, 'content-type': asset.type, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? asset.gzip : asset.body,
  };
}
