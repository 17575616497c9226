import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { decodeOne, encodeScratch, loadCodec } from '../../src/state/codec.ts';
import { crc32Portable } from '../../src/state/crc.ts';
import { StateError } from '../../src/state/errors.ts';
import { scanFrames } from '../../src/state/frames.ts';
import { Journal } from '../../src/state/journal.ts';
import { journalPath } from '../../src/state/layout.ts';
import { WritePolicy } from '../../src/state/write-policy.ts';
import { frameOffsets, tmpDir } from './state-helpers.ts';

await loadCodec();

const noLog = (): void => undefined;

async function writeJournal(records: unknown[]): Promise<string> {
  const dir = tmpDir();
  const journal = new Journal(dir, 1, 'fsync', noLog);
  for (const rec of records) journal.append(encodeScratch(rec));
  await journal.close();
  return journalPath(dir, 1);
}

async function scan(file: string, mode: 'strict' | 'tail' = 'tail'): Promise<{ records: unknown[]; end: number; torn?: { offset: number } }> {
  const records: unknown[] = [];
  const r = await scanFrames(file, mode, (payload) => records.push(decodeOne(payload)));
  return { records, end: r.end, torn: r.torn };
}

const sample = [
  [0, 'queues', '000000000000/us-east-1/q1', { name: 'q1', created: new Date(1_700_000_000_000), attrs: { a: '1' } }],
  [0, 'objects', 'b/k', { body: Buffer.from([0, 1, 2, 255]), raw: new Uint8Array([9, 8]), n: -1.5, big: 2 ** 53 - 1, none: null, list: ['é', '😀'] }],
  [1, 'queues', '000000000000/us-east-1/q0'],
  [2, 'objects'],
  [0, 'large', 'k', 'x'.repeat(300_000)],
];

test('journal framing round trip: every record comes back equal, Buffers, Uint8Arrays and Dates included', async () => {
  const { records, torn, end } = await scan(await writeJournal(sample), 'strict');
  assert.equal(torn, undefined);
  assert.deepEqual(records, sample);
  const body = (records[1] as [number, string, string, { body: unknown; raw: unknown }])[3];
  assert.ok(Buffer.isBuffer(body.body));
  assert.ok(body.raw instanceof Uint8Array && !Buffer.isBuffer(body.raw));
  assert.ok(end > 300_000);
});

test('frames are [u32 length][u32 CRC-32][payload], little endian', async () => {
  const buf = readFileSync(await writeJournal([[2, 't']]));
  const payload = buf.subarray(8);
  assert.equal(buf.readUInt32LE(0), payload.length);
  assert.equal(buf.readUInt32LE(4), crc32Portable(payload));
});

test('portable CRC-32 matches the check value and zlib', () => {
  assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926);
  const native = (zlib as { crc32?: (b: Uint8Array) => number }).crc32;
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff));
  if (native) assert.equal(crc32Portable(data), native(data));
});

test('a torn last record is dropped, cut at every byte offset inside it', async () => {
  const file = await writeJournal(sample.slice(0, 3));
  const whole = readFileSync(file);
  const offsets = frameOffsets(whole);
  const lastStart = offsets.at(-2)!;
  for (let cut = lastStart + 1; cut < whole.length; cut++) {
    writeFileSync(file, whole.subarray(0, cut));
    const r = await scan(file);
    assert.deepEqual(r.records, sample.slice(0, 2), `cut at ${cut}`);
    assert.equal(r.end, lastStart);
    assert.equal(r.torn?.offset, lastStart);
  }
});

test('damage to any byte of the final record counts as a torn tail', async () => {
  const file = await writeJournal(sample.slice(0, 3));
  const whole = readFileSync(file);
  const lastStart = frameOffsets(whole).at(-2)!;
  for (let i = lastStart; i < whole.length; i++) {
    const damaged = Buffer.from(whole);
    damaged[i] ^= 0x5a;
    writeFileSync(file, damaged);
    const r = await scan(file);
    assert.deepEqual(r.records, sample.slice(0, 2), `byte ${i}`);
    assert.equal(r.torn?.offset, lastStart);
  }
});

