import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Whether a packed path is covered by the `files` whitelist (npm always adds package.json, README and LICENSE). */
function whitelisted(path: string, files: string[]): boolean {
  if (/^(package\.json|README(\.md)?|LICENSE(\.md)?)$/i.test(path)) return true;
  return files.some((f) => path === f || path.startsWith(f.replace(/\/$/, '') + '/'));
}

test('the packed package installs offline and runs: npx kumo --version, kumo start, import kumo and kumo/testing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-pack-'));
  try {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[]; dependencies?: object };
    assert.equal(manifest.dependencies, undefined, 'kumo has no runtime dependencies: they are bundled into dist/');
    // npm test has just built dist/; packing must not rebuild it under the tests that use it.
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 64 << 20 });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = packed.files.map((f) => f.path);
    assert.ok(paths.includes('dist/cli.js') && paths.includes('dist/index.js') && paths.includes('dist/testing.js') && paths.includes('models/index.json') && paths.includes('README.md'));
    assert.deepEqual(paths.filter((p) => !whitelisted(p, manifest.files)), [], 'only what the files whitelist names is published');
    assert.deepEqual(paths.filter((p) => /^(src|test|bench|scripts|examples|dist-sea)\//.test(p)), [], 'sources, tests and tooling are not published');

    await writeFile(join(dir, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
    await run(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], { cwd: dir });
    const bin = join(dir, 'node_modules', '.bin', 'kumo');
    assert.equal((await run(bin, ['--version'], { cwd: dir })).stdout.trim(), manifest.version);
    assert.equal((await run(npx, ['--no-install', 'kumo', '--version'], { cwd: dir })).stdout.trim(), manifest.version);

    // The bin itself, not npx: npm exec does not pass SIGTERM on to the command it runs.
    const child = spawn(bin, ['start', '--port', '0', '--log-level', 'warn'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /endpoint=(\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`kumo start exited ${code}`)));
      });
      const health = await fetch(endpoint + '/kumo/health');
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'healthy');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }

    const script = `import { startKumo } from 'kumo'; import { waitFor, testNamespace } from 'kumo/testing';
const k = await startKumo({ port: 0, logLevel: 'warn' });
const h = await waitFor(async () => (await fetch(k.endpoint + '/health')).ok, { log: false });
console.log(h, typeof testNamespace('x'), k.clientConfig().forcePathStyle);
await k.stop();`;
    await writeFile(join(dir, 'use.mjs'), script);
    assert.equal((await run(process.execPath, ['use.mjs'], { cwd: dir })).stdout.trim(), 'true string true');
    const pkg = JSON.parse(await readFile(join(dir, 'node_modules', 'kumo', 'package.json'), 'utf8'));
    for (const entry of Object.values(pkg.exports) as ({ types?: string } | string)[]) {
      if (typeof entry === 'object' && entry.types) assert.ok(existsSync(join(dir, 'node_modules', 'kumo', entry.types)), entry.types);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
