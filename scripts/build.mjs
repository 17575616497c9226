// Bundles src/ and its runtime dependencies into dist/ with esbuild: one file per entry plus
// lazily loaded chunks (each service and protocol is a chunk, so startup reads only what it
// uses). Dependencies are bundled too: resolving CommonJS packages from node_modules at startup
// costs more than the code itself.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildUi } from './build-ui.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts', testing: 'src/testing/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // cbor-x tries an optional native accelerator; it is not installed (no install scripts).
  external: ['cbor-extract'],
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (yaml) require node built-ins; ESM output has no `require`.
  banner: { js: "import { createRequire as __kumoCreateRequire } from 'node:module'; const require = __kumoCreateRequire(import.meta.url);" },
});
chmodSync('dist/cli.js', 0o755);
// Lambda runtime clients run inside function processes, as plain files next to the bundle.
cpSync('src/lambda/runtimes', 'dist/runtimes', { recursive: true });

// The resource browser at /kumo/ui: browser assets in dist/ui (see scripts/build-ui.mjs).
await buildUi('dist/ui');

// Declarations of the published entry points (kumo, kumo/testing), from their small public
// surfaces (src/api/public.ts, src/testing/public.ts) so only a handful of files are emitted.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const types = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);
// Sources import with .ts extensions; published declarations must name the .js files.
for (const name of readdirSync('dist/types', { recursive: true })) {
  if (!String(name).endsWith('.d.ts')) continue;
  const file = join('dist/types', String(name));
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1.js$2'));
}
