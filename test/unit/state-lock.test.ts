import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { processStart } from '../../src/state/lock.ts';
import { open, tmpDir } from './state-helpers.ts';

function lockFor(pid: number, start: string | null): string {
  return JSON.stringify({ pid, start, host: 'elsewhere', kumoVersion: 'old', since: '2024-01-01T00:00:00.000Z' });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

test('a live holder keeps the data dir: a second open fails clearly', async () => {
  const dir = tmpDir();
  const first = await open({ dataDir: dir });
  await assert.rejects(open({ dataDir: dir }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'DataDirLocked');
    assert.match(err.message, new RegExp(`in use by kumo pid ${process.pid}`));
    return true;
  });
  await first.close();
  assert.equal(existsSync(join(dir, 'kumo.lock')), false);
  const second = await open({ dataDir: dir });
  await second.close();
});

test('a stale lock from a dead pid (kill -9) is taken over at once', async () => {
  const dir = tmpDir();
  await (await open({ dataDir: dir })).close();
  writeFileSync(join(dir, 'kumo.lock'), lockFor(await deadPid(), null));
  const e = await open({ dataDir: dir });
  assert.equal(JSON.parse(readFileSync(join(dir, 'kumo.lock'), 'utf8')).pid, process.pid);
  await e.close();
});

test('a lock naming another live process refuses; once that process is gone it is stale', async () => {
  const dir = tmpDir();
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await new Promise((r) => child.once('spawn', r));
  try {
    writeFileSync(join(dir, 'kumo.lock'), lockFor(child.pid!, processStart(child.pid!)));
    await assert.rejects(open({ dataDir: dir }), { code: 'DataDirLocked' });
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  const e = await open({ dataDir: dir });
  await e.close();
});

test('a reused pid (same pid, other start time: a restarted container) is not the holder', { skip: processStart(process.pid) === null && 'needs /proc' }, async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'kumo.lock'), lockFor(process.pid, '1'));
  const e = await open({ dataDir: dir });
  await e.close();
});

test('an unreadable lock file is treated as stale', async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'kumo.lock'), 'garbage');
  const e = await open({ dataDir: dir });
  await e.close();
});
