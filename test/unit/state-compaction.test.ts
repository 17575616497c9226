import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createIds } from '../../src/state/ids.ts';
import { dump, open, tmpDir } from './state-helpers.ts';

test('compaction while writing: no lost writes, state identical live, after reopen and to a model', async () => {
  const dir = tmpDir();
  const e = await open({ dataDir: dir, compactEvery: 16 * 1024 });
  const t = e.service('sqs').table<{ v: number; w: number }>('t');
  const model = new Map<string, { v: number; w: number }>();
  const rnd = createIds('compaction');
  let stop = false;
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; !stop || i < 300; i++) {
      const key = `k${rnd.bytes(2).readUInt16LE(0) % 2000}`;
      if (i % 7 === 3) {
        t.delete(key);
        model.delete(key);
      } else {
        t.put(key, { v: i, w });
        model.set(key, { v: i, w });
      }
      await e.sync();
    }
  });
  for (let round = 0; round < 5; round++) await e.compact();
  stop = true;
  await Promise.all(writers);
  const live = dump(e, 'sqs', 't');
  assert.deepEqual(live, Object.fromEntries([...model].sort(([a], [b]) => (a < b ? -1 : 1))));
  await e.close();

  const files = readdirSync(join(dir, 'sqs'));
  assert.equal(files.filter((f) => f.endsWith('.snap')).length, 1, files.join());
  const reopened = await open({ dataDir: dir });
  assert.deepEqual(dump(reopened, 'sqs', 't'), live);
  await reopened.close();
});

test('the journal is compacted in the background once it outgrows compactEvery', async () => {
  const dir = tmpDir();
  const e = await open({ dataDir: dir, compactEvery: 8 * 1024 });
  const t = e.service('sqs').table<string>('t');
  for (let i = 0; i < 2000; i++) {
    t.put(`k${i % 50}`, `value ${i} ${'x'.repeat(40)}`);
    if (i % 100 === 0) await e.sync();
  }
  await e.sync();
  const before = dump(e, 'sqs', 't');
  await e.close();
  // close() waits for the background compaction in progress, if any.
  const files = readdirSync(join(dir, 'sqs'));
  const snapshots = files.filter((f) => f.endsWith('.snap'));
  assert.equal(snapshots.length, 1, files.join());
  assert.notEqual(snapshots[0], 'snapshot-0000000001.snap');
  assert.ok(files.filter((f) => f.endsWith('.log')).length <= 2, files.join());
  const reopened = await open({ dataDir: dir });
  assert.deepEqual(dump(reopened, 'sqs', 't'), before);
  await reopened.close();
});

test('writes made while a snapshot is being written land in the next generation and survive', async () => {
  const dir = tmpDir();
  const e = await open({ dataDir: dir, compactEvery: Number.MAX_SAFE_INTEGER });
  const t = e.service('sqs').table<number>('t');
  for (let i = 0; i < 50_000; i++) t.put(`k${String(i).padStart(6, '0')}`, i);
  await e.sync();
  const compaction = e.compact();
  // The snapshot view was taken synchronously: these are not in it.
  t.put('k000000', -1);
  t.delete('k000001');
  t.put('new', 1);
  await e.sync();
  await compaction;
  await e.close();
  const reopened = await open({ dataDir: dir });
  const r = reopened.service('sqs').table<number>('t');
  assert.equal(r.get('k000000'), -1);
  assert.equal(r.has('k000001'), false);
  assert.equal(r.get('new'), 1);
  assert.equal(r.size, 50_000);
  await reopened.close();
});
