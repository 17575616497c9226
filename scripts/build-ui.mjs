// Bundles the resource browser (src/ui) into dist/ui: app-<hash>.js and style-<hash>.css,
// plus index.html naming them. Hashed names let kumo serve them as immutable.
// Usage: node scripts/build-ui.mjs [outdir]   (also called by scripts/build.mjs)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function buildUi(outdir = 'dist/ui') {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { app: 'src/ui/main.ts', style: 'src/ui/styles.css' },
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const pick = (prefix, ext) => outputs.find((n) => n.startsWith(prefix + '-') && n.endsWith(ext));
  const html = readFileSync('src/ui/page.html', 'utf8')
    .replace('{{app}}', `/kumo/ui/${pick('app', '.js')}`)
    .replace('{{style}}', `/kumo/ui/${pick('style', '.css')}`);
  writeFileSync(join(outdir, 'index.html'), html);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildUi(process.argv[2]);
