import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scopedTable } from '../../src/state/index.ts';
import { journalPath, snapshotPath } from '../../src/state/layout.ts';
import { chunksOf, dump, frameOffsets, open, readAll, tmpDir, type LogEntry } from './state-helpers.ts';

test('state survives close and reopen: puts, deletes, clears, scoped clears, blobs', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  const sqs = a.service('sqs');
  const queues = sqs.table<{ n: number; at: Date }>('queues');
  for (let i = 0; i < 100; i++) queues.put(`acct/us-east-1/q${i}`, { n: i, at: new Date(i) });
  queues.put('acct/eu-west-1/q0', { n: -1, at: new Date(0) });
  queues.delete('acct/us-east-1/q3');
  scopedTable(queues, 'acct/us-east-1/').delete('q4');
  sqs.table('gone').put('x', 1);
  sqs.table('gone').clear();
  scopedTable(queues, 'acct/eu-west-1/').clear();
  const ref = await a.service('s3').blobs.write(chunksOf('hello ', 'world'));
  a.service('s3').table('objects').put('bucket/key', { ref });
  const before = dump(a, 'sqs', 'queues');
  await a.close();

  const b = await open({ dataDir: dir });
  assert.deepEqual(dump(b, 'sqs', 'queues'), before);
  assert.equal(b.service('sqs').table('queues').size, 98);
  assert.equal(b.service('sqs').table('gone').size, 0);
  const obj = b.service('s3').table<{ ref: typeof ref }>('objects').get('bucket/key')!;
  assert.equal((await readAll(b.service('s3').blobs.read(obj.ref))).toString(), 'hello world');
  assert.deepEqual(b.stats().services.sqs, { records: 98, tables: 2 });
  await b.close();
});

test('a torn tail of the last journal is truncated (every cut of the last record) and logged at warn', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  const t = a.service('sqs').table<string>('t');
  t.put('a', 'first');
  t.put('b', 'second');
  t.put('c', 'third, the one that tears');
  await a.close();
  const file = journalPath(join(dir, 'sqs'), 1);
  const whole = readFileSync(file);
  const lastStart = frameOffsets(whole).at(-2)!;
  for (let cut = lastStart + 1; cut < whole.length; cut++) {
    writeFileSync(file, whole.subarray(0, cut));
    const logs: LogEntry[] = [];
    const e = await open({ dataDir: dir }, logs);
    assert.deepEqual(dump(e, 'sqs', 't'), { a: 'first', b: 'second' }, `cut at ${cut}`);
    await e.close();
    assert.equal(statSync(file).size, lastStart);
    const warn = logs.find((l) => l.level === 'warn');
    assert.ok(warn, 'warned');
    assert.equal((warn.fields as { offset: number }).offset, lastStart);
  }
});

test('CRC corruption mid-journal refuses to start, naming file and offset, and changes nothing', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  const t = a.service('sqs').table<number>('t');
  for (let i = 0; i < 10; i++) t.put(`k${i}`, i);
  await a.close();
  const file = journalPath(join(dir, 'sqs'), 1);
  const whole = readFileSync(file);
  const at = frameOffsets(whole)[4]!;
  const damaged = Buffer.from(whole);
  damaged[at + 12] ^= 0x01;
  writeFileSync(file, damaged);
  await assert.rejects(open({ dataDir: dir }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'DataCorrupt');
    assert.ok(err.message.includes(file), err.message);
    assert.ok(err.message.includes(`byte offset ${at}`), err.message);
    return true;
  });
  assert.deepEqual(readFileSync(file), damaged);
  // The lock was released: after repairing the byte, the dir opens.
  writeFileSync(file, whole);
  const b = await open({ dataDir: dir });
  assert.equal(b.service('sqs').table('t').size, 10);
  await b.close();
});

test('an unreadable snapshot refuses to start (never starts empty over data)', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  for (let i = 0; i < 100; i++) a.service('sqs').table('t').put(`k${i}`, i);
  await a.compact();
  await a.close();
  const [snap] = readdirSync(join(dir, 'sqs')).filter((f) => f.endsWith('.snap'));
  const file = join(dir, 'sqs', snap!);
  const bytes = readFileSync(file);
  for (const damage of [(b: Buffer) => b.subarray(0, b.length - 3), (b: Buffer) => Buffer.concat([b.subarray(0, 40), Buffer.from([b[40]! ^ 4]), b.subarray(41)])]) {
    writeFileSync(file, damage(bytes));
    await assert.rejects(open({ dataDir: dir }), (err: Error & { code?: string }) => err.code === 'DataCorrupt' && err.message.includes(file));
  }
});

