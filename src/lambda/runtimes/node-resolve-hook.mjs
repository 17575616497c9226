// Module resolution hook for kumo's node runtime client: a bare specifier the function's own
// tree cannot resolve is looked up in the NODE_PATH directories (layers, then the node_modules
// kumo runs beside), which ESM resolution otherwise ignores.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let parents = [];

export function initialize(data) {
  parents = (data?.paths ?? []).map((dir) => pathToFileURL(path.join(dir, 'kumo-resolve-parent.js')).href);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':');
    if (!bare || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // try the next directory
      }
    }
    throw err;
  }
}
