import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeScratch, loadCodec } from '../../src/state/codec.ts';
import { frame } from '../../src/state/frames.ts';
import { journalPath } from '../../src/state/layout.ts';
import { chunksOf, eventually, open, readAll, tmpDir } from './state-helpers.ts';

await loadCodec();

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

const journalText = (dataDir: string): string => readFileSync(journalPath(join(dataDir, 's3'), 1), 'latin1');

test('blob durability ordering: the file is complete before any journal record names it', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  e.service('s3').table('t').put('warm-up', 1);
  await e.sync();
  const g = gate();
  const firstWritten = gate();
  const writing = e.service('s3').blobs.write(
    (async function* () {
      yield Buffer.from('first half ');
      // The store asks for the next chunk only once the previous one is written.
      firstWritten.open();
      await g.wait;
      yield Buffer.from('second half');
    })(),
  );
  await firstWritten.wait;
  await e.sync();
  // A crash now: the partial file exists, nothing registers it; the copy opens without it.
  const blobDir = join(dataDir, 's3', 'blobs');
  const [partial] = readdirSync(blobDir);
  assert.ok(partial && !journalText(dataDir).includes(partial));
  const crashed = join(tmpDir(), 'crashed');
  cpSync(dataDir, crashed, { recursive: true });
  writeFileSync(join(crashed, 'kumo.lock'), JSON.stringify({ pid: 2 ** 22 + 1, start: null }));

  g.open();
  const ref = await writing;
  assert.equal(ref.id, partial);
  assert.equal(statSync(join(blobDir, ref.id)).size, 22);
  e.service('s3').table('t').put('obj', ref);
  await e.sync();
  assert.ok(journalText(dataDir).includes(ref.id));
  await e.close();

  const recovered = await open({ dataDir: crashed });
  assert.deepEqual(readdirSync(join(crashed, 's3', 'blobs')), [], 'orphan swept at open');
  await recovered.close();
  const reopened = await open({ dataDir });
  assert.equal((await readAll(reopened.service('s3').blobs.read(ref))).toString(), 'first half second half');
  await reopened.close();
});

test('a released blob file is deleted only once its release record is durable', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  const blobs = e.service('s3').blobs;
  const ref = await blobs.write(chunksOf('gone soon'));
  await e.sync();
  const file = join(dataDir, 's3', 'blobs', ref.id);
  blobs.release(ref);
  assert.ok(existsSync(file), 'still there right after release()');
  assert.throws(() => blobs.read(ref), /unknown blob/);
  await e.sync();
  await eventually(() => !existsSync(file));
  blobs.release(ref);
  await e.close();
});

test('no path escaping: blob ids are generated, and foreign ids never reach the file system', async () => {
  const dataDir = tmpDir();
  writeFileSync(join(dataDir, '..', 'victim'), 'keep me');
  const e = await open({ dataDir });
  const blobs = e.service('s3').blobs;
  const ref = await blobs.write(chunksOf('x'));
  assert.match(ref.id, /^[0-9a-f-]{36}$/);
  for (const id of ['../victim', '../../victim', '/etc/passwd', 'a/b', '', 'x'.repeat(36), `${ref.id}/..`]) {
    assert.throws(() => blobs.read({ id, size: 1 }), TypeError, id);
    assert.throws(() => blobs.release({ id, size: 1 }), TypeError, id);
  }
  assert.equal(readFileSync(join(dataDir, '..', 'victim'), 'utf8'), 'keep me');
  await e.close();

  // A journal that registers a path-like blob id is refused as corrupt, not followed.
  const evil = frame(encodeScratch([4, '../victim', 7]));
  writeFileSync(journalPath(join(dataDir, 's3'), 1), Buffer.concat([readFileSync(journalPath(join(dataDir, 's3'), 1)), evil]));
  await assert.rejects(open({ dataDir }), { code: 'DataCorrupt' });
});

test('ranges are inclusive like HTTP Range; bad ranges throw', async () => {
  for (const opts of [{}, { dataDir: tmpDir() }]) {
    const e = await open(opts);
    const blobs = e.service('s3').blobs;
    const ref = await blobs.write(chunksOf('0123456789'));
    assert.equal((await readAll(blobs.read(ref, { start: 2, end: 4 }))).toString(), '234');
    assert.equal((await readAll(blobs.read(ref, { start: 9, end: 9 }))).toString(), '9');
    assert.equal((await readAll(blobs.read(ref, { start: 3, end: 2 }))).length, 0);
    assert.throws(() => blobs.read(ref, { start: 0, end: 10 }), RangeError);
    assert.throws(() => blobs.read(ref, { start: -1, end: 2 }), RangeError);
    await e.close();
  }
});

test('memory mode: small blobs stay in memory, large ones spill to a temp dir removed at close', async () => {
  const e = await open({ blobMemoryLimit: 1024 });
  const blobs = e.service('s3').blobs;
  const small = await blobs.write(chunksOf('tiny'));
  const big = await blobs.write(chunksOf('a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)));
  assert.equal(big.size, 3000);
  const body = (await readAll(blobs.read(big))).toString();
  assert.equal(body, 'a'.repeat(1000) + 'b'.repeat(1000) + 'c'.repeat(1000));
  assert.equal((await readAll(blobs.read(big, { start: 999, end: 1000 }))).toString(), 'ab');
  assert.equal((await readAll(blobs.read(small))).toString(), 'tiny');
  const spillDir = (blobs as unknown as { spillDir: string }).spillDir;
  assert.equal(readdirSync(spillDir).length, 1, 'only the large blob spilled');
  blobs.release(big);
  assert.throws(() => blobs.read(big), /unknown blob/);
  await eventually(() => readdirSync(spillDir).length === 0);
  await blobs.write(chunksOf('d'.repeat(2000)));
  await e.close();
  assert.equal(existsSync(spillDir), false);
});

test('a failing source leaves no file and no registration', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  await assert.rejects(
    e.service('s3').blobs.write(
      (async function* () {
        yield Buffer.from('partial');
        throw new Error('client went away');
      })(),
    ),
    /client went away/,
  );
  assert.deepEqual(readdirSync(join(dataDir, 's3', 'blobs')), []);
  await e.close();
});