test('snapshot atomicity: a temp file left by a crash mid-compaction is ignored and removed', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  a.service('sqs').table('t').put('k', 'v');
  await a.close();
  const tmp = `${snapshotPath(join(dir, 'sqs'), 2)}.tmp`;
  writeFileSync(tmp, 'half a snapshot');
  const b = await open({ dataDir: dir });
  assert.deepEqual(dump(b, 'sqs', 't'), { k: 'v' });
  assert.equal(existsSync(tmp), false);
  await b.close();
});

test('a crash after the snapshot rename but before old generations were deleted recovers from the snapshot', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir });
  const t = a.service('sqs').table<number>('t');
  t.put('a', 1);
  t.put('b', 2);
  await a.sync();
  const svc = join(dir, 'sqs');
  const oldJournal = readFileSync(journalPath(svc, 1));
  await a.compact();
  t.delete('a');
  t.put('c', 3);
  await a.close();
  // Put generation 1 back, as if the process died before deleting it.
  writeFileSync(journalPath(svc, 1), oldJournal);
  const b = await open({ dataDir: dir });
  assert.deepEqual(dump(b, 'sqs', 't'), { b: 2, c: 3 });
  assert.equal(existsSync(journalPath(svc, 1)), false);
  await b.close();
});

test('a manifest from a newer kumo is refused; so are bad manifests and foreign directories', async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'kumo.json'), JSON.stringify({ format: 2, kumoVersion: '9.0.0', createdAt: '2030-01-01' }));
  await assert.rejects(open({ dataDir: dir }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'NewerFormat');
    assert.match(err.message, /kumo\.json.*format 2.*9\.0\.0/);
    return true;
  });
  assert.equal(existsSync(join(dir, 'kumo.lock')), false);

  writeFileSync(join(dir, 'kumo.json'), '{"format": ');
  await assert.rejects(open({ dataDir: dir }), { code: 'DataCorrupt' });

  const foreign = tmpDir();
  writeFileSync(join(foreign, 'notes.txt'), 'mine');
  await assert.rejects(open({ dataDir: foreign }), { code: 'NotADataDir' });
  assert.deepEqual(readdirSync(foreign), ['notes.txt']);
});

test('the data dir is created with a manifest; services get one folder each', async () => {
  const dir = join(tmpDir(), 'nested', 'data');
  const e = await open({ dataDir: dir });
  e.service('sqs').table('t').put('k', 1);
  await e.sync();
  const manifest = JSON.parse(readFileSync(join(dir, 'kumo.json'), 'utf8'));
  assert.equal(manifest.format, 1);
  assert.equal(manifest.kumoVersion, 'test');
  assert.ok(!Number.isNaN(Date.parse(manifest.createdAt)));
  assert.ok(statSync(join(dir, 'sqs')).isDirectory());
  assert.throws(() => e.service('../evil'), TypeError);
  await e.close();
});

test('persistServices: unlisted services stay in memory, their folders untouched', async () => {
  const dir = tmpDir();
  const a = await open({ dataDir: dir, persistServices: ['s3'] });
  a.service('s3').table('t').put('k', 's3');
  a.service('sqs').table('t').put('k', 'sqs');
  const ref = await a.service('sqs').blobs.write(chunksOf('in memory'));
  assert.equal((await readAll(a.service('sqs').blobs.read(ref))).toString(), 'in memory');
  await a.close();
  assert.equal(existsSync(join(dir, 'sqs')), false);
  // A folder of a service that is not persisted (any more) is neither loaded nor deleted.
  mkdirSync(join(dir, 'sns'));
  cpSync(join(dir, 's3'), join(dir, 'sns'), { recursive: true });
  const b = await open({ dataDir: dir, persistServices: ['s3'] });
  assert.deepEqual(dump(b, 's3', 't'), { k: 's3' });
  assert.equal(b.service('sqs').table('t').size, 0);
  assert.equal(b.service('sns').table('t').size, 0);
  await b.close();
  assert.ok(readdirSync(join(dir, 'sns')).length > 0);
});

test('memory mode touches no disk and sync() resolves at once', async () => {
  const e = await open();
  e.service('sqs').table('t').put('k', 1);
  await e.sync();
  assert.deepEqual(e.stats(), { durability: 'memory', services: { sqs: { records: 1, tables: 1 } } });
  await e.close();
  assert.throws(() => e.service('sqs').table('t').put('k', 2), { code: 'Unavailable' });
});
