// Builds a single executable with Node's SEA support: `dist-sea/kumo` (plus the AWS models and
// the Lambda runtime clients beside it, which kumo reads from disk at run time).
// Node 20's SEA runs one CommonJS script, so the CLI is bundled again as one CJS file; module
// paths that come from import.meta.url are taken from the executable's location instead.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const out = 'dist-sea';
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outfile: join(out, 'kumo.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['cbor-extract'],
  define: { 'import.meta.url': '__kumoExecutableUrl' },
  banner: { js: "const __kumoExecutableUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  logLevel: 'warning',
});
const config = join(out, 'sea-config.json');
writeFileSync(config, JSON.stringify({ main: join(out, 'kumo.cjs'), output: join(out, 'kumo.blob'), disableExperimentalSEAWarning: true }));
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
const binary = join(out, 'kumo');
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
execFileSync(process.execPath, [postject, binary, 'NODE_SEA_BLOB', join(out, 'kumo.blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'inherit' });
cpSync('models', join(out, 'models'), { recursive: true });
cpSync('src/lambda/runtimes', join(out, 'runtimes'), { recursive: true });
for (const f of ['kumo.cjs', 'kumo.blob', 'sea-config.json']) rmSync(join(out, f));
console.log(`built ${binary} (with ${out}/models and ${out}/runtimes beside it)`);
