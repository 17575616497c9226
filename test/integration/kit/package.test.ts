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

test('the packed package installs and runs: kumo --version, kumo start, import kumo and kumo/testing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kumo-pack-'));
  try {
    // npm test has just built dist/; the pack must not rebuild it.
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 64 << 20 });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = packed.files.map((f) => f.path);
    assert.ok(paths.includes('dist/cli.js') && paths.includes('models/index.json') && paths.includes('README.md'));
    assert.ok(!paths.some((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('bench/')), 'sources and tests are not published');
    await writeFile(join(dir, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
    try {
      await run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed.filename)], { cwd: dir });
    } catch (err) {
      if (/ENOTCACHED/.test(String((err as { stderr?: string }).stderr))) return t.skip('the runtime dependencies are not in the npm cache (offline)');
      throw err;
    }
    const bin = join(dir, 'node_modules', '.bin', 'kumo');
    assert.equal((await run(bin, ['--version'], { cwd: dir })).stdout.trim(), JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);

    const child = spawn(bin, ['start', '--port', '0', '--log-level', 'warn'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /endpoint=(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`kumo start exited ${code}`)));
    });
    assert.equal(((await (await fetch(endpoint + '/health')).json()) as any).status, 'healthy');
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

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
