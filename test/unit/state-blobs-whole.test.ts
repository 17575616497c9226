import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { wholeBlobs } from '../../src/state/blobs-base.ts';
import { loadCodec } from '../../src/state/codec.ts';
import { journalPath } from '../../src/state/layout.ts';
import { open, readAll, tmpDir } from './state-helpers.ts';

await loadCodec();

test('memory store: a small whole blob is stored synchronously, as a copy, and read back without a stream', async () => {
  const e = await open();
  const blobs = wholeBlobs(e.service('s3').blobs)!;
  const socketRead = Buffer.alloc(31);
  socketRead.write('headers|body bytes|next request');
  const body = socketRead.subarray(8, 18);
  const ref = blobs.writeWhole(body);
  assert.ok(!(ref instanceof Promise), 'no await needed in memory');
  assert.equal(ref.size, 10);
  socketRead.fill(0);
  assert.equal(blobs.inMemory(ref)?.toString(), 'body bytes');
  assert.equal(blobs.inMemory(ref)?.buffer === socketRead.buffer, false, 'the socket buffer is not kept alive');
  assert.equal((await readAll(blobs.read(ref, { start: 5, end: 9 }))).toString(), 'bytes');
  blobs.release(ref);
  assert.equal(blobs.inMemory(ref), undefined);
  assert.throws(() => blobs.read(ref), /unknown blob/);
  await e.close();
});

test('memory store: a whole blob over the memory limit spills to disk like a streamed one', async () => {
  const e = await open({ blobMemoryLimit: 8 });
  const blobs = wholeBlobs(e.service('s3').blobs)!;
  const ref = await blobs.writeWhole(Buffer.from('more than eight bytes'));
  assert.equal(ref.size, 21);
  assert.equal(blobs.inMemory(ref), undefined);
  assert.equal((await readAll(blobs.read(ref))).toString(), 'more than eight bytes');
  await e.close();
});

test('file store: a whole blob is on disk before its registration is journaled, and never served from memory', async () => {
  const dataDir = tmpDir();
  const e = await open({ dataDir });
  const blobs = wholeBlobs(e.service('s3').blobs)!;
  const written = blobs.writeWhole(Buffer.from('durable body'));
  assert.ok(written instanceof Promise);
  const ref = await written;
  const file = join(dataDir, 's3', 'blobs', ref.id);
  assert.equal(readFileSync(file, 'utf8'), 'durable body');
  assert.equal(blobs.inMemory(ref), undefined);
  await e.sync();
  assert.ok(readFileSync(journalPath(join(dataDir, 's3'), 1), 'latin1').includes(ref.id));
  await e.close();
  const reopened = await open({ dataDir });
  assert.equal((await readAll(reopened.service('s3').blobs.read(ref))).toString(), 'durable body');
  assert.ok(existsSync(file));
  await reopened.close();
});
