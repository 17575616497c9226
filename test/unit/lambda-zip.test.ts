import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { extractZip } from '../../src/lambda/extract.ts';
import { readZipDirectory, readZipEntry, unzippedSize, ZipError } from '../../src/lambda/zip.ts';
import { makeZip } from '../helpers/zip.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kumo-zip-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('reads names, sizes, modes and contents', () => {
  const zip = makeZip({ 'index.js': 'exports.handler = 1', 'bin/': '', 'bin/tool': { data: '#!/bin/sh\n', mode: 0o755 } });
  const entries = readZipDirectory(zip);
  assert.deepEqual(entries.map((e) => [e.name, e.directory, e.mode]), [['index.js', false, 0o644], ['bin/', true, 0o755], ['bin/tool', false, 0o755]]);
  assert.equal(readZipEntry(zip, entries[0]!).toString(), 'exports.handler = 1');
  assert.equal(unzippedSize(entries), 19 + 10);
});

test('reads archives made by the zip tool and by python zipfile', { skip: !hasPython() }, () => {
  const src = join(tmp, 'py');
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'x'.repeat(1000));
  const out = join(tmp, 'py.zip');
  execFileSync('python3', ['-c', 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.write(sys.argv[2]+"/a.txt","a.txt"); z.writestr("s.txt","short"); z.close()', out, src]);
  const zip = readFileSync(out);
  const entries = readZipDirectory(zip);
  assert.deepEqual(entries.map((e) => e.name), ['a.txt', 's.txt']);
  assert.equal(readZipEntry(zip, entries[0]!).toString(), 'x'.repeat(1000));
});

test('garbage, truncation and corruption are ZipErrors', () => {
  assert.throws(() => readZipDirectory(Buffer.from('not a zip at all, really not')), ZipError);
  assert.throws(() => readZipDirectory(Buffer.alloc(0)), ZipError);
  const zip = makeZip({ 'a.txt': 'hello hello hello' });
  assert.throws(() => readZipDirectory(zip.subarray(0, zip.length - 5)), ZipError);
  const bad = Buffer.from(zip);
  bad[35] = bad[35]! ^ 0xff;
  const [e] = readZipDirectory(bad);
  assert.throws(() => readZipEntry(bad, e!), ZipError);
});

test('an entry cannot inflate past its declared size', () => {
  const zip = makeZip({ 'bomb.txt': Buffer.alloc(100_000) });
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(10, central + 24);
  const [e] = readZipDirectory(zip);
  assert.throws(() => readZipEntry(zip, e!), ZipError);
});

test('extracts files with modes, refuses paths outside the root', async () => {
  const dir = join(tmp, 'out1');
  await extractZip(makeZip({ 'sub/x.js': 'x', bootstrap: { data: '#!/bin/sh', mode: 0o755 } }), dir);
  assert.equal(readFileSync(join(dir, 'sub/x.js'), 'utf8'), 'x');
  assert.equal(statSync(join(dir, 'bootstrap')).mode & 0o777, 0o755);
  for (const name of ['../evil', 'a/../../evil', '/abs/evil', '..\\evil']) {
    await assert.rejects(extractZip(makeZip({ [name]: 'x' }), join(tmp, 'slip')), ZipError, name);
  }
  assert.equal(existsSync(join(tmp, 'evil')), false);
});

test('symlinks are kept inside the root and dropped when they point outside', async () => {
  const dir = join(tmp, 'out2');
  await extractZip(makeZip({ 'real.txt': 'r', 'in.txt': { data: 'real.txt', symlink: true }, 'out': { data: '/etc', symlink: true } }), dir);
  assert.equal(readlinkSync(join(dir, 'in.txt')), 'real.txt');
  assert.equal(existsSync(join(dir, 'out')), false);
});

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
}
