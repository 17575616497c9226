import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { StateError } from '../../src/state/index.ts';
import { chunksOf, dump, open, readAll, tmpDir } from './state-helpers.ts';

function isClientError(code: string) {
  return (err: unknown) => {
    assert.ok(err instanceof StateError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status, 400);
    return true;
  };
}

test('saveSnapshot is the state at the call, while writes continue, and opens as a data dir', async () => {
  const e = await open({ dataDir: tmpDir() });
  const t = e.service('sqs').table<number>('t');
  for (let i = 0; i < 20_000; i++) t.put(`k${String(i).padStart(5, '0')}`, i);
  const ref = await e.service('s3').blobs.write(chunksOf('body'));
  e.service('s3').table('objects').put('b/k', { ref });
  const expected = dump(e, 'sqs', 't');
  const target = join(tmpDir(), 'snap');
  const saving = e.saveSnapshot(target);
  // Everything below happens after the call: none of it may show in the copy.
  for (let i = 0; i < 20_000; i += 2) t.put(`k${String(i).padStart(5, '0')}`, -i);
  t.put('late', 1);
  e.service('s3').table('objects').delete('b/k');
  e.service('s3').blobs.release(ref);
  const writer = (async () => {
    for (let i = 0; i < 200; i++) {
      t.delete(`k${String(i * 3).padStart(5, '0')}`);
      await e.sync();
    }
  })();
  await saving;
  await writer;
  await e.close();

  const copy = await open({ dataDir: target });
  assert.deepEqual(dump(copy, 'sqs', 't'), expected);
  const obj = copy.service('s3').table<{ ref: typeof ref }>('objects').get('b/k')!;
  assert.equal((await readAll(copy.service('s3').blobs.read(obj.ref))).toString(), 'body');
  await copy.close();
});

test('saveSnapshot refuses a non-empty directory, a file, and the data dir or anything inside it (400)', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  e.service('sqs').table('t').put('k', 1);
  const full = tmpDir();
  writeFileSync(join(full, 'x'), 'x');
  await assert.rejects(e.saveSnapshot(full), isClientError('InvalidSnapshotTarget'));
  await assert.rejects(e.saveSnapshot(join(full, 'x')), isClientError('InvalidSnapshotTarget'));
  await assert.rejects(e.saveSnapshot(dataDir), isClientError('InvalidSnapshotTarget'));
  await assert.rejects(e.saveSnapshot(join(dataDir, 'snap')), isClientError('InvalidSnapshotTarget'));
  assert.deepEqual(readdirSync(full), ['x']);
  const empty = tmpDir();
  await e.saveSnapshot(empty);
  assert.ok(readdirSync(empty).includes('kumo.json'));
  await e.close();
});

test('loadSnapshot validates first: a bad source is a 400 and the running state is untouched', async () => {
  const e = await open({ dataDir: tmpDir() });
  e.service('sqs').table('t').put('k', 'running');
  const good = join(tmpDir(), 'good');
  await e.saveSnapshot(good);

  const notKumo = tmpDir();
  writeFileSync(join(notKumo, 'readme'), 'hi');
  const corrupt = join(tmpDir(), 'corrupt');
  await e.saveSnapshot(corrupt);
  const snapFile = join(corrupt, 'sqs', readdirSync(join(corrupt, 'sqs'))[0]!);
  const bytes = readFileSync(snapFile);
  bytes[bytes.length - 2] ^= 0xff;
  writeFileSync(snapFile, bytes);
  const newer = join(tmpDir(), 'newer');
  mkdirSync(newer);
  writeFileSync(join(newer, 'kumo.json'), JSON.stringify({ format: 99, kumoVersion: 'future' }));

  for (const bad of [join(tmpDir(), 'missing'), notKumo, corrupt, newer, join(notKumo, 'readme')]) {
    await assert.rejects(e.loadSnapshot(bad), isClientError('InvalidSnapshotSource'), bad);
    assert.deepEqual(dump(e, 'sqs', 't'), { k: 'running' });
  }
  await assert.rejects(e.loadSnapshot(corrupt), (err: Error) => err.message.includes(snapFile) && /byte offset \d+/.test(err.message));
  await e.close();
});

test('loadSnapshot replaces all state: services missing from the snapshot are emptied; the result is durable', async () => {
  const source = await open();
  source.service('sqs').table('queues').put('q', { from: 'snapshot' });
  const ref = await source.service('s3').blobs.write(chunksOf('x'.repeat(3000)));
  source.service('s3').table('objects').put('b/k', { ref });
  const snap = join(tmpDir(), 'snap');
  await source.saveSnapshot(snap);
  await source.close();

  const dataDir = tmpDir();
  const e = await open({ dataDir });
  e.service('sqs').table('queues').put('mine', 1);
  e.service('sns').table('topics').put('t', 1);
  const queues = e.service('sqs').table('queues');
  await e.loadSnapshot(snap);
  assert.deepEqual(Object.fromEntries(queues.entries()), { q: { from: 'snapshot' } });
  assert.equal(e.service('sns').table('topics').size, 0);
  queues.put('after-load', 2);
  await e.close();

  const reopened = await open({ dataDir });
  assert.deepEqual(dump(reopened, 'sqs', 'queues'), { 'after-load': 2, q: { from: 'snapshot' } });
  assert.equal(reopened.service('sns').table('topics').size, 0);
  const obj = reopened.service('s3').table<{ ref: typeof ref }>('objects').get('b/k')!;
  assert.equal((await readAll(reopened.service('s3').blobs.read(obj.ref))).length, 3000);
  await reopened.close();
});

test('a memory-mode engine loads a snapshot, blobs included, and can save one back', async () => {
  const durable = await open({ dataDir: tmpDir() });
  const ref = await durable.service('s3').blobs.write(chunksOf('a'.repeat(5000)));
  durable.service('s3').table('o').put('k', ref);
  const snap = join(tmpDir(), 'snap');
  await durable.saveSnapshot(snap);
  await durable.close();

  const mem = await open({ blobMemoryLimit: 1024 });
  await mem.loadSnapshot(snap);
  const loaded = mem.service('s3').table<typeof ref>('o').get('k')!;
  assert.equal((await readAll(mem.service('s3').blobs.read(loaded, { start: 10, end: 19 }))).toString(), 'a'.repeat(10));
  const again = join(tmpDir(), 'again');
  await mem.saveSnapshot(again);
  await mem.close();
  const check = await open({ dataDir: again });
  assert.equal((await readAll(check.service('s3').blobs.read(loaded))).length, 5000);
  await check.close();
});

test('reset(service) empties that service in memory and on disk, and only that one', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  e.service('sqs').table('t').put('k', 1);
  e.service('sns').table('t').put('k', 1);
  const ref = await e.service('sqs').blobs.write(chunksOf('bye'));
  await e.reset('sqs');
  assert.equal(e.service('sqs').table('t').size, 0);
  assert.throws(() => e.service('sqs').blobs.read(ref));
  e.service('sqs').table('t').put('new', 2);
  await e.close();
  const reopened = await open({ dataDir });
  assert.deepEqual(dump(reopened, 'sqs', 't'), { new: 2 });
  assert.deepEqual(dump(reopened, 'sns', 't'), { k: 1 });
  await reopened.reset();
  assert.equal(reopened.service('sns').table('t').size, 0);
  await reopened.close();
  const empty = await open({ dataDir });
  assert.deepEqual(empty.stats().services, { sns: { records: 0, tables: 0 }, sqs: { records: 0, tables: 0 } });
  await empty.close();
});
