// Bundles src/ and its runtime dependencies into dist/ with esbuild: one file per entry plus
// lazily loaded chunks (each service and protocol is a chunk, so startup reads only what it
// uses). Dependencies are bundled too: resolving CommonJS packages from node_modules at startup
// costs more than the code itself.
import { build } from 'esbuild';
import { chmodSync, cpSync, rmSync } from 'node:fs';

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