test('a zero-filled tail (power loss on some file systems) is torn, not empty records', async () => {
  const file = await writeJournal(sample.slice(0, 2));
  const size = statSync(file).size;
  truncateSync(file, size + 4096);
  const r = await scan(file);
  assert.deepEqual(r.records, sample.slice(0, 2));
  assert.equal(r.torn?.offset, size);
});

test('CRC corruption mid-file refuses, naming the file and byte offset', async () => {
  const file = await writeJournal(sample.slice(0, 4));
  const whole = readFileSync(file);
  const offsets = frameOffsets(whole);
  for (const [what, at] of [
    ['payload', offsets[1]! + 10],
    ['crc', offsets[1]! + 5],
    ['length', offsets[1]! + 1],
  ] as const) {
    const damaged = Buffer.from(whole);
    damaged[at] ^= 0xff;
    writeFileSync(file, damaged);
    await assert.rejects(scan(file), (err: unknown) => {
      assert.ok(err instanceof StateError, what);
      assert.equal(err.code, 'DataCorrupt');
      assert.equal(err.file, file);
      assert.equal(err.offset, offsets[1]);
      assert.match(err.message, new RegExp(`${file}.*byte offset ${offsets[1]}`));
      return true;
    });
  }
});

test('strict mode (older journals, snapshots) refuses even a torn tail', async () => {
  const file = await writeJournal(sample.slice(0, 2));
  truncateSync(file, statSync(file).size - 1);
  await assert.rejects(scan(file, 'strict'), { code: 'DataCorrupt' });
});

class ThreadPoolOnly extends WritePolicy {
  override inline(): boolean {
    return false;
  }
}

for (const [how, policy] of [['on the event loop', new WritePolicy()], ['on the thread pool', new ThreadPoolOnly()]] as const) {
  test(`group commit ${how}: concurrent writers share writes; sync resolves only once records are on disk`, async () => {
    const dir = tmpDir();
    const journal = new Journal(dir, 1, 'fsync', noLog, policy);
    let records = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; i < 50; i++) {
          journal.append(encodeScratch([0, 't', `w${w}-${i}`, i]));
          records++;
          await journal.sync();
          // What sync() promised is in the file now.
          const r = await scan(journalPath(dir, 1), 'strict');
          assert.ok(r.records.some((rec) => (rec as unknown[])[2] === `w${w}-${i}`));
        }
      }),
    );
    assert.ok(journal.flushes < records / 4, `${journal.flushes} flushes for ${records} records`);
    // The first write is always tried inline; the thread-pool-only policy never writes inline.
    assert.equal(journal.inlineFlushes > 0, !(policy instanceof ThreadPoolOnly));
    await journal.close();
    assert.equal((await scan(journalPath(dir, 1), 'strict')).records.length, 800);
  });
}

test('rotation: records go to the next generation; held records reach disk only after unhold', async () => {
  const dir = tmpDir();
  const journal = new Journal(dir, 1, 'process', noLog);
  journal.append(encodeScratch([2, 'a']));
  assert.equal(journal.rotate(true), 2);
  journal.append(encodeScratch([2, 'b']));
  await journal.settled(2);
  assert.deepEqual((await scan(journalPath(dir, 1), 'strict')).records, [[2, 'a']]);
  await new Promise((r) => setTimeout(r, 20));
  assert.throws(() => statSync(journalPath(dir, 2)), { code: 'ENOENT' });
  const synced = journal.sync();
  journal.unhold();
  await synced;
  assert.deepEqual((await scan(journalPath(dir, 2), 'strict')).records, [[2, 'b']]);
  await journal.close();
});

test('a failed write makes later appends throw and syncs reject instead of losing data silently', async () => {
  const dir = tmpDir();
  const journal = new Journal(join(dir, 'gone'), 1, 'fsync', noLog);
  rmSync(join(dir, 'gone'), { recursive: true, force: true });
  journal.append(encodeScratch([2, 'a']));
  await assert.rejects(journal.sync(), { code: 'Unavailable' });
  assert.throws(() => journal.append(encodeScratch([2, 'b'])), { code: 'Unavailable' });
});
